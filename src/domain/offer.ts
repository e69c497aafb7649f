import { parseDates } from './offer-dates.ts';

export { parseDates } from './offer-dates.ts';

/**
 * Reads the offer out of a marketing brief, in Chinese or English: "夏季清仓促销,满200减50",
 * "Summer Sale 20% OFF", "买一送一 限时3天", "from $19, code SAVE10, ends Nov 30". Pure: the
 * poster service builds a layout's texts from what it finds here.
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
  /** A price and nothing else: ¥199. */
  'price',
  /** No offer found: the brief is a plain message. */
  'none',
] as const;
export type OfferType = (typeof offerTypes)[number];
export type Currency = 'CNY' | 'USD' | 'EUR' | 'GBP';

export interface Offer {
  type: OfferType;
  language: 'zh' | 'en';
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
}

const CURRENCY_SIGNS: Record<string, Currency> = {
  '¥': 'CNY',
  '￥': 'CNY',
  $: 'USD',
  '€': 'EUR',
  '£': 'GBP',
};
const ZH_NUMBERS: Record<string, number> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
};

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

const toNumber = (digits: string) => ZH_NUMBERS[digits] ?? Number(digits);

interface Found {
  type: OfferType;
  headline: string;
  amounts: Offer['amounts'];
  currency?: Currency | null;
  priceText?: string;
}

type Rule = [RegExp, (match: RegExpExecArray) => Found];

const sign = (symbol: string | undefined) => (symbol ? (CURRENCY_SIGNS[symbol] ?? null) : null);

// Most specific first: 满3件8折 before 8折, 满200减50 before 减50.
const RULES: Rule[] = [
  [
    /(?:每)?满\s*(\d+)\s*件\s*(\d+(?:\.\d)?)\s*折/,
    (m) => ({
      type: 'multi_buy',
      headline: `满${m[1]}件${m[2]}折`,
      amounts: { quantity: Number(m[1]), percent_off: Math.round(100 - Number(m[2]) * 10) },
    }),
  ],
  [
    /(?:每)?满\s*(\d+)\s*(?:元)?\s*[减-]\s*(\d+)/,
    (m) => ({
      type: 'spend_threshold',
      headline: `满${m[1]}减${m[2]}`,
      amounts: { threshold: Number(m[1]), discount: Number(m[2]) },
      currency: 'CNY',
    }),
  ],
  [
    /第\s*(二|2)\s*件\s*(半价|(\d(?:\.\d)?)\s*折)/,
    (m) => ({
      type: 'second_item',
      headline: `第二件${m[2]}`,
      amounts: { quantity: 2, percent_off: m[3] ? Math.round(100 - Number(m[3]) * 10) : 50 },
    }),
  ],
  [
    /买\s*([一二两三四五1-5])\s*送\s*([一二两三1-3])/,
    (m) => ({
      type: 'bogo',
      headline: `买${m[1]}送${m[2]}`,
      amounts: { quantity: toNumber(m[1]!), free_quantity: toNumber(m[2]!) },
    }),
  ],
  [
    /\b(?:buy\s+(one|1|two|2|three|3)\s+get\s+(one|1|two|2)(?:\s+free)?|bogo)\b/i,
    (m) => {
      const words: Record<string, number> = { one: 1, two: 2, three: 3 };
      const count = (value: string | undefined) =>
        value ? (words[value.toLowerCase()] ?? Number(value)) : 1;
      const [quantity, free] = [count(m[1]), count(m[2])];
      return {
        type: 'bogo',
        headline: quantity === 1 && free === 1 ? 'BUY 1 GET 1 FREE' : `BUY ${quantity} GET ${free} FREE`,
        amounts: { quantity, free_quantity: free },
      };
    },
  ],
  [
    /\b(?:spend|orders? over)\s*([$€£])\s*(\d+)[^\d$€£]{0,12}?(?:save|get)?\s*([$€£])\s*(\d+)(?:\s*off\b)?|([$€£])(\d+)\s*off\s+orders?\s+(?:over|of)\s+[$€£]?(\d+)/i,
    (m) => {
      const [symbol, threshold, discount] = m[1] ? [m[1], m[2], m[4]] : [m[5], m[7], m[6]];
      return {
        type: 'spend_threshold',
        headline: `${symbol}${discount} OFF ${symbol}${threshold}+`,
        amounts: { threshold: Number(threshold), discount: Number(discount) },
        currency: sign(symbol),
      };
    },
  ],
  [
    /\b(up to\s+)?(\d{1,2})\s*%\s*off\b/i,
    (m) => ({
      type: 'percent_off',
      headline: `${m[1] ? 'UP TO ' : ''}${m[2]}% OFF`,
      amounts: { percent_off: Number(m[2]) },
    }),
  ],
  [
    /(?<![\d.])(\d(?:\.\d)?)\s*折(?:起)?/,
    (m) => ({
      type: 'percent_off',
      headline: m[0].replace(/\s+/g, ''),
      amounts: { percent_off: Math.round(100 - Number(m[1]) * 10) },
    }),
  ],
  [
    /(?:立减|直降|减)\s*(\d+)\s*元?/,
    (m) => ({
      type: 'amount_off',
      headline: `立减${m[1]}元`,
      amounts: { discount: Number(m[1]) },
      currency: 'CNY',
    }),
  ],
  [
    /\b(?:save|take)?\s*([$€£])\s*(\d+(?:\.\d{1,2})?)\s*off\b/i,
    (m) => ({
      type: 'amount_off',
      headline: `${m[1]}${m[2]} OFF`,
      amounts: { discount: Number(m[2]) },
      currency: sign(m[1]),
    }),
  ],
  [
    /\b(?:from|starting at|only)\s*([$€£¥])\s*(\d+(?:\.\d{1,2})?)/i,
    (m) => ({
      type: 'price_from',
      headline: `FROM ${m[1]}${m[2]}`,
      amounts: { price: Number(m[2]) },
      currency: sign(m[1]),
      priceText: `from ${m[1]}${m[2]}`,
    }),
  ],
  [
    /¥\s*(\d+(?:\.\d{1,2})?)\s*起/,
    (m) => ({
      type: 'price_from',
      headline: `¥${m[1]}起`,
      amounts: { price: Number(m[1]) },
      currency: 'CNY',
      priceText: `¥${m[1]}起`,
    }),
  ],
];

