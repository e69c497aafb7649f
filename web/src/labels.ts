/**
 * Names of server-defined things in the UI languages, shared by the studio and the picker (which
 * has no i18n of its own): style presets (the list comes from `GET /v1/styles`) and the common
 * template params. Anything not named here shows as the server names it.
 */
export type Locale = 'en' | 'zh';

const STYLE_LABELS: Record<string, { en: string; zh: string }> = {
  studio: { en: 'Studio product shot', zh: '棚拍商品图' },
  lifestyle: { en: 'Lifestyle scene', zh: '生活场景' },
  flat_lay: { en: 'Flat lay', zh: '平铺俯拍' },
  minimal: { en: 'Minimal', zh: '极简' },
  bold_promo: { en: 'Bold promo', zh: '醒目促销' },
  festive: { en: 'Festive', zh: '节日氛围' },
  illustration: { en: 'Illustration', zh: '插画' },
};

export function styleLabel(id: string, locale: Locale): string {
  return STYLE_LABELS[id]?.[locale] ?? id;
}

export interface StylePreset {
  id: string;
  description: string;
}

const PARAM_LABELS: Record<string, { en: string; zh: string }> = {
  title: { en: 'Title', zh: '标题' },
  subtitle: { en: 'Subtitle', zh: '副标题' },
  price: { en: 'Price', zh: '价格' },
  badge: { en: 'Badge', zh: '角标' },
  product_image: { en: 'Product photo', zh: '商品图' },
  code: { en: 'Coupon code', zh: '优惠码' },
  compare_left: { en: 'Left label', zh: '左侧标签' },
  compare_right: { en: 'Right label', zh: '右侧标签' },
};

export function paramLabel(name: string, locale: Locale): string {
  return PARAM_LABELS[name]?.[locale] ?? name;
}
