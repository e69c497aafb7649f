import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import { DEFAULT_BRAND_KIT } from '../domain/brand.ts';
import { layoutSchema } from '../domain/layout.ts';
import { fontFamilyStack, missingGlyphs } from './fonts.ts';
import { renderLayoutWithReport } from './layout-renderer.ts';

// Honest text: floors per role, explicit line breaks, a palette colour instead of a scrim on plain
// colour, real emoji glyphs, and a failing check for what cannot be drawn.

function render(layers: unknown[], params: Record<string, string>, size = 1024) {
  return renderLayoutWithReport({
    layout: layoutSchema.parse({ version: 1, referenceWidth: 1024, layers }),
    brand: DEFAULT_BRAND_KIT,
    params,
    images: {},
    width: size,
    height: size,
    seed: 5,
  });
}

const WHITE = { type: 'background', style: 'solid', colors: ['#ffffff'] };
const check = (quality: { checks: { name: string; passed: boolean; detail: string }[] }, name: string) =>
  quality.checks.find((entry) => entry.name === name)!;

test('a 96-character subtitle that cannot fit is drawn at its floor, cut, and fails text_floor and text_fits', async () => {
  const subtitle =
    'Breathable pre-washed organic linen shirt, relaxed fit, mother-of-pearl buttons, made in Portugal'.slice(
      0,
      96,
    );
  assert.equal(subtitle.length, 96);
  const { texts, report } = await render(
    [
      WHITE,
      {
        type: 'text',
        param: 'subtitle',
        font: 'body',
        role: 'subtitle',
        box: { x: 0.1, y: 0.8, w: 0.5, h: 0.06 },
        maxSize: 30,
        minSize: 10,
        maxLines: 2,
      },
    ],
    { subtitle },
  );
  const floor = 0.024 * 1024;
  assert.ok(texts[0]!.fontSize >= floor - 0.01, `drawn at ${texts[0]!.fontSize}px, below the floor ${floor}`);
  assert.equal(texts[0]!.overflow, true);
  assert.ok(texts[0]!.lines.at(-1)!.endsWith('…'));
  const floorCheck = check(report.quality, 'text_floor');
  assert.equal(floorCheck.passed, false);
  assert.match(floorCheck.detail, /^subtitle: 96 characters need \d+ px, floor 25 px$/);
  const needed = Number(/need (\d+) px/.exec(floorCheck.detail)![1]);
  assert.ok(needed > 4 && needed < 25, floorCheck.detail);
  assert.equal(check(report.quality, 'text_fits').passed, false);
  assert.ok(report.quality.score < 1);
});

test('text that fits at or above its floor passes text_floor; the floor overrides a smaller minSize', async () => {
  const { texts, report } = await render(
    [
      WHITE,
      {
        type: 'text',
        param: 'title',
        box: { x: 0.05, y: 0.05, w: 0.9, h: 0.3 },
        maxSize: 120,
        minSize: 8,
        maxLines: 3,
      },
    ],
    { title: 'A headline long enough to need several lines on this square canvas' },
  );
  assert.ok(texts[0]!.fontSize >= 0.045 * 1024 - 0.01);
  assert.equal(texts[0]!.overflow, false);
  assert.equal(check(report.quality, 'text_floor').passed, true);
  assert.match(check(report.quality, 'text_floor').detail, /^every text at or above its floor/);
});

test('explicit newlines are line breaks', async () => {
  const { texts, report } = await render(
    [
      WHITE,
      { type: 'text', param: 'title', box: { x: 0.05, y: 0.05, w: 0.9, h: 0.4 }, maxSize: 90, minSize: 40 },
    ],
    { title: 'Dark roast,\ntwo lines' },
  );
  assert.deepEqual(texts[0]!.lines, ['Dark roast,', 'two lines']);
  assert.equal(texts[0]!.overflow, false);
  assert.ok(report.checks.ok, report.checks.problems.join('; '));
});