const URGENCY =
  /限时|秒杀|抢购|今日|仅此|flash|limited time|today only|ends? (?:tonight|today|soon)|last chance|hurry/i;
const FLASH = /限时秒杀|秒杀|flash sale/i;
const PRICE = /([¥$€£])\s*(\d+(?:\.\d{1,2})?)/;
const FROM_PRICE = /\b(from|starting at)\s*([$€£¥])\s*(\d+(?:\.\d{1,2})?)/i;
const CODE =
  /(?:(?:promo |coupon |discount )?code|use code|优惠码|券码|口令|兑换码)\s*[:：]?\s*([A-Z0-9][A-Z0-9-]{2,19})/i;

export function parseOffer(brief: string): Offer {
  let rest = normalize(brief);
  const language = /\p{Script=Han}/u.test(rest) ? 'zh' : 'en';
  const take = (matched: string) => {
    rest = rest.replace(matched, ' ');
  };

  const codeMatch = CODE.exec(rest);
  const code = codeMatch ? codeMatch[1]!.toUpperCase() : null;
  if (codeMatch) take(codeMatch[0]);
  const dates = parseDates(rest);
  if (dates) take(dates.text);

  let found: Found | null = null;
  for (const [pattern, read] of RULES) {
    const match = pattern.exec(rest);
    if (!match) continue;
    found = read(match);
    take(match[0]);
    break;
  }
  const urgent = URGENCY.test(brief);
  const flash = FLASH.exec(rest);
  if (!found && flash) {
    found = { type: 'flash_sale', headline: language === 'zh' ? '限时秒杀' : 'FLASH SALE', amounts: {} };
    take(flash[0]);
  }
  // A "from $19" beside another mechanic (20% off, from $19) is the price line.
  const from = found?.type === 'price_from' ? null : FROM_PRICE.exec(rest);
  const price = from ? [from[0], from[2], from[3]] : PRICE.exec(rest);
  let priceText = found?.priceText ?? null;
  let currency = found?.currency ?? null;
  const amounts = { ...(found?.amounts ?? {}) };
  if (price && !priceText) {
    priceText = from ? `${from[1]!.toLowerCase()} ${from[2]}${from[3]}` : `${price[1]}${price[2]}`;
    currency ??= sign(price[1]);
    amounts.price ??= Number(price[2]);
    take(price[0]!);
    found ??= { type: 'price', headline: priceText, amounts };
  }
  if (!currency && language === 'zh' && found && found.type !== 'none') currency = 'CNY';

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
    headline: found?.headline ?? subLines[0] ?? normalize(brief),
    sub_lines: found ? subLines : subLines.slice(1),
    price_text: priceText,
    badge: badgeFor(type, urgent, language),
    urgent,
    dates,
    code,
  };
}

function badgeFor(type: OfferType, urgent: boolean, language: 'zh' | 'en'): string | null {
  if (urgent) return language === 'zh' ? '限时' : 'LIMITED';
  if (type === 'bogo') return language === 'zh' ? '买赠' : 'BOGO';
  if (type === 'none' || type === 'price') return null;
  return language === 'zh' ? '优惠' : 'SALE';
}
