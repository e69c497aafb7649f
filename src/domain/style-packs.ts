import type { BrandKit } from './brand.ts';
import { DEFAULT_BRAND_KIT } from './brand.ts';

/**
 * Style packs: a design system per look — palette roles, a display/heading/body/numeral type
 * pairing, decoration vocabulary, corner radius and shadow — chosen per request with `style_pack`
 * (absent: the template's default pack). A brand kit overrides what it sets: a brand other than the
 * built-in default brings its own palette (the pack keeps its type, decoration and shapes), fonts
 * other than the default Noto Sans SC replace the pack's heading/body faces, and a corner radius
 * other than the default 24 replaces the pack's. The families are bundled fonts (see render/fonts.ts).
 */

export const STYLE_PACK_IDS = ['festive', 'minimal', 'luxury', 'fresh', 'tech', 'cute'] as const;
export type StylePackId = (typeof STYLE_PACK_IDS)[number];

/** The palette roles a design draws with: the brand kit's five, and four a pack adds. */
export interface DesignPalette {
  primary: string;
  secondary: string;
  accent: string;
  background: string;
  text: string;
  /** Cards, plates and coupons laid on the background. */
  surface: string;
  /** Price numerals. */
  price: string;
  /** Decoration and rules: gold on festive and luxury, cyan on tech. */
  highlight: string;
  /** Secondary text: struck-through prices, fine print. */
  muted: string;
}

export interface FontChoice {
  /** A bundled family (render/fonts.ts); CJK falls back to Noto Sans SC, emoji to Noto Emoji. */
  family: string;
  weight: 400 | 500 | 700 | 900;
}

export type DecorationKind = 'none' | 'festive' | 'luxury' | 'fresh' | 'tech' | 'cute' | 'minimal';

export interface StylePack {
  id: StylePackId;
  name: { en: string; zh: string };
  description: { en: string; zh: string };
  /** Two arrangements of the palette: variants of one request alternate between them. */
  arrangements: readonly [DesignPalette, DesignPalette];
  fonts: { display: FontChoice; heading: FontChoice; body: FontChoice; numeral: FontChoice };
  decoration: DecorationKind;
  /** Corner radius in pixels at a 1080-wide canvas. */
  radius: number;
  /** Shadow under plates and products: none, soft and wide, or a crisp offset (cute stickers). */
  shadow: 'none' | 'soft' | 'crisp';
  /** Latin display text in capitals (festive, tech) or as written. */
  uppercase: boolean;
}

const NOTO = 'Noto Sans SC';

