import { parseDates } from './offer-dates.ts';
import { PRICE_PATTERNS, STOCK_PATTERNS, WAS_PRICE } from './offer-prices.ts';
import { type FoundMechanic, FREE_SHIPPING, GIFT, RULES, readAmount, sign } from './offer-rules.ts';

export { parseDates } from './offer-dates.ts';

/**
 * Reads the offer out of a marketing brief, in Chinese, English or Spanish: "夏季清仓促销,满200减50",
 * "Summer Sale 20% OFF", "买一送一 限时3天", "from $19, code SAVE10, ends Nov 30", "2x1 en
 * camisas". Pure: the poster service builds a layout's texts from what it finds here; the script
 * analyzer reads every offer of a segment through `findOffers`.
 */

export const offerTypes = [
  /** 满200减50, spend $100 save $20. */
  'spend_threshold',
  /** 满3件8折: a discount from a number of items. */
  'multi_buy',
  /** 买一送一, buy one get one free, buy 2 get 1. */
  'bogo',
  /** 第二件半价: the second item at a discount. */
  'second_item',
  /** 20% off, 8折, up to 50% off. */
  'percent_off',
  /** $10 off, 立减30. */
  'amount_off',
  /** from $19, ¥99起. */
  'price_from',
  /** 限时秒杀, flash sale: urgency with no other mechanic. */
  'flash_sale',
  /** A gift with the purchase: 再送洗护液, a free mini cleanser, de regalo un neceser. */
  'gift',
  /** 包邮, free shipping, envío gratis. */
  'free_shipping',
  /** A price and nothing else: ¥199. */
  'price',
  /** No offer found: the brief is a plain message. */
  'none',
] as const;
export type OfferType = (typeof offerTypes)[number];
export type Currency = 'CNY' | 'USD' | 'EUR' | 'GBP';

export type OfferLanguage = 'zh' | 'en' | 'es';

export interface Offer {
  type: OfferType;
  language: OfferLanguage;
  currency: Currency | null;
  /** The numbers of the mechanic; which are set depends on `type`. */
  amounts: {
    threshold?: number;
    discount?: number;
    percent_off?: number;
    quantity?: number;
    free_quantity?: number;
    price?: number;
  };
  /** The offer as a poster's big line: "满200减50", "20% OFF". */
  headline: string;
  /** The rest of the brief, in order: "夏季清仓促销", "Summer Sale". */
  sub_lines: string[];
  /** A price to show on its own: "¥199", "from $19". */
  price_text: string | null;
  /** A sticker word that fits the offer: 限时, SALE, BOGO. */
  badge: string | null;
  /** Whether the brief presses for time (限时, flash, today only). */
  urgent: boolean;
  dates: { text: string; start: string | null; end: string | null } | null;
  code: string | null;
  /** How many are on offer, when the text says: 限量500件, "only 120 left", "quedan 40". */
  stock: number | null;
  /** The price before the offer, when the text says: 原价399, "normally $89", "antes 79 €". */
  was_price_text: string | null;
}

/** Full-width digits, letters and signs as ASCII, so one set of patterns reads both. */
function normalize(text: string): string {
  return text
    .replace(/[\uff01-\uff5e]/g, (char) => {
      const ascii = String.fromCharCode(char.charCodeAt(0) - 0xfee0);
      // Chinese punctuation stays: it separates the brief's parts below.
      return /[0-9A-Za-z%$.]/.test(ascii) ? ascii : char;
    })
    .replace(/￥/g, '¥')
    .replace(/\s+/g, ' ')
    .trim();
}

const URGENCY =
  /限时|秒杀|抢购|今日|仅此|手慢无|抢完|倒计时|赶紧|flash|limited time|today only|tonight only|ends? (?:tonight|today|soon|in)|last chance|hurry|don't wait|clock is ticking|[úu]ltima oportunidad|corred|corre\b|date prisa|solo hoy|no os lo perd[áa]is|acaba en|termina en|vuelan/i;
const FLASH =
  /限时秒杀|秒杀|限时抢购|flash sale|oferta flash|(?:只有|仅剩|还剩)\s*(?:\d+|[一二三四五六七八九十]+)\s*分钟|\b(?:ends?|acaba|termina)\s+(?:in|en)\s+\d+\s*(?:minutes?|mins?|minutos?)\b/i;
