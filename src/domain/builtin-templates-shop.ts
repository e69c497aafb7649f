import type { Layer } from './layout.ts';
import {
  type BuiltinTemplate,
  background,
  badge,
  box,
  commonParams,
  decoration,
  headline,
  headlineOrAlone,
  layout,
  logo,
  PRODUCT_NEGATIVE,
  PRODUCT_PROMPT,
  param,
  photo,
  price,
  pricedParams,
  product,
  shape,
  subline,
  text,
  withoutPhoto,
  withPhoto,
} from './template-builders.ts';

// Marketplace and shop templates: product images on white for Taobao/Tmall and Amazon, the price
// tag and the comparison.

const ON_WHITE_PROMPT = `${PRODUCT_PROMPT}, isolated on a pure white background, centered, high detail`;
// Pure #FFFFFF, not the pack's background: the white-background genre keeps its white to the border.
const WHITE = background('solid', ['#ffffff']);

/** product_white's designs: the product and its words on pure white, no ornament. */
const whiteStacked: Layer[] = [
  WHITE,
  logo(box(0.7, 0.04, 0.25, 0.065), 'right'),
  badge('badge', box(0.05, 0.045, 0.2, 0.056), { maxSize: 34, minSize: 21 }),
  ...withPhoto(
    photo(box(0.1, 0.06, 0.8, 0.62)),
    headline(box(0.08, 0.7, 0.84, 0.12), {
      align: 'center',
      valign: 'bottom',
      maxSize: 64,
      minSize: 46,
      maxLines: 2,
    }),
    subline(box(0.1, 0.825, 0.8, 0.05), { align: 'center', maxSize: 32, minSize: 25, maxLines: 1 }),
    price(box(0.2, 0.88, 0.6, 0.09), { align: 'center', maxSize: 76, minSize: 52 }),
  ),
  // Without a photo the words are the design: set large enough to fill the white.
  ...headlineOrAlone(
    box(0.08, 0.16, 0.84, 0.4),
    { align: 'center', valign: 'bottom', maxSize: 170, minSize: 46 },
    box(0.08, 0.14, 0.84, 0.72),
    240,
  ),
  ...withoutPhoto(
    subline(box(0.1, 0.59, 0.8, 0.1), { align: 'center', maxSize: 40, minSize: 25 }),
    price(box(0.1, 0.7, 0.8, 0.22), { align: 'center', maxSize: 230, minSize: 52 }),
  ),
];

const whiteBeside: Layer[] = [
  WHITE,
  logo(box(0.06, 0.05, 0.25, 0.065)),
  ...withPhoto(
    photo(box(0.44, 0.06, 0.52, 0.88)),
    badge('badge', box(0.06, 0.16, 0.2, 0.056), { maxSize: 34, minSize: 21 }),
    headline(box(0.06, 0.25, 0.36, 0.3), { valign: 'bottom', maxSize: 72, minSize: 46, maxLines: 4 }),
    subline(box(0.06, 0.57, 0.36, 0.14), { maxSize: 30, minSize: 25, maxLines: 3 }),
    price(box(0.06, 0.74, 0.36, 0.13), { maxSize: 96, minSize: 52 }),
  ),
  ...headlineOrAlone(
    box(0.06, 0.24, 0.88, 0.38),
    { valign: 'bottom', maxSize: 180, minSize: 46 },
    box(0.06, 0.24, 0.88, 0.64),
    250,
  ),
  ...withoutPhoto(
    badge('badge', box(0.06, 0.16, 0.2, 0.056), { maxSize: 34, minSize: 21 }),
    subline(box(0.06, 0.64, 0.7, 0.08), { maxSize: 40, minSize: 25 }),
    price(box(0.06, 0.73, 0.88, 0.21), { maxSize: 240, minSize: 52 }),
  ),
];

