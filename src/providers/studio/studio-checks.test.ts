import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import { type Brand, DEFAULT_BRAND_KIT } from '../../domain/brand.ts';
import { BUILTIN_TEMPLATES } from '../../domain/builtin-templates.ts';
import { evaluateProfile, MARKETPLACE_PROFILES } from '../../domain/marketplace-profiles.ts';
import type { Template } from '../../domain/template.ts';
import { measureImage } from '../../imaging/marketplace-measure.ts';
import type { ImageCall } from '../spec.ts';
import { createStudioProvider } from './studio-provider.ts';

// The marketplace profiles as checks: the templates tied to a profile pass it with a real product
// photo, and planted violations fail the rule they break.

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
const PHOTO = new Uint8Array(
  readFileSync(new URL('../../../test/photos/set/bottle_cream_label.jpg', import.meta.url)),
);

function templateCall(name: string, photo: Uint8Array): ImageCall {
  const found = BUILTIN_TEMPLATES.find((candidate) => candidate.name === name);
  assert.ok(found, name);
  const template: Template = { ...found, version: 1, builtin: true, created_at: '', updated_at: '' };
  return {
    prompt: '',
    negativePrompt: '',
    model: 'studio-layout-v1',
    width: template.width,
    height: template.height,
    format: 'png',
    seeds: [3],
    layout: {
      template,
      brand: BRAND,
      params: { title: 'Olive oil', subtitle: 'Extra virgin', price: '¥89', badge: 'NEW' },
      images: { product_image: photo },
    },
  };
}

for (const [name, profile] of [
  ['product_white_amazon', 'amazon_main'],
  ['product_white_taobao', 'taobao_main'],
  ['product_white', 'white_background'],
] as const) {
  test(`${name} passes ${profile}, and says so`, async () => {
    const result = await provider.generate(templateCall(name, PHOTO), NO_SIGNAL);
    const checks = result.images[0]!.quality?.checks ?? [];
    const ofProfile = checks.filter((check) => check.name.startsWith(`${profile}.`));
    assert.ok(ofProfile.length >= 3, JSON.stringify(checks));
    for (const check of ofProfile) assert.ok(check.passed, `${check.name}: ${check.detail}`);
    assert.ok(checks.find((check) => check.name === 'product_cutout')?.passed);
  });
}

test('a photo that cannot be cut out fails product_cutout and amazon_main, loudly', async () => {
  const busy = createCanvas(600, 800);
  const ctx = busy.getContext('2d');
  for (let y = 0; y < 800; y += 30) {
    for (let x = 0; x < 600; x += 30) {
      ctx.fillStyle = (x + y) % 60 === 0 ? '#1b6ca8' : '#f2c14e';
      ctx.fillRect(x, y, 30, 30);
    }
  }
  ctx.fillStyle = '#8a1c2b';
  ctx.fillRect(200, 200, 200, 400);
  const result = await provider.generate(
    templateCall('product_white_amazon', busy.encodeSync('png')),
    NO_SIGNAL,
  );
  const checks = result.images[0]!.quality?.checks ?? [];
  assert.equal(checks.find((check) => check.name === 'product_cutout')?.passed, false);
  assert.ok(checks.some((check) => check.name.startsWith('amazon_main.') && !check.passed));
  const cutoutNote = result.warnings.find((warning) => warning.type === 'note' && warning.topic === 'cutout');
  assert.ok(cutoutNote && cutoutNote.type === 'note' && cutoutNote.attention);
  assert.match(cutoutNote.message, /low confidence.*framed/);
  assert.equal(cutoutNote.data?.code, 'cutout_low_confidence');
});

/** A white canvas with drawings on it, as PNG. */
function onWhite(
  width: number,
  height: number,
  draw: (ctx: ReturnType<ReturnType<typeof createCanvas>['getContext']>) => void,
) {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  draw(ctx);
  return canvas.encodeSync('png');
}

