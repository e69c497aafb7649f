import type { Box, Layer, Layout, SafeArea, TextLayer } from './layout.ts';
import {
  decoration,
  mirrored,
  offerShape,
  price,
  when,
  withoutPhoto,
  withPhoto,
} from './offer-layer-builders.ts';
import { background, badge, box, product, text } from './template-builders.ts';

// The promotion templates' layouts, built from the design system's layers: price typography,
// offer shapes (coupon, ribbon, seal, service line), the pack's decoration and text roles. Each
// is complete with and without a product photo (`when`), and with and without an offer: the
// offer zone takes the coupon when there is one, else the price, else the title takes the space.

const PHOTO = 'product_image';

export const headline = (at: Box, options: Partial<TextLayer> = {}) =>
  text('title', at, {
    // The pack's heading face: heavy and plain enough to read at a glance (and by OCR) in Chinese.
    font: 'heading',
    weight: 900,
    role: 'headline',
    color: 'text',
    align: 'center',
    valign: 'middle',
    maxSize: 240,
    minSize: 48,
    maxLines: 3,
    lineHeight: 1.05,
    ...options,
  });

export const subline = (at: Box, options: Partial<TextLayer> = {}) =>
  text('subtitle', at, {
    font: 'body',
    weight: 500,
    role: 'subtitle',
    color: 'text',
    align: 'center',
    valign: 'middle',
    maxSize: 56,
    minSize: 24,
    maxLines: 2,
    lineHeight: 1.2,
    ...options,
  });

const ribbon = (at: Box, maxSize: number) =>
  offerShape('ribbon', at, { fill: 'accent', color: 'background', maxSize, minSize: 20 });
const coupon = (at: Box, maxSize: number, onSurface = false) =>
  offerShape('coupon', at, {
    fill: onSurface ? 'primary' : 'surface',
    color: onSurface ? 'surface' : 'primary',
    maxSize,
    minSize: 32,
  });
const seal = (at: Box, maxSize: number) =>
  offerShape('seal', at, { fill: 'accent', color: 'background', maxSize, minSize: 24 });
const service = (at: Box, maxSize: number) =>
  offerShape('service', at, { fill: 'highlight', color: 'text', maxSize, minSize: 16 });
const sticker = (at: Box, maxSize: number) =>
  when(badge('badge', at, { maxSize, minSize: 18, fill: 'accent', color: 'background', role: 'badge' }), {
    missing: ['ribbon'],
  });

const band = (from: number): Layer => ({
  type: 'shape',
  shape: 'rect',
  box: box(0, from, 1, Math.round((1 - from) * 10000) / 10000),
  color: 'surface',
  opacity: 1,
  radius: 0,
});

/**
 * A vertical poster (9:16): ribbon, headline, the product, then the offer zone and the service
 * line. Positions are shares of the height between the safe margins, so one design serves the
 * full canvas and a vertical-video safe area alike. `banded` lays the offer on a surface band.
 */