/** price_tag: the price on a `secondary` tag (a panel every pack makes legible for its text and price). */
function tagLayers(arrangement: 'below' | 'beside'): Layer[] {
  const below = arrangement === 'below';
  return [
    background('solid', ['background']),
    decoration(box(0, 0, 1, 1)),
    ...withPhoto(
      photo(below ? box(0.12, 0.03, 0.76, 0.5) : box(0.03, 0.08, 0.5, 0.84)),
      shape('rect', below ? box(0.06, 0.55, 0.88, 0.41) : box(0.55, 0.1, 0.41, 0.8), 'text', {
        radius: 'brand',
      }),
      badge('badge', below ? box(0.7, 0.5, 0.22, 0.07) : box(0.59, 0.14, 0.22, 0.06), {
        maxSize: 36,
        minSize: 22,
        fill: 'accent',
      }),
      price(below ? box(0.1, 0.58, 0.8, 0.19) : box(0.58, 0.22, 0.35, 0.24), {
        color: 'background',
        align: below ? 'center' : 'left',
        maxSize: below ? 190 : 150,
        minSize: 54,
      }),
      headline(below ? box(0.1, 0.78, 0.8, 0.09) : box(0.58, 0.48, 0.35, 0.22), {
        color: 'background',
        align: below ? 'center' : 'left',
        valign: below ? 'middle' : 'top',
        maxSize: 64,
        minSize: 49,
        maxLines: below ? 1 : 3,
      }),
      subline(below ? box(0.1, 0.87, 0.8, 0.06) : box(0.58, 0.72, 0.35, 0.14), {
        color: 'background',
        align: below ? 'center' : 'left',
        maxSize: 34,
        minSize: 26,
        maxLines: below ? 1 : 3,
      }),
    ),
    ...withoutPhoto(
      shape('rect', below ? box(0.06, 0.06, 0.88, 0.88) : box(0.06, 0.33, 0.88, 0.47), 'text', {
        radius: 'brand',
      }),
      badge('badge', below ? box(0.39, 0.1, 0.22, 0.07) : box(0.06, 0.245, 0.22, 0.07), {
        maxSize: 36,
        minSize: 22,
      }),
      headline(below ? box(0.1, 0.19, 0.8, 0.22) : box(0.06, 0.04, 0.88, 0.19), {
        ...(below ? { color: 'background' as const } : {}),
        align: below ? 'center' : 'left',
        valign: below ? 'middle' : 'bottom',
        maxSize: 110,
        minSize: 49,
        maxLines: 2,
      }),
      price(below ? box(0.1, 0.43, 0.8, 0.3) : box(0.1, 0.36, 0.8, 0.41), {
        color: 'background',
        align: 'center',
        maxSize: below ? 300 : 360,
        minSize: 54,
      }),
      subline(below ? box(0.1, 0.76, 0.8, 0.12) : box(0.06, 0.83, 0.88, 0.11), {
        ...(below ? { color: 'background' as const } : {}),
        align: below ? 'center' : 'left',
        maxSize: 40,
        minSize: 26,
      }),
    ),
  ];
}

/** comparison: "others" on a muted panel against "ours" on a bold one with the product. */
function comparisonLayers(arrangement: 'columns' | 'rows'): Layer[] {
  const columns = arrangement === 'columns';
  const ours = columns ? box(0.52, 0.2, 0.43, 0.62) : box(0.05, 0.5, 0.9, 0.34);
  const theirs = columns ? box(0.05, 0.2, 0.43, 0.62) : box(0.05, 0.2, 0.9, 0.27);
  return [
    background('solid', ['background']),
    headline(box(0.06, 0.04, 0.88, 0.13), {
      align: 'center',
      valign: 'middle',
      maxSize: 80,
      minSize: 49,
      maxLines: 2,
    }),
    shape('rect', theirs, 'secondary', { radius: 'brand' }),
    // "Ours" inverts the page: the text color as the panel, the background color as its words.
    shape('rect', ours, 'text', { radius: 'brand' }),
    text('subtitle', columns ? box(0.08, 0.23, 0.37, 0.08) : box(0.08, 0.22, 0.84, 0.06), {
      role: 'subtitle',
      color: 'muted',
      align: columns ? 'center' : 'left',
      valign: 'middle',
      maxSize: 40,
      minSize: 26,
      maxLines: 2,
    }),
    text('compare_left', columns ? box(0.08, 0.36, 0.37, 0.42) : box(0.08, 0.29, 0.84, 0.16), {
      font: 'body',
      weight: 500,
      role: 'body',
      align: columns ? 'center' : 'left',
      valign: 'middle',
      maxSize: 44,
      minSize: 22,
      maxLines: 6,
      lineHeight: 1.3,
    }),
    ...withPhoto(
      photo(columns ? box(0.55, 0.22, 0.37, 0.34) : box(0.07, 0.51, 0.3, 0.32)),
      text('compare_right', columns ? box(0.55, 0.57, 0.37, 0.23) : box(0.4, 0.53, 0.52, 0.28), {
        font: 'heading',
        role: 'body',
        color: 'background',
        align: columns ? 'center' : 'left',
        valign: 'middle',
        maxSize: columns ? 48 : 60,
        minSize: 22,
        maxLines: 4,
        lineHeight: 1.25,
      }),
    ),
    ...withoutPhoto(
      text('compare_right', columns ? box(0.55, 0.26, 0.37, 0.52) : box(0.08, 0.53, 0.84, 0.28), {
        font: 'heading',
        role: 'body',
        color: 'background',
        align: columns ? 'center' : 'left',
        valign: 'middle',
        maxSize: 60,
        minSize: 22,
        maxLines: 6,
        lineHeight: 1.25,
      }),
    ),
    badge('badge', columns ? box(0.76, 0.17, 0.2, 0.06) : box(0.76, 0.47, 0.2, 0.06), {
      maxSize: 32,
      minSize: 22,
    }),
    price(box(0.25, 0.86, 0.5, 0.11), { align: 'center', maxSize: 96, minSize: 54 }),
  ];
}

