import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import {
  checkGeneratedImage,
  convertImage,
  encodeRgbaAsLossy,
  encodeRgbaAsPng,
  inspectImage,
  normalizeInputImage,
} from './image.processor.ts';

async function gradientPng(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      pixels[offset] = (x * 255) / width;
      pixels[offset + 1] = (y * 255) / height;
      pixels[offset + 2] = 128;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

test('inspect reads format and size', async () => {
  const info = await inspectImage(await gradientPng(40, 30), 10_000);
  assert.deepEqual(info, { format: 'png', width: 40, height: 30 });
});

test('inspect refuses an image over the pixel limit from its header', async () => {
  await assert.rejects(
    inspectImage(await gradientPng(200, 200), 10_000),
    /200×200 pixels; the limit is 10000/,
  );
});

test('inspect refuses bytes that are not an image', async () => {
  await assert.rejects(inspectImage(Buffer.from('hello, not an image'), 10_000), /not an image/);
});

test('a good image passes the checks', async () => {
  const check = await checkGeneratedImage(await gradientPng(64, 48), { width: 64, height: 48 });
  assert.deepEqual(check, { ok: true, width: 64, height: 48, format: 'png', problems: [] });
});

test('a uniform image and a wrong size fail the checks', async () => {
  const flat = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#fafafa' } })
    .png()
    .toBuffer();
  const check = await checkGeneratedImage(flat, { width: 64, height: 48 });
  assert.equal(check.ok, false);
  assert.equal(check.problems.length, 2);
  assert.match(check.problems.join(' '), /uniform/);
  assert.match(check.problems.join(' '), /64×64, not the asked 64×48/);
});

test('garbage fails the decode check', async () => {
  const check = await checkGeneratedImage(Buffer.from('nope'), { width: 1, height: 1 });
  assert.deepEqual(check.problems, ['the image does not decode']);
});

test('convert resizes and changes format', async () => {
  const webp = await convertImage(await gradientPng(200, 100), { format: 'webp', width: 50 });
  const metadata = await sharp(webp).metadata();
  assert.equal(metadata.format, 'webp');
  assert.equal(metadata.width, 50);
  assert.equal(metadata.height, 25);
});

test('normalize shrinks large inputs to PNG', async () => {
  const jpeg = await sharp(await gradientPng(300, 150))
    .jpeg()
    .toBuffer();
  const png = await normalizeInputImage(jpeg, { maxPixels: 1_000_000, maxSide: 100 });
  const metadata = await sharp(png).metadata();
  assert.deepEqual([metadata.format, metadata.width, metadata.height], ['png', 100, 50]);
});

test('rendered pixels encode to PNG, JPEG and WebP at their exact size, sRGB, with no metadata', async () => {
  const [width, height] = [37, 23];
  const rgba = new Uint8Array(width * height * 4);
  for (let at = 0; at < rgba.length; at += 4) rgba.set([200, (at / 4) % 255, 40, 255], at);
  const outputs = [
    await encodeRgbaAsPng(rgba, width, height),
    await encodeRgbaAsLossy(rgba, width, height, 'jpeg', 90),
    await encodeRgbaAsLossy(rgba, width, height, 'webp', 90),
  ];
  for (const [index, bytes] of outputs.entries()) {
    const meta = await sharp(bytes).metadata();
    assert.equal(meta.format, ['png', 'jpeg', 'webp'][index]);
    assert.deepEqual([meta.width, meta.height], [width, height]);
    assert.equal(meta.space, 'srgb');
    assert.equal(meta.channels, 3, 'no alpha channel');
    assert.equal(meta.exif, undefined);
    assert.equal(meta.icc, undefined);
    assert.equal(meta.xmp, undefined);
  }
});
