import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkEncodedPng, pngHeader } from './encoded-check.ts';
import { encodeRgbaAsPng } from './image.processor.ts';

/** Opaque RGBA pixels of one color, with an optional square of another at (x, y). */
function pixels(width: number, height: number, spot?: { x: number; y: number; side: number }) {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inSpot = spot && x >= spot.x && x < spot.x + spot.side && y >= spot.y && y < spot.y + spot.side;
      rgba.set(inSpot ? [20, 20, 20, 255] : [250, 250, 250, 255], (y * width + x) * 4);
    }
  }
  return rgba;
}

function gradient(width: number, height: number) {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++)
      rgba.set([(x * 255) / width, (y * 255) / height, 128, 255], (y * width + x) * 4);
  }
  return rgba;
}

test('a PNG encoded from varied pixels passes without being decoded again; its size is read from the file', async () => {
  const rgba = gradient(300, 200);
  const png = await encodeRgbaAsPng(rgba, 300, 200);
  assert.deepEqual(await checkEncodedPng(png, rgba, { width: 300, height: 200 }), {
    ok: true,
    width: 300,
    height: 200,
    format: 'png',
    problems: [],
  });
  const wrongSize = await checkEncodedPng(png, rgba, { width: 300, height: 100 });
  assert.equal(wrongSize.ok, false);
  assert.deepEqual(wrongSize.problems, ['the image is 300×200, not the asked 300×100']);
});

test('a flat image fails as one uniform color', async () => {
  const rgba = pixels(256, 256);
  const check = await checkEncodedPng(await encodeRgbaAsPng(rgba, 256, 256), rgba, {
    width: 256,
    height: 256,
  });
  assert.equal(check.ok, false);
  assert.deepEqual(check.problems, ['the image is one uniform color']);
});

test('a detail between the grid points is judged by decoding the file, as any image', async () => {
  // 1024 wide: the grid reads every 8th pixel from the 4th; a 3-pixel square at 0,0 falls between.
  const rgba = pixels(1024, 1024, { x: 0, y: 0, side: 3 });
  const png = await encodeRgbaAsPng(rgba, 1024, 1024);
  const check = await checkEncodedPng(png, rgba, { width: 1024, height: 1024 });
  // The decoded thumbnail averages the square away: the same answer as checkGeneratedImage gives.
  assert.deepEqual(check.problems, ['the image is one uniform color']);
  const larger = pixels(1024, 1024, { x: 0, y: 0, side: 64 });
  const passed = await checkEncodedPng(await encodeRgbaAsPng(larger, 1024, 1024), larger, {
    width: 1024,
    height: 1024,
  });
  assert.equal(passed.ok, true);
});

test('a PNG that lost or changed a byte does not pass: truncated, a flipped bit, no end chunk', async () => {
  const rgba = gradient(64, 64);
  const png = new Uint8Array(await encodeRgbaAsPng(rgba, 64, 64));
  assert.deepEqual(pngHeader(png), { width: 64, height: 64 });
  const truncated = png.subarray(0, png.length - 20);
  const flipped = Uint8Array.from(png);
  flipped[60] = flipped[60]! ^ 1; // inside the image data
  const withoutEnd = png.subarray(0, png.length - 12);
  const trailing = Uint8Array.from([...png, 0]);
  for (const broken of [truncated, flipped, withoutEnd, trailing, new Uint8Array(8)]) {
    assert.equal(pngHeader(broken), null);
    const check = await checkEncodedPng(broken, rgba, { width: 64, height: 64 });
    assert.deepEqual(check.problems, ['the image does not decode']);
  }
});
