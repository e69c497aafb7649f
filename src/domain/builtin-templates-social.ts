import type { Layer } from './layout.ts';
import {
  type BuiltinTemplate,
  background,
  badge,
  box,
  decoration,
  headline,
  layout,
  logo,
  PRODUCT_NEGATIVE,
  photo,
  price,
  pricedParams,
  shape,
  subline,
  VERTICAL_VIDEO_SAFE_AREA,
  withoutPhoto,
  withPhoto,
} from './template-builders.ts';

// Social feed and story templates: square post, new arrival, 9:16 story.

const ground = background('solid', ['background']);

const squareHeadlineTop: Layer[] = [
  ground,
  ...withPhoto(
    background('studio-sweep', ['background', 'secondary'], 90, { horizon: 0.74 }),
    decoration(box(0, 0, 1, 0.3)),
    headline(box(0.08, 0.05, 0.84, 0.14), {
      align: 'center',
      valign: 'middle',
      maxSize: 96,
      minSize: 52,
      maxLines: 2,
    }),
    subline(box(0.1, 0.19, 0.8, 0.05), { align: 'center', maxSize: 36, minSize: 27, maxLines: 1 }),
    photo(box(0.14, 0.25, 0.72, 0.55)),
    badge('badge', box(0.06, 0.27, 0.2, 0.055), { maxSize: 34, minSize: 22 }),
    price(box(0.15, 0.81, 0.7, 0.155), { align: 'center', maxSize: 160, minSize: 56 }),
  ),
  ...withoutPhoto(
    decoration(box(0, 0, 1, 1)),
    badge('badge', box(0.4, 0.08, 0.2, 0.055), { maxSize: 34, minSize: 22 }),
    headline(box(0.08, 0.17, 0.84, 0.4), { align: 'center', valign: 'middle', maxSize: 150, minSize: 52 }),
    subline(box(0.1, 0.59, 0.8, 0.09), { align: 'center', maxSize: 44, minSize: 27 }),
    price(box(0.15, 0.71, 0.7, 0.19), { align: 'center', maxSize: 210, minSize: 56 }),
  ),
];

const squareProductRight: Layer[] = [
  ground,
  decoration(box(0, 0, 1, 1)),
  ...withPhoto(
    shape('ellipse', box(0.4, 0.1, 0.64, 0.8), 'secondary'),
    photo(box(0.44, 0.08, 0.52, 0.84)),
    badge('badge', box(0.06, 0.1, 0.2, 0.055), { maxSize: 34, minSize: 22 }),
    headline(box(0.06, 0.19, 0.38, 0.36), { valign: 'bottom', maxSize: 88, minSize: 52, maxLines: 4 }),
    subline(box(0.06, 0.57, 0.38, 0.14), { maxSize: 32, minSize: 27, maxLines: 3 }),
    price(box(0.06, 0.74, 0.38, 0.14), { maxSize: 110, minSize: 56 }),
  ),
  ...withoutPhoto(
    price(box(0.08, 0.1, 0.84, 0.24), { align: 'center', maxSize: 240, minSize: 56 }),
    headline(box(0.08, 0.38, 0.84, 0.3), { align: 'center', valign: 'middle', maxSize: 130, minSize: 52 }),
    subline(box(0.1, 0.71, 0.8, 0.09), { align: 'center', maxSize: 40, minSize: 27 }),
    badge('badge', box(0.4, 0.84, 0.2, 0.055), { maxSize: 34, minSize: 22 }),
  ),
];

const NEW_STICKER = { shape: 'circle', maxSize: 48, minSize: 22 } as const;

