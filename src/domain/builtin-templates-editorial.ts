import type { Layer } from './layout.ts';
import { when } from './offer-layer-builders.ts';
import {
  type BuiltinTemplate,
  background,
  badge,
  box,
  decoration,
  headline,
  image,
  layout,
  PHOTO,
  PRODUCT_NEGATIVE,
  photo,
  price,
  pricedParams,
  shape,
  subline,
  WITH_PHOTO,
  withoutPhoto,
  withPhoto,
} from './template-builders.ts';

// Editorial and feed templates: the blog header, the 4:5 social post and the typographic card.

/**
 * text_card's words on the whole canvas, without a photo: one of its arrangements. A short title
 * is set as large as the width allows (a poster of its words, not a small line over an empty
 * card); long prompts step down to fit their eight lines. The price is the second-largest text.
 */
function cardTexts(align: 'left' | 'center', anchor: 'middle' | 'bottom'): Layer[] {
  const centered = align === 'center';
  return [
    badge('badge', box(centered ? 0.38 : 0.08, 0.07, 0.24, 0.06), { maxSize: 30, minSize: 21 }),
    ...(centered ? [] : [shape('rect', box(0.08, 0.2, 0.09, 0.012), 'highlight')]),
    headline(box(0.08, anchor === 'bottom' ? 0.26 : 0.22, 0.84, anchor === 'bottom' ? 0.42 : 0.46), {
      align,
      valign: anchor,
      maxSize: 190,
      minSize: 46,
      maxLines: 8,
      lineHeight: 1.12,
    }),
    subline(box(0.08, 0.7, 0.84, 0.08), { align, maxSize: 34, minSize: 25 }),
    price(box(centered ? 0.2 : 0.08, 0.79, centered ? 0.6 : 0.7, 0.13), { align, maxSize: 130, minSize: 52 }),
  ];
}

/**
 * text_card with a photo: the photo is shown, never dimmed and blurred under the words. The base
 * arrangement sets the product large (cut out) on a panel beside the words, the centered one above
 * them, the third shows the photo itself in a frame beside them.
 */
function cardWithPhoto(arrangement: 'beside' | 'above' | 'framed'): Layer[] {
  if (arrangement === 'beside') {
    return withPhoto(
      shape('rect', box(0.52, 0, 0.48, 1), 'secondary'),
      photo(box(0.54, 0.08, 0.44, 0.84)),
      badge('badge', box(0.07, 0.08, 0.24, 0.06), { maxSize: 30, minSize: 21 }),
      shape('rect', box(0.07, 0.2, 0.09, 0.012), 'highlight'),
      headline(box(0.07, 0.23, 0.41, 0.42), { valign: 'middle', maxSize: 110, minSize: 46, maxLines: 6 }),
      subline(box(0.07, 0.67, 0.41, 0.12), { maxSize: 32, minSize: 25, maxLines: 3 }),
      price(box(0.07, 0.81, 0.41, 0.11), { maxSize: 90, minSize: 52 }),
    );
  }
  if (arrangement === 'above') {
    return withPhoto(
      decoration(box(0, 0, 1, 0.5)),
      photo(box(0.12, 0.04, 0.76, 0.47)),
      badge('badge', box(0.74, 0.06, 0.2, 0.06), { maxSize: 30, minSize: 21 }),
      headline(box(0.08, 0.51, 0.84, 0.22), {
        align: 'center',
        valign: 'middle',
        maxSize: 100,
        minSize: 46,
        maxLines: 3,
      }),
      subline(box(0.1, 0.74, 0.8, 0.07), { align: 'center', maxSize: 32, minSize: 25, maxLines: 2 }),
      price(box(0.2, 0.82, 0.6, 0.12), { align: 'center', maxSize: 96, minSize: 52 }),
    );
  }
  // Framed: a portrait mat, so a product shot keeps its subject whole when cropped to fill it.
  return withPhoto(
    shape('rect', box(0.05, 0.05, 0.45, 0.9), 'secondary'),
    image(PHOTO, box(0.07, 0.07, 0.41, 0.86), { fit: 'cover', shadow: false, when: WITH_PHOTO }),
    badge('badge', box(0.56, 0.08, 0.24, 0.06), { maxSize: 30, minSize: 21 }),
    headline(box(0.56, 0.18, 0.38, 0.44), { valign: 'bottom', maxSize: 110, minSize: 46, maxLines: 6 }),
    shape('rect', box(0.56, 0.645, 0.09, 0.012), 'highlight'),
    subline(box(0.56, 0.68, 0.38, 0.11), { maxSize: 32, minSize: 25, maxLines: 3 }),
    price(box(0.56, 0.81, 0.38, 0.11), { maxSize: 90, minSize: 52 }),
  );
}

