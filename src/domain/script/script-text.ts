import type { ScriptLanguage } from './script-analysis.ts';

/** Sentences and languages of a script's text. Pure (Intl.Segmenter is part of the runtime). */

export interface TextSpan {
  text: string;
  start: number;
  end: number;
}

const sentenceSegmenters = new Map<string, Intl.Segmenter>();

/**
 * The sentences of a text with their offsets, by Unicode's sentence rules (a line break ends a
 * sentence too, so a header line is one). Blank ones are dropped; each is trimmed.
 */
export function sentencesOf(text: string, offset = 0, locale = 'zh'): TextSpan[] {
  let segmenter = sentenceSegmenters.get(locale);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(locale, { granularity: 'sentence' });
    sentenceSegmenters.set(locale, segmenter);
  }
  const spans: TextSpan[] = [];
  for (const piece of segmenter.segment(text)) {
    const lead = piece.segment.length - piece.segment.trimStart().length;
    const trimmed = piece.segment.trim();
    if (!trimmed) continue;
    const start = offset + piece.index + lead;
    spans.push({ text: trimmed, start, end: start + trimmed.length });
  }
  return spans;
}

/**
 * Clauses of a sentence: split at commas (not 12,50 or 1,000), semicolons, 、 and a full stop
 * before a space (Unicode keeps "pica. $69 tonight" one sentence: a lowercase word follows).
 */
export function clausesOf(sentence: string): string[] {
  return sentence
    .split(/(?<!\d),|,(?!\d)|[，;；、]|\s+[-–—]\s+|(?<=[.!?])\s+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /\p{Script=Latin}+/gu;
const SPANISH_MARKS = /[ñ¿¡áéíóú]/i;
const SPANISH_WORDS = new Set(
  'el la los las de del que y en un una es por para con no se lo os hoy muy más pero como este esta estos estas nuestro nuestra también solo sólo ya sus su al tenéis tenemos hasta sin'.split(
    ' ',
  ),
);
const ENGLISH_WORDS = new Set(
  "the and of to a in is it you that for on with this are be as at your our we so but if all its it’s it's tonight just have has can get from up out one what will not".split(
    ' ',
  ),
);

/** How much of a text is in each language: Han characters count once, Latin words twice-ish. */
export function languageShares(text: string): Record<ScriptLanguage, number> {
  const han = text.match(HAN)?.length ?? 0;
  let spanish = 0;
  let english = 0;
  for (const match of text.matchAll(LATIN_WORD)) {
    const word = match[0].toLowerCase();
    if (SPANISH_WORDS.has(word) || SPANISH_MARKS.test(word)) spanish++;
    else if (ENGLISH_WORDS.has(word)) english++;
  }
  // Latin words are split between Spanish and English by their function words (content words such
  // as brand names or "SPF" tell nothing); with none, they count as English.
  const latin = spanish + english;
  const latinWords = (text.match(LATIN_WORD) ?? []).filter(
    (word) => word.length > 1 || /[aoyi]/i.test(word),
  ).length;
  const spanishShare = latin === 0 ? 0 : spanish / latin;
  // A Latin word is worth about two Han characters of speech.
  const latinWeight = latinWords * 2;
  return { zh: han, es: latinWeight * spanishShare, en: latinWeight * (1 - spanishShare) };
}

/** The main language of a text: zh, en or es; English when nothing tells. */
export function mainLanguage(text: string): ScriptLanguage {
  const shares = languageShares(text);
  const best = (Object.entries(shares) as Array<[ScriptLanguage, number]>).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : 'en';
}

/** Every language with at least `share` of the text (default 15 %). */
export function languagesOf(text: string, share = 0.15): ScriptLanguage[] {
  const shares = languageShares(text);
  const total = shares.zh + shares.en + shares.es;
  if (total === 0) return ['en'];
  const found = (Object.entries(shares) as Array<[ScriptLanguage, number]>)
    .filter(([, value]) => value / total >= share)
    .sort((a, b) => b[1] - a[1])
    .map(([language]) => language);
  return found.length > 0 ? found : [mainLanguage(text)];
}

/** Lowercase, no spaces or punctuation, full-width folded: for comparing names and phrases. */
export function foldForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}]+/gu, '');
}
