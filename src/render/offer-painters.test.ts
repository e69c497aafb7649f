import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_BRAND_KIT } from '../domain/brand.ts';
import { type Layer, layoutSchema } from '../domain/layout.ts';
import { renderLayoutWithReport } from './layout-renderer.ts';
import type { RenderedOfferText } from './offer-text.ts';
import { floorPx } from './text-floors.ts';

async function render(layers: unknown[], params: Record<string, string>, width = 1080, height = 1080) {
  const layout = layoutSchema.parse({
    version: 1,
    referenceWidth: 1080,
    layers: [{ type: 'background', style: 'solid', colors: ['#ffffff'] }, ...(layers as Layer[])],
  });
  const rendered = await renderLayoutWithReport({
    layout,
    brand: DEFAULT_BRAND_KIT,
    params,
    images: {},
    width,
    height,
    seed: 1,
  });
  return { ...rendered, texts: rendered.texts as RenderedOfferText[] };
}

const PRICE = {
  type: 'price',
  param: 'price',
  was_param: 'price_was',
  discount_param: 'discount',
  box: { x: 0.05, y: 0.1, w: 0.8, h: 0.25 },
  maxSize: 300,
  minSize: 30,
};

test('a price sets the sign and decimals smaller than the digits, on one baseline', async () => {
  const { texts, report } = await render([PRICE], { price: '¥199.90' });
  assert.equal(report.checks.ok, true, report.checks.problems.join('; '));
  const price = texts.find((text) => text.param === 'price');
  assert.ok(price?.parts, 'the price reports its parts');
  assert.equal(price.role, 'price');
  assert.deepEqual(
    price.parts.map((part) => [part.kind, part.text]),
    [
      ['sign', '¥'],
      ['integer', '199'],
      ['decimals', '.90'],
    ],
  );
  const [sign, integer, decimals] = price.parts as [
    (typeof price.parts)[0],
    (typeof price.parts)[0],
    (typeof price.parts)[0],
  ];
  const height = (part: typeof sign) => part.bottom - part.top;
  assert.ok(sign.fontSize <= integer.fontSize * 0.6, `sign ${sign.fontSize}px, digits ${integer.fontSize}px`);
  assert.ok(height(sign) < height(integer) * 0.7, `sign ${height(sign)}px tall, digits ${height(integer)}px`);
  assert.ok(height(decimals) < height(integer) * 0.7);
  // Digits sit on the baseline: the bottoms of the digits of both sizes agree within 2 px.
  assert.ok(Math.abs(decimals.bottom - integer.bottom) < 2, `${decimals.bottom} vs ${integer.bottom}`);
  // The largest size that fits: the run fills the box's height or width.
  const box = price.box;
  assert.ok(
    price.fontSize * 0.84 > box.h * 0.9 || price.lineWidths[0]! > box.w * 0.9,
    `digits ${price.fontSize}px in a ${box.w}×${box.h} box`,
  );
  assert.deepEqual(price.lines, ['¥199.90']);
});

test('the original price is drawn struck through in the muted color, the discount beside', async () => {
  const { texts, canvas, report } = await render([PRICE], {
    price: '$24.99',
    price_was: '$34.99',
    discount: '-30%',
  });
  assert.equal(report.checks.ok, true, report.checks.problems.join('; '));
  const was = texts.find((text) => text.param === 'price_was');
  const discount = texts.find((text) => text.param === 'discount');
  const price = texts.find((text) => text.param === 'price');
  assert.ok(was && discount && price);
  assert.equal(was.role, 'body');
  assert.equal(discount.role, 'badge');
  assert.ok(was.fontSize < price.fontSize / 2);
  assert.ok(was.fontSize >= floorPx('body', 1080, 1080));
  // The strike: a row through the middle of the old price's digits is ink from end to end.
  const ctx = canvas.getContext('2d');
  const ink = was.color.match(/\d+/g)!.slice(0, 3).map(Number);
  const baseline = was.box.y + was.box.h / 2 + was.fontSize * 0.365;
  const strikeRow = (y: number) => {
    const { data } = ctx.getImageData(Math.round(was.box.x), Math.round(y), Math.round(was.box.w), 1);
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (
        Math.abs(data[i]! - ink[0]!) + Math.abs(data[i + 1]! - ink[1]!) + Math.abs(data[i + 2]! - ink[2]!) <
        40
      )
        inked += 1;
    }
    return inked / (data.length / 4);
  };
  assert.ok(strikeRow(baseline - was.fontSize * 0.36) > 0.95, 'a line runs through the old price');
  assert.ok(strikeRow(baseline + was.fontSize * 0.2) < 0.2, 'below the digits the row is clear');
});