export function verticalPoster(variant: 'stacked' | 'banded', safe?: SafeArea): Layout['layers'] {
  const top = Math.max(0.06, safe?.top ?? 0);
  const side = Math.max(0.06, safe?.left ?? 0);
  const span = 1 - Math.max(0.06, safe?.bottom ?? 0) - top;
  const inner = 1 - 2 * side;
  // `f` and `h` in shares of the usable height.
  const y = (f: number) => Math.round((top + f * span) * 10000) / 10000;
  const zone = (f: number, h: number) => box(side, y(f), inner, Math.round(h * span * 10000) / 10000);
  const banded = variant === 'banded';
  const align = banded ? 'left' : 'center';
  const ink = banded ? 'primary' : 'price';
  const bandTop = 0.56;
  return [
    background('solid', ['background']),
    decoration(box(0, 0, 1, banded ? y(bandTop) : 1)),
    // The band carries the offer: drawn when there is one (a coupon or a price) and no photo.
    ...(banded
      ? [
          when(band(y(bandTop - 0.03)), { missing: [PHOTO], has: ['offer'] }),
          when(band(y(bandTop - 0.03)), { missing: [PHOTO, 'offer'], has: ['price'] }),
        ]
      : []),
    ribbon(box(0, y(0.01), 0.7, 0.05), 64),
    sticker(box(side, y(0.015), 0.3, 0.042), 48),
    // No photo, no offer: the headline carries the poster alone, at the optical centre (a little
    // above the middle) rather than over an empty lower half.
    when(headline(zone(0.12, 0.6), { maxSize: 340, align, valign: 'middle' }), {
      missing: [PHOTO, 'offer', 'price'],
    }),
    when(subline(zone(0.74, 0.09), { align }), { missing: [PHOTO, 'offer', 'price'] }),
    // No photo, an offer or a price: the headline above, the offer big on the band below.
    when(headline(zone(0.1, 0.3), { maxSize: 260, align }), { missing: [PHOTO], has: ['offer'] }),
    when(headline(zone(0.1, 0.3), { maxSize: 260, align }), { missing: [PHOTO, 'offer'], has: ['price'] }),
    when(subline(zone(0.41, 0.08), { align }), { missing: [PHOTO], has: ['offer'] }),
    when(subline(zone(0.41, 0.08), { align }), { missing: [PHOTO, 'offer'], has: ['price'] }),
    when(coupon(zone(bandTop, 0.22), 300, banded), { missing: [PHOTO] }),
    // The price alone fills the band to the foot, so the poster has no empty bottom.
    when(price(zone(bandTop, 0.32), { align, maxSize: 460, minSize: 60, color: ink }), {
      missing: [PHOTO, 'offer'],
    }),
    when(price(zone(bandTop + 0.24, 0.1), { align, maxSize: 200, minSize: 60, color: ink }), {
      missing: [PHOTO],
      has: ['offer'],
    }),
    when(seal(box(1 - side - 0.26, y(bandTop - 0.18), 0.26, 0.15), 120), {
      missing: [PHOTO, 'price', 'offer'],
    }),
    // With a photo: headline on top, the product large, the offer under it.
    withPhoto(headline(zone(0.08, 0.17), { maxSize: 190, maxLines: 2, align })),
    withPhoto(subline(zone(0.26, 0.05), { maxLines: 1, align })),
    withPhoto(product(PHOTO, box(0.06, y(0.31), 0.88, Math.round(0.43 * span * 10000) / 10000))),
    when(seal(box(1 - side - 0.24, y(0.32), 0.24, 0.135), 110), { has: [PHOTO], missing: ['price'] }),
    withPhoto(coupon(zone(0.75, 0.12), 200)),
    when(
      price(zone(0.75, 0.12), {
        align,
        maxSize: 240,
        minSize: 60,
        plate: banded ? 'ribbon' : 'none',
        color: banded ? 'background' : 'price',
      }),
      { has: [PHOTO], missing: ['offer'] },
    ),
    when(price(zone(0.88, 0.055), { align, maxSize: 120, minSize: 60 }), { has: [PHOTO, 'offer'] }),
    service(zone(0.95, 0.05), 46),
  ];
}

/** A square poster: headline, product and the offer beside it; without a photo the offer below. */
export function squarePoster(variant: 'left' | 'right'): Layout['layers'] {
  const layers: Layer[] = [
    background('solid', ['background']),
    decoration(box(0, 0, 1, 1)),
    ribbon(box(0, 0.05, 0.56, 0.07), 56),
    sticker(box(0.06, 0.055, 0.26, 0.06), 40),
    when(headline(box(0.06, 0.16, 0.88, 0.42), { maxSize: 220 }), { missing: [PHOTO, 'offer', 'price'] }),
    when(subline(box(0.1, 0.6, 0.8, 0.1)), { missing: [PHOTO, 'offer', 'price'] }),
    when(headline(box(0.06, 0.14, 0.88, 0.26), { maxSize: 200, maxLines: 2 }), {
      missing: [PHOTO],
      has: ['offer'],
    }),
    when(headline(box(0.06, 0.14, 0.88, 0.26), { maxSize: 200, maxLines: 2 }), {
      missing: [PHOTO, 'offer'],
      has: ['price'],
    }),
    when(subline(box(0.1, 0.41, 0.8, 0.06), { maxLines: 1 }), { missing: [PHOTO], has: ['offer'] }),
    when(subline(box(0.1, 0.41, 0.8, 0.06), { maxLines: 1 }), { missing: [PHOTO, 'offer'], has: ['price'] }),
    withoutPhoto(coupon(box(0.08, 0.5, 0.84, 0.26), 220)),
    when(price(box(0.08, 0.5, 0.84, 0.26), { align: 'center', maxSize: 280, minSize: 60 }), {
      missing: [PHOTO, 'offer'],
    }),
    when(price(box(0.08, 0.78, 0.84, 0.1), { align: 'center', maxSize: 120, minSize: 56 }), {
      missing: [PHOTO],
      has: ['offer'],
    }),
    // With a photo: the product large on one side, the offer column on the other.
    withPhoto(headline(box(0.06, 0.12, 0.88, 0.2), { maxSize: 150, maxLines: 2 })),
    withPhoto(subline(box(0.1, 0.32, 0.8, 0.05), { maxLines: 1 })),
    withPhoto(product(PHOTO, box(0.03, 0.36, 0.55, 0.56))),
    when(seal(box(0.42, 0.37, 0.17, 0.17), 90), { has: [PHOTO], missing: ['price'] }),
    withPhoto(coupon(box(0.59, 0.4, 0.38, 0.36), 170)),
    when(price(box(0.59, 0.42, 0.38, 0.3), { align: 'center', maxSize: 220, minSize: 56 }), {
      has: [PHOTO],
      missing: ['offer'],
    }),
    when(price(box(0.6, 0.74, 0.36, 0.1), { align: 'center', maxSize: 110, minSize: 56 }), {
      has: [PHOTO, 'offer'],
    }),
    service(box(0.06, 0.92, 0.88, 0.045), 38),
  ];
  return variant === 'left' ? layers : layers.map(mirrored);
}

