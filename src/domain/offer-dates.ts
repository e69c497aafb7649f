import type { Offer } from './offer.ts';

// Dates in marketing briefs, Chinese and English; month-day dates keep no year unless given.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const SPANISH_MONTHS = [
  'enero',
  'febrero',
  'marzo',
  'abril',
  'mayo',
  'junio',
  'julio',
  'agosto',
  'septiembre',
  'octubre',
  'noviembre',
  'diciembre',
];
/** Words before a single date that make it the last day: "until Nov 30", "截止11月30日", "hasta el 15". */
const END_BEFORE =
  /(until|till|through|thru|ends?|valid until|valid through|v[áa]lid[oa]s? hasta|hasta(?: el)?|截止|截至|到)\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*|(?:lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo),?\s*)?$/i;
/** Words after a single date that make it the last day: 8月31日前, 9月15日之前. */
const END_AFTER = /^\s*(之前|以前|前|为止)/;
const pad = (value: number) => String(value).padStart(2, '0');

/**
 * Finds dates: 11月1日-11月11日, 11.1-11.11, 2026-06-01 to 2026-06-30, Nov 1–11, until Nov 30,
 * 8月31日前, hasta el 15 de diciembre.
 */
export function parseDates(text: string): Offer['dates'] {
  const range = /\s*(?:-|–|—|~|至|到|to|until|till)\s*/.source;
  const zhDate = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]?/;
  const dotted = /(\d{1,2})[./](\d{1,2})/;
  const iso = /(\d{4})-(\d{1,2})-(\d{1,2})/;
  const month = new RegExp(`\\b(${MONTHS.join('|')})[a-z]*\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`, 'i');
  const day = (y: string | undefined, m: string | number, d: string | number) =>
    `${y ? `${y}-` : ''}${pad(Number(m))}-${pad(Number(d))}`;
  const patterns: Array<[RegExp, (m: RegExpExecArray) => [string | null, string | null]]> = [
    [
      new RegExp(`${iso.source}(?:${range}${iso.source})?`),
      (m) => [day(m[1], m[2]!, m[3]!), m[4] ? day(m[4], m[5]!, m[6]!) : null],
    ],
    [
      new RegExp(`${zhDate.source}(?:${range}(?:(\\d{1,2})月)?(\\d{1,2})[日号]?)?`),
      (m) => [day(m[1], m[2]!, m[3]!), m[5] ? day(m[1], m[4] ?? m[2]!, m[5]) : null],
    ],
    [
      new RegExp(`${month.source}(?:${range}(?:(${MONTHS.join('|')})[a-z]*\\.?\\s+)?(\\d{1,2})\\b)?`, 'i'),
      (m) => {
        const from = MONTHS.indexOf(m[1]!.slice(0, 3).toLowerCase()) + 1;
        const to = m[3] ? MONTHS.indexOf(m[3].slice(0, 3).toLowerCase()) + 1 : from;
        return [day(undefined, from, m[2]!), m[4] ? day(undefined, to, m[4]) : null];
      },
    ],
    [
      new RegExp(
        `\\b(\\d{1,2})\\s+de\\s+(${SPANISH_MONTHS.join('|')})(?:\\s+(?:al|hasta el)\\s+(\\d{1,2})\\s+de\\s+(${SPANISH_MONTHS.join('|')}))?`,
        'i',
      ),
      (m) => [
        day(undefined, SPANISH_MONTHS.indexOf(m[2]!.toLowerCase()) + 1, m[1]!),
        m[3] ? day(undefined, SPANISH_MONTHS.indexOf(m[4]!.toLowerCase()) + 1, m[3]) : null,
      ],
    ],
    // Dotted dates only as a range, so a price like 19.99 is never read as a date.
    [
      new RegExp(`${dotted.source}${range}${dotted.source}`),
      (m) => [day(undefined, m[1]!, m[2]!), day(undefined, m[3]!, m[4]!)],
    ],
  ];
  for (const [pattern, read] of patterns) {
    const match = pattern.exec(text);
    if (!match) continue;
    const [start, end] = read(match);
    const before = text.slice(Math.max(0, match.index - 24), match.index);
    const after = text.slice(match.index + match[0].length);
    // "until Nov 30", "截止11月30日", "8月31日前": a single date with such a word is the end.
    const lead = end ? null : END_BEFORE.exec(before);
    const trail = end || lead ? null : END_AFTER.exec(after);
    const onlyEnd = Boolean(lead || trail);
    return {
      text: `${lead?.[0] ?? ''}${match[0]}${trail?.[0] ?? ''}`.trim(),
      start: onlyEnd ? null : start,
      end: onlyEnd ? start : end,
    };
  }
  return null;
}
