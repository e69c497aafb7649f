/**
 * Reads a price as users write it ("¥199", "￥199.00", "199元", "$24.99", "24,99 €", "USD 30",
 * "199", "from $19", "¥99起") into the parts a shop sets at different sizes: the currency sign,
 * the integer digits (big) and the decimals (small). Pure; the price painter draws the parts.
 */
export interface PriceParts {
  /** Words before the price, drawn small: "from", "到手价". Empty when none. */
  prefix: string;
  /** The currency as written, normalized: "¥" (also for ￥), "$", "€", "£", "USD", "元"; or "". */
  sign: string;
  /** Whether the sign comes before the digits (¥199, USD 30) or after (24,99 €, 199元). */
  signBefore: boolean;
  /** The integer digits with their grouping as written: "199", "1,299". */
  integer: string;
  /** The decimal separator and digits, "" when none: ".99", ",99", ".00". */
  decimals: string;
  /** Words after the price, drawn small: "起", "/件". Empty when none. */
  suffix: string;
}

const SIGNS: Record<string, string> = { '¥': '¥', '￥': '¥', $: '$', '＄': '$', '€': '€', '£': '£' };
const CODES = /^(?:USD|EUR|GBP|CNY|RMB|HKD|JPY|CAD|AUD)$/i;
const PRICE =
  /^(?<prefix>.*?)(?<before>[¥￥$＄€£]|\b(?:USD|EUR|GBP|CNY|RMB|HKD|JPY|CAD|AUD)\b)?\s*(?<number>\d{1,3}(?:[,.\s]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)\s*(?<after>[¥￥$€£元]|(?:USD|EUR|GBP|CNY|RMB)\b)?(?<suffix>.*)$/iu;

/** The parts of a price, or null when the text holds no number (then it is drawn as plain text). */
export function parsePrice(input: string): PriceParts | null {
  const text = input
    .replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
    .replace(/[．]/g, '.')
    .replace(/[，]/g, ',')
    .replace(/\s+/g, ' ')
    .trim();
  const match = PRICE.exec(text);
  if (!match?.groups) return null;
  const { prefix = '', before, number = '', after, suffix = '' } = match.groups;
  const rawSign = before ?? after ?? '';
  const sign = SIGNS[rawSign] ?? (CODES.test(rawSign) ? rawSign.toUpperCase() : rawSign);
  const { integer, decimals } = splitNumber(number);
  return {
    prefix: prefix.trim(),
    sign,
    signBefore: before !== undefined || !after,
    integer,
    decimals,
    suffix: suffix.trim(),
  };
}

/**
 * "1,299.00" → 1,299 and .00; "24,99" → 24 and ,99; "1.299,50" → 1.299 and ,50. The last
 * separator followed by one or two digits is the decimal one; the others group thousands.
 */
function splitNumber(number: string): { integer: string; decimals: string } {
  const decimal = /([.,])(\d{1,2})$/.exec(number);
  if (!decimal) return { integer: number, decimals: '' };
  return { integer: number.slice(0, decimal.index), decimals: `${decimal[1]}${decimal[2]}` };
}

/** The price written back from its parts (what a reader of the poster reads). */
export function priceText(parts: PriceParts): string {
  const space = parts.sign.length > 1 && parts.sign !== '元' ? ' ' : '';
  const euro = parts.sign === '€' && !parts.signBefore ? ' ' : '';
  const body = parts.signBefore
    ? `${parts.sign}${space}${parts.integer}${parts.decimals}`
    : `${parts.integer}${parts.decimals}${euro || space}${parts.sign}`;
  return [parts.prefix, body, parts.suffix].filter((part) => part !== '').join(' ');
}
