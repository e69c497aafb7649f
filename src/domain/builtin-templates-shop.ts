import {
  type BuiltinTemplate,
  background,
  badge,
  box,
  commonParams,
  layout,
  logo,
  PRODUCT_NEGATIVE,
  PRODUCT_PROMPT,
  param,
  product,
  shape,
  text,
} from './template-builders.ts';

// Marketplace and social templates: product images on white for Taobao/Tmall and Amazon, story,
// square post, price tag, comparison, new arrival.

const ON_WHITE_PROMPT = `${PRODUCT_PROMPT}, isolated on a pure white background, centered, high detail`;

function onWhite(name: string, side: number, description: string): BuiltinTemplate {
  return {
    name,
    description,
    width: side,
    height: side,
    format: 'png',
    params: commonParams(),
    prompt_pattern: ON_WHITE_PROMPT,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(1024, [
      background('solid', ['#ffffff']),
      product('product_image', box(0.12, 0.1, 0.76, 0.58)),
      badge('badge', box(0.05, 0.045, 0.24, 0.06), { maxSize: 32, minSize: 16, fill: 'accent' }),
      logo(box(0.7, 0.04, 0.25, 0.065), 'right'),
      text('title', box(0.08, 0.715, 0.84, 0.11), {
        align: 'center',
        valign: 'bottom',
        maxSize: 56,
        minSize: 24,
        maxLines: 2,
        lineHeight: 1.15,
      }),
      text('subtitle', box(0.1, 0.83, 0.8, 0.05), {
        font: 'body',
        weight: 400,
        align: 'center',
        valign: 'middle',
        maxSize: 28,
        minSize: 16,
        maxLines: 1,
      }),
      text('price', box(0.2, 0.885, 0.6, 0.08), {
        color: 'accent',
        align: 'center',
        valign: 'middle',
        maxSize: 56,
        minSize: 24,
        maxLines: 1,
      }),
    ]),
  };
}

export const BUILTIN_SHOP_TEMPLATES: readonly BuiltinTemplate[] = [
  onWhite(
    'product_white',
    1024,
    'Square product image on pure white: cut-out product with a soft shadow, title and price below.',
  ),
  {
    ...onWhite('product_white_taobao', 800, ''),
    description:
      'Taobao/Tmall 800×800 white-background main image (白底图): the product alone, centred on pure white, no text or logo (marketplace rule; checked as taobao_main).',
    layout: layout(800, [
      background('solid', ['#ffffff']),
      product('product_image', box(0.1, 0.1, 0.8, 0.8)),
    ]),
  },
  {
    ...onWhite('product_white_amazon', 2000, ''),
    description:
      'Amazon 2000×2000 main image: the product alone on pure white filling about 85% of the frame, no text (marketplace rule).',
    params: commonParams(),
    layout: layout(2000, [
      background('solid', ['#ffffff']),
      product('product_image', box(0.075, 0.075, 0.85, 0.85)),
    ]),
  },
  {
    name: 'price_tag',
    description:
      'Square price focus: the product above a big brand-colored tag carrying the price and title.',
    width: 1080,
    height: 1080,
    format: 'png',
    params: commonParams(),
    prompt_pattern: `${PRODUCT_PROMPT}, clean backdrop, room below the product`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(1080, [
      background('solid', ['background']),
      product('product_image', box(0.18, 0.04, 0.64, 0.46)),
      shape('rect', box(0.08, 0.53, 0.84, 0.41), 'accent', { radius: 'brand' }),
      text('price', box(0.12, 0.56, 0.76, 0.19), {
        color: '#ffffff',
        align: 'center',
        valign: 'middle',
        maxSize: 170,
        minSize: 48,
        maxLines: 1,
      }),
      text('title', box(0.12, 0.76, 0.76, 0.08), {
        color: '#ffffff',
        align: 'center',
        valign: 'middle',
        maxSize: 52,
        minSize: 22,
        maxLines: 1,
      }),
      text('subtitle', box(0.12, 0.85, 0.76, 0.05), {
        font: 'body',
        weight: 400,
        color: '#ffffff',
        align: 'center',
        valign: 'middle',
        maxSize: 30,
        minSize: 16,
        maxLines: 1,
      }),
      badge('badge', box(0.68, 0.47, 0.24, 0.07), { maxSize: 32, minSize: 16, fill: 'primary' }),
    ]),
  },
  {
    name: 'comparison',
    description:
      'Square comparison: "others" on a muted panel against "ours" with the product on a brand panel.',
    width: 1080,
    height: 1080,
    format: 'png',
    params: [
      ...commonParams(),
      param('compare_left', 'What the others offer, e.g. "Ordinary cotton: pills after 10 washes"', {
        max_length: 160,
      }),
      param('compare_right', 'What this product offers, e.g. "Long-staple cotton: soft after 100 washes"', {
        max_length: 160,
      }),
    ],
    prompt_pattern: `${PRODUCT_PROMPT}, clean backdrop`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(1080, [
      background('solid', ['background']),
      text('title', box(0.06, 0.05, 0.88, 0.12), {
        align: 'center',
        valign: 'middle',
        maxSize: 72,
        minSize: 28,
        maxLines: 2,
        lineHeight: 1.1,
      }),
      shape('rect', box(0.05, 0.21, 0.43, 0.6), 'secondary', { opacity: 0.16, radius: 'brand' }),
      shape('rect', box(0.52, 0.21, 0.43, 0.6), 'primary', { radius: 'brand' }),
      text('subtitle', box(0.08, 0.24, 0.37, 0.08), {
        align: 'center',
        valign: 'middle',
        maxSize: 40,
        minSize: 18,
        maxLines: 2,
      }),
      text('compare_left', box(0.08, 0.36, 0.37, 0.4), {
        font: 'body',
        weight: 400,
        align: 'center',
        valign: 'middle',
        maxSize: 40,
        minSize: 18,
        maxLines: 6,
        lineHeight: 1.3,
      }),
      product('product_image', box(0.56, 0.23, 0.35, 0.3)),
      text('compare_right', box(0.55, 0.55, 0.37, 0.23), {
        color: '#ffffff',
        align: 'center',
        valign: 'middle',
        maxSize: 40,
        minSize: 18,
        maxLines: 4,
        lineHeight: 1.25,
      }),
      badge('badge', box(0.76, 0.17, 0.2, 0.06), { maxSize: 28, minSize: 14, fill: 'accent' }),
      badge('price', box(0.3, 0.85, 0.4, 0.085), { maxSize: 56, minSize: 22, fill: 'accent' }),
    ]),
  },
];