test('more explicit lines than a box can ever hold run on rather than being cut', async () => {
  const { texts, report } = await render(
    [
      WHITE,
      {
        type: 'text',
        param: 'subtitle',
        font: 'body',
        box: { x: 0.05, y: 0.05, w: 0.9, h: 0.06 },
        maxSize: 36,
        minSize: 20,
        maxLines: 1,
      },
    ],
    { subtitle: 'Dark roast,\ntwo lines' },
  );
  assert.deepEqual(texts[0]!.lines, ['Dark roast, two lines']);
  assert.equal(texts[0]!.overflow, false);
  assert.ok(report.checks.ok, report.checks.problems.join('; '));
});

test('on plain colour a text that would not read takes a palette colour, never a scrim', async () => {
  const { texts, canvas } = await render(
    [
      { type: 'background', style: 'solid', colors: ['#ffffff'] },
      {
        type: 'text',
        param: 'title',
        color: '#fff4d6',
        box: { x: 0.1, y: 0.4, w: 0.8, h: 0.2 },
        maxSize: 80,
        minSize: 40,
      },
    ],
    { title: 'Summer Sale' },
  );
  assert.equal(texts[0]!.scrim, false);
  assert.equal(texts[0]!.halo, false);
  assert.ok(texts[0]!.contrast >= 4.5);
  assert.equal(texts[0]!.color, 'rgba(27, 27, 27, 1)', 'the palette text role');
  // Nothing but white around the text: no panel behind it.
  const [r, g, b] = canvas.getContext('2d').getImageData(1024 * 0.1 + 2, 1024 * 0.4 + 2, 1, 1).data;
  assert.deepEqual([r, g, b], [255, 255, 255]);
});

test('🔥 draws a real glyph from Noto Emoji, not a tofu box', () => {
  const draw = (text: string) => {
    const canvas = createCanvas(160, 160);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 160, 160);
    ctx.fillStyle = '#000';
    ctx.font = `120px ${fontFamilyStack('Montserrat')}`;
    ctx.fillText(text, 10, 130);
    return ctx.getImageData(0, 0, 160, 160).data;
  };
  const ink = (data: Uint8ClampedArray) =>
    data.filter((value, index) => index % 4 === 0 && value < 128).length;
  const fire = draw('🔥');
  const tofu = draw('\u{10FFFD}'); // a private-use code point no font has: the tofu box
  assert.ok(ink(fire) > 500, 'the flame has ink');
  let differing = 0;
  for (let index = 0; index < fire.length; index += 4) if (fire[index] !== tofu[index]) differing += 1;
  assert.ok(differing > 500, 'the flame is not the tofu box');
  assert.deepEqual(missingGlyphs('🔥 爆款 ✨ Hot', 'Montserrat'), []);
});

test('a character no bundled font covers fails emoji_glyphs, naming it, and is left out', async () => {
  const { texts, report } = await render(
    [
      WHITE,
      { type: 'text', param: 'title', box: { x: 0.05, y: 0.05, w: 0.9, h: 0.3 }, maxSize: 90, minSize: 40 },
    ],
    { title: 'Hot 🔥 deal 𐀀' },
  );
  const glyphs = check(report.quality, 'emoji_glyphs');
  assert.equal(glyphs.passed, false);
  assert.match(glyphs.detail, /title: U\+10000 𐀀 has no glyph/);
  assert.ok(!glyphs.detail.includes('1F525'), '🔥 has a glyph');
  assert.ok(!texts[0]!.lines.join('').includes('𐀀'));
  const fine = await render(
    [
      WHITE,
      { type: 'text', param: 'title', box: { x: 0.05, y: 0.05, w: 0.9, h: 0.3 }, maxSize: 90, minSize: 40 },
    ],
    { title: 'Hot 🔥 deal' },
  );
  assert.equal(check(fine.report.quality, 'emoji_glyphs').passed, true);
});
