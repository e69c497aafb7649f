import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOffer } from './offer.ts';
import { choosePosterTemplate, posterParams } from './poster.ts';

test('the layout follows the aspect, the product photo and the offer', () => {
  const sale = parseOffer('Summer Sale 20% OFF');
  const flash = parseOffer('限时秒杀 ¥99');
  const coded = parseOffer('20% off, code SAVE20');
  const cases: Array<[number, number, ReturnType<typeof parseOffer>, boolean, string]> = [
    [1080, 1920, sale, false, 'offer_card'],
    [1200, 630, sale, false, 'offer_card'],
    [1200, 630, coded, false, 'coupon'],
    [1920, 600, sale, false, 'banner_wide'],
    [1080, 1920, sale, true, 'promo_poster'],
    [1080, 1920, flash, true, 'flash_sale'],
    [1080, 1350, sale, true, 'social_post'],
    [1080, 1080, sale, true, 'sale_square'],
    [1200, 630, sale, true, 'promo_landscape'],
    [1200, 630, coded, true, 'coupon'],
    [1920, 600, sale, true, 'banner_wide'],
  ];
  for (const [width, height, offer, product, expected] of cases) {
    assert.equal(
      choosePosterTemplate(width, height, offer, product),
      expected,
      `${width}×${height} ${product}`,
    );
  }
});

test('poster params: offer as title, the rest and the dates as subtitle, code where the template takes it', () => {
  const offer = parseOffer('双十一 11月1日-11月11日 满300减40 券码 DOUBLE11');
  const common = ['title', 'subtitle', 'price', 'badge', 'product_image'];
  assert.deepEqual(posterParams(offer, common), {
    title: '满300减40',
    subtitle: '双十一 · 11月1日-11月11日 · 券码 DOUBLE11',
    badge: '优惠',
  });
  assert.deepEqual(posterParams(offer, [...common, 'code']), {
    title: '满300减40',
    subtitle: '双十一 · 11月1日-11月11日',
    badge: '优惠',
    code: 'DOUBLE11',
  });
  // A price that is the whole offer is the title, not repeated as the price.
  assert.deepEqual(posterParams(parseOffer('¥199'), common), { title: '¥199' });
});
