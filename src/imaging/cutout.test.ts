import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import sharp from 'sharp';
import { cutOutProduct } from './cutout.ts';

// Synthetic product photos whose true mask is known: the product is drawn twice, once in color on
// the backdrop (the photo) and once in white on black (the truth). IoU = |cut ∩ truth| / |cut ∪ truth|.

const SIZE = { width: 480, height: 640 };

type Draw = (ctx: SKRSContext2D, fill: (color: string) => string) => void;

function photoAndTruth(backdrop: (ctx: SKRSContext2D) => void, draw: Draw, format: 'png' | 'jpeg' = 'png') {
  const photo = createCanvas(SIZE.width, SIZE.height);
  const photoCtx = photo.getContext('2d');
  backdrop(photoCtx);
  draw(photoCtx, (color) => color);
  const truth = createCanvas(SIZE.width, SIZE.height);
  const truthCtx = truth.getContext('2d');
  truthCtx.fillStyle = '#000000';
  truthCtx.fillRect(0, 0, SIZE.width, SIZE.height);
  draw(truthCtx, () => '#ffffff');
  const mask = truthCtx.getImageData(0, 0, SIZE.width, SIZE.height).data;
  const bytes = format === 'png' ? photo.toBuffer('image/png') : photo.toBuffer('image/jpeg', 80);
  return { bytes: new Uint8Array(bytes), truth: (index: number) => mask[index * 4]! >= 128 };
}

async function iouOf(bytes: Uint8Array, truth: (index: number) => boolean) {
  const result = await cutOutProduct(bytes, { trim: false });
  const { data, info } = await sharp(result.png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height], [SIZE.width, SIZE.height]);
  let [both, either] = [0, 0];
  for (let index = 0; index < info.width * info.height; index += 1) {
    const kept = data[index * 4 + 3]! >= 128;
    const real = truth(index);
    if (kept && real) both += 1;
    if (kept || real) either += 1;
  }
  return { iou: both / either, result };
}

const bottle: Draw = (ctx, fill) => {
  ctx.fillStyle = fill('#b5532f');
  ctx.beginPath();
  ctx.roundRect(140, 220, 200, 340, 36);
  ctx.fill();
  ctx.fillStyle = fill('#2b2b2b');
  ctx.fillRect(195, 140, 90, 90);
  ctx.fillStyle = fill('#f7efe3');
  ctx.fillRect(170, 330, 140, 100);
};

const sneaker: Draw = (ctx, fill) => {
  ctx.fillStyle = fill('#2d6cdf');
  ctx.beginPath();
  ctx.ellipse(240, 380, 180, 90, -0.2, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = fill('#ffffff');
  ctx.fillRect(90, 420, 300, 40);
  ctx.fillStyle = fill('#f2c14e');
  ctx.beginPath();
  ctx.arc(300, 330, 40, 0, Math.PI * 2);
  ctx.fill();
};

const plain = (color: string) => (ctx: SKRSContext2D) => {
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, SIZE.width, SIZE.height);
};

/** A studio backdrop lit from above: lighter at the top, a soft falloff toward the floor. */
const litBackdrop = (ctx: SKRSContext2D) => {
  const gradient = ctx.createLinearGradient(0, 0, 0, SIZE.height);
  gradient.addColorStop(0, '#f4f4f4');
  gradient.addColorStop(1, '#dcdcdc');
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, SIZE.width, SIZE.height);
};

const CASES: Array<[string, ReturnType<typeof photoAndTruth>, number]> = [
  ['bottle on white', photoAndTruth(plain('#ffffff'), bottle), 0.97],
  ['bottle on a lit gray sweep', photoAndTruth(litBackdrop, bottle), 0.97],
  ['sneaker with white parts on light gray', photoAndTruth(plain('#e6e6e6'), sneaker), 0.9],
  ['bottle on white as a JPEG (compression noise)', photoAndTruth(plain('#ffffff'), bottle, 'jpeg'), 0.95],
];

for (const [name, { bytes, truth }, minimum] of CASES) {
  test(`cut-out IoU: ${name} ≥ ${minimum}`, async (t) => {
    const { iou, result } = await iouOf(bytes, truth);
    t.diagnostic(`IoU ${iou.toFixed(4)}`);
    assert.ok(iou >= minimum, `IoU ${iou.toFixed(4)} < ${minimum}`);
    assert.equal(result.needsReview, false, result.note);
    assert.equal(result.method, 'color-flood');
  });
}

test('cut-out: the edge is feathered (partial alpha along the outline), the product trimmed by default', async () => {
  const { bytes } = photoAndTruth(plain('#ffffff'), bottle);
  const loose = await cutOutProduct(bytes, { trim: false });
  const { data } = await sharp(loose.png).raw().toBuffer({ resolveWithObject: true });
  let partial = 0;
  for (let at = 3; at < data.length; at += 4) if (data[at]! > 10 && data[at]! < 245) partial += 1;
  assert.ok(partial > 200, `${partial} partly transparent edge pixels`);
  const trimmed = await cutOutProduct(bytes);
  // The bottle spans 200×420 px of the 480×640 photo; the trim keeps a few pixels of feather.
  assert.ok(trimmed.width < 230 && trimmed.width >= 200, `width ${trimmed.width}`);
  assert.ok(trimmed.height < 450 && trimmed.height >= 420, `height ${trimmed.height}`);
});

test('cut-out: a busy background is flagged for review', async () => {
  const busy = (ctx: SKRSContext2D) => {
    for (let y = 0; y < SIZE.height; y += 24) {
      for (let x = 0; x < SIZE.width; x += 24) {
        ctx.fillStyle = (x + y) % 48 === 0 ? '#1b6ca8' : '#f2c14e';
        ctx.fillRect(x, y, 24, 24);
      }
    }
  };
  const result = await cutOutProduct(photoAndTruth(busy, bottle).bytes);
  assert.equal(result.needsReview, true);
  assert.match(result.note, /not plain|no product/);
});

test('cut-out: a photo with transparency is kept as it is', async () => {
  const canvas = createCanvas(200, 200);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#c0392b';
  ctx.fillRect(50, 50, 100, 100);
  const result = await cutOutProduct(new Uint8Array(canvas.toBuffer('image/png')));
  assert.equal(result.needsReview, false);
  assert.match(result.note, /already cut out/);
  assert.ok(Math.abs(result.foreground - 0.25) < 0.01);
});
