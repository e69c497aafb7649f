import { type OfferScan, type OfferType, offerLanguage, parseDates, scanOffers } from '../offer.ts';
import { readCount } from '../offer-rules.ts';
import type { ScriptOffer } from './script-analysis.ts';
import { clausesOf, sentencesOf } from './script-text.ts';

/**
 * Every offer of a segment, read clause by clause through the offer parser: the mechanics (满减,
 * 折, 买一送一, gifts, free shipping…), the prices, and the code, dates and stock. A restated deal
 * ("相当于七五折", "that's like…") is not a second offer, and what a giveaway hands out is not a
 * gift with purchase. The main offer (the strongest mechanic) comes first and carries the price,
 * the code, the dates and the stock; the others follow in the order they were said. Pure.
 */

const RESTATEMENT =
  /相当于|等于是?|算下来|折合|that's like|that’s like|which is like|works out to|equivalent|o sea|sale a\b/i;
/** "一个正装送一个替换芯" after 买一送一: what the BOGO's free item is, not a separate gift. */
const BOGO_SPELLED_OUT =
  /[一二两三\d]\s*[个件支盒瓶套条双][\u4e00-\u9fff]{0,6}送\s*[一二两三\d]\s*[个件支盒瓶套条双]/;
/** 两罐300元, 三盒¥99: a count of two or more, its unit, and a price in yuan (not 两罐300克). */
const QUANTITY_PRICE =
  /(?<![第买拍满送\d])([两二三四2-4])\s*[件个盒罐瓶支套袋包条双只份箱饼]\s*(?:只要|仅需|一共|共|才)?\s*[¥￥]?\s*(\d+(?:\.\d{1,2})?)\s*元/;
const DRAW = /抽奖|抽[一二三四五六七八九十\d]+位|中奖|开奖|giveaway|winners?|sorteo|ganador/i;

/** Which mechanic leads a segment's offer card. */
const MAIN_ORDER: readonly OfferType[] = [
  'spend_threshold',
  'multi_buy',
  'bogo',
  'second_item',
  'percent_off',
  'amount_off',
  'flash_sale',
  'price_from',
  'gift',
  'free_shipping',
  'price',
  'none',
];

