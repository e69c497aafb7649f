import {
  couponLayout,
  layoutOf,
  squarePoster,
  verticalPoster,
  widePoster,
} from './builtin-templates-promo-layouts.ts';
import { offerParams } from './offer-layer-builders.ts';
import {
  type BuiltinTemplate,
  commonParams,
  PRODUCT_NEGATIVE,
  param,
  VERTICAL_VIDEO_SAFE_AREA,
} from './template-builders.ts';

// Promotion templates: the layouts `POST /v1/posters` picks from by aspect (sale square, landscape,
// wide banner, flash sale), plus the category banner and the coupon. Each is drawn with the design
// system's price and offer layers, complete with and without a product photo, in two compositions.

const PROMO_PROMPT =
  'Bold promotional backdrop for {title}, {subtitle}, vivid, no text, {brand.lighting}, {brand.mood}';

const params = () => [...commonParams(), ...offerParams()];

export const BUILTIN_PROMO_TEMPLATES: readonly BuiltinTemplate[] = [
  {
    name: 'offer_card',
    description:
      'Typographic offer poster (9:16): the headline huge, the coupon or the price set big with the price before struck through, ribbon and service line; with a product photo the product takes the middle. Text-driven posters without a product photo use it.',
    width: 1080,
    height: 1920,
    format: 'png',
    params: params(),
    prompt_pattern: PROMO_PROMPT,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layoutOf(1080, verticalPoster('stacked'), {
      stylePack: 'festive',
      compositions: [{ name: 'banded', layers: verticalPoster('banded') }],
    }),
  },
  {
    name: 'sale_square',
    description:
      '1:1 sale poster: the headline big, the product large beside the coupon or the price on a burst; without a photo the offer fills the lower half.',
    width: 1080,
    height: 1080,
    format: 'png',
    params: params(),
    prompt_pattern: PROMO_PROMPT,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layoutOf(1080, squarePoster('left'), {
      stylePack: 'festive',
      compositions: [{ name: 'product-right', layers: squarePoster('right') }],
    }),
  },
  {
    name: 'promo_landscape',
    description:
      '1200×630 sale poster for links and ads: the headline and price on one side, the product (or the coupon or price, big) on the other.',
    width: 1200,
    height: 630,
    format: 'png',
    params: params(),
    prompt_pattern: PROMO_PROMPT,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layoutOf(1200, widePoster('left', 1), {
      stylePack: 'minimal',
      compositions: [{ name: 'product-left', layers: widePoster('right', 1) }],
    }),
  },
  {
    name: 'banner_wide',
    description:
      '1920×600 shop banner: headline, line and price on one side, the product (or the offer, big) on the other.',
    width: 1920,
    height: 600,
    format: 'png',
    params: params(),
    prompt_pattern: `Wide web banner backdrop for {title}, {subtitle}, {brand.lighting}, {brand.composition}, {brand.mood}`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layoutOf(1920, widePoster('left', 1.1), {
      stylePack: 'minimal',
      compositions: [{ name: 'product-left', layers: widePoster('right', 1.1) }],
    }),
  },
  {
    name: 'category_banner',
    description:
      '1200×400 category header: the category name and line on one side, the product (or the offer) on the other.',
    width: 1200,
    height: 400,
    format: 'png',
    params: params(),
    prompt_pattern: `Category banner backdrop for {title}, {subtitle}, {brand.lighting}, {brand.mood}`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layoutOf(1200, widePoster('left', 0.7), {
      stylePack: 'fresh',
      compositions: [{ name: 'product-left', layers: widePoster('right', 0.7) }],
    }),
  },
  {
    name: 'coupon',
    description:
      '2:1 coupon: a perforated ticket with the amount big (¥40) and its condition (满300可用), the headline over it, the code and dates under it.',
    width: 1080,
    height: 540,
    format: 'png',
    params: [...params(), param('code', 'The coupon code, e.g. SUMMER20', { max_length: 24 })],
    prompt_pattern: PROMO_PROMPT,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layoutOf(1080, couponLayout('ticket'), {
      stylePack: 'festive',
      compositions: [{ name: 'stub', layers: couponLayout('stub') }],
    }),
  },
  {
    name: 'flash_sale',
    description:
      '9:16 flash sale (限时秒杀) for live and story placements: ribbon with the time, huge headline, the product, the price big with the price before struck through; text inside the vertical-video safe area.',
    width: 1080,
    height: 1920,
    format: 'png',
    params: params(),
    prompt_pattern: PROMO_PROMPT,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layoutOf(1080, verticalPoster('stacked', VERTICAL_VIDEO_SAFE_AREA), {
      safeArea: VERTICAL_VIDEO_SAFE_AREA,
      stylePack: 'festive',
      compositions: [{ name: 'banded', layers: verticalPoster('banded', VERTICAL_VIDEO_SAFE_AREA) }],
    }),
  },
];
