import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_BRAND_KIT } from '../../domain/brand.ts';
import { findBuiltinTemplate } from '../../domain/builtin-templates.ts';
import { layoutSchema } from '../../domain/layout.ts';
import { renderLayoutWithReport } from '../../render/layout-renderer.ts';
import type { RenderedOfferText } from '../../render/offer-text.ts';
import { PosterService } from './poster.service.ts';

// The poster service with the built-in catalog and no database: plan() reads the brief, picks or
// fills the template and returns the generation request a job would render.
const service = new PosterService(
  {
    db: {} as never,
    templates: { find: async (_db: unknown, name: string) => findBuiltinTemplate(name) ?? null } as never,
    limits: {
      maxInputPixels: 50_000_000,
      allowPrivateUrls: false,
      maxAttempts: 3,
      retryBaseMs: 1000,
      retryMaxMs: 60_000,
      qualityRetries: 0,
    },
  },
  {} as never,
);

async function renderPlan(template: string, params: Record<string, string>) {
  const found = findBuiltinTemplate(template);
  assert.ok(found);
  const rendered = await renderLayoutWithReport({
    layout: layoutSchema.parse(found.layout),
    brand: DEFAULT_BRAND_KIT,
    params,
    images: {},
    width: found.width,
    height: found.height,
    seed: 1,
  });
  return { ...rendered, texts: rendered.texts as RenderedOfferText[] };
}

test('the coupon brief fills the big amount (¥40) with its condition and the code', async () => {
  const plan = await service.plan({ brief: '双十一 满300减40 券码 DOUBLE11', template: 'coupon' });
  const params = plan.generation.params as Record<string, string>;
  assert.equal(plan.generation.template, 'coupon');
  assert.equal(params.offer, '¥40');
  assert.equal(params.offer_detail, '满300可用');
  assert.equal(params.code, 'DOUBLE11');
  assert.equal(params.title, '双十一');
  const { texts, report } = await renderPlan('coupon', params);
  assert.equal(report.checks.ok, true, report.checks.problems.join('; '));
  const amount = texts.find((text) => text.param === 'offer');
  assert.ok(amount, 'the amount is drawn');
  assert.deepEqual(amount.lines, ['¥40']);
  assert.equal(amount.role, 'price');
  // The amount is the biggest text on the coupon, its sign smaller than its digits.
  const others = texts.filter((text) => text !== amount);
  assert.ok(
    others.every((text) => text.fontSize < amount.fontSize),
    JSON.stringify(report.checks.texts),
  );
  const sign = amount.parts?.find((part) => part.kind === 'sign');
  const digits = amount.parts?.find((part) => part.kind === 'integer');
  assert.ok(sign && digits && sign.bottom - sign.top < (digits.bottom - digits.top) * 0.7);
  const drawn = texts.map((text) => text.lines.join(' '));
  assert.ok(drawn.includes('满300可用'), drawn.join(' | '));
  assert.ok(drawn.includes('DOUBLE11'), drawn.join(' | '));
  assert.ok(drawn.includes('双十一'), drawn.join(' | '));
});

test('a text-driven brief with a price and the price before: struck-through price and discount drawn', async () => {
  const brief = '夏季清仓 原价399 到手价199 限时 包邮 7天无理由';
  const plan = await service.plan({ brief });
  assert.equal(plan.generation.template, 'offer_card');
  const params = plan.generation.params as Record<string, string>;
  assert.equal(params.price, '¥199');
  assert.equal(params.price_was, '¥399');
  assert.equal(params.discount, '5折');
  assert.equal(params.service, '包邮 · 7天无理由');
  const { texts, report } = await renderPlan('offer_card', params);
  assert.equal(report.checks.ok, true, report.checks.problems.join('; '));
  assert.deepEqual(
    texts.filter((text) => text.type === 'price').map((text) => [text.param, text.lines[0]]),
    [
      ['price', '¥199'],
      ['discount', '5折'],
      ['price_was', '¥399'],
    ],
  );
});
