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
    [1200, 630, sale, false, 'promo_landscape'],
    [1080, 1080, sale, false, 'sale_square'],
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

const DESIGN = [
  'title',
  'subtitle',
  'price',
  'badge',
  'product_image',
  'price_was',
  'discount',
  'offer',
  'offer_detail',
  'ribbon',
  'ribbon_detail',
  'service',
];

test('design params: the coupon amount, its condition and code; the title from the brief', () => {
  const brief = '双十一 满300减40 券码 DOUBLE11';
  assert.deepEqual(posterParams(parseOffer(brief), DESIGN, brief), {
    title: '双十一',
    badge: '优惠',
    offer: '¥40',
    offer_detail: '满300可用 · DOUBLE11',
  });
  // With a code param of its own the code stays there.
  assert.deepEqual(posterParams(parseOffer(brief), [...DESIGN, 'code'], brief), {
    title: '双十一',
    badge: '优惠',
    code: 'DOUBLE11',
    offer: '¥40',
    offer_detail: '满300可用',
  });
  const english = 'Spend $100 save $20, code FALL20';
  assert.deepEqual(posterParams(parseOffer(english), DESIGN, english), {
    title: '$20 OFF $100+',
    badge: 'SALE',
    offer: '$20',
    offer_detail: 'on orders over $100 · FALL20',
  });
});

test('design params: price, the price before struck through, the discount, ribbon and service line', () => {
  const brief = '夏季清仓 原价399 到手价199 限时 11月1日-11月11日 包邮 7天无理由';
  assert.deepEqual(posterParams(parseOffer(brief), DESIGN, brief), {
    title: '夏季清仓',
    price: '¥199',
    price_was: '¥399',
    discount: '5折',
    badge: '限时',
    ribbon: '限时',
    ribbon_detail: '11月1日-11月11日',
    service: '包邮 · 7天无理由',
  });
  const sale = 'Summer Sale 20% OFF, was $49 now $39, free shipping, ends in 3 hours';
  const params = posterParams(parseOffer(sale), DESIGN, sale);
  assert.equal(params.discount, '-20%');
  // A discount with no code is the title's and the price's, not a coupon.
  assert.equal(params.offer, undefined);
  assert.equal(params.title, '20% OFF');
  assert.equal(params.subtitle, 'Summer Sale');
  assert.equal(params.service, 'Free shipping');
  const coded = '全场8折 券码 SAVE20';
  assert.deepEqual(posterParams(parseOffer(coded), DESIGN, coded), {
    title: '全场',
    badge: '优惠',
    discount: '8折',
    offer: '8折',
    offer_detail: 'SAVE20',
  });
  assert.equal(params.price, '$39');
  assert.equal(params.price_was, '$49');
  assert.equal(params.ribbon, 'ends in 3 hours');
  assert.equal(posterParams(parseOffer('全场7.5折 ¥199'), DESIGN).discount, '7.5折');
  // A discount that is the title is not repeated as a figure beside it.
  assert.equal(posterParams(parseOffer('全场7.5折'), DESIGN).discount, undefined);
  // A price with no price before it has no derived discount.
  assert.equal(posterParams(parseOffer('¥199 包邮'), DESIGN, '¥199 包邮').discount, undefined);
});
