import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import {
  bottlePng,
  FLOOR_PAIR,
  FOUR_COMPOSITIONS,
  plantedTemplate,
  TEST_BRAND,
} from '../../../test/support/planted-layouts.ts';
import type { Layout } from '../../domain/layout.ts';
import { imageQuality, qualityWarnings } from '../../services/generation/image-quality.ts';
import type { ImageCall } from '../spec.ts';
import { createStudioProvider } from './studio-provider.ts';

const NO_SIGNAL = new AbortController().signal;

function call(layout: Layout, seeds: number[], images: Record<string, Uint8Array> = {}): ImageCall {
  return {
    prompt: '',
    negativePrompt: '',
    model: 'studio-layout-v1',
    width: 1080,
    height: 1080,
    format: 'png',
    seeds,
    layout: {
      template: plantedTemplate('planted', layout),
      brand: TEST_BRAND,
      params: { title: 'Linen shirt', subtitle: 'Breathable and light' },
      images,
    },
  };
}

async function pixels(bytes: Uint8Array): Promise<Uint8ClampedArray> {
  const image = await loadImage(bytes);
  const canvas = createCanvas(image.width, image.height);
  canvas.getContext('2d').drawImage(image, 0, 0);
  return canvas.getContext('2d').getImageData(0, 0, image.width, image.height).data;
}

/** Share of pixels whose color differs by more than a faint shade (sum of channels > 24). */
function differingShare(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  let differing = 0;
  for (let index = 0; index < a.length; index += 4) {
    const delta =
      Math.abs(a[index]! - b[index]!) +
      Math.abs(a[index + 1]! - b[index + 1]!) +
      Math.abs(a[index + 2]! - b[index + 2]!);
    if (delta > 24) differing += 1;
  }
  return differing / (a.length / 4);
}

test('n: 4 variants are different designs: every pair differs in at least 15% of its pixels', async () => {
  const provider = createStudioProvider();
  const result = await provider.generate(
    call(FOUR_COMPOSITIONS, [1, 2, 3, 4], { product_image: bottlePng() }),
    NO_SIGNAL,
  );
  const images = await Promise.all(result.images.map((image) => pixels(image.bytes)));
  for (let a = 0; a < images.length; a += 1) {
    for (let b = a + 1; b < images.length; b += 1) {
      const share = differingShare(images[a]!, images[b]!);
      assert.ok(
        share >= 0.15,
        `images ${a + 1} and ${b + 1} differ in only ${(share * 100).toFixed(1)}% of pixels`,
      );
    }
  }
  const design = result.warnings.find((warning) => warning.type === 'note' && warning.topic === 'design');
  assert.ok(design && design.type === 'note');
  assert.equal(design.data?.candidates, 8, 'four compositions in the pack’s two arrangements');
  assert.equal(
    new Set(((design.data?.designs ?? []) as Array<{ composition: string }>).map((d) => d.composition)).size,
    4,
  );
});

test('the quality of each image: score, the scorer’s parts, and the render’s checks with text_floor', async () => {
  const provider = createStudioProvider();
  const [image] = (
    await provider.generate(call(FOUR_COMPOSITIONS, [1], { product_image: bottlePng() }), NO_SIGNAL)
  ).images;
  const quality = image!.quality!;
  for (const part of [
    'readability',
    'occlusion',
    'overlap',
    'contrast',
    'alignment',
    'utilization',
    'prominence',
  ])
    assert.equal(typeof quality.parts[part], 'number', part);
  const names = quality.checks.map((check) => check.name);
  for (const name of ['text_fits', 'contrast', 'text_floor'])
    assert.ok(names.includes(name), `${name} in ${names}`);
  assert.ok(quality.score > 0.8, `a clean design scores high: ${quality.score}`);
});

test('with the scorer the floor is kept; with it off the headline below the floor fails text_floor and warns', async () => {
  const scored = (await createStudioProvider().generate(call(FLOOR_PAIR, [1]), NO_SIGNAL)).images[0]!
    .quality!;
  assert.equal(scored.checks.find((check) => check.name === 'text_floor')?.passed, true);

  const inOrder = (await createStudioProvider({ scorer: false }).generate(call(FLOOR_PAIR, [1]), NO_SIGNAL))
    .images[0]!.quality!;
  const floor = inOrder.checks.find((check) => check.name === 'text_floor');
  assert.equal(floor?.passed, false);
  assert.match(floor!.detail, /title\b.*floor 49 px/);
  assert.ok(inOrder.score < scored.score, `${inOrder.score} < ${scored.score}`);

  // As the job runner stores it: with min_quality the image fails that check too, and each failed
  // check is a job warning naming the image.
  const stored = imageQuality(inOrder, { ok: true, problems: [] }, 0.7);
  const minimum = stored.checks.find((check) => check.name === 'min_quality');
  assert.equal(minimum?.passed, false);
  assert.match(minimum!.detail, /score 0\.\d+, the request's minimum 0\.70/);
  const warnings = qualityWarnings(stored, 0);
  const codes = warnings.map((warning) => warning.code);
  for (const code of ['min_quality', 'text_below_floor'])
    assert.ok(codes.includes(code), `${code} in ${codes}`);
  assert.match(warnings.find((w) => w.code === 'text_below_floor')!.message, /^image 1: title\b/);
  assert.equal(imageQuality(scored, { ok: true, problems: [] }, 0.7).checks.at(-1)?.passed, true);
});
