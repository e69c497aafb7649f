import type { Offer } from './offer.ts';

/**
 * From a parsed offer to a template's texts, and the built-in layout that fits a poster size.
 * Pure: the poster service calls these, tests call them directly.
 */

export type PosterMode = 'template' | 'text';

/** The default size of a text-driven poster: a 9:16 phone screen. */
export const DEFAULT_POSTER_SIZE = { width: 1080, height: 1920 } as const;

/**
 * The built-in template for a text-driven poster of this size: without a product photo, tall → the
 * typographic offer card, square → sale square, wide → landscape poster (each complete without a
 * photo: the offer takes the product's place), a coupon when a wide poster has a code, a banner
 * when very wide; with one, tall → a sale poster (the flash sale layout when the offer presses for
 * time), 4:5 → social post, square → sale square, wide with a code → coupon, wide → landscape
 * poster, very wide → banner.
 */
export function choosePosterTemplate(
  width: number,
  height: number,
  offer: Offer,
  withProduct: boolean,
): string {
  const ratio = width / height;
  if (!withProduct && ratio < 0.9) return 'offer_card';
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
 * else at the end of the subtitle. Templates with the design system's layers take more (each only
 * when the template declares it): `price_was` (struck through), `discount` (-30%, 7.5折), `offer`
 * (a coupon's amount, ¥40) with `offer_detail` (满300可用 and the code), `ribbon` (限时, a date or a
 * countdown) with `ribbon_detail` (the date), and `service` (包邮 · 7天无理由). When the coupon
 * shows the whole mechanic and the brief has words of its own, those words are the title.
 * Only params the template takes are returned.
 */
export function posterParams(
  offer: Offer,
  templateParams: readonly string[],
  brief = '',
): Record<string, string> {
  const takes = new Set(templateParams);
  const codeLabel = offer.language === 'zh' ? '券码' : offer.language === 'es' ? 'Código' : 'Code';
  const amount = couponAmount(offer);
  const services = takes.has('service') ? serviceItems(offer, brief) : [];
  const ribbon = takes.has('ribbon') ? ribbonTexts(offer, brief) : { ribbon: '', detail: '' };
  // What the ribbon and the service line show, and a parser's stray "now", leave the subtitle.
  const shown = [...services, ribbon.ribbon].filter(Boolean).map((item) => item.toLowerCase());
  let subLines = offer.sub_lines.filter(
    (line) =>
      !shown.some((item) => line.toLowerCase().includes(item)) &&
      !SERVICES.some(([pattern]) => services.length > 0 && pattern.test(line)) &&
      !/^(?:now|only|just|现在|仅)$/i.test(line),
  );
  let title = offer.headline;
  // The mechanic shown whole by a coupon or the service line leaves the title to the brief's words.
  const shownElsewhere =
    (takes.has('offer') && amount && (MONEY_MECHANICS.has(offer.type) || offer.code)) ||
    (offer.type === 'free_shipping' && services.length > 0);
  if (shownElsewhere && subLines.length > 0) [title, ...subLines] = subLines as [string, ...string[]];
  const subtitleParts = [...subLines];
  // The dates go on the ribbon when the template has one, else under the title.
  if (offer.dates && !(ribbon.ribbon.includes(offer.dates.text) || ribbon.detail === offer.dates.text))
    subtitleParts.push(offer.dates.text);
  const codeInDetail = Boolean(offer.code && takes.has('offer_detail') && !takes.has('code') && amount);
  if (offer.code && !takes.has('code') && !codeInDetail) subtitleParts.push(`${codeLabel} ${offer.code}`);
  const params: Record<string, string> = {
    title,
    subtitle: subtitleParts.join(' · '),
    // A price that is itself the headline is not repeated.
    price: offer.price_text && offer.price_text !== offer.headline ? offer.price_text : '',
    badge: offer.badge ?? '',
    code: offer.code ?? '',
    price_was: offer.price_text ? (offer.was_price_text ?? '') : '',
    discount: discountText(offer),
    offer: amount,
    offer_detail: amount
      ? [conditionText(offer), codeInDetail ? offer.code : ''].filter(Boolean).join(' · ')
      : '',
    ribbon: ribbon.ribbon,
    ribbon_detail: ribbon.detail,
    service: services.join(' · '),
  };
  return Object.fromEntries(
    Object.entries(params).filter(([name, value]) => value.trim() !== '' && takes.has(name)),
  );
}

const MONEY_MECHANICS = new Set(['spend_threshold', 'amount_off']);
const SIGNS = { CNY: '¥', USD: '$', EUR: '€', GBP: '£' } as const;

