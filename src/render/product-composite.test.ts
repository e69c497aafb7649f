import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import { DEFAULT_BRAND_KIT } from '../domain/brand.ts';
import { layoutSchema } from '../domain/layout.ts';
import { renderLayoutWithReport } from './layout-renderer.ts';

// AI backgrounds around the real product: whatever backdrop an image model paints for a `generated`
// background, the product is composited over it from the cut-out — its pixels are the same in
// every output, never repainted by the model.

const photo = (() => {
  const canvas = createCanvas(300, 400);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#eeeeee';
  ctx.fillRect(0, 0, 300, 400);
  const gradient = ctx.createLinearGradient(60, 0, 240, 0);
  gradient.addColorStop(0, '#7a2e1c');
  gradient.addColorStop(1, '#e0a060');
  ctx.fillStyle = gradient;
  ctx.beginPath();
  ctx.roundRect(60, 40, 180, 330, 24);
  ctx.fill();
  return canvas.encodeSync('png');
})();

function backdrop(color: string, stripes: string) {
  const canvas = createCanvas(600, 800);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, 600, 800);
  ctx.fillStyle = stripes;
  for (let x = 0; x < 600; x += 40) ctx.fillRect(x, 0, 14, 800);
  return canvas.encodeSync('png');
}

const layout = layoutSchema.parse({
  version: 1,
  referenceWidth: 600,
  layers: [
    { type: 'background', style: 'generated', colors: ['primary', 'secondary'] },
    { type: 'product', param: 'product_image', box: { x: 0.2, y: 0.15, w: 0.6, h: 0.7 } },
  ],
});

async function render(background: Uint8Array) {
  const { canvas, report } = await renderLayoutWithReport({
    layout,
    brand: DEFAULT_BRAND_KIT,
    params: {},
    images: { product_image: photo },
    background,
    width: 600,
    height: 800,
    seed: 5,
  });
  return { pixels: canvas.getContext('2d').getImageData(0, 0, 600, 800).data, report };
}

test('the product keeps its pixels over any generated backdrop; the job records the provider path', async () => {
  const first = await render(backdrop('#204060', '#f0c020'));
  const second = await render(backdrop('#f4e4d4', '#30a050'));
  assert.equal(first.report.background, 'provider');
  assert.equal(first.report.cutout?.cut, true);
  // The product stands in x 0.2–0.8, y 0.15–0.85: compare its inner part, away from the soft edge.
  let compared = 0;
  for (let y = 200; y < 600; y += 3) {
    for (let x = 220; x < 380; x += 3) {
      const at = (y * 600 + x) * 4;
      for (let c = 0; c < 3; c += 1)
        assert.equal(first.pixels[at + c], second.pixels[at + c], `pixel ${x},${y}`);
      compared += 1;
    }
  }
  assert.ok(compared > 5000);
  // And the backdrops did differ around it.
  const outside = (10 * 600 + 10) * 4;
  assert.notEqual(first.pixels[outside], second.pixels[outside]);
});
