import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { Brand } from '../../domain/brand.ts';
import { DEFAULT_BRAND_KIT } from '../../domain/brand.ts';
import { BUILTIN_TEMPLATES, type BuiltinTemplate } from '../../domain/builtin-templates.ts';
import { AppError } from '../../domain/errors.ts';
import type { ImageFormat, Template } from '../../domain/template.ts';
import type { ImageCall, ProviderWarning } from '../spec.ts';
import { createStudioProvider } from './studio-provider.ts';

const provider = createStudioProvider();
const NO_SIGNAL = new AbortController().signal;
const BRAND: Brand = {
  ...DEFAULT_BRAND_KIT,
  slug: 'default',
  version: 1,
  builtin: true,
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-01T00:00:00.000Z',
};

function template(name: string): Template {
  const found = BUILTIN_TEMPLATES.find((candidate) => candidate.name === name);
  assert.ok(found, `built-in template ${name}`);
  return asTemplate(found);
}

function asTemplate(builtin: BuiltinTemplate): Template {
  return {
    ...builtin,
    version: 1,
    builtin: true,
    created_at: BRAND.created_at,
    updated_at: BRAND.updated_at,
  };
}

/** A synthetic product photo: a dark-red rounded bottle on a transparent background. */
function productPng(): Uint8Array {
  const canvas = createCanvas(300, 400);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#8a1c2b';
  ctx.beginPath();
  ctx.roundRect(60, 80, 180, 300, 30);
  ctx.fill();
  ctx.fillStyle = '#222222';
  ctx.fillRect(115, 20, 70, 70);
  return canvas.encodeSync('png');
}

function call(
  overrides: Partial<ImageCall> & { template?: Template; params?: Record<string, string> } = {},
): ImageCall {
  const { template: chosen = template('product_hero'), params, ...rest } = overrides;
  return {
    prompt: 'ignored by the studio',
    negativePrompt: '',
    model: 'studio-layout-v1',
    width: chosen.width,
    height: chosen.height,
    format: 'png',
    seeds: [1],
    layout: {
      template: chosen,
      brand: BRAND,
      params: params ?? {
        title: 'Linen shirt',
        subtitle: 'Breathable and light',
        price: '$49',
        badge: 'NEW',
      },
      images: {},
    },
    ...rest,
  };
}

async function decode(bytes: Uint8Array) {
  const image = await loadImage(bytes);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return {
    width: image.width,
    height: image.height,
    pixels: ctx.getImageData(0, 0, image.width, image.height).data,
  };
}

function distinctColors(pixels: Uint8ClampedArray): number {
  const colors = new Set<number>();
  for (let index = 0; index < pixels.length; index += 4 * 97) {
    colors.add((pixels[index]! << 16) | (pixels[index + 1]! << 8) | pixels[index + 2]!);
  }
  return colors.size;
}

test('describes itself as the studio provider', () => {
  assert.equal(provider.id, 'studio');
  assert.equal(provider.kind, 'studio');
  assert.equal(provider.defaultModel, 'studio-layout-v1');
  assert.deepEqual(provider.models, ['studio-layout-v1']);
  assert.deepEqual(provider.capabilities, {
    maxImagesPerCall: 4,
    seeds: true,
    negativePrompt: false,
    layouts: true,
    imageInput: true,
    formats: ['png', 'jpeg', 'webp'],
    maxSide: 4096,
  });
});

test('a call without a template is an invalid request', async () => {
  await assert.rejects(provider.generate(call({ layout: null }), NO_SIGNAL), (error: unknown) => {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'invalid_request');
    assert.equal(error.message, 'The studio provider renders templates; give a template');
    return true;
  });
});

test('more seeds than maxImagesPerCall, or an unknown model, are invalid requests', async () => {
  for (const bad of [call({ seeds: [1, 2, 3, 4, 5] }), call({ model: 'dall-e-3' }), call({ width: 5000 })]) {
    await assert.rejects(provider.generate(bad, NO_SIGNAL), { code: 'invalid_request' });
  }
});