test('a price that cannot fit is drawn at the floor and fails the fit check', async () => {
  const { texts, report } = await render([{ ...PRICE, box: { x: 0.05, y: 0.1, w: 0.05, h: 0.02 } }], {
    price: '¥1999',
  });
  const price = texts.find((text) => text.param === 'price');
  assert.ok(price);
  assert.equal(price.fontSize, floorPx('price', 1080, 1080));
  assert.equal(price.inside, false);
  assert.equal(report.checks.ok, false);
  assert.match(report.checks.problems.join('; '), /price: a line runs outside its box/);
});

test('a coupon shows the amount big with a small sign, and its condition and code small', async () => {
  const coupon = {
    type: 'offer',
    shape: 'coupon',
    param: 'offer',
    detail_param: 'offer_detail',
    box: { x: 0.05, y: 0.3, w: 0.9, h: 0.4 },
    fill: 'primary',
    color: '#ffffff',
    maxSize: 260,
    minSize: 40,
  };
  const { texts, report } = await render(
    [coupon],
    { offer: '¥40', offer_detail: '满300可用 · DOUBLE11' },
    1080,
    540,
  );
  assert.equal(report.checks.ok, true, report.checks.problems.join('; '));
  const [amount, condition, code] = texts;
  assert.ok(amount?.parts && condition && code);
  assert.deepEqual(
    texts.map((text) => text.lines[0]),
    ['¥40', '满300可用', 'DOUBLE11'],
  );
  const sign = amount.parts.find((part) => part.kind === 'sign')!;
  const digits = amount.parts.find((part) => part.kind === 'integer')!;
  assert.ok(sign.fontSize < digits.fontSize * 0.6);
  assert.ok(amount.fontSize > condition.fontSize * 2, `${amount.fontSize} vs ${condition.fontSize}`);
  assert.ok(condition.fontSize > code.fontSize);
});

test('ribbon, seal and service line report their texts with contrast on their fills', async () => {
  const { texts, report } = await render(
    [
      {
        type: 'offer',
        shape: 'ribbon',
        param: 'ribbon',
        detail_param: 'date',
        box: { x: 0.05, y: 0.05, w: 0.6, h: 0.08 },
        maxSize: 80,
        minSize: 20,
      },
      {
        type: 'offer',
        shape: 'seal',
        param: 'discount',
        box: { x: 0.6, y: 0.3, w: 0.3, h: 0.3 },
        maxSize: 140,
        minSize: 20,
      },
      {
        type: 'offer',
        shape: 'service',
        param: 'service',
        box: { x: 0.05, y: 0.85, w: 0.9, h: 0.06 },
        color: 'text',
        maxSize: 44,
        minSize: 16,
      },
    ],
    { ribbon: '限时', date: '11.1–11.11', discount: '5折', service: '包邮 · 7天无理由' },
  );
  assert.equal(report.checks.ok, true, report.checks.problems.join('; '));
  assert.deepEqual(
    texts.map((text) => [text.param, text.lines[0]]),
    [
      ['ribbon', '限时'],
      ['date', '11.1–11.11'],
      ['discount', '5折'],
      ['service', '包邮 · 7天无理由'],
    ],
  );
  for (const text of texts) assert.ok(text.contrast >= 4.5, `${text.param} ${text.contrast}`);
});
