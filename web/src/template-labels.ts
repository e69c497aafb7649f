/**
 * Template names and descriptions in the interface's language. The API names templates by id and
 * describes them in English; the built-in ones are named and described here in both languages, and
 * a template made by a user shows its own description.
 */
import type { Locale } from './labels.ts';

const TEMPLATES: Record<string, { en: string; zh: string; zhDescription: string }> = {
  product_hero: {
    en: 'Product hero',
    zh: '商品主图',
    zhDescription: '方形商品主图：商品居中放大，浅色干净背景，标题和价格在下方。',
  },
  live_cover: {
    en: 'Live-stream cover',
    zh: '直播封面',
    zhDescription: '9:16 直播封面：大标题、直播角标和商品；文字避开顶部 12% 与底部 15% 的平台浮层区。',
  },
  promo_poster: {
    en: 'Promo poster',
    zh: '促销海报',
    zhDescription: '竖版促销海报：醒目渐变、超大优惠标题、商品与价格标签。',
  },
  blog_hero: {
    en: 'Blog header',
    zh: '文章头图',
    zhDescription: '宽幅博客或文章头图：左侧标题与文字，右侧商品图。',
  },
  social_post: {
    en: 'Social post',
    zh: '社交帖子',
    zhDescription: '4:5 社交信息流帖子：品牌色块承载标题，商品压在色块边缘，价格在下方。',
  },
  text_card: {
    en: 'Text card',
    zh: '文字卡片',
    zhDescription: '纯文字卡片：标题大字置于品牌渐变上；适合任意比例，可选照片作为着色背景。',
  },
  product_white: {
    en: 'Product on white',
    zh: '白底商品图',
    zhDescription: '纯白背景方图：抠图商品带柔和投影，标题和价格在下方。',
  },
  product_white_taobao: {
    en: 'Taobao white main image',
    zh: '淘宝白底主图',
    zhDescription:
      '淘宝/天猫 800×800 白底主图：商品单独居中于纯白，无文字无标志（平台规则，按 taobao_main 检查）。',
  },
  product_white_amazon: {
    en: 'Amazon main image',
    zh: '亚马逊主图',
    zhDescription: '亚马逊 2000×2000 主图：商品单独置于纯白，约占画面 85%，无文字（平台规则）。',
  },
  price_tag: {
    en: 'Price tag',
    zh: '价格标签',
    zhDescription: '方形价格主打：商品在上，下方品牌色大标签写价格和标题。',
  },
  comparison: {
    en: 'Comparison',
    zh: '对比图',
    zhDescription: '方形对比图：灰色面板上的“普通款”对比品牌色面板上的“我们的”与商品。',
  },
  social_square: {
    en: 'Square feed post',
    zh: '方形信息流帖子',
    zhDescription: '1:1 信息流帖子：商品在影棚背景上，标题在上，价格标签在下。',
  },
  new_arrival: {
    en: 'New arrival',
    zh: '新品上市',
    zhDescription: '4:5 新品帖子：影棚背景上的商品、圆形 NEW 贴纸、标题和价格。',
  },
  story: {
    en: 'Story',
    zh: '竖屏故事',
    zhDescription:
      '9:16 抖音、TikTok、快手、Instagram 故事：生成的背景，文字避开应用遮挡的顶部 12% 与底部 15%。',
  },
  offer_card: {
    en: 'Offer card',
    zh: '优惠卡片',
    zhDescription:
      '任意比例的文字优惠海报：优惠信息超大居中于生成背景，周围是副标题、价格和角标；无商品图的文案海报使用它。',
  },
  sale_square: {
    en: 'Sale square',
    zh: '方形促销图',
    zhDescription: '1:1 促销海报：优惠信息超大置于品牌色上，商品和价格标签在下方。',
  },
  promo_landscape: {
    en: 'Landscape promo',
    zh: '横版促销图',
    zhDescription: '1200×630 链接与广告促销图：左侧超大优惠信息，右侧商品。',
  },
  banner_wide: {
    en: 'Wide shop banner',
    zh: '店铺横幅',
    zhDescription: '1920×600 店铺横幅：品牌渐变上的标题、副标题和价格，商品在右侧。',
  },
  category_banner: {
    en: 'Category banner',
    zh: '类目横幅',
    zhDescription: '1200×400 类目头图：条纹底上的品牌色块写类目名，商品在右侧。',
  },
  coupon: {
    en: 'Coupon',
    zh: '优惠券',
    zhDescription: '2:1 优惠券：金额放大，使用条件和日期在旁，券码在可撕下的票根上。',
  },
  flash_sale: {
    en: 'Flash sale',
    zh: '限时秒杀',
    zhDescription: '9:16 直播与故事位的限时秒杀：生成背景、超大优惠、商品、价格；文字在竖屏安全区内。',
  },
};

/** A template's display name: the built-in name in the language, else the id made readable. */
export function templateTitle(name: string, locale: Locale): string {
  const known = TEMPLATES[name];
  if (known) return known[locale];
  const words = name.replaceAll(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A template's description in the language: Chinese from this table, else the API's own text. */
export function templateDescription(
  template: { name: string; description?: string },
  locale: Locale,
): string {
  if (locale === 'zh') return TEMPLATES[template.name]?.zhDescription ?? template.description ?? '';
  return template.description ?? '';
}
