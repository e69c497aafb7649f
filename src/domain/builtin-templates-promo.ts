import {
  type BuiltinTemplate,
  background,
  badge,
  box,
  commonParams,
  layout,
  logo,
  PRODUCT_NEGATIVE,
  param,
  product,
  shape,
  text,
  VERTICAL_VIDEO_SAFE_AREA,
} from './template-builders.ts';

// Promotion templates: the layouts `POST /v1/posters` picks from by aspect (sale square, landscape,
// wide banner, flash sale), plus the category banner and the coupon.

const PROMO_PROMPT =
  'Bold promotional backdrop for {title}, {subtitle}, vivid, no text, {brand.lighting}, {brand.mood}';

const white = (options: Parameters<typeof text>[2]) => ({ color: '#ffffff', ...options });

export const BUILTIN_PROMO_TEMPLATES: readonly BuiltinTemplate[] = [
  {
    name: 'sale_square',
    description: '1:1 sale poster: the offer huge on the brand color, product and price badge below.',
    width: 1080,
    height: 1080,
    format: 'png',
    params: commonParams(),
    prompt_pattern: PROMO_PROMPT,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(1080, [
      background('solid', ['primary']),
      background('radial-gradient', ['#ffffff26', '#ffffff00']),
      text(
        'title',
        box(0.07, 0.07, 0.86, 0.29),
        white({
          align: 'center',
          valign: 'middle',
          maxSize: 170,
          minSize: 48,
          maxLines: 2,
          lineHeight: 1.05,
        }),
      ),
      text(
        'subtitle',
        box(0.1, 0.375, 0.8, 0.06),
        white({ align: 'center', valign: 'middle', maxSize: 50, minSize: 22, maxLines: 1 }),
      ),
      product('product_image', box(0.22, 0.46, 0.56, 0.36)),
      badge('badge', box(0.72, 0.46, 0.2, 0.14), {
        shape: 'circle',
        maxSize: 44,
        minSize: 18,
        fill: 'accent',
      }),
      badge('price', box(0.24, 0.85, 0.52, 0.09), {
        maxSize: 76,
        minSize: 28,
        fill: '#ffffff',
        color: 'accent',
      }),
    ]),
  },
  {
    name: 'promo_landscape',
    description: '1200×630 sale poster for links and ads: the offer huge on the left, product on the right.',
    width: 1200,
    height: 630,
    format: 'png',
    params: commonParams(),
    prompt_pattern: PROMO_PROMPT,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(1200, [
      background('solid', ['accent']),
      background('linear-gradient', ['#00000000', '#00000066'], 20),
      text(
        'title',
        box(0.05, 0.1, 0.56, 0.46),
        white({ valign: 'middle', maxSize: 150, minSize: 40, maxLines: 2, lineHeight: 1.05 }),
      ),
      text(
        'subtitle',
        box(0.05, 0.58, 0.56, 0.12),
        white({ valign: 'middle', maxSize: 48, minSize: 20, maxLines: 1 }),
      ),
      badge('price', box(0.05, 0.75, 0.32, 0.14), {
        maxSize: 60,
        minSize: 24,
        fill: '#ffffff',
        color: 'accent',
      }),
      product('product_image', box(0.63, 0.08, 0.33, 0.84)),
      badge('badge', box(0.8, 0.06, 0.17, 0.1), { maxSize: 32, minSize: 16, fill: 'primary' }),
    ]),
  },
  {
    name: 'banner_wide',
    description: '1920×600 shop banner: headline, line and price on a brand gradient, product on the right.',
    width: 1920,
    height: 600,
    format: 'png',
    params: commonParams(),
    prompt_pattern: `Wide web banner backdrop for {title}, {subtitle}, {brand.lighting}, {brand.composition}, {brand.mood}`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(1920, [
      background('linear-gradient', ['primary', 'secondary'], 0),
      logo(box(0.05, 0.07, 0.14, 0.11)),
      text(
        'title',
        box(0.05, 0.22, 0.52, 0.38),
        white({ valign: 'bottom', maxSize: 130, minSize: 40, maxLines: 2, lineHeight: 1.05 }),
      ),
      text(
        'subtitle',
        box(0.05, 0.62, 0.52, 0.11),
        white({ font: 'body', weight: 400, valign: 'middle', maxSize: 48, minSize: 20, maxLines: 1 }),
      ),
      badge('price', box(0.05, 0.77, 0.2, 0.13), { maxSize: 56, minSize: 24, fill: 'accent' }),
      shape('ellipse', box(0.62, 0.08, 0.3, 0.92), '#ffffff', { opacity: 0.1 }),
      product('product_image', box(0.62, 0.06, 0.3, 0.88)),
      badge('badge', box(0.86, 0.07, 0.1, 0.12), { maxSize: 36, minSize: 16, fill: 'accent' }),
    ]),
  },
  {
    name: 'category_banner',
    description:
      '1200×400 category header: the category name on a brand block over a striped ground, product at the right.',
    width: 1200,
    height: 400,
    format: 'png',
    params: commonParams(),
    prompt_pattern: `Category banner backdrop for {title}, {subtitle}, {brand.lighting}, {brand.mood}`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(1200, [
      background('pattern', ['background', 'secondary'], 90, { pattern: 'stripes' }),
      shape('rect', box(0, 0, 0.56, 1), 'primary'),
      text(
        'title',
        box(0.05, 0.18, 0.47, 0.42),
        white({ valign: 'bottom', maxSize: 96, minSize: 30, maxLines: 2, lineHeight: 1.05 }),
      ),
      text(
        'subtitle',
        box(0.05, 0.64, 0.47, 0.16),
        white({ font: 'body', weight: 400, valign: 'middle', maxSize: 36, minSize: 16, maxLines: 1 }),
      ),
      product('product_image', box(0.62, 0.08, 0.33, 0.84)),
      badge('badge', box(0.84, 0.06, 0.13, 0.14), { maxSize: 28, minSize: 14, fill: 'accent' }),
    ]),
  },
  {
    name: 'coupon',
    description:
      '2:1 coupon: the amount large, the condition and dates beside it, the code on a tear-off stub.',
    width: 1080,
    height: 540,
    format: 'png',
    params: [...commonParams(), param('code', 'The coupon code, e.g. SUMMER20', { max_length: 24 })],
    prompt_pattern: PROMO_PROMPT,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(1080, [
      background('solid', ['background']),
      shape('rect', box(0.04, 0.08, 0.92, 0.84), 'accent', { radius: 'brand' }),
      shape('rect', box(0.655, 0.14, 0.004, 0.72), '#ffffff', { opacity: 0.6 }),
      text(
        'price',
        box(0.08, 0.14, 0.54, 0.4),
        white({ valign: 'middle', maxSize: 170, minSize: 40, maxLines: 1 }),
      ),
      text(
        'title',
        box(0.08, 0.56, 0.54, 0.14),
        white({ valign: 'middle', maxSize: 56, minSize: 22, maxLines: 1 }),
      ),
      text(
        'subtitle',
        box(0.08, 0.72, 0.54, 0.12),
        white({ font: 'body', weight: 400, valign: 'middle', maxSize: 34, minSize: 16, maxLines: 2 }),
      ),
      text(
        'badge',
        box(0.69, 0.2, 0.24, 0.12),
        white({ align: 'center', valign: 'middle', maxSize: 40, minSize: 16, maxLines: 1 }),
      ),
      badge('code', box(0.69, 0.42, 0.24, 0.18), {
        shape: 'rect',
        maxSize: 44,
        minSize: 16,
        fill: '#ffffff',
        color: 'accent',
      }),
      logo(box(0.71, 0.68, 0.2, 0.12), 'center'),
    ]),
  },
  {
    name: 'flash_sale',
    description:
      '9:16 flash sale (限时秒杀) for live and story placements: generated backdrop, huge offer, product, price; text inside the vertical-video safe area.',
    width: 1080,
    height: 1920,
    format: 'png',
    params: commonParams(),
    prompt_pattern: PROMO_PROMPT,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(
      1080,
      [
        background('generated', ['accent', 'primary']),
        badge('badge', box(0.06, 0.13, 0.34, 0.045), { maxSize: 48, minSize: 22, fill: 'primary' }),
        text(
          'title',
          box(0.06, 0.19, 0.88, 0.2),
          white({
            align: 'center',
            valign: 'middle',
            maxSize: 200,
            minSize: 56,
            maxLines: 3,
            lineHeight: 1.05,
          }),
        ),
        shape('rect', box(0.1, 0.4, 0.8, 0.055), '#00000040', { radius: 'brand' }),
        text(
          'subtitle',
          box(0.12, 0.405, 0.76, 0.045),
          white({ align: 'center', valign: 'middle', maxSize: 56, minSize: 22, maxLines: 1 }),
        ),
        product('product_image', box(0.14, 0.47, 0.72, 0.28)),
        badge('price', box(0.18, 0.775, 0.64, 0.065), {
          maxSize: 96,
          minSize: 36,
          fill: '#ffffff',
          color: 'accent',
        }),
      ],
      VERTICAL_VIDEO_SAFE_AREA,
    ),
  },
];
