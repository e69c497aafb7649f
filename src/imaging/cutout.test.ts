import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import sharp from 'sharp';
import { cutOutProduct } from './cutout.ts';

// Behaviour of the cut-out beyond accuracy (accuracy is measured on the photo set in
// test/photos): honest confidence, transparency kept, trimming, EXIF orientation, intake facts.

function photo(draw: (ctx: SKRSContext2D) => void, width = 400, height = 500, backdrop = '#f2f2f2') {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = backdrop;
  ctx.fillRect(0, 0, width, height);
  draw(ctx);
  return new Uint8Array(canvas.toBuffer('image/png'));
}

const box = (x: number, y: number, w: number, h: number, color: string) => (ctx: SKRSContext2D) => {
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, 12);
  ctx.fill();
};

test('a clean studio shot: high confidence, cut, soft-edged like the photo and trimmed to the product', async () => {
  // An ellipse: its outline is anti-aliased in the photo, and must stay soft in the cut-out.
  const bytes = photo((ctx) => {
    ctx.fillStyle = '#2d6cdf';
    ctx.beginPath();
    ctx.ellipse(200, 250, 80, 150, 0, 0, Math.PI * 2);
    ctx.fill();
  });
  const loose = await cutOutProduct(bytes, { trim: false });
  assert.equal(loose.cut, true);
  assert.equal(loose.confidence.level, 'high', loose.note);
  assert.equal(loose.needsReview, false);
  assert.match(loose.note, /^high confidence: clear outline/);
  const { data } = await sharp(loose.png).raw().toBuffer({ resolveWithObject: true });
  let partial = 0;
  for (let at = 3; at < data.length; at += 4) if (data[at]! > 10 && data[at]! < 245) partial += 1;
  assert.ok(partial > 200, `${partial} partly transparent edge pixels`);
  const trimmed = await cutOutProduct(bytes);
  assert.ok(trimmed.width >= 160 && trimmed.width < 172, `width ${trimmed.width}`);
  assert.ok(trimmed.height >= 300 && trimmed.height < 312, `height ${trimmed.height}`);
});

test('a busy background gives low confidence with the reason, and the photo is not cut', async () => {
  const busy = photo((ctx) => {
    for (let y = 0; y < 500; y += 24) {
      for (let x = 0; x < 400; x += 24) {
        ctx.fillStyle = (x + y) % 48 === 0 ? '#1b6ca8' : '#f2c14e';
        ctx.fillRect(x, y, 24, 24);
      }
    }
    box(120, 100, 160, 300, '#c0392b')(ctx);
  });
  const result = await cutOutProduct(busy);
  assert.equal(result.confidence.level, 'low');
  assert.equal(result.cut, false);
  assert.equal(result.needsReview, true);
  assert.match(result.note, /^low confidence: .*(backdrop|border)/);
  const meta = await sharp(result.png).metadata();
  assert.deepEqual([meta.width, meta.height, meta.hasAlpha], [400, 500, false]);
});

test('a photo with transparency is used as it is', async () => {
  const canvas = createCanvas(200, 200);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#c0392b';
  ctx.fillRect(50, 50, 100, 100);
  const result = await cutOutProduct(new Uint8Array(canvas.toBuffer('image/png')));
  assert.equal(result.method, 'already-transparent');
  assert.equal(result.intake.alreadyTransparent, true);
  assert.equal(result.confidence.level, 'high');
  assert.ok(Math.abs(result.foreground - 0.25) < 0.01);
});

test('two separate objects: the larger kept, the other reported', async () => {
  const bytes = photo((ctx) => {
    box(40, 120, 150, 300, '#2d6cdf')(ctx);
    box(250, 250, 100, 160, '#27ae60')(ctx);
  });
  const result = await cutOutProduct(bytes, { trim: false });
  assert.equal(result.intake.otherObjects, 1);
  assert.equal(result.confidence.level, 'medium');
  assert.match(result.note, /another object/);
  const { data, info } = await sharp(result.png).raw().toBuffer({ resolveWithObject: true });
  assert.equal(data[(300 * info.width + 300) * 4 + 3], 0, 'the smaller object is not in the cut-out');
  assert.equal(data[(300 * info.width + 100) * 4 + 3], 255);
});

test('a product running off the frame is reported as cropped', async () => {
  const result = await cutOutProduct(photo(box(150, 200, 400, 400, '#8e44ad')));
  assert.ok(result.intake.touchesFrame > 0.2, `${result.intake.touchesFrame}`);
  assert.match(result.note, /runs off the photo's edge/);
});

test('EXIF orientation is applied before cutting', async () => {
  const raw = photo(box(40, 150, 320, 120, '#d35400'), 400, 500);
  // Stored sideways with orientation 6 (rotate 90° clockwise to view), as phones do.
  const sideways = await sharp(raw)
    .rotate(-90)
    .jpeg({ quality: 92 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
  assert.equal((await sharp(sideways).metadata()).width, 500);
  const result = await cutOutProduct(new Uint8Array(sideways));
  assert.deepEqual([result.intake.width, result.intake.height], [400, 500]);
  assert.ok(result.width > result.height, `${result.width}×${result.height}: the wide box stays wide`);
});