export function extractSegmentOffers(text: string): ScriptOffer[] {
  const language = offerLanguage(text);
  const mechanics: Array<OfferScan['mechanics'][number]> = [];
  const prices: OfferScan['prices'] = [];
  let code: string | null = null;
  let stock: number | null = null;
  let dates: ScriptOffer['dates'] = null;
  let wasPrice: string | null = null;
  let urgent = false;
  const tiers: Array<{ quantity: number; price: OfferScan['prices'][number] }> = [];
  for (const sentence of sentencesOf(text)) {
    const isDraw = DRAW.test(sentence.text);
    for (const clause of clausesOf(sentence.text)) {
      if (RESTATEMENT.test(clause)) continue;
      const scan = scanOffers(clause);
      urgent ||= scan.urgent;
      code ??= scan.code;
      stock ??= scan.stock;
      // A date's words may sit in the clause before ("until Sunday, April 6"): read the sentence.
      dates ??= scan.dates ? (parseDates(sentence.text) ?? scan.dates) : null;
      wasPrice ??= scan.was_price_text;
      for (const mechanic of scan.mechanics) {
        if (isDraw && mechanic.type === 'gift') continue;
        const bogoSaid = mechanics.some((other) => other.type === 'bogo');
        if (mechanic.type === 'gift' && bogoSaid && BOGO_SPELLED_OUT.test(clause)) continue;
        const key = mechanicKey(mechanic.type, mechanic.amounts);
        if (!mechanics.some((other) => mechanicKey(other.type, other.amounts) === key))
          mechanics.push(mechanic);
      }
      if (isDraw) continue;
      const tier = QUANTITY_PRICE.exec(clause);
      for (const price of scan.prices) {
        if (tier && Number(tier[2]) === price.price && prices.length > 0) {
          tiers.push({ quantity: readCount(tier[1]!), price });
          continue;
        }
        if (!prices.some((other) => other.price === price.price)) prices.push(price);
      }
    }
  }
  // 一罐168元,两罐300元: the price of two after the price of one is a multi-buy, unless a
  // 第二件 mechanic already says it (第二件半价,一件129,两件193.5: the price of that deal).
  const secondItem = mechanics.some((mechanic) => mechanic.type === 'second_item');
  for (const { quantity, price } of tiers) {
    if (secondItem) {
      if (!prices.some((other) => other.price === price.price)) prices.push(price);
      continue;
    }
    mechanics.push({
      type: 'multi_buy',
      headline: `${quantity}件${price.text}`,
      amounts: { quantity, price: price.price },
      currency: price.currency,
      // Not found by a rule of offer-rules.ts: read here, from the segment's prices.
      index: -1,
      text: price.text,
      rule: -1,
    });
  }
  const offers: ScriptOffer[] = mechanics.map((mechanic) => ({
    type: mechanic.type,
    language,
    currency: mechanic.currency ?? prices[0]?.currency ?? (language === 'zh' ? 'CNY' : null),
    amounts: mechanic.amounts,
    headline: mechanic.headline,
    sub_lines: [],
    price_text: mechanic.priceText ?? null,
    badge: null,
    urgent,
    dates: null,
    code: null,
    stock: null,
    was_price_text: null,
  }));
  for (const price of prices) {
    offers.push({
      type: 'price',
      language,
      currency: price.currency,
      amounts: { price: price.price },
      headline: price.text,
      sub_lines: [],
      price_text: price.text,
      badge: null,
      urgent,
      dates: null,
      code: null,
      stock: null,
      was_price_text: null,
    });
  }
  if (offers.length === 0 && (code || stock !== null || dates)) {
    offers.push({
      type: 'none',
      language,
      currency: null,
      amounts: {},
      headline: code ?? (stock !== null ? stockLine(stock, language) : (dates?.text ?? '')),
      sub_lines: [],
      price_text: null,
      badge: null,
      urgent,
      dates: null,
      code: null,
      stock: null,
      was_price_text: null,
    });
  }
  if (offers.length === 0) return [];
  offers.sort((a, b) => MAIN_ORDER.indexOf(a.type) - MAIN_ORDER.indexOf(b.type));
  const [main, ...others] = offers as [ScriptOffer, ...ScriptOffer[]];
  const livePrice = prices[0]?.text ?? null;
  return [
    {
      ...main,
      price_text: main.price_text ?? (main.type === 'price' ? main.headline : livePrice),
      sub_lines: others.filter((offer) => offer.type !== 'price').map((offer) => offer.headline),
      badge: badgeFor(main, urgent, stock, language),
      code,
      stock,
      dates,
      was_price_text: wasPrice,
    },
    ...others,
  ];
}

function mechanicKey(type: OfferType, amounts: ScriptOffer['amounts']): string {
  return `${type}:${JSON.stringify(Object.entries(amounts).sort())}`;
}

function stockLine(stock: number, language: ScriptOffer['language']): string {
  if (language === 'zh') return `限量${stock}件`;
  return language === 'es' ? `Solo ${stock} unidades` : `Only ${stock} left`;
}

function badgeFor(
  main: ScriptOffer,
  urgent: boolean,
  stock: number | null,
  language: ScriptOffer['language'],
): string | null {
  if (stock !== null) return stockLine(stock, language).slice(0, 20);
  const words = {
    zh: { urgent: '限时', bogo: '买赠', sale: '直播价' },
    en: { urgent: 'LIMITED', bogo: 'BOGO', sale: 'LIVE DEAL' },
    es: { urgent: 'ÚLTIMAS HORAS', bogo: '2x1', sale: 'OFERTA' },
  }[language];
  if (urgent || main.type === 'flash_sale') return words.urgent;
  if (main.type === 'bogo') return words.bogo;
  return main.type === 'none' ? null : words.sale;
}

/**
 * Offers put together by an editor ("满300减40" and "code SAVE10" as two chips): a code, stock or
 * end date said on its own joins the main offer, as it would had they been said together.
 */
export function mergeLooseOfferFacts(offers: readonly ScriptOffer[]): ScriptOffer[] {
  const main = offers.find((offer) => offer.type !== 'none');
  if (!main) return [...offers];
  const merged: ScriptOffer = { ...main };
  const kept: ScriptOffer[] = [];
  for (const offer of offers) {
    if (offer === main) continue;
    const fits =
      offer.type === 'none' &&
      (!offer.code || !merged.code) &&
      (offer.stock === null || merged.stock === null) &&
      (!offer.dates || !merged.dates);
    if (!fits) {
      kept.push(offer);
      continue;
    }
    merged.code ??= offer.code;
    merged.stock ??= offer.stock;
    merged.dates ??= offer.dates;
  }
  return [merged, ...kept];
}
