import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { SECOND_BRAND } from '../../test/support/sample-brands.ts';
import { type BrandKit, DEFAULT_BRAND_KIT } from '../domain/brand.ts';
import { BUILTIN_TEMPLATES } from '../domain/builtin-templates.ts';
import type { Layout } from '../domain/layout.ts';
import { contrastRatio, parseHex } from './colors.ts';
import { ensureFontsRegistered, FALLBACK_FONT_FAMILY, fontFamilyStack } from './fonts.ts';
import { encodeCanvas, layoutTextFits, renderLayoutWithReport } from './layout-renderer.ts';

function builtinLayout(name: string): Layout {
  const found = BUILTIN_TEMPLATES.find((template) => template.name === name);
  assert.ok(found, `built-in template ${name}`);
  return found.layout;
}

const HERO = builtinLayout('product_hero');

test('fonts register once, and unknown brand fonts fall back to Noto Sans SC', () => {
  const first = ensureFontsRegistered();
  assert.equal(first.files, 24, 'every family and weight the style packs use, and Noto Emoji');
  assert.equal(ensureFontsRegistered(), first, 'registered once');
  assert.equal(fontFamilyStack('No Such Font 123'), `"${FALLBACK_FONT_FAMILY}", "Noto Emoji"`);
  assert.equal(fontFamilyStack(FALLBACK_FONT_FAMILY), `"${FALLBACK_FONT_FAMILY}", "Noto Emoji"`);
  assert.equal(
    fontFamilyStack('Playfair Display'),
    `"Playfair Display", "Noto Serif SC", "${FALLBACK_FONT_FAMILY}", "Noto Emoji"`,
    'a serif display face falls back to a Chinese serif',
  );
});

// Text never shrinks below its role's floor (text-floors.ts): a box too small for it at the floor
// is the template's fault and must be reported, never drawn smaller. Templates are redesigned to
// the floors separately; here each text either fits or carries its shortfall.
test('a Chinese title and a long English title fit product_hero, or say what is below its floor', () => {
  for (const params of [
    { title: '夏季清仓促销', subtitle: '全场满200减50', price: '¥199', badge: '限时' },
    {
      title: 'Handcrafted Italian leather weekender bag with solid brass hardware',
      subtitle: 'Linen shirt — breathable and light',
      price: '$49',
      badge: 'NEW',
    },
  ]) {
    const fits = layoutTextFits({
      layout: HERO,
      brand: DEFAULT_BRAND_KIT,
      params,
      width: 1024,
      height: 1024,
    });
    assert.deepEqual(fits.map((fit) => fit.param).sort(), ['badge', 'price', 'subtitle', 'title']);
    for (const fit of fits) {
      assert.ok(
        fit.fontSize >= fit.floor - 0.01,
        `${fit.param} ${fit.fontSize}px below its floor ${fit.floor}`,
      );
      if (fit.overflow) assert.ok(fit.neededSize !== undefined && fit.neededSize < fit.floor, fit.param);
      assert.ok(fit.lines.length > 0);
      assert.ok(fit.box.x >= 0 && fit.box.x + fit.box.w <= 1024, `${fit.param} leaves the canvas`);
    }
    const title = fits.find((fit) => fit.param === 'title');
    assert.ok(title && title.fontSize >= 40, `title shrank to ${title?.fontSize}px`);
  }
});

test('layers whose param is missing or blank are skipped', () => {
  const fits = layoutTextFits({
    layout: HERO,
    brand: DEFAULT_BRAND_KIT,
    params: { title: 'Only a title', subtitle: '   ' },
    width: 1024,
    height: 1024,
  });
  assert.deepEqual(
    fits.map((fit) => fit.param),
    ['title'],
  );
});

test('font sizes scale with the canvas width', () => {
  const params = { title: 'Linen' };
  const [small] = layoutTextFits({ layout: HERO, brand: DEFAULT_BRAND_KIT, params, width: 512, height: 512 });
  const [large] = layoutTextFits({
    layout: HERO,
    brand: DEFAULT_BRAND_KIT,
    params,
    width: 2048,
    height: 2048,
  });
  assert.ok(small && large);
  assert.equal(large.fontSize, small.fontSize * 4);
});

test('live_cover keeps all text out of the platform overlay zones', () => {
  const params = {
    title: '夏季清仓促销 限时秒杀',
    subtitle: '全场满200减50',
    price: '¥199',
    badge: '直播中',
  };
  const fits = layoutTextFits({
    layout: builtinLayout('live_cover'),
    brand: DEFAULT_BRAND_KIT,
    params,
    width: 1080,
    height: 1920,
  });
  assert.equal(fits.length, 4);
  for (const fit of fits) {
    assert.ok(fit.box.y >= 0.12 * 1920, `${fit.param} starts in the top overlay`);
    assert.ok(fit.box.y + fit.box.h <= 0.85 * 1920, `${fit.param} reaches the bottom overlay`);
  }
});

