import type { Offer } from './offer.ts';

/**
 * From a parsed offer to a template's texts, and the built-in layout that fits a poster size.
 * Pure: the poster service calls these, tests call them directly.
 */

export type PosterMode = 'template' | 'text';

/** The default size of a text-driven poster: a 9:16 phone screen. */
export const DEFAULT_POSTER_SIZE = { width: 1080, height: 1920 } as const;

/**
 * The built-in template for a text-driven poster of this size: without a product photo, the
 * typographic offer card (a coupon when a wide poster has a code, a banner when very wide); with
 * one, tall → a sale poster (the flash sale layout when the offer presses for time), 4:5 → social
 * post, square → sale square, wide with a code → coupon, wide → landscape poster, very wide → banner.
 */
export function choosePosterTemplate(
  width: number,
  height: number,
  offer: Offer,
  withProduct: boolean,
): string {
  const ratio = width / height;
  if (!withProduct && ratio < 2.4) return offer.code && ratio >= 1.6 ? 'coupon' : 'offer_card';
  if (ratio < 0.7) return offer.type === 'flash_sale' || offer.urgent ? 'flash_sale' : 'promo_poster';
  if (ratio < 0.9) return 'social_post';
  if (ratio <= 1.15) return 'sale_square';
  if (ratio >= 2.4) return 'banner_wide';
  if (offer.code && ratio >= 1.6) return 'coupon';
  return 'promo_landscape';
}

/**
 * The texts of a poster: the offer as the title, the rest of the brief (and the dates) as the
 * subtitle, the price, a badge word, and the code: in its own param when the template has one,
 * else at the end of the subtitle. Only params the template takes are returned.
 */
export function posterParams(offer: Offer, templateParams: readonly string[]): Record<string, string> {
  const takes = new Set(templateParams);
  const codeLabel = offer.language === 'zh' ? '券码' : 'Code';
  const subtitleParts = [...offer.sub_lines];
  if (offer.dates) subtitleParts.push(offer.dates.text);
  if (offer.code && !takes.has('code')) subtitleParts.push(`${codeLabel} ${offer.code}`);
  const params: Record<string, string> = {
    title: offer.headline,
    subtitle: subtitleParts.join(' · '),
    // A price that is itself the headline is not repeated.
    price: offer.price_text && offer.price_text !== offer.headline ? offer.price_text : '',
    badge: offer.badge ?? '',
    code: offer.code ?? '',
  };
  return Object.fromEntries(
    Object.entries(params).filter(([name, value]) => value.trim() !== '' && takes.has(name)),
  );
}
