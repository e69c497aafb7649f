import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { measureImage } from './marketplace-measure.ts';

test('measures an embedded non-sRGB profile (Display P3) as foreign, sRGB and none as fine', async () => {
  const white = sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } });
  const p3 = await white.clone().withIccProfile('p3').png().toBuffer();
  const srgb = await white.clone().withIccProfile('srgb').png().toBuffer();
  const bare = await white.clone().png().toBuffer();
  assert.equal((await measureImage(new Uint8Array(p3))).foreignIcc, true);
  assert.equal((await measureImage(new Uint8Array(srgb))).foreignIcc, false);
  assert.equal((await measureImage(new Uint8Array(bare))).foreignIcc, false);
});

test('a blank white image has no content and a fully white border', async () => {
  const bytes = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
  const measured = await measureImage(new Uint8Array(bytes));
  assert.equal(measured.content, null);
  assert.equal(measured.borderWhite, 1);
  assert.deepEqual(measured.objects, []);
});