test('text stays legible when a brand color would not be: the contrast guard', async () => {
  // White title on a pale primary block would be unreadable; the renderer must change it.
  const pale: BrandKit = {
    ...DEFAULT_BRAND_KIT,
    palette: {
      primary: '#f3e9c6',
      secondary: '#fff8e1',
      accent: '#ffe08a',
      background: '#fffdf5',
      text: '#2a2a2a',
    },
  };
  const params = { title: 'Summer Sale', subtitle: 'Light and breathable', price: '$49', badge: 'NEW' };
  for (const name of ['social_post', 'text_card', 'promo_poster']) {
    const { texts } = await renderLayoutWithReport({
      layout: builtinLayout(name),
      brand: pale,
      params,
      images: {},
      width: 540,
      height: 675,
      seed: 3,
    });
    assert.equal(texts.length, 4);
    for (const text of texts) {
      assert.ok(
        text.contrast >= 3,
        `${name}/${text.param} contrast ${text.contrast.toFixed(2)} (${text.color})`,
      );
      assert.notEqual(text.color, 'rgba(255, 255, 255, 1)', `${name}/${text.param} stayed white`);
    }
  }
});

test('badge text contrasts with its fill', async () => {
  const gold: BrandKit = {
    ...DEFAULT_BRAND_KIT,
    palette: { ...DEFAULT_BRAND_KIT.palette, accent: '#f5c542' },
  };
  const { texts } = await renderLayoutWithReport({
    layout: HERO,
    brand: gold,
    params: { title: 'Linen', price: '$49' },
    images: {},
    width: 512,
    height: 512,
    seed: 1,
  });
  const price = texts.find((text) => text.param === 'price');
  assert.ok(price);
  const rgb = price.color.match(/\d+/g)?.map(Number) ?? [];
  const drawn = { r: rgb[0] ?? 0, g: rgb[1] ?? 0, b: rgb[2] ?? 0, a: 1 };
  assert.ok(contrastRatio(drawn, parseHex('#f5c542')) >= 3, `price drawn in ${price.color} on gold`);
});

test('PNG encoding round-trips pixels exactly', async () => {
  const canvas = createCanvas(67, 41);
  const ctx = canvas.getContext('2d');
  const gradient = ctx.createLinearGradient(0, 0, 67, 41);
  gradient.addColorStop(0, '#123456');
  gradient.addColorStop(1, '#fedcba');
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, 67, 41);
  ctx.fillStyle = '#e4572e';
  ctx.fillRect(10, 10, 20, 5);
  const png = await encodeCanvas(canvas, 'png');
  const image = await loadImage(png);
  const decoded = createCanvas(67, 41).getContext('2d');
  decoded.drawImage(image, 0, 0);
  assert.deepEqual(decoded.getImageData(0, 0, 67, 41).data, ctx.getImageData(0, 0, 67, 41).data);
});

test('every built-in template renders in two brands and both languages: texts inside or reported, contrast ≥ 4.5', async () => {
  const languages = [
    { title: '夏季清仓促销', subtitle: '全场满200减50', price: '¥199', badge: '限时' },
    {
      title: 'Summer Sale 20% OFF',
      subtitle: 'Linen shirt — breathable and light',
      price: '$49',
      badge: 'NEW',
    },
  ];
  for (const template of BUILTIN_TEMPLATES) {
    for (const brand of [DEFAULT_BRAND_KIT, SECOND_BRAND]) {
      for (const params of languages) {
        const where = `${template.name} in ${brand.name}`;
        const { canvas, texts, report } = await renderLayoutWithReport({
          layout: template.layout,
          brand,
          params,
          images: {},
          width: template.width,
          height: template.height,
          seed: 11,
        });
        const shown = template.layout.layers.filter(
          (layer) => (layer.type === 'text' || layer.type === 'badge') && layer.param in params,
        );
        assert.equal(texts.length, shown.length, where);
        const floorCheck = report.quality.checks.find((check) => check.name === 'text_floor');
        for (const text of texts) {
          assert.ok(text.fontSize >= text.floor - 0.01, `${where}/${text.param} below its floor`);
          if (text.overflow) {
            assert.equal(floorCheck?.passed, false, `${where}/${text.param} cut but text_floor passed`);
            assert.match(floorCheck?.detail ?? '', new RegExp(`${text.param}: \\d+ characters need`));
          } else {
            assert.equal(text.inside, true, `${where}/${text.param} inside its box`);
          }
          assert.ok(text.contrast >= 4.5, `${where}/${text.param} contrast ${text.contrast.toFixed(2)}`);
        }
        assert.equal(report.checks.scrims, 0, `${where}: no scrim on plain colour`);
        const png = await encodeCanvas(canvas, 'png');
        assert.ok(png.length > 1000);
      }
    }
  }
});