export const STYLE_PACKS: readonly StylePack[] = [
  {
    id: 'festive',
    name: { en: 'Festive sale', zh: '大促喜庆' },
    description: {
      en: 'Shopping-festival red and gold: heavy display type, gold price, sunburst and sparkles.',
      zh: '大促红金：粗体标题、金色价格、放射光与金色闪光点缀。',
    },
    arrangements: [
      {
        primary: '#c8102e',
        secondary: '#8f0018',
        accent: '#ffd23f',
        background: '#d0121f',
        text: '#fff8e6',
        surface: '#fff4d6',
        price: '#ffe066',
        highlight: '#ffcf40',
        muted: '#ffc9bd',
      },
      {
        primary: '#ffd23f',
        secondary: '#5c000e',
        accent: '#e0102a',
        background: '#7a0012',
        text: '#fff4dc',
        surface: '#fff1cc',
        price: '#ffd23f',
        highlight: '#f5c242',
        muted: '#e8a9a0',
      },
    ],
    fonts: {
      display: { family: 'ZCOOL QingKe HuangYou', weight: 400 },
      heading: { family: NOTO, weight: 900 },
      body: { family: NOTO, weight: 500 },
      numeral: { family: 'Oswald', weight: 700 },
    },
    decoration: 'festive',
    radius: 18,
    shadow: 'soft',
    uppercase: true,
  },
  {
    id: 'minimal',
    name: { en: 'Clean minimal', zh: '简约留白' },
    description: {
      en: 'Clean white, one accent, generous space; Montserrat with Noto Sans, no decoration.',
      zh: '干净白底、一个强调色、大量留白；几何无衬线字体，无装饰。',
    },
    arrangements: [
      {
        primary: '#161616',
        secondary: '#ece9e4',
        accent: '#d1342f',
        background: '#ffffff',
        text: '#161616',
        surface: '#f4f2ee',
        price: '#161616',
        highlight: '#d1342f',
        muted: '#8c8c8c',
      },
      {
        primary: '#1d1d1b',
        secondary: '#ffffff',
        accent: '#2f5d8a',
        background: '#f1eee8',
        text: '#1d1d1b',
        surface: '#ffffff',
        price: '#1d1d1b',
        highlight: '#2f5d8a',
        muted: '#86827a',
      },
    ],
    fonts: {
      display: { family: 'Montserrat', weight: 700 },
      heading: { family: 'Montserrat', weight: 700 },
      body: { family: NOTO, weight: 400 },
      numeral: { family: 'Montserrat', weight: 500 },
    },
    decoration: 'minimal',
    radius: 0,
    shadow: 'soft',
    uppercase: false,
  },
  {
    id: 'luxury',
    name: { en: 'Luxury dark', zh: '奢华暗金' },
    description: {
      en: 'Near-black and champagne gold, serif display (Playfair Display, Noto Serif SC), fine gold frame.',
      zh: '黑金配色、衬线标题字体、细金线边框。',
    },
    arrangements: [
      {
        primary: '#15130f',
        secondary: '#262118',
        accent: '#c9a45c',
        background: '#0f0e0c',
        text: '#f2e8d2',
        surface: '#1b1813',
        price: '#e3c27a',
        highlight: '#c9a45c',
        muted: '#9c9079',
      },
      {
        primary: '#0f1c17',
        secondary: '#1d2e27',
        accent: '#d4b06a',
        background: '#0c1713',
        text: '#f1ead8',
        surface: '#13231d',
        price: '#e6c985',
        highlight: '#d4b06a',
        muted: '#93a095',
      },
    ],
    fonts: {
      display: { family: 'Playfair Display', weight: 700 },
      heading: { family: 'Playfair Display', weight: 700 },
      body: { family: NOTO, weight: 400 },
      numeral: { family: 'Playfair Display', weight: 700 },
    },
    decoration: 'luxury',
    radius: 0,
    shadow: 'soft',
    uppercase: false,
  },
  {
    id: 'fresh',
    name: { en: 'Fresh natural', zh: '清新自然' },
    description: {
      en: 'Natural greens on mint and cream, a citrus price, soft leaves and round shapes.',
      zh: '薄荷绿与米白、柑橘色价格、柔和叶片与圆形点缀。',
    },
    arrangements: [
      {
        primary: '#2f7d4f',
        secondary: '#d6ecd2',
        accent: '#f08a24',
        background: '#eef6ea',
        text: '#1d3b2a',
        surface: '#ffffff',
        price: '#e4572e',
        highlight: '#7fb77e',
        muted: '#6f8a77',
      },
      {
        primary: '#3f8f5a',
        secondary: '#e6efd9',
        accent: '#e9762b',
        background: '#fbf8ef',
        text: '#22402c',
        surface: '#ffffff',
        price: '#d9541e',
        highlight: '#9cc98f',
        muted: '#7b8c79',
      },
    ],
    fonts: {
      display: { family: 'Montserrat', weight: 900 },
      heading: { family: NOTO, weight: 700 },
      body: { family: NOTO, weight: 400 },
      numeral: { family: 'Montserrat', weight: 700 },
    },
    decoration: 'fresh',
    radius: 36,
    shadow: 'soft',
    uppercase: false,
  },
  {
    id: 'tech',
    name: { en: 'Tech', zh: '科技感' },
    description: {
      en: 'Deep navy with cyan light, condensed display type, fine lines and corner brackets.',
      zh: '深蓝底配青色光效、窄体标题、细线与角标框。',
    },
    arrangements: [
      {
        primary: '#0b2a55',
        secondary: '#12386e',
        accent: '#22d3ee',
        background: '#061428',
        text: '#eaf6ff',
        surface: '#0c2246',
        price: '#3ee6ff',
        highlight: '#22d3ee',
        muted: '#7f9bbd',
      },
      {
        primary: '#1a1145',
        secondary: '#2a1b66',
        accent: '#38bdf8',
        background: '#0b0820',
        text: '#eef2ff',
        surface: '#151036',
        price: '#5eead4',
        highlight: '#818cf8',
        muted: '#8d8fb8',
      },
    ],
    fonts: {
      display: { family: 'Oswald', weight: 700 },
      heading: { family: NOTO, weight: 900 },
      body: { family: NOTO, weight: 400 },
      numeral: { family: 'Oswald', weight: 700 },
    },
    decoration: 'tech',
    radius: 8,
    shadow: 'none',
    uppercase: true,
  },
  {
    id: 'cute',
    name: { en: 'Cute pastel', zh: '可爱马卡龙' },
    description: {
      en: 'Pastel pink and baby blue, rounded ZCOOL KuaiLe type, bubbles and sparkles, sticker shadows.',
      zh: '马卡龙粉蓝、圆润可爱字体、泡泡与星星点缀、贴纸投影。',
    },
    arrangements: [
      {
        primary: '#ff7aa8',
        secondary: '#ffd6e6',
        accent: '#6ec6ff',
        background: '#fff0f6',
        text: '#5b2447',
        surface: '#ffffff',
        price: '#f0437f',
        highlight: '#ffd84d',
        muted: '#a07890',
      },
      {
        primary: '#5cb8f2',
        secondary: '#d9efff',
        accent: '#ff7aa8',
        background: '#eef7ff',
        text: '#233a5e',
        surface: '#ffffff',
        price: '#ef4f8c',
        highlight: '#ffd84d',
        muted: '#7d8fab',
      },
    ],
    fonts: {
      display: { family: 'ZCOOL KuaiLe', weight: 400 },
      heading: { family: 'ZCOOL KuaiLe', weight: 400 },
      body: { family: NOTO, weight: 400 },
      numeral: { family: 'ZCOOL KuaiLe', weight: 400 },
    },
    decoration: 'cute',
    radius: 40,
    shadow: 'crisp',
    uppercase: false,
  },
];

