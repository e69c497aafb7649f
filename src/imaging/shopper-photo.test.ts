import assert from 'node:assert/strict';
import { test } from 'node:test';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { groundingPixels, normalizeShopperPhoto } from './shopper-photo.ts';

test('EXIF orientation applied, alpha flattened, ≤ 1024 px, JPEG q85', async () => {
  // 2000×1000 pixels stored sideways: orientation 6 means "turn 90° clockwise to view".
  const sideways = await sharp({
    create: { width: 2000, height: 1000, channels: 4, background: { r: 200, g: 10, b: 10, alpha: 0.5 } },
  })
    .png()
    .toBuffer();
  const jpegWithExif = await sharp(sideways).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  const normalized = await normalizeShopperPhoto(new Uint8Array(jpegWithExif), { maxPixels: 40_000_000 });
  assert.equal(normalized.width, 512);
  assert.equal(normalized.height, 1024);
  const meta = await sharp(normalized.jpeg).metadata();
  assert.equal(meta.format, 'jpeg');
  assert.equal(meta.channels, 3);
  assert.equal(meta.orientation, undefined, 'no orientation left to apply');
  const fromPng = await normalizeShopperPhoto(new Uint8Array(sideways), { maxPixels: 40_000_000 });
  const { data } = await sharp(fromPng.jpeg).raw().toBuffer({ resolveWithObject: true });
  assert.ok(data[1]! > 100, 'half-transparent red over white is pink, not dark');
});

test('refusals: type by magic bytes (415), size (413), pixels from the header (413), damage (422)', async () => {
  await assert.rejects(normalizeShopperPhoto(new TextEncoder().encode('GIF89a....'), { maxPixels: 1e6 }), {
    code: 'unsupported_media_type',
  });
  await assert.rejects(normalizeShopperPhoto(new Uint8Array(10 * 1024 * 1024 + 1), { maxPixels: 1e6 }), {
    code: 'payload_too_large',
  });
  const big = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#fff' } })
    .webp()
    .toBuffer();
  await assert.rejects(
    normalizeShopperPhoto(new Uint8Array(big), { maxPixels: 1_000_000 }),
    (error: Error & { code?: string }) => {
      assert.equal(error.code, 'payload_too_large');
      assert.match(error.message, /2000×2000 pixels/);
      return true;
    },
  );
  // A decompression bomb: a valid 30,000 × 30,000 PNG header over one pixel of data.
  const bomb = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } })
    .png()
    .toBuffer();
  bomb.writeUInt32BE(30_000, 16);
  bomb.writeUInt32BE(30_000, 20);
  bomb.writeUInt32BE(zlib.crc32(bomb.subarray(12, 29)), 29);
  await assert.rejects(
    normalizeShopperPhoto(new Uint8Array(bomb), { maxPixels: 40_000_000 }),
    /30000×30000 pixels/,
  );
  const truncated = (
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#f00' } })
      .jpeg()
      .toBuffer()
  ).subarray(0, 200);
  await assert.rejects(normalizeShopperPhoto(new Uint8Array(truncated), { maxPixels: 1e6 }), {
    code: 'image_invalid',
  });
});

test('grounding grey: Rec. 709 luminance in linear light, encoded back to sRGB, as computed before', async () => {
  // Noise covers many channel combinations; the reference is the per-pixel formula written plainly.
  const width = 256;
  const height = 192;
  const noise = Buffer.alloc(width * height * 3);
  for (let at = 0; at < noise.length; at += 1) noise[at] = (Math.imul(at + 1, 2_654_435_761) >>> 13) & 255;
  const png = await sharp(noise, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  const { grey, rgb } = await groundingPixels(new Uint8Array(png), { maxSide: 256, maxPixels: 1e6 });
  const linear = (value: number) => {
    const c = value / 255;
    return Math.fround(c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  };
  const encode = (y: number) =>
    Math.round(255 * (y <= 0.0031308 ? 12.92 * y : 1.055 * y ** (1 / 2.4) - 0.055));
  for (let index = 0; index < width * height; index += 1) {
    const y =
      0.2126 * linear(rgb.data[index * 3]!) +
      0.7152 * linear(rgb.data[index * 3 + 1]!) +
      0.0722 * linear(rgb.data[index * 3 + 2]!);
    if (grey.data[index] !== encode(Math.round(y * 4096) / 4096)) assert.fail(`pixel ${index} differs`);
  }
});
