import type { Currency, OfferType } from './offer.ts';

/**
 * The patterns that read an offer's mechanic, in Chinese, English and Spanish. Pure data and small
 * readers; `parseOffer` (one offer per brief) and `findOffers` (every offer of a script's clause)
 * both run them in this order: most specific first (满3件8折 before 8折, 满200减50 before 减50,
 * "buy one get one 50% off" before "buy one get one").
 */

export interface FoundMechanic {
  type: OfferType;
  headline: string;
  amounts: {
    threshold?: number;
    discount?: number;
    percent_off?: number;
    quantity?: number;
    free_quantity?: number;
    price?: number;
  };
  currency?: Currency | null;
  priceText?: string;
}

export type Rule = [RegExp, (match: RegExpExecArray) => FoundMechanic];

export const CURRENCY_SIGNS: Record<string, Currency> = {
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
const WORD_NUMBERS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, uno: 1, dos: 2, tres: 3 };

/** 3, 三, three, tres → 3. */
export function readCount(value: string | undefined, fallback = 1): number {
  if (!value) return fallback;
  return ZH_NUMBERS[value] ?? WORD_NUMBERS[value.toLowerCase()] ?? Number(value);
}

/** "29,90" and "29.90" → 29.9 (Spanish writes a decimal comma). */
export function readAmount(value: string): number {
  return Number(value.replace(',', '.'));
}

export const sign = (symbol: string | undefined) => (symbol ? (CURRENCY_SIGNS[symbol] ?? null) : null);

/** A money amount as the script wrote it: "$35", "20 €", "¥99". */
function money(symbol: string, amount: string): string {
  return symbol === '€' ? `${amount} €` : `${symbol}${amount}`;
}

const ZH_COUNT = '[一二两三四五六七八九十\\d]+';
/** A discount said in tenths, in digits or Chinese numerals: 8, 8.5, 八, 八五 (七五折 = 7.5). */
const ZH_TENTHS = '(\\d(?:\\.\\d)?|[一二三四五六七八九][一二三四五六七八九]?)';
/** 折 as a discount, not 折叠 (三折叠伞: folding in three) or 折扣/折合. */
const ZH_FOLD = '折(?!叠|扣|合|算|腾|射)';

/** 8 → 8, 8.5 → 8.5, 八 → 8, 八五 → 8.5. */
export function readTenths(value: string): number {
  if (/^\d/.test(value)) return Number(value);
  const [whole, fraction] = [...value].map((char) => ZH_NUMBERS[char] ?? 0);
  return whole! + (fraction ?? 0) / 10;
}
export const EURO = '(\\d+(?:[.,]\\d{1,2})?)\\s*€';