for (const builtin of BUILTIN_TEMPLATES) {
  test(`${builtin.name} renders at its own size and at another size, never uniform`, async () => {
    const sizes = [
      [builtin.width, builtin.height],
      [800, 600],
    ] as const;
    for (const [width, height] of sizes) {
      const request = call({
        template: asTemplate(builtin),
        width,
        height,
        params: { title: '夏季清仓促销', price: '¥199' },
      });
      // Marketplace templates on white are the product alone: without one they are rightly blank.
      request.layout = { ...request.layout!, images: { product_image: productPng() } };
      const result = await provider.generate(request, NO_SIGNAL);
      const [image] = result.images;
      assert.ok(image);
      const decoded = await decode(image.bytes);
      assert.equal(decoded.width, width);
      assert.equal(decoded.height, height);
      assert.ok(distinctColors(decoded.pixels) > 20, `${builtin.name} at ${width}×${height} looks uniform`);
    }
  });
}

for (const name of ['product_hero', 'text_card']) {
  test(`${name}: the same request gives identical bytes; the images of one request are different designs`, async () => {
    const request = () => provider.generate(call({ template: template(name), seeds: [7, 8] }), NO_SIGNAL);
    const [result, again] = [await request(), await request()];
    const [first, other] = result.images;
    assert.ok(first && other);
    // Compared as booleans: a failing deepEqual on two large buffers spends minutes on its diff.
    assert.ok(Buffer.from(first.bytes).equals(Buffer.from(again.images[0]!.bytes)), 'deterministic');
    assert.ok(!Buffer.from(first.bytes).equals(Buffer.from(other.bytes)), 'two designs');
    assert.deepEqual(
      result.images.map((image) => image.seed),
      [7, 8],
    );
    // "Different designs": a noticeable share of pixels differ clearly, not a rounding here and there.
    const [a, b] = [await decode(first.bytes), await decode(other.bytes)];
    let changed = 0;
    for (let index = 0; index < a.pixels.length; index += 4) {
      const difference =
        Math.abs(a.pixels[index]! - b.pixels[index]!) + Math.abs(a.pixels[index + 2]! - b.pixels[index + 2]!);
      if (difference > 6) changed += 1;
    }
    assert.ok(changed > (a.width * a.height) / 20, `only ${changed} pixels differ`);
  });
}

test('a product photo is drawn into the image box', async () => {
  const hero = template('product_hero');
  const params = { title: 'Linen shirt' };
  const without = await provider.generate(call({ params }), NO_SIGNAL);
  const withPhoto = await provider.generate(
    call({
      params,
      layout: { template: hero, brand: BRAND, params, images: { product_image: productPng() } },
    }),
    NO_SIGNAL,
  );
  const [a, b] = [await decode(without.images[0]!.bytes), await decode(withPhoto.images[0]!.bytes)];
  // The composition is the scorer's choice, so look for the bottle's dark red anywhere: a large
  // share of the canvas with the photo, none without it (no placeholder is drawn either).
  const bottleShare = (pixels: Uint8ClampedArray) => {
    let count = 0;
    for (let index = 0; index < pixels.length; index += 4) {
      if (pixels[index]! > 100 && pixels[index + 1]! < 60 && pixels[index + 2]! < 70) count += 1;
    }
    return count / (pixels.length / 4);
  };
  assert.ok(bottleShare(b.pixels) > 0.05, `bottle covers ${bottleShare(b.pixels)} of the canvas`);
  assert.ok(bottleShare(a.pixels) < 0.01, `without a photo ${bottleShare(a.pixels)} is bottle-red`);
});

const MAGIC: Record<ImageFormat, number[]> = {
  png: [0x89, 0x50, 0x4e, 0x47],
  jpeg: [0xff, 0xd8, 0xff],
  webp: [0x52, 0x49, 0x46, 0x46],
};

test('encodes png, jpeg and webp with the right magic bytes', async () => {
  for (const format of ['png', 'jpeg', 'webp'] as const) {
    const result = await provider.generate(call({ format }), NO_SIGNAL);
    const [image] = result.images;
    assert.ok(image);
    assert.equal(image.format, format);
    assert.deepEqual([...image.bytes.subarray(0, MAGIC[format].length)], MAGIC[format]);
    if (format === 'webp') assert.equal(Buffer.from(image.bytes.subarray(8, 12)).toString('ascii'), 'WEBP');
    const decoded = await decode(image.bytes);
    assert.deepEqual([decoded.width, decoded.height], [1024, 1024]);
  }
});