export function findStylePack(id: string | undefined): StylePack | undefined {
  return STYLE_PACKS.find((pack) => pack.id === id);
}

/** What a render draws with: the pack, with what the brand sets laid over it. */
export interface Design {
  pack: StylePack;
  palette: DesignPalette;
  fonts: StylePack['fonts'];
  /** Corner radius at a 1080-wide canvas. */
  radius: number;
  /** Whether the palette came from the brand (then there is one arrangement). */
  brandPalette: boolean;
}

/**
 * The design of one render. `arrangement` picks the pack's palette arrangement (variants alternate);
 * with a brand palette there is one. The default brand sets nothing; another brand sets its palette,
 * and its fonts and radius where they differ from the defaults.
 */
export function resolveDesign(
  pack: StylePack,
  brand: BrandKit,
  arrangement: number,
  isDefaultBrand: boolean,
): Design {
  const base = pack.arrangements[arrangement % pack.arrangements.length]!;
  const palette = isDefaultBrand ? base : paletteFromBrand(brand.palette);
  const fonts = { ...pack.fonts };
  const defaultFont = DEFAULT_BRAND_KIT.fonts.heading;
  if (!isDefaultBrand && brand.fonts.heading !== defaultFont) {
    const heading = { family: brand.fonts.heading, weight: 700 as const };
    fonts.display = heading;
    fonts.heading = heading;
    fonts.numeral = heading;
  }
  if (!isDefaultBrand && brand.fonts.body !== defaultFont)
    fonts.body = { family: brand.fonts.body, weight: 400 };
  const radius =
    !isDefaultBrand && brand.corner_radius !== DEFAULT_BRAND_KIT.corner_radius
      ? brand.corner_radius
      : pack.radius;
  return { pack, palette, fonts, radius, brandPalette: !isDefaultBrand };
}

/** A brand's five colors as a full design palette; the four extra roles derive from them. */
export function paletteFromBrand(palette: BrandKit['palette']): DesignPalette {
  return {
    ...palette,
    surface: mixHex(palette.background, '#ffffff', 0.6),
    price: palette.accent,
    highlight: palette.accent,
    muted: mixHex(palette.text, palette.background, 0.45),
  };
}

/** `a` moved toward `b` by `amount` (0..1), as #rrggbb. */
export function mixHex(a: string, b: string, amount: number): string {
  const parse = (hex: string) => {
    let digits = hex.replace('#', '');
    if (digits.length === 3) digits = [...digits].map((digit) => digit + digit).join('');
    return [0, 2, 4].map((at) => Number.parseInt(digits.slice(at, at + 2), 16) || 0);
  };
  const [from, to] = [parse(a), parse(b)];
  return `#${from
    .map((value, index) =>
      Math.round(value + ((to[index] ?? 0) - value) * amount)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}