export const RULES: Rule[] = [
  [
    new RegExp(
      `(?<!第\\s*)(?:每)?(?:满\\s*)?(${ZH_COUNT})\\s*件\\s*再?\\s*打?\\s*${ZH_TENTHS}\\s*${ZH_FOLD}`,
    ),
    (m) => ({
      type: 'multi_buy',
      headline: `满${readCount(m[1])}件${readTenths(m[2]!)}折`,
      amounts: { quantity: readCount(m[1]), percent_off: Math.round(100 - readTenths(m[2]!) * 10) },
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
    new RegExp(`第\\s*(二|2)\\s*件\\s*(半价|${ZH_TENTHS}\\s*${ZH_FOLD}|(?:0|零)\\s*元|免单|免费)`),
    (m) => ({
      type: 'second_item',
      headline: `第二件${m[2]}`,
      amounts: {
        quantity: 2,
        percent_off: m[3] ? Math.round(100 - readTenths(m[3]) * 10) : /半价/.test(m[2]!) ? 50 : 100,
      },
    }),
  ],
  [
    /\b(?:buy\s+(?:one|1)(?:\s+[a-z]+)?\s+get\s+(?:one|1|the\s+second(?:\s+one)?)\s+(\d{1,2})\s*%\s*off|(?:the\s+)?second\s+(?:one|item|pair|unit)\s+(?:is\s+)?(?:at\s+)?(half[\s-]price|(\d{1,2})\s*%\s*off))\b/i,
    (m) => {
      const percent = m[1] ? Number(m[1]) : m[3] ? Number(m[3]) : 50;
      return {
        type: 'second_item',
        headline: percent === 50 ? '2ND HALF PRICE' : `2ND ${percent}% OFF`,
        amounts: { quantity: 2, percent_off: percent },
      };
    },
  ],
  [
    /(?:(?:la|el)\s+)?segund[ao]\s+(?:unidad\s+)?(?:(?:est[áa]|sale|va)\s+)?(?:al\s+(\d{1,2})\s*%|a\s+mitad\s+de\s+precio)/i,
    (m) => ({
      type: 'second_item',
      headline: `2ª UNIDAD -${m[1] ?? 50}%`,
      amounts: { quantity: 2, percent_off: m[1] ? Number(m[1]) : 50 },
    }),
  ],
  [
    // 买一送一, 买三包送一包 (the same unit again; 买两盒送一个手提礼袋 is a gift).
    /买\s*([一二两三四五1-5])\s*(?:送\s*([一二两三1-3])|([件个包盒瓶支套袋罐箱份条双])\s*送\s*([一二两三1-3])\s*\3(?![\u4e00-\u9fff]{2}))/,
    (m) => ({
      type: 'bogo',
      headline: `买${m[1]}送${m[2] ?? m[4]}`,
      amounts: { quantity: readCount(m[1]), free_quantity: readCount(m[2] ?? m[4]) },
    }),
  ],
  [
    // 拍一发二, 拍一件发两件: order one, receive two.
    /拍\s*([一二两三四五1-5])\s*[件个单份盒瓶支套]?\s*发\s*([一二两三四五六2-6])\s*[件个单份盒瓶支套]?/,
    (m) => {
      const [quantity, sent] = [readCount(m[1]), readCount(m[2])];
      return {
        type: 'bogo',
        headline: `拍${m[1]}发${m[2]}`,
        amounts: { quantity, free_quantity: Math.max(1, sent - quantity) },
      };
    },
  ],
  [
    /\b(?:buy\s+(one|1|two|2|three|3)(?:\s+[a-z]+)?\s+get\s+(one|1|two|2)(?:\s+[a-z]+)?(?:\s+free)?|bogo)\b/i,
    (m) => {
      const [quantity, free] = [readCount(m[1]), readCount(m[2])];
      return {
        type: 'bogo',
        headline: quantity === 1 && free === 1 ? 'BUY 1 GET 1 FREE' : `BUY ${quantity} GET ${free} FREE`,
        amounts: { quantity, free_quantity: free },
      };
    },
  ],
  [
    // 2x1, 3x2: Spanish shops' "take two, pay one".
    /(?<![\d.,x×])([2-4])\s*[x×]\s*([1-3])(?![\d.,x×]|\s*(?:cm|mm|m)\b)/i,
    (m) => {
      const take = Number(m[1]);
      const pay = Number(m[2]);
      return {
        type: 'bogo',
        headline: `${take}x${pay}`,
        amounts: { quantity: pay, free_quantity: Math.max(1, take - pay) },
      };
    },
  ],
  [
    /\b(?:spend(?:\s+over)?|orders? over)\s*([$€£])\s*(\d+)[^\d$€£]{0,24}?(?:save|get)?\s*([$€£])\s*(\d+)(?:\s*off\b)?|([$€£])(\d+)\s*off\s+orders?\s+(?:over|of)\s+[$€£]?(\d+)/i,
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
    // "buy two and save 20%", "compra 2 y ahorra un 20%": a share off from a number of items.
    /\b(?:buy|compra|ll[ée]vate)\s+(two|2|three|3|four|4|dos|tres)\s+(?:[a-z]+\s+)?(?:and|y)\s+(?:save|get|ahorra)\s+(?:un\s+)?(\d{1,2})\s*%/i,
    (m) => ({
      type: 'multi_buy',
      headline: `${readCount(m[1])} × -${m[2]}%`,
      amounts: { quantity: readCount(m[1]), percent_off: Number(m[2]) },
    }),
  ],
  [
    // "2 bags for $35", "3 for $20"; not "a set of 6 for $29" (the 6 is in the pack: its price).
    /(?<!\b(?:set|pack|box|tin|bag|case|kit|bundle|lot)\s+of\s+)\b(\d|two|three|four)\s+(?:[a-z]+\s+)?for\s*([$€£])\s*(\d+(?:\.\d{1,2})?)/i,
    (m) => ({
      type: 'multi_buy',
      headline: `${readCount(m[1])} FOR ${money(m[2]!, m[3]!)}`,
      amounts: { quantity: readCount(m[1]), price: Number(m[3]) },
      currency: sign(m[2]),
    }),
  ],
  [
    // "Llévate 3 por 20 €".
    new RegExp(
      `(?:llévate|llevaos|lleva|compra)\\s+(\\d|dos|tres)\\s+(?:[a-záéíóúñ]+\\s+)?por\\s*${EURO}`,
      'i',
    ),
    (m) => ({
      type: 'multi_buy',
      headline: `${readCount(m[1])} POR ${m[2]} €`,
      amounts: { quantity: readCount(m[1]), price: readAmount(m[2]!) },
      currency: 'EUR',
    }),
  ],
  [
    /\b(up to\s+)?(\d{1,2})\s*%\s*(?:off|discount)\b/i,
    (m) => ({
      type: 'percent_off',
      headline: `${m[1] ? 'UP TO ' : ''}${m[2]}% OFF`,
      amounts: { percent_off: Number(m[2]) },
    }),
  ],
  [
    /(?:(hasta\s+(?:un\s+)?)|un\s+)?(\d{1,2})\s*%\s*(?:de\s+descuento|de\s+rebaja|dto\b|menos\b)|(?:descuento|rebaja)\s+del\s+(\d{1,2})\s*%/i,
    (m) => {
      const percent = Number(m[2] ?? m[3]);
      return {
        type: 'percent_off',
        headline: `${m[1] ? 'HASTA ' : ''}-${percent}%`,
        amounts: { percent_off: percent },
      };
    },
  ],
  [
    new RegExp(`(?<![\\d.一二三四五六七八九十])${ZH_TENTHS}\\s*${ZH_FOLD}(?:起)?`),
    (m) => ({
      type: 'percent_off',
      headline: m[0].replace(/\s+/g, ''),
      amounts: { percent_off: Math.round(100 - readTenths(m[1]!) * 10) },
    }),
  ],
  [
    // 再减20%, 立减10%: a share off (减 with a percent sign is not a sum off).
    /(?:再|立|直)?减\s*(\d{1,2})\s*[%％]/,
    (m) => ({
      type: 'percent_off',
      headline: `再减${m[1]}%`,
      amounts: { percent_off: Number(m[1]) },
    }),
  ],
  [
    /(?:立减|直降|减|优惠|便宜)\s*[$€£¥]?\s*(\d+)\s*元?/,
    (m) => ({
      type: 'amount_off',
      headline: `立减${m[1]}元`,
      amounts: { discount: Number(m[1]) },
      currency: 'CNY',
    }),
  ],
  [
    /(?:\b(?:save|take)\s*)?([$€£])\s*(\d+(?:\.\d{1,2})?)\s*off\b|\bsave\s*([$€£])\s*(\d+(?:\.\d{1,2})?)/i,
    (m) => ({
      type: 'amount_off',
      headline: `${m[1] ?? m[3]}${m[2] ?? m[4]} OFF`,
      amounts: { discount: Number(m[2] ?? m[4]) },
      currency: sign(m[1] ?? m[3]),
    }),
  ],
  [
    // "5 € de descuento", "descuento de 5 €", "os descontamos 10 €", "10 € menos", "ahorras 10 €".
    new RegExp(
      `(?:ahorra\\s+)?${EURO}\\s+(?:de\\s+descuento|menos)|(?:descuento\\s+de|rebaja\\s+de|descontamos|descuentan|ahorr(?:a|as|áis|ais)|te\\s+quitamos)\\s*${EURO}`,
      'i',
    ),
    (m) => ({
      type: 'amount_off',
      headline: `-${m[1] ?? m[2]} €`,
      amounts: { discount: readAmount((m[1] ?? m[2])!) },
      currency: 'EUR',
    }),
  ],
  [
    /(?<!down\s)\b(?:from|starting at)\s*([$€£¥])\s*(\d+(?:\.\d{1,2})?)/i,
    (m) => ({
      type: 'price_from',
      headline: `FROM ${m[1]}${m[2]}`,
      amounts: { price: Number(m[2]) },
      currency: sign(m[1]),
      priceText: `from ${m[1]}${m[2]}`,
    }),
  ],
  [
    new RegExp(`\\bdesde\\s*${EURO}`, 'i'),
    (m) => ({
      type: 'price_from',
      headline: `DESDE ${m[1]} €`,
      amounts: { price: readAmount(m[1]!) },
      currency: 'EUR',
      priceText: `desde ${m[1]} €`,
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

/** Offers with no numbers: free shipping and a gift with the purchase. Run after RULES. */
export const FREE_SHIPPING =
  /包邮|免运费|免邮|\bfree\s+(?:shipping|delivery)\b|\bshipping\s+is\s+free\b|\bships?\s+(?:for\s+)?free\b|env[ií]o\s+(?:gratis|gratuito)|(?:env[ií]os?|gastos\s+de\s+env[ií]o)\s+(?:[a-záéíóúñ]+\s+){0,2}(?:gratis|gratuitos?)/i;

/**
 * A gift with the purchase: 再送洗护液, 加送一盒红枣, "a free mini cleanser", "de regalo un neceser".
 * Not 送人/送长辈 (giving the product to someone) and not a BOGO's free item (read before this).
 */
export const GIFT =
  /(?:再|还|加|另|额外)?(?:赠送|加送|送)(?!人|给|礼|长辈|客户|朋友|闺蜜|家人|妈妈|爸妈|老人|女友|男友|对象|孩子|出|到|达|货|您|你)\s*((?:[一二两三四五六七八九十\d]+\s*[个件支盒包瓶条张袋份套只]\s*)?[\u4e00-\u9fffA-Za-z]{1,12})|\b(?:a|an|one|with a|get a|comes with a)?\s*(?<!-)free\s+(?!shipping|delivery|returns?|of\b|from\b|to\b|and\b|on\b|for\b)([a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2})|\bde\s+regalo\b\s*(?:(?:un|una)\s+)?([a-záéíóúñ]+(?:\s+[a-záéíóúñ]+){0,2})?|\b(?:os|te|les)\s+regalamos\s+(?:(?:un|una)\s+)?([a-záéíóúñ]+)/i;