test('reports progress after each image', async () => {
  const progress: number[] = [];
  const result = await provider.generate(
    call({ seeds: [1, 2, 3, 4], width: 256, height: 256, onProgress: (fraction) => progress.push(fraction) }),
    NO_SIGNAL,
  );
  assert.equal(result.images.length, 4);
  assert.deepEqual(progress, [0.25, 0.5, 0.75, 1]);
  assert.equal(result.model, 'studio-layout-v1');
});

test('stops with a non-retryable canceled error when the signal aborts', async () => {
  const isCanceled = (error: unknown) =>
    error instanceof AppError && error.code === 'canceled' && !error.retryable;
  const aborted = new AbortController();
  aborted.abort();
  await assert.rejects(provider.generate(call(), aborted.signal), isCanceled);

  const midway = new AbortController();
  let rendered = 0;
  const onProgress = () => {
    rendered += 1;
    midway.abort();
  };
  await assert.rejects(provider.generate(call({ seeds: [1, 2, 3], onProgress }), midway.signal), isCanceled);
  assert.equal(rendered, 1, 'stopped after the first image');
});

test('warns that a negative prompt is unsupported, only when one is given', async () => {
  // Notes (layout checks and the like) are records, not warnings about the request.
  const faults = (result: { warnings: ProviderWarning[] }) =>
    result.warnings.filter((warning) => warning.type !== 'note');
  const withNegative = await provider.generate(call({ negativePrompt: 'blurry' }), NO_SIGNAL);
  assert.deepEqual(
    faults(withNegative).map((warning) => warning.type === 'unsupported' && warning.feature),
    ['negative_prompt'],
  );
  const without = await provider.generate(call(), NO_SIGNAL);
  assert.deepEqual(faults(without), []);
  const quality = without.images[0]?.quality;
  assert.ok(quality, 'every image carries its quality');
  assert.ok(quality.checks.some((check) => check.name === 'text_fits'));
  assert.ok(quality.score > 0 && quality.score <= 1);
});

test('bytes that are not an image are image_invalid', async () => {
  const hero = template('product_hero');
  const params = { title: 'Linen shirt' };
  const broken = call({
    params,
    layout: { template: hero, brand: BRAND, params, images: { product_image: new Uint8Array([1, 2, 3, 4]) } },
  });
  await assert.rejects(provider.generate(broken, NO_SIGNAL), { code: 'image_invalid' });
});

test('is healthy once its fonts are registered', async () => {
  const health = await provider.checkHealth(NO_SIGNAL);
  assert.equal(health.ok, true);
  assert.match(health.message ?? '', /Noto Sans SC: \d+ font files/);
  assert.ok(!Number.isNaN(Date.parse(health.checkedAt)));
});

test('a generated background with no image model is recorded as the procedural path', async () => {
  const story = template('story');
  const result = await provider.generate(
    call({ template: story, width: 270, height: 480, params: { title: 'Night market' } }),
    NO_SIGNAL,
  );
  const note = result.warnings.find(
    (warning): warning is Extract<ProviderWarning, { type: 'note' }> =>
      warning.type === 'note' && warning.topic === 'background',
  );
  assert.deepEqual(note?.data, { source: 'procedural', background_path: 'procedural' });
});

test('a background painted around the product pins every image to the design it was painted for', async () => {
  const story = template('story');
  const background = new Uint8Array(createCanvas(270, 480).encodeSync('png'));
  const base = call({
    template: story,
    width: 270,
    height: 480,
    seeds: [1, 2],
    params: { title: 'Night market' },
  });
  const layout = { ...base.layout!, images: { product_image: productPng() }, background };
  const free = await provider.generate({ ...base, layout }, NO_SIGNAL);
  const designsOf = (warnings: ProviderWarning[]) =>
    (
      warnings.find((warning) => warning.type === 'note' && warning.topic === 'design') as unknown as {
        data: { designs: { composition: string }[] };
      }
    ).data.designs.map((design) => design.composition);
  assert.equal(new Set(designsOf(free.warnings)).size, 2, 'unpinned, the two images are different designs');
  const pinned = await provider.generate(
    { ...base, layout: { ...layout, backgroundAround: { composition: 'text-below', arrangement: 0 } } },
    NO_SIGNAL,
  );
  assert.deepEqual(designsOf(pinned.warnings), ['text-below', 'text-below']);
  const note = pinned.warnings.find(
    (warning) => warning.type === 'note' && warning.topic === 'background',
  ) as {
    data: Record<string, unknown>;
  };
  assert.equal(note.data.background_path, 'masked_edit');
});