export const BUILTIN_SHOP_TEMPLATES: readonly BuiltinTemplate[] = [
  {
    name: 'product_white',
    description:
      'Square product image on pure white: the cut-out product large with a soft shadow, title and price below or beside it; without a photo a typographic card on white.',
    width: 1024,
    height: 1024,
    format: 'png',
    params: pricedParams(),
    prompt_pattern: ON_WHITE_PROMPT,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(1024, whiteStacked, { stylePack: 'minimal', compositions: { beside: whiteBeside } }),
  },
  {
    name: 'product_white_taobao',
    description:
      'Taobao/Tmall 800×800 white-background main image (白底图): the product alone, centred on pure white, no text or logo (marketplace rule; checked as taobao_main).',
    width: 800,
    height: 800,
    format: 'png',
    params: commonParams(),
    prompt_pattern: ON_WHITE_PROMPT,
    negative_prompt: PRODUCT_NEGATIVE,
    // One design by rule: nothing but the product on #FFFFFF, so there is no other composition.
    layout: layout(800, [WHITE, product('product_image', box(0.1, 0.1, 0.8, 0.8))], { stylePack: 'minimal' }),
  },
  {
    name: 'product_white_amazon',
    description:
      'Amazon 2000×2000 main image: the product alone on pure white filling about 85% of the frame, no text (marketplace rule).',
    width: 2000,
    height: 2000,
    format: 'png',
    params: commonParams(),
    prompt_pattern: ON_WHITE_PROMPT,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(2000, [WHITE, product('product_image', box(0.075, 0.075, 0.85, 0.85))], {
      stylePack: 'minimal',
    }),
  },
  {
    name: 'price_tag',
    description:
      'Square price focus: the product large beside or above a tag carrying the price in big numerals, the title and the line; without a photo the price alone on the tag.',
    width: 1080,
    height: 1080,
    format: 'png',
    params: pricedParams(),
    prompt_pattern: `${PRODUCT_PROMPT}, clean backdrop, room below the product`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(1080, tagLayers('below'), {
      stylePack: 'festive',
      compositions: { beside: tagLayers('beside') },
    }),
  },
  {
    name: 'comparison',
    description:
      'Square comparison: "others" on a muted panel against "ours" with the product on a bold panel, side by side or stacked.',
    width: 1080,
    height: 1080,
    format: 'png',
    params: [
      ...pricedParams(),
      param('compare_left', 'What the others offer, e.g. "Ordinary cotton: pills after 10 washes"', {
        max_length: 160,
      }),
      param('compare_right', 'What this product offers, e.g. "Long-staple cotton: soft after 100 washes"', {
        max_length: 160,
      }),
    ],
    prompt_pattern: `${PRODUCT_PROMPT}, clean backdrop`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(1080, comparisonLayers('columns'), {
      stylePack: 'tech',
      compositions: { rows: comparisonLayers('rows') },
    }),
  },
];