function cardLayers(
  align: 'left' | 'center',
  anchor: 'middle' | 'bottom',
  arrangement: 'beside' | 'above' | 'framed',
): Layer[] {
  return [
    background('solid', ['background']),
    ...cardWithPhoto(arrangement),
    ...withoutPhoto(decoration(box(0, 0, 1, 1)), ...cardTexts(align, anchor)),
  ];
}

export const BUILTIN_EDITORIAL_TEMPLATES: readonly BuiltinTemplate[] = [
  {
    name: 'blog_hero',
    description:
      'Wide blog or article header: headline and text on one side, the product on a panel on the other; without a photo a typographic header.',
    width: 1200,
    height: 630,
    format: 'png',
    params: pricedParams(),
    prompt_pattern: `Editorial lifestyle photo of {title}, {subtitle}, wide banner composition with the subject on the right, {brand.lighting}, {brand.composition}, {brand.mood}`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(
      1200,
      [
        background('solid', ['background']),
        ...withPhoto(
          shape('rect', box(0.52, 0, 0.48, 1), 'secondary'),
          photo(box(0.55, 0.06, 0.42, 0.88)),
          badge('badge', box(0.06, 0.1, 0.16, 0.07), { maxSize: 26, minSize: 16 }),
          headline(box(0.06, 0.2, 0.42, 0.43), { valign: 'bottom', maxSize: 76, minSize: 32 }),
          shape('rect', box(0.06, 0.66, 0.05, 0.01), 'highlight'),
          subline(box(0.06, 0.69, 0.42, 0.12), { maxSize: 26, minSize: 17 }),
          price(box(0.06, 0.82, 0.3, 0.12), { maxSize: 56, minSize: 34 }),
        ),
        // No photo: the price takes the photo's panel, large, rather than leave it empty.
        // `surface`: a panel every pack and brand keeps legible for the price (a brand's secondary may not be).
        when(shape('rect', box(0.64, 0, 0.36, 1), 'surface'), { missing: [PHOTO], has: ['price'] }),
        ...withoutPhoto(
          decoration(box(0.64, 0, 0.36, 1)),
          badge('badge', box(0.06, 0.1, 0.16, 0.07), { maxSize: 26, minSize: 16 }),
          headline(box(0.06, 0.2, 0.54, 0.43), { valign: 'bottom', maxSize: 96, minSize: 32 }),
          shape('rect', box(0.06, 0.66, 0.05, 0.01), 'highlight'),
          subline(box(0.06, 0.69, 0.54, 0.2), { maxSize: 28, minSize: 17, maxLines: 3 }),
        ),
        when(price(box(0.67, 0.28, 0.3, 0.44), { align: 'center', maxSize: 130, minSize: 34 }), {
          missing: [PHOTO],
        }),
      ],
      {
        stylePack: 'minimal',
        compositions: {
          'text-right': [
            background('solid', ['background']),
            ...withPhoto(
              shape('rect', box(0, 0, 0.48, 1), 'secondary'),
              photo(box(0.03, 0.06, 0.42, 0.88)),
              badge('badge', box(0.54, 0.1, 0.16, 0.07), { maxSize: 26, minSize: 16 }),
              headline(box(0.54, 0.2, 0.4, 0.43), { valign: 'bottom', maxSize: 76, minSize: 32 }),
              subline(box(0.54, 0.66, 0.4, 0.14), { maxSize: 26, minSize: 17 }),
              price(box(0.54, 0.82, 0.4, 0.12), { maxSize: 56, minSize: 34 }),
            ),
            ...withoutPhoto(
              decoration(box(0, 0, 1, 1)),
              badge('badge', box(0.42, 0.08, 0.16, 0.07), { maxSize: 26, minSize: 16 }),
              headline(box(0.1, 0.18, 0.8, 0.44), {
                align: 'center',
                valign: 'middle',
                maxSize: 96,
                minSize: 32,
              }),
              subline(box(0.15, 0.64, 0.7, 0.12), { align: 'center', maxSize: 28, minSize: 17 }),
              price(box(0.3, 0.78, 0.4, 0.14), { align: 'center', maxSize: 60, minSize: 34 }),
            ),
          ],
        },
      },
    ),
  },
  {
    name: 'social_post',
    description:
      '4:5 social feed post: a color block with the headline, the product large across its edge, the price in big numerals; without a photo a typographic post.',
    width: 1080,
    height: 1350,
    format: 'png',
    params: pricedParams(),
    prompt_pattern: `Eye-catching social media post photo of {title}, {subtitle}, {brand.lighting}, {brand.composition}, {brand.mood}`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(
      1080,
      [
        background('solid', ['background']),
        ...withPhoto(
          shape('rect', box(0, 0, 1, 0.5), 'secondary'),
          decoration(box(0, 0, 1, 0.5)),
          badge('badge', box(0.38, 0.05, 0.24, 0.045), { maxSize: 34, minSize: 22 }),
          headline(box(0.08, 0.11, 0.84, 0.17), {
            align: 'center',
            valign: 'middle',
            maxSize: 96,
            minSize: 52,
            maxLines: 2,
          }),
          subline(box(0.1, 0.285, 0.8, 0.05), { align: 'center', maxSize: 38, minSize: 27, maxLines: 1 }),
          photo(box(0.08, 0.33, 0.84, 0.52)),
          price(box(0.15, 0.86, 0.7, 0.1), { align: 'center', maxSize: 110, minSize: 56 }),
        ),
        ...withoutPhoto(
          shape('rect', box(0, 0, 1, 0.62), 'secondary'),
          decoration(box(0, 0, 1, 0.62)),
          badge('badge', box(0.38, 0.06, 0.24, 0.045), { maxSize: 34, minSize: 22 }),
          headline(box(0.08, 0.13, 0.84, 0.33), {
            align: 'center',
            valign: 'middle',
            maxSize: 160,
            minSize: 52,
          }),
          subline(box(0.1, 0.48, 0.8, 0.09), { align: 'center', maxSize: 44, minSize: 27 }),
          price(box(0.1, 0.68, 0.8, 0.2), { align: 'center', maxSize: 230, minSize: 56 }),
        ),
      ],
      {
        stylePack: 'fresh',
        compositions: {
          'product-left': [
            background('solid', ['background']),
            ...withPhoto(
              shape('rect', box(0, 0, 0.5, 1), 'secondary'),
              photo(box(0.02, 0.12, 0.56, 0.76)),
              badge('badge', box(0.61, 0.1, 0.26, 0.045), { maxSize: 34, minSize: 22 }),
              headline(box(0.61, 0.17, 0.36, 0.36), {
                valign: 'bottom',
                maxSize: 84,
                minSize: 52,
                maxLines: 4,
              }),
              subline(box(0.61, 0.55, 0.36, 0.14), { maxSize: 32, minSize: 27, maxLines: 3 }),
              price(box(0.61, 0.72, 0.36, 0.12), { maxSize: 100, minSize: 56 }),
            ),
            ...withoutPhoto(
              decoration(box(0, 0, 1, 1)),
              badge('badge', box(0.08, 0.08, 0.26, 0.045), { maxSize: 34, minSize: 22 }),
              headline(box(0.08, 0.16, 0.84, 0.4), {
                valign: 'bottom',
                maxSize: 170,
                minSize: 52,
                maxLines: 4,
              }),
              shape('rect', box(0.08, 0.59, 0.14, 0.008), 'highlight'),
              subline(box(0.08, 0.62, 0.84, 0.1), { maxSize: 44, minSize: 27 }),
              price(box(0.08, 0.75, 0.84, 0.16), { maxSize: 220, minSize: 56 }),
            ),
          ],
        },
      },
    ),
  },
  {
    name: 'text_card',
    description:
      'Typographic card: the title (or a plain prompt) large in the display face. Works at any aspect ratio; an optional photo is shown beside or above the words, cut out, or framed.',
    width: 1024,
    height: 1024,
    format: 'png',
    params: pricedParams(500),
    prompt_pattern: '{title}, {subtitle}, {brand.lighting}, {brand.composition}, {brand.mood}',
    negative_prompt: 'watermark, blurry, low quality, distorted text',
    layout: layout(1024, cardLayers('left', 'middle', 'beside'), {
      stylePack: 'minimal',
      compositions: {
        centered: cardLayers('center', 'middle', 'above'),
        'bottom-left': cardLayers('left', 'bottom', 'framed'),
      },
    }),
  },
];
