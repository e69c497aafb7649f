import type { Box, DecorationLayer, Layer, LayerCondition, OfferLayer, PriceLayer } from './layout.ts';
import type { TemplateParam } from './template.ts';
import { param } from './template-builders.ts';

/**
 * Builders for the design system's price, offer and decoration layers (the promotion templates
 * use them), with every schema default spelled out so what is stored equals what parses.
 */

export function price(
  at: Box,
  options: Partial<Omit<PriceLayer, 'type' | 'box'>> & Pick<PriceLayer, 'maxSize' | 'minSize'>,
): PriceLayer {
  return {
    type: 'price',
    param: 'price',
    was_param: 'price_was',
    discount_param: 'discount',
    box: at,
    align: 'left',
    color: 'price',
    plate: 'none',
    plateColor: 'accent',
    ...options,
  };
}

export function offerShape(
  shape: OfferLayer['shape'],
  at: Box,
  options: Partial<Omit<OfferLayer, 'type' | 'box' | 'shape'>> & Pick<OfferLayer, 'maxSize' | 'minSize'>,
): OfferLayer {
  const params = {
    coupon: { param: 'offer', detail_param: 'offer_detail' },
    ribbon: { param: 'ribbon', detail_param: 'ribbon_detail' },
    seal: { param: 'discount' },
    service: { param: 'service' },
  }[shape];
  return { type: 'offer', shape, box: at, fill: 'accent', color: 'surface', ...params, ...options };
}

export function decoration(
  at: Box,
  options: Partial<Omit<DecorationLayer, 'type' | 'box'>> = {},
): DecorationLayer {
  return { type: 'decoration', box: at, kind: 'auto', color: 'highlight', opacity: 1, ...options };
}

/** A layer drawn only when these params have values (`has`) and those have none (`missing`). */
export function when<T extends Layer>(layer: T, condition: LayerCondition): T {
  return { ...layer, when: condition };
}

const PHOTO = 'product_image';
export const withPhoto = <T extends Layer>(layer: T) => when(layer, { has: [PHOTO] });
export const withoutPhoto = <T extends Layer>(layer: T) => when(layer, { missing: [PHOTO] });

/** Mirrors a layer left to right: boxes flip and left/right alignment swaps. */
export function mirrored<T extends Layer>(layer: T): T {
  if (!('box' in layer)) return layer;
  const { x, y, w, h } = layer.box;
  const flipped = { ...layer, box: { x: round(1 - x - w), y, w, h } };
  if ('align' in flipped && flipped.align !== 'center') {
    return { ...flipped, align: flipped.align === 'left' ? 'right' : 'left' } as T;
  }
  return flipped;
}

const round = (value: number) => Math.round(value * 10000) / 10000;

/** The params the design layers take, after the common five (poster.ts fills them from a brief). */
export function offerParams(): TemplateParam[] {
  return [
    param('price_was', 'The price before the offer, drawn struck through: ¥399, $49', { max_length: 24 }),
    param('discount', 'The discount figure: -30%, 7.5折', { max_length: 16 }),
    param('offer', "A coupon's amount or the offer's figure: ¥40, 买1送1", { max_length: 24 }),
    param('offer_detail', "The coupon's condition and code: 满300可用 · DOUBLE11", { max_length: 60 }),
    param('ribbon', 'A ribbon: 限时, LIMITED TIME, a date or a countdown', { max_length: 30 }),
    param('ribbon_detail', "The ribbon's second part, e.g. the dates: 11.1–11.11", { max_length: 30 }),
    param('service', 'Service promises: 包邮 · 7天无理由 · 正品保障', { max_length: 60 }),
  ];
}
