import { BUILTIN_PROMO_TEMPLATES } from './builtin-templates-promo.ts';
import { BUILTIN_SHOP_TEMPLATES } from './builtin-templates-shop.ts';
import { BUILTIN_SOCIAL_TEMPLATES } from './builtin-templates-social.ts';
import {
  type BuiltinTemplate,
  background,
  badge,
  box,
  commonParams,
  image,
  layout,
  PRODUCT_NEGATIVE,
  PRODUCT_PROMPT,
  shape,
  softBackdrop,
  text,
  VERTICAL_VIDEO_SAFE_AREA,
} from './template-builders.ts';

export type { BuiltinTemplate } from './template-builders.ts';

/**
 * The templates every Vitrine install ships with. Layouts are designed for the studio renderer;
 * colors are palette roles so each template renders in any brand, and boxes are canvas fractions
 * so they survive other sizes of a similar aspect. The renderer keeps text legible on its own
 * (it deepens, lightens or flips a text color that lacks contrast, or lays a scrim under it), so
 * designs may use brand roles freely. The catalog stores each as version 1 of a built-in template.
 * The first six are the original set; the shop set (builtin-templates-shop.ts) follows.
 */
const ORIGINAL_TEMPLATES: readonly BuiltinTemplate[] = [
  {
    name: 'product_hero',
    description:
      'Square main product image: the product large and centered on a clean light backdrop, title and price below.',
    width: 1024,
    height: 1024,
    format: 'png',
    params: commonParams(),
    prompt_pattern: `${PRODUCT_PROMPT}, isolated on a clean light seamless background, centered, high detail`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(1024, [
      softBackdrop,
      shape('ellipse', box(0.17, 0.07, 0.66, 0.62), 'secondary', { opacity: 0.12 }),
      shape('ellipse', box(0.26, 0.6, 0.48, 0.05), '#000000', { opacity: 0.06 }),
      image('product_image', box(0.16, 0.07, 0.68, 0.56)),
      badge('badge', box(0.05, 0.045, 0.26, 0.062), { maxSize: 34, minSize: 18, fill: 'primary' }),
      text('title', box(0.08, 0.665, 0.84, 0.135), {
        align: 'center',
        valign: 'bottom',
        maxSize: 60,
        minSize: 26,
        maxLines: 2,
        lineHeight: 1.18,
      }),
      text('subtitle', box(0.1, 0.805, 0.8, 0.05), {
        font: 'body',
        weight: 400,
        align: 'center',
        valign: 'middle',
        maxSize: 30,
        minSize: 18,
        maxLines: 1,
      }),
      badge('price', box(0.3, 0.875, 0.4, 0.078), { maxSize: 48, minSize: 24 }),
    ]),
  },
  {
    name: 'live_cover',
    description:
      '9:16 live-stream cover: big headline, LIVE badge and product; text stays out of the top 12% and bottom 15% where platform overlays sit.',
    width: 1080,
    height: 1920,
    format: 'png',
    params: commonParams(),
    prompt_pattern: `Vertical live-stream cover featuring {title}, {subtitle}, energetic, {brand.lighting}, {brand.composition}, {brand.mood}`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(
      1080,
      [
        background('linear-gradient', ['primary', 'secondary'], 75),
        shape('ellipse', box(0.08, 0.16, 0.84, 0.46), '#ffffff', { opacity: 0.1 }),
        shape('ellipse', box(0.22, 0.58, 0.56, 0.025), '#000000', { opacity: 0.12 }),
        image('product_image', box(0.12, 0.19, 0.76, 0.4)),
        badge('badge', box(0.06, 0.128, 0.3, 0.04), { maxSize: 44, minSize: 24, fill: 'accent' }),
        text('title', box(0.07, 0.62, 0.86, 0.12), {
          color: '#ffffff',
          align: 'center',
          valign: 'middle',
          maxSize: 130,
          minSize: 48,
          maxLines: 3,
          lineHeight: 1.12,
        }),
        text('subtitle', box(0.1, 0.748, 0.8, 0.042), {
          font: 'body',
          weight: 400,
          color: '#ffffff',
          align: 'center',
          valign: 'middle',
          maxSize: 44,
          minSize: 24,
          maxLines: 2,
        }),
        badge('price', box(0.26, 0.797, 0.48, 0.053), { maxSize: 72, minSize: 30, fill: 'accent' }),
      ],
      VERTICAL_VIDEO_SAFE_AREA,
    ),
  },
  {
    name: 'promo_poster',
    description: 'Tall sale poster: bold gradient, huge offer headline, product and a price badge.',
    width: 1080,
    height: 1920,
    format: 'png',
    params: commonParams(),
    prompt_pattern: `Bold promotional poster for {title}, {subtitle}, dynamic composition, vivid colors, {brand.lighting}, {brand.mood}`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(1080, [
      // The sale color, lit at the top and deepening toward the bottom: bold without the muddy
      // middle a gradient between two unrelated brand colors gets.
      background('solid', ['accent']),
      background('linear-gradient', ['#00000000', '#00000059'], 100),
      shape('ellipse', box(0.1, 0.45, 0.8, 0.4), '#ffffff', { opacity: 0.12 }),
      // The product stands on a pedestal (a product-photography scene, staged under its box).
      background('podium', ['background', 'secondary']),
      text('title', box(0.07, 0.08, 0.86, 0.25), {
        color: '#ffffff',
        align: 'center',
        valign: 'middle',
        maxSize: 190,
        minSize: 56,
        maxLines: 3,
        lineHeight: 1.08,
      }),
      shape('rect', box(0.12, 0.345, 0.76, 0.06), '#00000033', { radius: 'brand' }),
      text('subtitle', box(0.14, 0.35, 0.72, 0.05), {
        color: '#ffffff',
        align: 'center',
        valign: 'middle',
        maxSize: 58,
        minSize: 24,
        maxLines: 1,
      }),
      image('product_image', box(0.14, 0.46, 0.72, 0.36)),
      badge('badge', box(0.68, 0.44, 0.24, 0.135), {
        shape: 'circle',
        maxSize: 60,
        minSize: 28,
        fill: 'primary',
      }),
      badge('price', box(0.18, 0.85, 0.64, 0.085), {
        maxSize: 112,
        minSize: 44,
        fill: '#ffffff',
        color: 'accent',
      }),
    ]),
  },
  {
    name: 'blog_hero',
    description: 'Wide blog or article header: headline and text on the left, product photo on the right.',
    width: 1200,
    height: 630,
    format: 'png',
    params: commonParams(),
    prompt_pattern: `Editorial lifestyle photo of {title}, {subtitle}, wide banner composition with the subject on the right, {brand.lighting}, {brand.composition}, {brand.mood}`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(1200, [
      softBackdrop,
      shape('rect', box(0.54, 0.09, 0.4, 0.82), 'secondary', { opacity: 0.14, radius: 'brand' }),
      image('product_image', box(0.54, 0.09, 0.4, 0.82), { fit: 'cover' }),
      badge('badge', box(0.07, 0.1, 0.22, 0.075), { maxSize: 28, minSize: 16, fill: 'accent' }),
      // The title sits on the accent rule, so a one-line title stays with its subtitle.
      text('title', box(0.07, 0.2, 0.42, 0.44), {
        valign: 'bottom',
        maxSize: 76,
        minSize: 28,
        maxLines: 3,
        lineHeight: 1.15,
      }),
      shape('rect', box(0.07, 0.675, 0.05, 0.01), 'accent', { radius: 4 }),
      text('subtitle', box(0.07, 0.71, 0.42, 0.11), {
        font: 'body',
        weight: 400,
        maxSize: 26,
        minSize: 16,
        maxLines: 2,
        lineHeight: 1.3,
      }),
      text('price', box(0.07, 0.82, 0.42, 0.1), { color: 'accent', maxSize: 44, minSize: 24, maxLines: 1 }),
    ]),
  },
  {
    name: 'social_post',
    description:
      '4:5 social feed post: brand color block with the headline, product overlapping its edge, price below.',
    width: 1080,
    height: 1350,
    format: 'png',
    params: commonParams(),
    prompt_pattern: `Eye-catching social media post photo of {title}, {subtitle}, {brand.lighting}, {brand.composition}, {brand.mood}`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(1080, [
      softBackdrop,
      shape('rect', box(0, 0, 1, 0.55), 'primary'),
      badge('badge', box(0.38, 0.05, 0.24, 0.045), { maxSize: 34, minSize: 18, fill: 'accent' }),
      text('title', box(0.08, 0.115, 0.84, 0.165), {
        color: '#ffffff',
        align: 'center',
        valign: 'middle',
        maxSize: 92,
        minSize: 40,
        maxLines: 2,
        lineHeight: 1.12,
      }),
      text('subtitle', box(0.1, 0.285, 0.8, 0.05), {
        font: 'body',
        weight: 400,
        color: '#ffffff',
        align: 'center',
        valign: 'middle',
        maxSize: 38,
        minSize: 22,
        maxLines: 1,
      }),
      image('product_image', box(0.17, 0.36, 0.66, 0.44)),
      text('price', box(0.1, 0.83, 0.8, 0.1), {
        color: 'accent',
        align: 'center',
        valign: 'middle',
        maxSize: 84,
        minSize: 36,
        maxLines: 1,
      }),
    ]),
  },
  {
    name: 'text_card',
    description:
      'Typographic card: the title (or a plain prompt) large on a brand gradient. Works at any aspect ratio; an optional photo becomes a tinted backdrop.',
    width: 1024,
    height: 1024,
    format: 'png',
    params: commonParams(500),
    prompt_pattern: '{title}, {subtitle}, {brand.lighting}, {brand.composition}, {brand.mood}',
    negative_prompt: 'watermark, blurry, low quality, distorted text',
    layout: layout(1024, [
      background('linear-gradient', ['primary', 'secondary'], 45),
      // A photo given here becomes a backdrop: the renderer tints it with the primary color.
      image('product_image', box(0, 0, 1, 1), { fit: 'cover', shadow: false }),
      badge('badge', box(0.08, 0.07, 0.3, 0.06), { maxSize: 30, minSize: 16, fill: 'accent' }),
      shape('rect', box(0.08, 0.2, 0.09, 0.012), 'accent', { radius: 4 }),
      text('title', box(0.08, 0.25, 0.84, 0.46), {
        color: '#ffffff',
        valign: 'middle',
        maxSize: 116,
        minSize: 26,
        // Room for long prompts; tall canvases fit more, larger lines.
        maxLines: 8,
        lineHeight: 1.2,
      }),
      text('subtitle', box(0.08, 0.74, 0.84, 0.1), {
        font: 'body',
        weight: 400,
        color: '#ffffff',
        maxSize: 34,
        minSize: 18,
        maxLines: 2,
        lineHeight: 1.3,
      }),
      text('price', box(0.08, 0.85, 0.84, 0.08), { color: 'accent', maxSize: 48, minSize: 22, maxLines: 1 }),
    ]),
  },
];

export const BUILTIN_TEMPLATES: readonly BuiltinTemplate[] = [
  ...ORIGINAL_TEMPLATES,
  ...BUILTIN_SHOP_TEMPLATES,
  ...BUILTIN_SOCIAL_TEMPLATES,
  ...BUILTIN_PROMO_TEMPLATES,
];

export function findBuiltinTemplate(name: string): BuiltinTemplate | undefined {
  return BUILTIN_TEMPLATES.find((template) => template.name === name);
}