/** An amount of money in the offer's currency: ¥40, $10, 10 €. */
function money(offer: Offer, value: number): string {
  const sign = SIGNS[offer.currency ?? (offer.language === 'zh' ? 'CNY' : 'USD')];
  return sign === '€' ? `${value} €` : `${sign}${value}`;
}

/** A percentage off as shops in each language write it: 30 → 7折, 25 → 7.5折, -30%. */
function percentText(offer: Offer, percent: number): string {
  return offer.language === 'zh' ? `${Math.round(100 - percent) / 10}折` : `-${percent}%`;
}

/** What a coupon shows big: the money off (¥40), or a coded discount's figure (8折). */
function couponAmount(offer: Offer): string {
  const { amounts } = offer;
  if (MONEY_MECHANICS.has(offer.type) && amounts.discount) return money(offer, amounts.discount);
  // A coded discount is a coupon too: 8折 with its code.
  if (offer.type === 'percent_off' && amounts.percent_off && offer.code) return discountText(offer);
  return '';
}

/** The discount figure: as the offer says it, or from the price against the price before. */
function discountText(offer: Offer): string {
  if (offer.type === 'percent_off' && offer.amounts.percent_off) {
    // Without a price (or a coupon) the title already says it: no second figure beside it.
    if (!offer.price_text && !offer.code) return '';
    return /^up to|^hasta/i.test(offer.headline) || /起$/.test(offer.headline)
      ? offer.headline
      : percentText(offer, offer.amounts.percent_off);
  }
  const was = Number(/(\d+(?:[.,]\d{1,2})?)/.exec(offer.was_price_text ?? '')?.[1]?.replace(',', '.'));
  const now = offer.amounts.price;
  if (!now || !was || now >= was) return '';
  const percent = Math.round((1 - now / was) * 100);
  return percent >= 5 ? percentText(offer, percent) : '';
}

/** A coupon's condition: 满300可用, orders over $100, compras desde 100 €. */
function conditionText(offer: Offer): string {
  const threshold = offer.amounts.threshold;
  if (!threshold || offer.type !== 'spend_threshold') return '';
  if (offer.language === 'zh') return `满${threshold}可用`;
  return offer.language === 'es'
    ? `en compras desde ${money(offer, threshold)}`
    : `on orders over ${money(offer, threshold)}`;
}

const SERVICES: Array<[RegExp, string | null]> = [
  [/包邮|免运费|免邮/, '包邮'],
  [/(?:7|七)\s*天无理由(?:退换货?|退货)?/, null],
  [/顺丰(?:包邮|发货|速运)?/, null],
  [/正品保障|官方正品|假一赔[十三]/, null],
  [/运费险/, '送运费险'],
  [/次日达|当日达|极速发货|48小时发货|24小时发货/, null],
  [/\bfree\s+(?:shipping|delivery)\b/i, 'Free shipping'],
  [/\bfree\s+returns?\b|\b\d+[- ]day returns?\b/i, null],
  [/env[ií]o\s+(?:gratis|gratuito)/i, 'Envío gratis'],
  [/devoluci[óo]n\s+gratuita/i, null],
];

/** The shop's promises the brief names, for the service line: 包邮 · 7天无理由 · 正品保障. */
function serviceItems(offer: Offer, brief: string): string[] {
  const items: string[] = [];
  for (const [pattern, label] of SERVICES) {
    const match = pattern.exec(brief);
    if (!match) continue;
    const item = label ?? match[0].trim();
    // Free shipping that is the poster's own offer stays its title when nothing else is.
    if (
      offer.type === 'free_shipping' &&
      offer.sub_lines.length === 0 &&
      item.toLowerCase() === offer.headline.toLowerCase()
    )
      continue;
    if (!items.includes(item)) items.push(item);
  }
  return items;
}

const COUNTDOWN =
  /倒计时\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?|(?:仅剩|还剩|只剩|最后)\s*[\d一二三两]+\s*(?:小时|天)|\bends? in \d+\s*(?:hours?|days?|h)\b|\blast \d+ (?:hours?|days?)\b|\b(?:acaba|termina) en \d+\s*(?:horas?|d[ií]as?)\b/i;

/** The ribbon: 限时 (or a countdown) with the dates beside it, or the dates alone. */
function ribbonTexts(offer: Offer, brief: string): { ribbon: string; detail: string } {
  const countdown = COUNTDOWN.exec(brief)?.[0] ?? '';
  const urgentWord = { zh: '限时', en: 'LIMITED TIME', es: 'ÚLTIMAS HORAS' }[offer.language];
  // A flash sale says 限时 in its title already: its ribbon carries the time.
  const lead = countdown || (offer.urgent && offer.type !== 'flash_sale' ? urgentWord : '');
  const dates = offer.dates?.text ?? '';
  if (lead) return { ribbon: lead, detail: dates };
  return { ribbon: dates, detail: '' };
}
