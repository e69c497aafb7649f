import { BUILTIN_EDITORIAL_TEMPLATES } from './builtin-templates-editorial.ts';
import { BUILTIN_PROMO_TEMPLATES } from './builtin-templates-promo.ts';
import { BUILTIN_SHOP_TEMPLATES } from './builtin-templates-shop.ts';
import { BUILTIN_SOCIAL_TEMPLATES } from './builtin-templates-social.ts';
import {
  type BuiltinTemplate,
  background,
  badge,
  box,
  decoration,
  headline,
  headlineOrAlone,
  layout,
  PRODUCT_NEGATIVE,
  PRODUCT_PROMPT,
  photo,
  price,
  pricedParams,
  shape,
  subline,
  VERTICAL_VIDEO_SAFE_AREA,
  withoutPhoto,
  withPhoto,
} from './template-builders.ts';

export type { BuiltinTemplate } from './template-builders.ts';

/**
 * The templates every Vitrine install ships with. Each is a layout family for its channel: the
 * main layer list and alternate `compositions` (the engine lays out each as a candidate and the
 * `n` variants of a request take different ones), each complete with a product photo and, through
 * `when`, as a typographic design without one. Colors are palette roles of the template's style
 * pack (or the brand), type comes from the pack's font roles, boxes are canvas fractions. Text
 * and prices sit on `background` or on a `secondary` panel, the roles every pack makes legible.
 * The catalog stores each as version 1 of a built-in template.
 */
