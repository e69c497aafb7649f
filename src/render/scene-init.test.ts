import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import sharp from 'sharp';
import { DEFAULT_BRAND_KIT } from '../domain/brand.ts';
import { layoutSchema } from '../domain/layout.ts';
import { sceneInit } from './scene-init.ts';

// The init image and mask of a background painted around the product (issue 12 item 4): the mask
// keeps exactly the product's opaque pixels, inside the box the layout gives the product.

const brand = {
  ...DEFAULT_BRAND_KIT,
  slug: 'default',
  version: 1,
  builtin: true,
  created_at: '',
  updated_at: '',
};

function photoOf(backdrop: (ctx: ReturnType<ReturnType<typeof createCanvas>['getContext']>) => void) {
  const canvas = createCanvas(300, 400);
  const ctx = canvas.getContext('2d');
  backdrop(ctx);
  return new Uint8Array(canvas.encodeSync('png'));
}

const bottle = photoOf((ctx) => {
  ctx.fillStyle = '#eeeeee';
  ctx.fillRect(0, 0, 300, 400);
  ctx.fillStyle = '#8a3a1c';
  ctx.beginPath();
  ctx.roundRect(60, 40, 180, 330, 24);
  ctx.fill();
});

const layout = layoutSchema.parse({
  version: 1,
  referenceWidth: 600,
  layers: [
    { type: 'background', style: 'generated', colors: ['primary', 'secondary'] },
    { type: 'product', param: 'product_image', box: { x: 0.2, y: 0.3, w: 0.6, h: 0.5 } },
  ],
});

const input = (images: Record<string, Uint8Array>) => ({
  layout,
  brand,
  params: { title: 'Amber' },
  images,
  width: 600,
  height: 800,
  seed: 0,
});

test('the mask is opaque on the product inside its box and transparent everywhere else; the init shows the product there', async () => {
  const scene = await sceneInit(input({ product_image: bottle }));
  assert.ok(scene);
  assert.deepEqual(scene.design, { composition: 'base', arrangement: 0 });
  const box = { x0: 0.2 * 600, y0: 0.3 * 800, x1: 0.8 * 600, y1: 0.8 * 800 };
  const { product } = scene;
  assert.ok(product.x >= box.x0 && product.x + product.w <= box.x1, JSON.stringify(product));
  assert.equal(product.y + product.h, box.y1, 'the product stands on the bottom of its box');
  const mask = await sharp(scene.mask).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([mask.info.width, mask.info.height, mask.info.channels], [600, 800, 4]);
  const init = await sharp(scene.image).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([init.info.width, init.info.height], [600, 800]);
  let kept = 0;
  for (let y = 0; y < 800; y += 1) {
    for (let x = 0; x < 600; x += 1) {
      const alpha = mask.data[(y * 600 + x) * 4 + 3]!;
      assert.ok(alpha === 0 || alpha === 255, `keep or paint, not ${alpha}`);
      if (alpha === 0) continue;
      kept += 1;
      const inside =
        x >= product.x && x < product.x + product.w && y >= product.y && y < product.y + product.h;
      assert.ok(inside, `kept pixel (${x}, ${y}) outside the product's rectangle`);
      // Under the kept mask the init image is the bottle's brown (resampled), not the canvas.
      const at = (y * 600 + x) * init.info.channels;
      const off = [0x8a, 0x3a, 0x1c].map((value, channel) => Math.abs(init.data[at + channel]! - value));
      assert.ok(Math.max(...off) <= 8, `(${x}, ${y}) is ${[...init.data.subarray(at, at + 3)]}`);
    }
  }
  // The bottle is 180 × 330 of the 300 × 400 photo's cut-out; its rounded corners are not kept whole.
  assert.ok(kept > product.w * product.h * 0.8, `${kept} kept of ${product.w * product.h}`);
  const corner = [...init.data.subarray(0, 3)];
  assert.deepEqual(corner, [0xf4, 0xf1, 0xea], "the canvas is the brand's background colour");
});

test('no product photo, no scene: the background comes from the prompt alone', async () => {
  assert.equal(await sceneInit(input({})), null);
});

test('a photo that cannot be cut out (framed instead) gets no masked scene', async () => {
  const busy = photoOf((ctx) => {
    for (let y = 0; y < 400; y += 20) {
      for (let x = 0; x < 300; x += 20) {
        ctx.fillStyle = (x + y) % 40 === 0 ? '#1b6ca8' : '#f2c14e';
        ctx.fillRect(x, y, 20, 20);
      }
    }
    ctx.fillStyle = '#c0392b';
    ctx.fillRect(90, 100, 120, 220);
  });
  assert.equal(await sceneInit(input({ product_image: busy })), null);
});
