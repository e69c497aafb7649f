import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import { sampleProductPhoto } from '../../test/support/sample-product.ts';
import { DEFAULT_BRAND_KIT } from '../domain/brand.ts';
import { type Layout, layoutSchema } from '../domain/layout.ts';
import { renderLayoutWithReport } from './layout-renderer.ts';

// The layout features added to format v1: background kinds, product and logo layers, scrims, and
// the checks each render reports.

function render(
  layers: unknown[],
  options: {
    params?: Record<string, string>;
    images?: Record<string, Uint8Array>;
    background?: Uint8Array;
  } = {},
) {
  const layout = layoutSchema.parse({ version: 1, referenceWidth: 600, layers });
  return renderLayoutWithReport({
    layout,
    brand: DEFAULT_BRAND_KIT,
    params: options.params ?? {},
    images: options.images ?? {},
    background: options.background,
    width: 600,
    height: 600,
    seed: 3,
  });
}

function pixel(canvas: Awaited<ReturnType<typeof render>>['canvas'], x: number, y: number) {
  const [r, g, b] = canvas.getContext('2d').getImageData(x, y, 1, 1).data;
  return [r!, g!, b!] as [number, number, number];
}

function solidPng(color: string, size = 64): Uint8Array {
  const canvas = createCanvas(size, size);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, size, size);
  return new Uint8Array(canvas.toBuffer('image/png'));
}

/** Stripes of black and white: no single text color reads on it. */
function busyPng(): Uint8Array {
  const canvas = createCanvas(120, 120);
  const ctx = canvas.getContext('2d');
  for (let x = 0; x < 120; x += 6) {
    ctx.fillStyle = (x / 6) % 2 === 0 ? '#000000' : '#ffffff';
    ctx.fillRect(x, 0, 6, 120);
  }
  return new Uint8Array(canvas.toBuffer('image/png'));
}

test('a first-release layout (no new fields) still parses, with the new defaults filled', () => {
  const v1: unknown = {
    version: 1,
    referenceWidth: 1024,
    layers: [{ type: 'background', style: 'linear-gradient', colors: ['primary', 'secondary'] }],
  };
  const parsed: Layout = layoutSchema.parse(v1);
  assert.deepEqual(parsed.layers[0], {
    type: 'background',
    style: 'linear-gradient',
    colors: ['primary', 'secondary'],
    angle: 90,
    pattern: 'dots',
    horizon: 0.62,
  });
  assert.equal(parsed.safeArea, undefined);
});

test('generated background: the provider’s image when given, else the procedural stand-in, reported', async () => {
  const layers = [{ type: 'background', style: 'generated', colors: ['primary', 'accent'] }];
  const procedural = await render(layers);
  assert.equal(procedural.report.background, 'procedural');
  const provided = await render(layers, { background: solidPng('#00ff00') });
  assert.equal(provided.report.background, 'provider');
  assert.deepEqual(pixel(provided.canvas, 300, 300), [0, 255, 0]);
  assert.notDeepEqual(pixel(procedural.canvas, 300, 300), [0, 255, 0]);
});

test('studio sweep is lighter on the wall than on the floor; pattern and image backgrounds draw', async () => {
  const sweep = await render([{ type: 'background', style: 'studio-sweep', colors: ['#d0d0d0'] }]);
  const wall = pixel(sweep.canvas, 300, 40)[0];
  const floor = pixel(sweep.canvas, 300, 590)[0];
  assert.ok(wall > floor, `wall ${wall} > floor ${floor}`);
  const pattern = await render([
    { type: 'background', style: 'pattern', colors: ['#ffffff', '#000000'], pattern: 'grid' },
  ]);
  const shades = new Set<number>();
  for (let x = 0; x < 80; x += 1) shades.add(pixel(pattern.canvas, x, 17)[0]);
  assert.ok(shades.size > 1, 'the grid lines show');
  const photo = await render([{ type: 'background', style: 'image', colors: ['background'], param: 'bg' }], {
    images: { bg: solidPng('#0000ff') },
  });
  assert.deepEqual(pixel(photo.canvas, 300, 300), [0, 0, 255]);
});

test('product layer: an opaque photo is cut out (backdrop gone) and the cut-out is reported', async () => {
  const { canvas, report } = await render(
    [
      { type: 'background', style: 'solid', colors: ['#3050a0'] },
      { type: 'product', param: 'product_image', box: { x: 0.1, y: 0.1, w: 0.8, h: 0.8 } },
    ],
    { images: { product_image: sampleProductPhoto(300, 400) } },
  );
  assert.equal(report.cutout?.needsReview, false);
  // Where the photo's light-gray backdrop was, the layout's blue shows through.
  const corner = pixel(canvas, 140, 70);
  assert.ok(corner[2] > corner[0] + 40, `blue shows at the photo's corner: ${corner}`);
});

test('logo layer draws the brand logo, and nothing without one', async () => {
  const layers = [
    { type: 'background', style: 'solid', colors: ['#ffffff'] },
    { type: 'logo', box: { x: 0, y: 0, w: 0.5, h: 0.5 } },
  ];
  const withLogo = await render(layers, { images: { brand_logo: solidPng('#ff0000') } });
  assert.deepEqual(pixel(withLogo.canvas, 100, 100), [255, 0, 0]);
  const without = await render(layers);
  assert.deepEqual(pixel(without.canvas, 100, 100), [255, 255, 255]);
});

test('text over a busy photo gets a scrim and reaches 4.5:1; the checks pass', async () => {
  const { texts, report } = await render(
    [
      { type: 'background', style: 'image', colors: ['background'], param: 'bg' },
      {
        type: 'text',
        param: 'title',
        box: { x: 0.1, y: 0.4, w: 0.8, h: 0.2 },
        maxSize: 60,
        minSize: 20,
        color: '#ffffff',
      },
    ],
    { params: { title: 'Summer Sale' }, images: { bg: busyPng() } },
  );
  assert.equal(texts[0]?.scrim, true);
  assert.ok(texts[0]!.contrast >= 4.5, `contrast ${texts[0]!.contrast}`);
  assert.equal(report.checks.ok, true, report.checks.problems.join('; '));
  assert.equal(report.checks.scrims, 1);
});

test('a brand color too pale for its backdrop is replaced by a legible one, no scrim needed', async () => {
  const { texts } = await render(
    [
      { type: 'background', style: 'solid', colors: ['#ffffff'] },
      {
        type: 'text',
        param: 'title',
        box: { x: 0.1, y: 0.4, w: 0.8, h: 0.2 },
        maxSize: 60,
        minSize: 20,
        color: '#ffd0c0',
      },
    ],
    { params: { title: '夏季清仓' } },
  );
  assert.equal(texts[0]?.scrim, false);
  assert.ok(texts[0]!.contrast >= 4.5);
});

test('text too long for its box fails the checks, naming the param', async () => {
  const { report } = await render(
    [
      { type: 'background', style: 'solid', colors: ['#ffffff'] },
      {
        type: 'text',
        param: 'title',
        box: { x: 0.1, y: 0.1, w: 0.3, h: 0.05 },
        maxSize: 40,
        minSize: 30,
        maxLines: 1,
      },
    ],
    { params: { title: 'An extraordinarily long headline that cannot possibly fit' } },
  );
  assert.equal(report.checks.ok, false);
  assert.match(report.checks.problems.join(' '), /^title: too long/);
});
