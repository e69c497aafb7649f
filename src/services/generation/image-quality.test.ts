import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { prepareImage } from './image-quality.ts';

const job = { width: 32, height: 32, format: 'png' as const };

async function gradientPng(width: number, height: number) {
  const rgb = Buffer.alloc(width * height * 3);
  for (let index = 0; index < rgb.length; index++) rgb[index] = index % 251;
  return new Uint8Array(
    await sharp(rgb, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

test('an image checked where its pixels were, in the job size and format, is not decoded again', async () => {
  const bytes = await gradientPng(32, 32);
  const check = { ok: true, width: 32, height: 32, format: 'png' as const, problems: [] };
  const prepared = await prepareImage(job, { bytes, format: 'png', seed: 1, check }, 64 * 64);
  assert.equal(prepared.bytes, bytes);
  assert.equal(prepared.check, check, "the provider's check stands");
  assert.equal(prepared.resizedFrom, null);
});

test('without a check, or with one of another size, the service decodes and checks the bytes itself', async () => {
  const bytes = await gradientPng(32, 32);
  const plain = await prepareImage(job, { bytes, format: 'png', seed: 1 }, 64 * 64);
  assert.deepEqual(plain.check, { ok: true, width: 32, height: 32, format: 'png', problems: [] });
  const larger = await gradientPng(64, 64);
  const stale = { ok: true, width: 64, height: 64, format: 'png' as const, problems: [] };
  const resized = await prepareImage(job, { bytes: larger, format: 'png', seed: 1, check: stale }, 64 * 64);
  assert.equal(resized.resizedFrom, '64×64');
  assert.deepEqual(resized.check, { ok: true, width: 32, height: 32, format: 'png', problems: [] });
});
