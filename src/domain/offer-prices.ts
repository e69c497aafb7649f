import type { Currency } from './offer.ts';
import { EURO, readAmount, sign } from './offer-rules.ts';

/**
 * How scripts and briefs say the stock, a former price and a price, in Chinese, English and Spanish.
 * Pure data; `scanOffers` reads them after the mechanics (offer-rules.ts) are taken out.
 */

/** The stock on offer: 限量500件, 库存只剩200台, "only 120 left", "quedan solo 40 pares". */
export const STOCK_PATTERNS: RegExp[] = [
  /(?:限量|库存(?:只有|只剩|仅剩|还有)?|仅剩|还剩|只剩|仅有|只有|现货)\s*(?:最后)?\s*(\d[\d,]*)\s*(?:件|单|份|台|支|套|个|盒|条|瓶|袋|双|罐|箱|张|把|只|本|副|对|块|包|片|组|饼|提|卷)/,
  /限量\s*(\d[\d,]*)/,
  /\b(?:only|just)\s+(?:have\s+|got\s+)?(\d[\d,]*)\s+(?:[a-z]+\s+)?(?:left|remaining)\b/i,
  /\b(?:only|just)\s+(\d[\d,]*)\s+(?:units?|pieces|pcs|sets|pairs|boxes|bags|tins|bottles)\b/i,
  /\blimited\s+to\s+(\d[\d,]*)\b/i,
  /\b(?:only|just)\s+(?:made|produced|have|got)\s+(\d[\d,]*)\b(?!\s*(?:%|hours?|days?|minutes?))/i,
  /\blimited\s+(?:edition|run|batch)\s+of\s+(\d[\d,]*)\b/i,
  /\b(\d[\d,]*)\s+(?:units?\s+)?left\s+(?:in stock|at this price)\b/i,
  /\b(?:only|just|have|got)\s+(\d[\d,]*)\s+(?:[a-z]+\s+)?in\s+stock\b/i,
  /最后\s*(\d[\d,]*)\s*(?:件|单|份|台|套|个|盒|瓶|袋|双|罐|箱|饼|包|支|条|块|只)/,
  /\b(?:solo\s+)?quedan\s+(?:solo\s+|sólo\s+)?(\d[\d.]*)\b/i,
  /\b(?:últimas|ultimas)\s+(\d+)\s+unidades\b/i,
];

/** A price the product had before (not the offer's): 原价399, "normally $89", "antes 79 €". */
export const WAS_PRICE =
  /(?:原价|专柜价|官方价|市场价|吊牌价|日常价|平时(?:专柜价)?)\s*(?:是|要)?\s*[¥￥]?\s*(\d+(?:\.\d{1,2})?)\s*元?|\b(?:instead of|rather than|down from|normally|regular(?:ly)?(?:\s+price)?(?:\s+is)?|usually|it\s+was|was|reg\.?|retail(?:s)?(?:\s+at)?|list\s+price)\s*([$€£])\s*(\d+(?:\.\d{1,2})?)|\b(?:antes|en\s+(?:vez|lugar)\s+de|precio\s+(?:habitual|normal|original)|pvp)\s*(?:de\s+)?(\d+(?:[.,]\d{1,2})?)\s*€/i;

/** A price as scripts say it: ¥199, $59, "49 €", "29,90 €", 199元, 到手价199, 只要59, 一件89, 两件133.5 (the price of two). */
export const PRICE_PATTERNS: Array<
  [RegExp, (m: RegExpExecArray) => { price: number; text: string; currency: Currency }]
> = [
  [
    /([$€£¥])\s*(\d+(?:\.\d{1,2})?)/,
    (m) => ({ price: Number(m[2]), text: `${m[1]}${m[2]}`, currency: sign(m[1])! }),
  ],
  [new RegExp(EURO), (m) => ({ price: readAmount(m[1]!), text: `${m[1]} €`, currency: 'EUR' })],
  [
    /(?<!价值|满|减|[\d.])(\d+(?:\.\d{1,2})?)\s*元(?!\s*(?:券|红包|优惠券))/,
    (m) => ({ price: Number(m[1]), text: `¥${m[1]}`, currency: 'CNY' }),
  ],
  [
    /(?:到手价?|只要|仅需|仅要|只需|直播间价格?|首发价|秒杀价|活动价|福利价|(?<![买拍满第])[一两二三四五]\s*[件个条盒瓶支套袋罐箱])\s*(?:是|只要|才)?\s*(\d+(?:\.\d{1,2})?)(?![\d.%]|\s*(?:件|个|克|毫|小时|分钟|天|期|折|倍|%|位|名|单|台|支|套|盒|袋|片|条|瓶|小包|包|只|粒|颗|斤|公斤|千克|升|罐|箱|种|g|kg|ml|L|岁|cm|厘米|米))/,
    (m) => ({ price: Number(m[1]), text: `¥${m[1]}`, currency: 'CNY' }),
  ],
];