const arrivalTitleTop: Layer[] = [
  ground,
  ...withPhoto(
    background('studio-sweep', ['background', 'secondary'], 90, { horizon: 0.7 }),
    headline(box(0.08, 0.05, 0.62, 0.15), { valign: 'middle', maxSize: 96, minSize: 52, maxLines: 2 }),
    subline(box(0.08, 0.2, 0.62, 0.05), { maxSize: 36, minSize: 27, maxLines: 1 }),
    badge('badge', box(0.74, 0.05, 0.18, 0.144), NEW_STICKER),
    photo(box(0.08, 0.26, 0.84, 0.53)),
    price(box(0.2, 0.8, 0.6, 0.125), { align: 'center', maxSize: 150, minSize: 56 }),
  ),
  ...withoutPhoto(
    decoration(box(0, 0, 1, 1)),
    badge('badge', box(0.74, 0.05, 0.18, 0.144), NEW_STICKER),
    headline(box(0.08, 0.2, 0.84, 0.38), { valign: 'bottom', maxSize: 180, minSize: 52 }),
    shape('rect', box(0.08, 0.61, 0.14, 0.007), 'highlight'),
    subline(box(0.08, 0.64, 0.84, 0.08), { maxSize: 44, minSize: 27 }),
    price(box(0.08, 0.74, 0.7, 0.14), { maxSize: 200, minSize: 56 }),
  ),
  logo(box(0.08, 0.93, 0.26, 0.045)),
];

const arrivalCaptionBelow: Layer[] = [
  ground,
  ...withPhoto(
    shape('rect', box(0, 0, 1, 0.63), 'secondary'),
    photo(box(0.06, 0.04, 0.88, 0.58)),
    badge('badge', box(0.76, 0.05, 0.18, 0.144), NEW_STICKER),
    headline(box(0.08, 0.655, 0.56, 0.15), { valign: 'middle', maxSize: 96, minSize: 52, maxLines: 2 }),
    subline(box(0.08, 0.81, 0.56, 0.06), { maxSize: 36, minSize: 27, maxLines: 2 }),
    price(box(0.62, 0.67, 0.32, 0.12), { align: 'right', maxSize: 110, minSize: 56 }),
  ),
  ...withoutPhoto(
    decoration(box(0, 0, 1, 1)),
    badge('badge', box(0.41, 0.08, 0.18, 0.144), NEW_STICKER),
    headline(box(0.08, 0.27, 0.84, 0.3), { align: 'center', valign: 'middle', maxSize: 170, minSize: 52 }),
    subline(box(0.1, 0.59, 0.8, 0.08), { align: 'center', maxSize: 44, minSize: 27 }),
    price(box(0.15, 0.69, 0.7, 0.15), { align: 'center', maxSize: 200, minSize: 56 }),
  ),
  logo(box(0.37, 0.93, 0.26, 0.045), 'center'),
];

// The story's backdrop is generated (a provider's picture, or a procedural stand-in): a scrim
// darkens it, so its words are white.
const WHITE = '#ffffff';
const storyBackdrop: Layer[] = [
  background('generated', ['primary', 'secondary', 'accent']),
  background('linear-gradient', ['#00000066', '#00000099'], 90),
];

const storyCentered: Layer[] = [
  ...storyBackdrop,
  logo(box(0.08, 0.13, 0.3, 0.04)),
  badge('badge', box(0.66, 0.13, 0.26, 0.04), { maxSize: 44, minSize: 24 }),
  ...withPhoto(
    headline(box(0.06, 0.175, 0.88, 0.14), {
      color: WHITE,
      align: 'center',
      valign: 'middle',
      maxSize: 130,
      minSize: 56,
    }),
    photo(box(0.06, 0.325, 0.88, 0.345)),
    subline(box(0.08, 0.672, 0.84, 0.045), { color: WHITE, align: 'center', maxSize: 44, minSize: 28 }),
    price(box(0.15, 0.72, 0.7, 0.125), { color: WHITE, align: 'center', maxSize: 200, minSize: 60 }),
  ),
  ...withoutPhoto(
    decoration(box(0, 0.12, 1, 0.73)),
    headline(box(0.06, 0.2, 0.88, 0.34), {
      color: WHITE,
      align: 'center',
      valign: 'middle',
      maxSize: 220,
      minSize: 56,
      maxLines: 4,
    }),
    subline(box(0.08, 0.56, 0.84, 0.08), { color: WHITE, align: 'center', maxSize: 52, minSize: 28 }),
    price(box(0.1, 0.66, 0.8, 0.15), { color: WHITE, align: 'center', maxSize: 240, minSize: 60 }),
  ),
];

