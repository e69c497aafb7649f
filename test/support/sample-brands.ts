import type { BrandKit } from '../../src/domain/brand.ts';
import { DEFAULT_BRAND_KIT } from '../../src/domain/brand.ts';

/** A second brand unlike the default: dark green and gold, Oswald headings, square corners. */
export const SECOND_BRAND: BrandKit = {
  ...DEFAULT_BRAND_KIT,
  name: 'Jade Tea House',
  palette: {
    primary: '#0f4c3a',
    secondary: '#5c8d6e',
    accent: '#d4a017',
    background: '#fbf7ee',
    text: '#14241d',
  },
  fonts: { heading: 'Oswald', body: 'Noto Sans SC' },
  corner_radius: 4,
};

const ENGLISH = {
  title: 'Summer Sale 20% OFF',
  subtitle: 'Linen shirts, dresses and more',
  price: '$39.99',
  badge: 'NEW',
};

/** Params that show each template as a shop would fill it (Chinese and English). */
export const SAMPLE_PARAMS: Record<string, Record<string, string>> = {
  default: {
    title: '夏季清仓 满200减50',
    subtitle: '全场包邮 · 7天无理由退换',
    price: '¥199',
    badge: '限时',
  },
  product_white: {
    title: 'Organic Linen Shirt',
    subtitle: 'Breathable, pre-washed',
    price: '$49',
    badge: 'NEW',
  },
  product_white_amazon: { title: 'Amber glass perfume bottle' },
  blog_hero: { ...ENGLISH, title: 'How we dye linen with tea leaves' },
  comparison: {
    title: '为什么选我们',
    subtitle: '普通款',
    compare_left: '普通棉 洗10次起球',
    compare_right: '长绒棉 洗100次依然柔软',
    price: '¥129',
    badge: '对比',
  },
  coupon: {
    title: '满200可用',
    subtitle: '11.1–11.11 全店通用',
    price: '¥50',
    badge: '优惠券',
    code: 'SUMMER50',
  },
  banner_wide: ENGLISH,
  promo_landscape: ENGLISH,
  category_banner: { title: 'Linen Collection', subtitle: 'Shirts · Dresses · Home', badge: 'NEW' },
  social_square: {
    title: 'Buy one get one free',
    subtitle: 'On all summer tees',
    price: 'from $19',
    badge: 'BOGO',
  },
  new_arrival: { title: '新品上市', subtitle: '琥珀香氛 50ml', price: '¥299', badge: 'NEW' },
  flash_sale: { title: '限时秒杀', subtitle: '今晚8点开抢 前100名半价', price: '¥99', badge: '限时' },
};
