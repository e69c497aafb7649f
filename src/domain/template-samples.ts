/**
 * Sample texts a template gallery draws its thumbnails with, in the interface's language: a shop's
 * usual words, so each thumbnail shows the template's type, price and badge as they will look.
 */
export type SampleLanguage = 'en' | 'zh';

const COMMON: Record<SampleLanguage, Record<string, string>> = {
  en: {
    title: 'Linen shirt',
    subtitle: 'Breathable, pre-washed',
    price: '$49',
    badge: 'NEW',
    code: 'SAVE10',
    compare_left: 'Plain cotton',
    compare_right: 'Long-staple cotton',
  },
  zh: {
    title: '亚麻衬衫',
    subtitle: '透气 · 预洗不缩水',
    price: '¥199',
    badge: '新品',
    code: 'SAVE10',
    compare_left: '普通棉',
    compare_right: '长绒棉',
  },
};

/** Where the common words would mislead (a coupon shows its condition, a sale its offer). */
const BY_TEMPLATE: Record<string, Record<SampleLanguage, Record<string, string>>> = {
  coupon: {
    en: { title: 'Orders over $50', subtitle: 'Nov 1–11, store-wide', price: '$10', badge: 'COUPON' },
    zh: { title: '满200可用', subtitle: '11.1–11.11 全店通用', price: '¥50', badge: '优惠券' },
  },
  flash_sale: {
    en: {
      title: 'Flash sale',
      subtitle: 'Tonight 8 pm, first 100 half price',
      price: '$19',
      badge: 'LIMITED',
    },
    zh: { title: '限时秒杀', subtitle: '今晚8点开抢 前100名半价', price: '¥99', badge: '限时' },
  },
  offer_card: {
    en: { title: '20% off', subtitle: 'On all summer tees' },
    zh: { title: '满300减40', subtitle: '全场包邮 · 7天无理由' },
  },
  sale_square: {
    en: { title: 'Summer sale', subtitle: 'Up to 50% off' },
    zh: { title: '夏季清仓', subtitle: '满200减50' },
  },
  promo_poster: {
    en: { title: 'Summer sale', subtitle: 'Up to 50% off' },
    zh: { title: '夏季清仓', subtitle: '满200减50' },
  },
};

/** The sample value of each of `params` in `language`; params without a sample are left out. */
export function sampleParams(
  template: string,
  params: ReadonlyArray<{ name: string; kind: string }>,
  language: SampleLanguage,
): Record<string, string> {
  const words = { ...COMMON[language], ...BY_TEMPLATE[template]?.[language] };
  return Object.fromEntries(
    params.flatMap((param) =>
      param.kind === 'text' && words[param.name] ? [[param.name, words[param.name]!]] : [],
    ),
  );
}