const FROM_PRICE = /(?<!down\s)\b(from|starting at)\s*([$€£¥])\s*(\d+(?:\.\d{1,2})?)/i;
const CODE =
  /(?:(?:promo |coupon |discount )?code|use code|c[óo]digo(?: de descuento)?|cup[óo]n|优惠码|券码|口令|兑换码|暗号)\s*(?:is\s+|es\s+)?[:：]?\s*["“'「]?([A-Za-z0-9][A-Za-z0-9-]{2,19})/i;
const SPANISH =
  /[ñ¿¡]|\b(?:las|los|todas|todos|para|del|una|descuento|env[ií]o|gratis|hoy|c[óo]digo|oferta|precio|unidades|ll[ée]vate|quedan|regalo)\b/i;

/** A language the offer's words follow: Chinese when it has Han characters, else Spanish or English. */
export function offerLanguage(text: string): OfferLanguage {
  if (/\p{Script=Han}/u.test(text)) return 'zh';
  return SPANISH.test(text) ? 'es' : 'en';
}

/** What one pass over a text found: every mechanic (in text order), prices and the rest. */
export interface OfferScan {
  language: OfferLanguage;
  /** `rule`: the reading's rank (RULES order, then flash sale, free shipping, gift). */
  mechanics: Array<FoundMechanic & { index: number; text: string; rule: number }>;
  prices: Array<{ price: number; text: string; currency: NonNullable<FoundMechanic['currency']> }>;
  was_price_text: string | null;
  code: string | null;
  dates: Offer['dates'];
  stock: number | null;
  urgent: boolean;
  /** The text with everything read taken out. */
  rest: string;
}

/**
 * Reads every offer of a text: each rule as many times as it matches, then flash sales, free
 * shipping, a gift, prices, the code, the dates and the stock. `parseOffer` keeps the first
 * mechanic of this for a poster; a script segment keeps them all.
 */
export function scanOffers(input: string): OfferScan {
  const source = normalize(input);
  let rest = source;
  const language = offerLanguage(rest);
  const take = (matched: string) => {
    rest = rest.replace(matched, ' ');
  };
  const codeMatch = CODE.exec(rest);
  // A code is a token a shopper types: it has a digit, or the script writes it in capitals.
  const code =
    codeMatch && (/\d/.test(codeMatch[1]!) || codeMatch[1] === codeMatch[1]!.toUpperCase())
      ? codeMatch[1]!.toUpperCase()
      : null;
  if (code && codeMatch) take(codeMatch[0]);
  const dates = parseDates(rest);
  if (dates) take(dates.text);
  let stock: number | null = null;
  for (const pattern of STOCK_PATTERNS) {
    const match = pattern.exec(rest);
    if (!match) continue;
    stock = Number(match[1]!.replace(/[,.]/g, ''));
    take(match[0]);
    break;
  }
  const was = WAS_PRICE.exec(rest);
  const wasPriceText = was ? (was[1] ? `¥${was[1]}` : was[2] ? `${was[2]}${was[3]}` : `${was[4]} €`) : null;
  if (was) take(was[0]);

  const mechanics: OfferScan['mechanics'] = [];
  for (const [rule, [pattern, read]] of RULES.entries()) {
    for (const match of matches(pattern, () => rest)) {
      mechanics.push({ ...read(match), index: source.indexOf(match[0]), text: match[0], rule });
      take(match[0]);
    }
  }
  const flash = FLASH.exec(rest);
  if (flash) {
    const headline = language === 'zh' ? '限时秒杀' : language === 'es' ? 'OFERTA FLASH' : 'FLASH SALE';
    const [index, text] = [source.indexOf(flash[0]), flash[0]];
    mechanics.push({ type: 'flash_sale', headline, amounts: {}, index, text, rule: RULES.length });
    for (const again of matches(FLASH, () => rest)) take(again[0]);
  }
  const shipping = FREE_SHIPPING.exec(rest);
  if (shipping) {
    const headline = language === 'zh' ? '包邮' : language === 'es' ? 'ENVÍO GRATIS' : 'FREE SHIPPING';
    // "free shipping on orders over $50": the threshold belongs to the shipping, not a price.
    const after = rest.slice(rest.indexOf(shipping[0]));
    const before = rest.slice(0, rest.indexOf(shipping[0]));
    // …or before it: "orders over $50 ship free", "满99包邮".
    const over =
      /^.{0,40}?(?:over|de más de|以上|满)\s*([$€£¥])?\s*(\d+(?:[.,]\d{1,2})?)\s*(€|元)?/i.exec(after) ??
      /(?:over|above|de más de|满)\s*([$€£¥])?\s*(\d+(?:[.,]\d{1,2})?)\s*(€|元)?[^\d$€£¥]{0,12}$/i.exec(
        before,
      );
    mechanics.push({
      type: 'free_shipping',
      headline,
      amounts: over ? { threshold: readAmount(over[2]!) } : {},
      index: source.indexOf(shipping[0]),
      text: shipping[0],
      rule: RULES.length + 1,
    });
    take(over ? over[0] : shipping[0]);
  }
  const gift = GIFT.exec(rest);
  if (gift) {
    const item = (gift[1] ?? gift[2] ?? gift[3] ?? gift[4] ?? '').trim();
    const headline =
      language === 'zh'
        ? `赠${item.replace(/^[一二两三四五六七八九十\d]+\s*[个件支盒包瓶条张袋份套只]/, '').slice(0, 10)}`
        : language === 'es'
          ? `REGALO${item ? `: ${item}` : ''}`
          : `FREE ${item.toUpperCase()}`.trim();
    const [index, text] = [source.indexOf(gift[0]), gift[0]];
    mechanics.push({ type: 'gift', headline, amounts: {}, index, text, rule: RULES.length + 2 });
    take(gift[0]);
  }

  const prices: OfferScan['prices'] = [];
  for (const [pattern, read] of PRICE_PATTERNS) {
    for (const match of matches(pattern, () => rest)) {
      prices.push(read(match));
      take(match[0]);
    }
  }
  mechanics.sort((a, b) => a.index - b.index);
  return {
    language,
    mechanics,
    prices,
    was_price_text: wasPriceText,
    code,
    dates,
    stock,
    urgent: URGENCY.test(source),
    rest,
  };
}

export function parseOffer(brief: string): Offer {
  const scan = scanOffers(brief);
  const { language } = scan;
  // A poster shows one mechanic: the most specific rule's (the order of RULES), flash sale, then
  // free shipping and a gift; every other one stays in the sub lines.
  const byRule = [...scan.mechanics].sort((a, b) => a.rule - b.rule);
  let found: FoundMechanic | null = byRule[0] ?? null;
  let rest = scan.rest;
  for (const other of byRule.slice(1)) rest = `${rest} , ${other.text}`;
  const normalized = normalize(brief);
  // A "from $19" beside another mechanic (20% off, from $19) is the price line.
  const from = found?.type === 'price_from' ? null : FROM_PRICE.exec(normalized);
  const firstPrice = scan.prices[0] ?? null;
  let priceText = found?.priceText ?? null;
  let currency = found?.currency ?? null;
  const amounts = { ...(found?.amounts ?? {}) };
  if ((from || firstPrice) && !priceText) {
    priceText = from ? `${from[1]!.toLowerCase()} ${from[2]}${from[3]}` : firstPrice!.text;
    currency ??= from ? sign(from[2]) : firstPrice!.currency;
    amounts.price ??= from ? Number(from[3]) : firstPrice!.price;
    found ??= { type: 'price', headline: priceText, amounts };
  }
  for (const price of scan.prices.slice(1)) rest = `${rest} , ${price.text}`;
  if (!currency && language === 'zh' && found) currency = 'CNY';

  const subLines = rest
    .split(/[,，;；。!！|·\n]|\s{2,}/)
    .map((part) => part.replace(/^[\s\-–:：、]+|[\s\-–:：、]+$/g, '').replace(/\s+/g, ' '))
    .filter((part) => part.length > 0 && !/^(?:限时|limited time)$/i.test(part));
  const type = found?.type ?? 'none';
  return {
    type,
    language,
    currency,
    amounts,
    headline: found?.headline ?? subLines[0] ?? normalized,
    sub_lines: found ? subLines : subLines.slice(1),
    price_text: priceText,
    badge: badgeFor(type, scan.urgent, language),
    urgent: scan.urgent,
    dates: scan.dates,
    code: scan.code,
    stock: scan.stock,
    was_price_text: scan.was_price_text,
  };
}

/**
 * Every match of a (non-global) pattern in a text the caller shortens after each one; at most a
 * few dozen, so a reading that cannot take its match out never loops.
 */
function* matches(pattern: RegExp, text: () => string): Generator<RegExpExecArray> {
  for (let round = 0; round < 40; round++) {
    const match = pattern.exec(text());
    if (!match || match[0].trim() === '') return;
    yield match;
  }
}

function badgeFor(type: OfferType, urgent: boolean, language: OfferLanguage): string | null {
  const words = {
    zh: { urgent: '限时', bogo: '买赠', sale: '优惠' },
    en: { urgent: 'LIMITED', bogo: 'BOGO', sale: 'SALE' },
    es: { urgent: 'ÚLTIMAS HORAS', bogo: '2x1', sale: 'OFERTA' },
  }[language];
  if (urgent) return words.urgent;
  if (type === 'bogo') return words.bogo;
  if (type === 'none' || type === 'price') return null;
  return words.sale;
}