const storyTextBelow: Layer[] = [
  ...storyBackdrop,
  logo(box(0.06, 0.13, 0.3, 0.04)),
  badge('badge', box(0.68, 0.13, 0.26, 0.04), { maxSize: 44, minSize: 24 }),
  ...withPhoto(
    photo(box(0.06, 0.18, 0.88, 0.36)),
    headline(box(0.06, 0.55, 0.88, 0.12), {
      color: WHITE,
      valign: 'middle',
      maxSize: 120,
      minSize: 56,
      maxLines: 2,
    }),
    subline(box(0.06, 0.675, 0.88, 0.04), { color: WHITE, maxSize: 42, minSize: 28 }),
    price(box(0.06, 0.72, 0.7, 0.125), { color: WHITE, maxSize: 200, minSize: 60 }),
  ),
  ...withoutPhoto(
    shape('rect', box(0.06, 0.28, 0.16, 0.008), 'highlight'),
    headline(box(0.06, 0.3, 0.88, 0.34), {
      color: WHITE,
      valign: 'bottom',
      maxSize: 230,
      minSize: 56,
      maxLines: 4,
    }),
    price(box(0.06, 0.66, 0.88, 0.12), { color: WHITE, maxSize: 220, minSize: 60 }),
    subline(box(0.06, 0.79, 0.88, 0.05), { color: WHITE, maxSize: 46, minSize: 28 }),
  ),
];

export const BUILTIN_SOCIAL_TEMPLATES: readonly BuiltinTemplate[] = [
  {
    name: 'social_square',
    description:
      '1:1 feed post: the product large on a studio sweep or beside the headline, the price in big numerals; without a photo a typographic post.',
    width: 1080,
    height: 1080,
    format: 'png',
    params: pricedParams(),
    prompt_pattern: `Square social media photo of {title}, {subtitle}, studio backdrop, {brand.lighting}, {brand.mood}`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(1080, squareHeadlineTop, {
      stylePack: 'cute',
      compositions: { 'product-right': squareProductRight },
    }),
  },
  {
    name: 'new_arrival',
    description:
      '4:5 new-arrival post: the product large on a studio sweep, a round NEW sticker, headline and price; without a photo a typographic announcement.',
    width: 1080,
    height: 1350,
    format: 'png',
    params: pricedParams(),
    prompt_pattern: `New collection photo of {title}, {subtitle}, studio sweep, {brand.lighting}, {brand.mood}`,
    negative_prompt: PRODUCT_NEGATIVE,
    layout: layout(1080, arrivalTitleTop, {
      stylePack: 'luxury',
      compositions: { 'caption-below': arrivalCaptionBelow },
    }),
  },
  {
    name: 'story',
    description:
      '9:16 story for Douyin, TikTok, Kuaishou, Instagram: a generated backdrop under a scrim, the product large; text kept out of the top 12% and bottom 15% that the apps cover.',
    width: 1080,
    height: 1920,
    format: 'png',
    params: pricedParams(),
    prompt_pattern: `Vertical atmospheric backdrop for {title}, {subtitle}, no text, {brand.lighting}, {brand.mood}`,
    negative_prompt: `${PRODUCT_NEGATIVE}, people`,
    layout: layout(1080, storyCentered, {
      safeArea: VERTICAL_VIDEO_SAFE_AREA,
      stylePack: 'tech',
      compositions: { 'text-below': storyTextBelow },
    }),
  },
];