const HERO_TEMPLATES: readonly BuiltinTemplate[] = [
  {
    name: 'product_hero',
    description:
      'Square main product image: the product large on a clean backdrop, title and price set below or beside it; without a photo a typographic card.',
    width: 1024,
    height: 1024,
    format: 'png',
    params: pricedParams(),
    prompt_pattern: `${PRODUCT_PROMPT}, isolated on a clean light seamless background, centered, high detail`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(
      1024,
      [
        background('solid', ['background']),
        decoration(box(0, 0, 1, 1)),
        badge('badge', box(0.05, 0.045, 0.2, 0.056), { maxSize: 36, minSize: 21 }),
        ...withPhoto(
          photo(box(0.1, 0.05, 0.8, 0.62)),
          headline(box(0.08, 0.685, 0.84, 0.125), {
            align: 'center',
            valign: 'bottom',
            maxSize: 72,
            minSize: 46,
            maxLines: 2,
          }),
          subline(box(0.1, 0.815, 0.8, 0.05), { align: 'center', maxSize: 34, minSize: 25, maxLines: 1 }),
          price(box(0.2, 0.865, 0.6, 0.11), { align: 'center', maxSize: 110, minSize: 52 }),
        ),
        ...headlineOrAlone(
          box(0.08, 0.16, 0.84, 0.4),
          { align: 'center', valign: 'bottom', maxSize: 124, minSize: 46 },
          box(0.08, 0.14, 0.84, 0.72),
          230,
        ),
        ...withoutPhoto(
          subline(box(0.1, 0.59, 0.8, 0.1), { align: 'center', maxSize: 36, minSize: 25 }),
          price(box(0.12, 0.71, 0.76, 0.2), { align: 'center', maxSize: 220, minSize: 52 }),
        ),
      ],
      {
        stylePack: 'minimal',
        compositions: {
          'product-right': [
            background('solid', ['background']),
            decoration(box(0, 0, 1, 1)),
            badge('badge', box(0.06, 0.08, 0.2, 0.056), { maxSize: 36, minSize: 21 }),
            ...withPhoto(
              photo(box(0.42, 0.06, 0.54, 0.88)),
              headline(box(0.06, 0.17, 0.36, 0.37), {
                valign: 'bottom',
                maxSize: 72,
                minSize: 46,
                maxLines: 4,
              }),
              subline(box(0.06, 0.56, 0.36, 0.14), { maxSize: 30, minSize: 25, maxLines: 3 }),
              price(box(0.06, 0.74, 0.36, 0.14), { maxSize: 96, minSize: 52 }),
            ),
            ...headlineOrAlone(
              box(0.06, 0.16, 0.88, 0.4),
              { valign: 'bottom', maxSize: 130, minSize: 46 },
              box(0.06, 0.16, 0.88, 0.68),
              240,
              [shape('rect', box(0.06, 0.59, 0.12, 0.012), 'highlight')],
            ),
            ...withoutPhoto(
              subline(box(0.06, 0.63, 0.62, 0.1), { maxSize: 34, minSize: 25 }),
              price(box(0.06, 0.715, 0.7, 0.195), { maxSize: 210, minSize: 52 }),
            ),
          ],
          'product-left': [
            background('solid', ['background']),
            ...withPhoto(
              shape('rect', box(0, 0, 0.58, 1), 'secondary'),
              photo(box(0.04, 0.08, 0.5, 0.84)),
              badge('badge', box(0.62, 0.1, 0.2, 0.056), { maxSize: 36, minSize: 21 }),
              headline(box(0.62, 0.2, 0.34, 0.34), {
                valign: 'bottom',
                maxSize: 68,
                minSize: 46,
                maxLines: 4,
              }),
              subline(box(0.62, 0.56, 0.34, 0.14), { maxSize: 28, minSize: 25, maxLines: 3 }),
              price(box(0.62, 0.74, 0.34, 0.14), { maxSize: 90, minSize: 52 }),
            ),
            ...withoutPhoto(
              decoration(box(0, 0, 1, 1)),
              price(box(0.1, 0.1, 0.8, 0.22), { align: 'center', maxSize: 190, minSize: 52 }),
            ),
            ...headlineOrAlone(
              box(0.08, 0.36, 0.84, 0.32),
              { align: 'center', valign: 'middle', maxSize: 110, minSize: 46 },
              box(0.08, 0.14, 0.84, 0.64),
              230,
            ),
            ...withoutPhoto(
              subline(box(0.1, 0.71, 0.8, 0.09), { align: 'center', maxSize: 34, minSize: 25 }),
              badge('badge', box(0.4, 0.84, 0.2, 0.056), { maxSize: 36, minSize: 21 }),
            ),
          ],
        },
      },
    ),
  },
  {
    name: 'live_cover',
    description:
      '9:16 live-stream cover: big headline, LIVE badge, the product large and the price in display numerals; text stays out of the top 12% and bottom 15% where platform overlays sit.',
    width: 1080,
    height: 1920,
    format: 'png',
    params: pricedParams(),
    prompt_pattern: `Vertical live-stream cover featuring {title}, {subtitle}, energetic, {brand.lighting}, {brand.composition}, {brand.mood}`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(
      1080,
      [
        background('solid', ['background']),
        decoration(box(0, 0, 1, 1)),
        badge('badge', box(0.06, 0.13, 0.26, 0.04), { maxSize: 44, minSize: 24 }),
        ...withPhoto(
          headline(box(0.06, 0.175, 0.88, 0.14), {
            align: 'center',
            valign: 'middle',
            maxSize: 130,
            minSize: 56,
            maxLines: 2,
          }),
          photo(box(0.06, 0.315, 0.88, 0.385)),
          price(box(0.1, 0.705, 0.8, 0.085), { align: 'center', maxSize: 150, minSize: 60 }),
          subline(box(0.08, 0.795, 0.84, 0.05), { align: 'center', maxSize: 42, minSize: 28 }),
        ),
        ...withoutPhoto(
          headline(box(0.06, 0.2, 0.88, 0.3), {
            align: 'center',
            valign: 'middle',
            maxSize: 210,
            minSize: 56,
          }),
          subline(box(0.08, 0.52, 0.84, 0.07), { align: 'center', maxSize: 48, minSize: 28 }),
          price(box(0.08, 0.61, 0.84, 0.235), { align: 'center', maxSize: 380, minSize: 60 }),
        ),
      ],
      {
        safeArea: VERTICAL_VIDEO_SAFE_AREA,
        stylePack: 'festive',
        compositions: {
          'product-top': [
            background('solid', ['background']),
            decoration(box(0, 0, 1, 1)),
            badge('badge', box(0.7, 0.13, 0.24, 0.04), { maxSize: 44, minSize: 24 }),
            ...withPhoto(
              photo(box(0.06, 0.14, 0.88, 0.44)),
              headline(box(0.06, 0.59, 0.88, 0.11), {
                align: 'center',
                valign: 'middle',
                maxSize: 120,
                minSize: 56,
                maxLines: 2,
              }),
              subline(box(0.08, 0.705, 0.84, 0.045), {
                align: 'center',
                maxSize: 40,
                minSize: 28,
                maxLines: 1,
              }),
              price(box(0.1, 0.755, 0.8, 0.09), { align: 'center', maxSize: 140, minSize: 60, plate: 'tag' }),
            ),
            ...withoutPhoto(
              price(box(0.06, 0.18, 0.88, 0.2), { align: 'center', maxSize: 300, minSize: 60 }),
              headline(box(0.06, 0.4, 0.88, 0.26), {
                align: 'center',
                valign: 'middle',
                maxSize: 190,
                minSize: 56,
              }),
              subline(box(0.08, 0.69, 0.84, 0.08), { align: 'center', maxSize: 48, minSize: 28 }),
            ),
          ],
          band: [
            background('solid', ['background']),
            ...withPhoto(
              decoration(box(0, 0.1, 1, 0.55)),
              photo(box(0.04, 0.13, 0.92, 0.5)),
              shape('rect', box(0, 0.64, 1, 0.21), 'secondary'),
              badge('badge', box(0.06, 0.13, 0.26, 0.04), { maxSize: 44, minSize: 24 }),
              headline(box(0.06, 0.655, 0.88, 0.1), {
                valign: 'middle',
                maxSize: 110,
                minSize: 56,
                maxLines: 2,
              }),
              price(box(0.06, 0.76, 0.46, 0.08), { maxSize: 130, minSize: 60 }),
              subline(box(0.54, 0.765, 0.4, 0.07), {
                align: 'right',
                valign: 'middle',
                maxSize: 36,
                minSize: 28,
              }),
            ),
            ...withoutPhoto(
              decoration(box(0, 0, 1, 1)),
              badge('badge', box(0.06, 0.14, 0.26, 0.04), { maxSize: 44, minSize: 24 }),
              shape('rect', box(0, 0.24, 1, 0.34), 'secondary'),
              headline(box(0.06, 0.26, 0.88, 0.3), { valign: 'middle', maxSize: 200, minSize: 56 }),
              price(box(0.06, 0.61, 0.88, 0.14), { maxSize: 230, minSize: 60 }),
              subline(box(0.06, 0.76, 0.88, 0.07), { maxSize: 46, minSize: 28 }),
            ),
          ],
        },
      },
    ),
  },
  {
    name: 'promo_poster',
    description:
      'Tall sale poster: the offer huge, the product on a pedestal, the price in big numerals; without a photo a typographic sale poster.',
    width: 1080,
    height: 1920,
    format: 'png',
    params: pricedParams(),
    prompt_pattern: `Bold promotional poster for {title}, {subtitle}, dynamic composition, vivid colors, {brand.lighting}, {brand.mood}`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(
      1080,
      [
        background('solid', ['background']),
        decoration(box(0, 0, 1, 1)),
        ...withPhoto(
          // The product stands on a pedestal (a product-photography scene, staged under its box).
          background('podium', ['secondary', 'highlight']),
          headline(box(0.06, 0.05, 0.88, 0.2), {
            align: 'center',
            valign: 'middle',
            maxSize: 190,
            minSize: 60,
          }),
          subline(box(0.1, 0.26, 0.8, 0.06), { align: 'center', maxSize: 46, minSize: 28 }),
          photo(box(0.1, 0.34, 0.8, 0.44)),
          badge('badge', box(0.7, 0.33, 0.22, 0.124), { shape: 'circle', maxSize: 56, minSize: 28 }),
          price(box(0.1, 0.82, 0.8, 0.12), { align: 'center', maxSize: 190, minSize: 64 }),
        ),
        ...withoutPhoto(
          badge('badge', box(0.36, 0.08, 0.28, 0.05), { maxSize: 48, minSize: 28 }),
          headline(box(0.06, 0.16, 0.88, 0.36), {
            align: 'center',
            valign: 'middle',
            maxSize: 260,
            minSize: 60,
            maxLines: 4,
          }),
          subline(box(0.1, 0.54, 0.8, 0.08), { align: 'center', maxSize: 52, minSize: 28 }),
          // The price fills the lower third: a typographic poster leaves no empty foot.
          price(box(0.08, 0.64, 0.84, 0.28), { align: 'center', maxSize: 460, minSize: 64 }),
        ),
      ],
      {
        stylePack: 'festive',
        compositions: {
          'product-top': [
            background('solid', ['background']),
            decoration(box(0, 0, 1, 1)),
            ...withPhoto(
              shape('rect', box(0, 0.5, 1, 0.5), 'secondary'),
              photo(box(0.08, 0.05, 0.84, 0.5)),
              badge('badge', box(0.06, 0.04, 0.26, 0.045), { maxSize: 44, minSize: 28 }),
              headline(box(0.06, 0.57, 0.88, 0.18), {
                align: 'center',
                valign: 'middle',
                maxSize: 170,
                minSize: 60,
              }),
              subline(box(0.1, 0.76, 0.8, 0.06), { align: 'center', maxSize: 44, minSize: 28 }),
              price(box(0.1, 0.83, 0.8, 0.12), { align: 'center', maxSize: 180, minSize: 64 }),
            ),
            ...withoutPhoto(
              shape('rect', box(0, 0.58, 1, 0.42), 'secondary'),
              headline(box(0.06, 0.08, 0.88, 0.42), {
                valign: 'bottom',
                maxSize: 280,
                minSize: 60,
                maxLines: 4,
              }),
              badge('badge', box(0.06, 0.52, 0.28, 0.045), { maxSize: 44, minSize: 28 }),
              price(box(0.06, 0.62, 0.88, 0.2), { maxSize: 300, minSize: 64 }),
              subline(box(0.06, 0.84, 0.88, 0.1), { maxSize: 52, minSize: 28 }),
            ),
          ],
          'price-first': [
            background('solid', ['background']),
            decoration(box(0, 0, 1, 1)),
            ...withPhoto(
              price(box(0.06, 0.05, 0.88, 0.14), {
                align: 'center',
                maxSize: 230,
                minSize: 64,
                plate: 'ribbon',
              }),
              headline(box(0.06, 0.2, 0.88, 0.14), {
                align: 'center',
                valign: 'middle',
                maxSize: 150,
                minSize: 60,
                maxLines: 2,
              }),
              photo(box(0.06, 0.36, 0.88, 0.5)),
              badge('badge', box(0.72, 0.37, 0.22, 0.124), { shape: 'circle', maxSize: 56, minSize: 28 }),
              subline(box(0.1, 0.88, 0.8, 0.07), { align: 'center', maxSize: 46, minSize: 28 }),
            ),
            ...withoutPhoto(
              price(box(0.06, 0.12, 0.88, 0.26), { align: 'center', maxSize: 400, minSize: 64 }),
              headline(box(0.06, 0.42, 0.88, 0.3), {
                align: 'center',
                valign: 'middle',
                maxSize: 220,
                minSize: 60,
              }),
              subline(box(0.1, 0.74, 0.8, 0.08), { align: 'center', maxSize: 52, minSize: 28 }),
              badge('badge', box(0.36, 0.85, 0.28, 0.05), { maxSize: 48, minSize: 28 }),
            ),
          ],
        },
      },
    ),
  },
];

export const BUILTIN_TEMPLATES: readonly BuiltinTemplate[] = [
  ...HERO_TEMPLATES,
  ...BUILTIN_EDITORIAL_TEMPLATES,
  ...BUILTIN_SHOP_TEMPLATES,
  ...BUILTIN_SOCIAL_TEMPLATES,
  ...BUILTIN_PROMO_TEMPLATES,
];

export function findBuiltinTemplate(name: string): BuiltinTemplate | undefined {
  return BUILTIN_TEMPLATES.find((template) => template.name === name);
}
