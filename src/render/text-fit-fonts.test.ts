import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SECOND_BRAND } from '../../test/support/sample-brands.ts';
import { DEFAULT_BRAND_KIT } from '../domain/brand.ts';
import { layoutSchema } from '../domain/layout.ts';
import { layoutTextFits, renderLayoutWithReport } from './layout-renderer.ts';

// Text fitting with the real fonts (Noto Sans SC, Oswald) rather than the fake measure of
// text-fit.test.ts: what the renderer will actually draw.

const layout = layoutSchema.parse({
  version: 1,
  referenceWidth: 1080,
  layers: [
    {
      type: 'text',
      param: 'title',
      box: { x: 0.1, y: 0.1, w: 0.5, h: 0.4 },
      maxSize: 120,
      minSize: 28,
      maxLines: 4,
      // Body text (floor 2% of the canvas, below minSize): these tests are about wrapping.
      role: 'body',
    },
  ],
});

function fitTitle(title: string, brand = DEFAULT_BRAND_KIT) {
  const [fit] = layoutTextFits({ layout, brand, params: { title }, width: 1080, height: 1080 });
  assert.ok(fit);
  return fit;
}

const BOX_WIDTH = 540;

for (const brand of [DEFAULT_BRAND_KIT, SECOND_BRAND]) {
  test(`${brand.fonts.heading}: a long English word shrinks to fit, unbroken and without hyphens`, () => {
    const fit = fitTitle('Donaudampfschifffahrtsgesellschaft', brand);
    assert.equal(fit.overflow, false);
    assert.deepEqual(fit.lines, ['Donaudampfschifffahrtsgesellschaft']);
    assert.ok(fit.lineWidths[0]! <= BOX_WIDTH + 1);
  });

  test(`${brand.fonts.heading}: English wraps between words only`, () => {
    const title = 'Breathable organic linen shirts for hot summer days';
    const fit = fitTitle(title, brand);
    assert.equal(fit.overflow, false);
    assert.equal(fit.lines.join(' '), title);
    for (const line of fit.lines) assert.ok(!line.endsWith('-'));
    for (const width of fit.lineWidths) assert.ok(width <= BOX_WIDTH + 1);
  });
}

test('a long Chinese run wraps between words, obeying kinsoku', () => {
  const title = '夏季清仓大促销全场满两百减五十元（限时三天），会员再享「九折」优惠！';
  const fit = fitTitle(title);
  assert.equal(fit.overflow, false);
  assert.equal(fit.lines.join(''), title);
  for (const line of fit.lines.slice(1)) assert.ok(!/^[。，、！？）」』]/.test(line), line);
  for (const line of fit.lines) assert.ok(!/[（「『]$/.test(line), line);
  for (const width of fit.lineWidths) assert.ok(width <= BOX_WIDTH + 1);
});

test('mixed scripts keep ¥199 and 20% whole', () => {
  const fit = fitTitle('新款亚麻衬衫 Linen Shirt 仅¥199 再享20% OFF');
  assert.equal(fit.overflow, false);
  const joined = fit.lines.join('\n');
  assert.ok(joined.includes('¥199') && joined.includes('20%'), JSON.stringify(fit.lines));
});

test('emoji in a title render without crashing and stay in the box', async () => {
  const { texts, report } = await renderLayoutWithReport({
    layout,
    brand: DEFAULT_BRAND_KIT,
    params: { title: '🔥 爆款 👩‍👩‍👧 Hot deal ✨' },
    images: {},
    width: 1080,
    height: 1080,
    seed: 1,
  });
  assert.equal(texts.length, 1);
  assert.equal(texts[0]!.inside, true);
  assert.ok(report.checks.problems.every((problem) => !problem.includes('outside')));
});
