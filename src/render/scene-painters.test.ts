import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import { DEFAULT_BRAND_KIT } from '../domain/brand.ts';
import { layoutSchema } from '../domain/layout.ts';
import { renderLayoutWithReport } from './layout-renderer.ts';

// The product-photography scenes as layout backgrounds: staged under the product, each visibly what
// it says, and a product with a reflection mirrored below its base.

const product = (() => {
  const canvas = createCanvas(200, 300);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#1f6f4a';
  ctx.beginPath();
  ctx.roundRect(40, 20, 120, 270, 20);
  ctx.fill();
  return canvas.encodeSync('png');
})();

async function render(background: object, productExtra: object = {}) {
  const layout = layoutSchema.parse({
    version: 1,
    referenceWidth: 600,
    layers: [
      { type: 'background', style: 'solid', colors: ['#e8e2d8'] },
      background,
      { type: 'product', param: 'product_image', box: { x: 0.3, y: 0.2, w: 0.4, h: 0.5 }, ...productExtra },
    ],
  });
  const { canvas, report } = await renderLayoutWithReport({
    layout,
    brand: DEFAULT_BRAND_KIT,
    params: {},
    images: { product_image: product },
    width: 600,
    height: 800,
    seed: 1,
  });
  const ctx = canvas.getContext('2d');
  const at = (x: number, y: number) => {
    const [r, g, b] = ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data;
    return { r: r!, g: g!, b: b!, light: (r! + g! + b!) / 3 };
  };
  return { at, report };
}

test('podium: a pedestal whose top face is where the product stands, lighter than its body', async () => {
  const { at } = await render({ type: 'background', style: 'podium', colors: ['#ffffff', '#8899aa'] });
  // The product's box ends at y = 0.7 × 800 = 560: the top face is there, the body below it.
  const top = at(300 - 100, 562);
  const body = at(300 - 150, 600);
  const wall = at(20, 300);
  assert.ok(top.light > 220, `top face ${JSON.stringify(top)}`);
  assert.ok(body.light < top.light, 'the body is shaded');
  assert.notDeepEqual(top, wall);
});

test('split: two fields meeting at the horizon', async () => {
  const { at } = await render({
    type: 'background',
    style: 'split',
    colors: ['#d04040', '#4040d0'],
    horizon: 0.5,
  });
  assert.ok(at(10, 100).r > 150 && at(10, 100).b < 100, 'top is the first colour');
  assert.ok(at(10, 700).b > 150 && at(10, 700).r < 100, 'bottom is the second colour');
});

test('surface: the wall above, a receding tabletop below with its edge above where the product stands', async () => {
  const { at } = await render({
    type: 'background',
    style: 'surface',
    colors: ['#f0ece4', '#8a6a4a'],
    horizon: 0.6,
  });
  assert.ok(at(10, 50).light > 200, 'the wall is light');
  assert.ok(at(10, 700).light < 150, 'the table is the darker wood');
  assert.ok(at(10, 560).light < at(10, 400).light, 'the product stands on the table, not the wall');
});

test('spotlight: light behind the product, darker toward the corners', async () => {
  const { at } = await render({ type: 'background', style: 'spotlight', colors: ['#30405a'] });
  assert.ok(at(300, 180).light > at(5, 5).light + 30, 'brighter behind the product than in the corner');
});

test('a product with a reflection: its colour mirrored faintly below its base', async () => {
  const plain = await render({ type: 'background', style: 'solid', colors: ['#ffffff'] });
  const mirrored = await render(
    { type: 'background', style: 'solid', colors: ['#ffffff'] },
    { reflection: true, shadow: false },
  );
  const below = mirrored.at(300, 575);
  assert.ok(below.g > below.r + 10, `a green tint below the base: ${JSON.stringify(below)}`);
  assert.ok(below.light > 150, 'faint, not a second product');
  assert.equal(plain.report.cutout?.cut, true);
});