const OTHER_SIDE = [PHOTO, 'offer', 'price', 'discount'];

/** Each layer once per param of the list, drawn when that one is the first with a value: an "or". */
function eitherOf(layers: Layer[], params: readonly string[]): Layer[] {
  return params.flatMap((name, index) =>
    layers.map((layer) =>
      when(layer, { has: [name], ...(index > 0 ? { missing: params.slice(0, index) } : {}) }),
    ),
  );
}

/**
 * A wide poster or banner: the headline column on one side; the product (or, without a photo, the
 * offer itself, big) on the other. `right` mirrors it.
 */
export function widePoster(variant: 'left' | 'right', scale: number): Layout['layers'] {
  const s = (size: number) => Math.round(size * scale);
  const layers: Layer[] = [
    background('solid', ['background']),
    decoration(box(0.52, 0, 0.48, 1)),
    ribbon(box(0, 0.07, 0.36, 0.13), s(60)),
    sticker(box(0.05, 0.08, 0.16, 0.11), s(40)),
    // The headline column, when the other side has something (a photo, a coupon, a price or a discount)…
    ...eitherOf(
      [
        headline(box(0.05, 0.22, 0.5, 0.31), {
          align: 'left',
          valign: 'bottom',
          maxSize: s(150),
          minSize: s(44),
          maxLines: 2,
        }),
        subline(box(0.05, 0.54, 0.5, 0.09), { align: 'left', maxLines: 1, maxSize: s(48), minSize: s(22) }),
      ],
      OTHER_SIDE,
    ),
    // …else the headline takes the whole width.
    ...[
      headline(box(0.06, 0.2, 0.88, 0.46), { maxSize: s(190), minSize: s(44), maxLines: 2 }),
      subline(box(0.1, 0.68, 0.8, 0.1), { maxLines: 1, maxSize: s(52), minSize: s(22) }),
    ].map((layer) => when(layer, { missing: OTHER_SIDE })),
    when(price(box(0.05, 0.65, 0.5, 0.23), { maxSize: s(150), minSize: s(50) }), {
      missing: ['offer'],
      has: [PHOTO],
    }),
    when(price(box(0.05, 0.66, 0.5, 0.2), { maxSize: s(120), minSize: s(50) }), {
      missing: [PHOTO],
      has: ['offer'],
    }),
    service(box(0.05, 0.9, 0.5, 0.07), s(32)),
    // Without a photo the offer takes the other side, big: the coupon, else the price on a burst.
    withoutPhoto(coupon(box(0.6, 0.12, 0.36, 0.76), s(200))),
    when(
      price(box(0.6, 0.1, 0.36, 0.8), {
        align: 'center',
        maxSize: s(200),
        minSize: s(50),
        plate: 'burst',
        color: 'background',
      }),
      {
        missing: [PHOTO, 'offer'],
      },
    ),
    when(seal(box(0.66, 0.12, 0.24, 0.76), s(150)), { missing: [PHOTO, 'offer', 'price'] }),
    withPhoto(product(PHOTO, box(0.58, 0.05, 0.38, 0.9))),
    when(seal(box(0.84, 0.06, 0.13, 0.3), s(80)), { has: [PHOTO], missing: ['price'] }),
    when(coupon(box(0.05, 0.65, 0.46, 0.24), s(120)), { has: [PHOTO] }),
  ];
  return variant === 'left' ? layers : layers.map(mirrored);
}