const bigProduct = (ctx: ReturnType<ReturnType<typeof createCanvas>['getContext']>, side: number) => {
  ctx.fillStyle = '#2d6cdf';
  ctx.fillRect(side * 0.2, side * 0.06, side * 0.6, side * 0.88);
};

async function failed(bytes: Uint8Array, profile: keyof typeof MARKETPLACE_PROFILES) {
  const checks = evaluateProfile(MARKETPLACE_PROFILES[profile], await measureImage(bytes));
  return checks.filter((check) => !check.passed).map((check) => check.name);
}

test('planted violations fail the rule they break, and only that one', async () => {
  assert.deepEqual(
    await failed(
      onWhite(1200, 1200, (ctx) => bigProduct(ctx, 1200)),
      'amazon_main',
    ),
    [],
  );
  // A blue-grey blob in the corner (what the old templates left): border and single object fail.
  const blob = onWhite(1200, 1200, (ctx) => {
    bigProduct(ctx, 1200);
    ctx.fillStyle = '#b8c4d6';
    ctx.beginPath();
    ctx.arc(0, 0, 90, 0, Math.PI * 2);
    ctx.fill();
  });
  assert.deepEqual(await failed(blob, 'amazon_main'), [
    'amazon_main.white_background',
    'amazon_main.single_object',
  ]);
  const small = onWhite(1200, 1200, (ctx) => {
    ctx.fillStyle = '#2d6cdf';
    ctx.fillRect(400, 400, 400, 500);
  });
  assert.deepEqual(await failed(small, 'amazon_main'), ['amazon_main.product_fill']);
  const tiny = onWhite(900, 900, (ctx) => bigProduct(ctx, 900));
  assert.deepEqual(await failed(tiny, 'amazon_main'), ['amazon_main.size']);
  const wide = onWhite(1000, 800, (ctx) => bigProduct(ctx, 800));
  assert.deepEqual(await failed(wide, 'taobao_main'), ['taobao_main.aspect']);
  const offWhite = onWhite(1200, 1200, (ctx) => {
    ctx.fillStyle = '#fafafa';
    ctx.fillRect(0, 0, 1200, 1200);
    bigProduct(ctx, 1200);
  });
  assert.deepEqual(await failed(offWhite, 'amazon_main'), ['amazon_main.white_background']);
});

test('a layout with text fails the no-text rule; a live cover with text in the bands fails safe_bands', () => {
  const measured = {
    width: 1080,
    height: 1920,
    space: 'srgb',
    foreignIcc: false,
    borderWhite: 1,
    borderOffenders: [],
    content: { x: 0.1, y: 0.05, w: 0.8, h: 0.9 },
    objects: [{ area: 0.5, x: 0.5, y: 0.5 }],
  };
  const layout = {
    version: 1 as const,
    referenceWidth: 1080,
    layers: [
      {
        type: 'background' as const,
        style: 'solid' as const,
        colors: ['#ffffff'],
        angle: 90,
        pattern: 'dots' as const,
        horizon: 0.62,
      },
      {
        type: 'text' as const,
        param: 'title',
        box: { x: 0.1, y: 0.02, w: 0.8, h: 0.08 },
        font: 'heading' as const,
        weight: 700 as const,
        color: 'text' as const,
        align: 'left' as const,
        valign: 'top' as const,
        maxSize: 60,
        minSize: 20,
        maxLines: 2,
        lineHeight: 1.2,
      },
    ],
  };
  const amazon = evaluateProfile(MARKETPLACE_PROFILES.amazon_main, measured, layout);
  assert.equal(amazon.find((check) => check.name === 'amazon_main.no_text_or_logo')?.passed, false);
  const live = evaluateProfile(MARKETPLACE_PROFILES.live_cover, measured, layout);
  assert.deepEqual(
    live.filter((check) => !check.passed).map((check) => check.name),
    ['live_cover.safe_bands'],
  );
});