/**
 * The coupon's ticket, filled from a brief (`offer` ¥40 with `offer_detail` 满300可用) or by hand
 * (`price` with the subtitle as its condition), with and without a photo beside it.
 */
function tickets(withoutPhotoAt: Box, withPhotoAt: Box): Layer[] {
  const byHand = (at: Box) =>
    offerShape('coupon', at, {
      param: 'price',
      detail_param: 'subtitle',
      fill: 'surface',
      color: 'primary',
      maxSize: 260,
      minSize: 32,
    });
  return [
    when(coupon(withoutPhotoAt, 260), { has: ['offer'], missing: [PHOTO] }),
    when(coupon(withPhotoAt, 220), { has: ['offer', PHOTO] }),
    when(byHand(withoutPhotoAt), { missing: ['offer', PHOTO] }),
    when(byHand(withPhotoAt), { has: [PHOTO], missing: ['offer'] }),
  ];
}

const codeBadge = (at: Box) =>
  badge('code', at, {
    shape: 'rect',
    maxSize: 44,
    minSize: 20,
    fill: 'accent',
    color: 'background',
    role: 'badge',
  });

/** The coupon: the ticket big (amount, condition); headline over it, the code and dates under it. */
export function couponLayout(variant: 'ticket' | 'stub'): Layout['layers'] {
  const base: Layer[] = [background('solid', ['background']), decoration(box(0, 0, 1, 1))];
  if (variant === 'ticket') {
    return [
      ...base,
      headline(box(0.06, 0.05, 0.88, 0.16), { maxSize: 80, minSize: 30, maxLines: 1 }),
      ...tickets(box(0.06, 0.25, 0.88, 0.5), box(0.3, 0.25, 0.64, 0.5)),
      withPhoto(product(PHOTO, box(0.03, 0.2, 0.26, 0.58))),
      when(subline(box(0.06, 0.79, 0.56, 0.1), { align: 'left', maxLines: 1, maxSize: 40 }), {
        has: ['offer'],
      }),
      when(ribbon(box(0, 0.8, 0.56, 0.1), 40), { missing: ['subtitle'] }),
      codeBadge(box(0.64, 0.79, 0.3, 0.11)),
    ];
  }
  // The stub: a square ticket on the left, the words (or the product) in a column on the right.
  const words = (options: Partial<TextLayer>) => ({ align: 'left' as const, ...options });
  return [
    ...base,
    ...tickets(box(0.05, 0.08, 0.42, 0.84), box(0.04, 0.08, 0.4, 0.84)),
    withoutPhoto(headline(box(0.53, 0.1, 0.42, 0.34), words({ maxSize: 110, minSize: 30, maxLines: 2 }))),
    when(subline(box(0.53, 0.46, 0.42, 0.14), words({ maxSize: 40 })), { has: ['offer'], missing: [PHOTO] }),
    withoutPhoto(codeBadge(box(0.53, 0.64, 0.3, 0.12))),
    when(ribbon(box(0.5, 0.82, 0.5, 0.1), 40), { missing: [PHOTO, 'subtitle'] }),
    withPhoto(headline(box(0.48, 0.06, 0.48, 0.18), words({ maxSize: 80, minSize: 30, maxLines: 1 }))),
    withPhoto(product(PHOTO, box(0.48, 0.26, 0.3, 0.58))),
    withPhoto(codeBadge(box(0.79, 0.3, 0.17, 0.1))),
    when(subline(box(0.48, 0.86, 0.48, 0.09), words({ maxSize: 36, maxLines: 1 })), {
      has: ['offer', PHOTO],
    }),
    when(ribbon(box(0.48, 0.86, 0.52, 0.1), 36), { has: [PHOTO], missing: ['subtitle'] }),
  ];
}

export const layoutOf = (
  referenceWidth: number,
  layers: Layout['layers'],
  extra: Partial<Layout> = {},
): Layout => ({
  version: 1,
  referenceWidth,
  layers,
  ...extra,
});
