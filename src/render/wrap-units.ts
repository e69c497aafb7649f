/**
 * Where a line may break in mixed Chinese and Latin marketing copy: a paragraph cut into wrap units
 * (the pieces text-fit.ts lays into lines) with the rules documented there — Chinese by words,
 * offer and price tokens whole, kinsoku glue — and, as the last resort for a word wider than its
 * box, the same word cut into characters.
 */

/** An unbreakable piece of text; lines break only between units. */
export interface WrapUnit {
  text: string;
  /** Whether a space separated this unit from the previous one (dropped at a line start). */
  spaceBefore: boolean;
}

const NO_LINE_START = new Set([
  ...'。，、！？）」』】》〉〕］｝：；％・ー～…’”',
  ...'.,!?%):;]}',
  ...'々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ',
]);
const NO_LINE_END = new Set([...'（「『【《〈〔［｛‘“', ...'([{', ...'¥$￥＄£€']);
export const BREAK_ANYWHERE =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef\p{Extended_Pictographic}]/u;
const SPACE = /^\s+$/u;

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function graphemes(text: string): string[] {
  return Array.from(graphemeSegmenter.segment(text), (part) => part.segment);
}

/**
 * Offer and price tokens a line must never split, space included: "满200减50", "每满300减40",
 * "第2件半价", "买一送一", "5折", "¥199", "$39.99", "20% OFF", "100名".
 */
const NUMERAL = '[\\d一二两三四五六七八九十百]';
const OFFER_TOKEN = new RegExp(
  [
    `每?满\\d+(?:\\.\\d+)?元?(?:减\\d+(?:\\.\\d+)?元?|可用|包邮)?`,
    `第${NUMERAL}+件(?:半价|免单|免费|\\d+(?:\\.\\d+)?折|[一二三四五六七八九]折)?`,
    `买${NUMERAL}+送${NUMERAL}+`,
    `立减\\d+(?:\\.\\d+)?元?`,
    `[¥$￥€£＄]\\s?\\d[\\d,.]*(?:元|起)?`,
    `-?\\d+(?:\\.\\d+)?\\s?%(?:\\s?(?:OFF|Off|off))?`,
    `\\d+(?:\\.\\d+)?[折件元天点名次个只套瓶]起?`,
    `[一二三四五六七八九]折起?`,
  ].join('|'),
  'gu',
);
const HAN = /\p{Script=Han}/u;
const wordSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * Splits a space-free stretch into words: Latin and digit runs whole, Chinese by dictionary words
 * (Intl.Segmenter), since a break between two characters of one word ("清 / 仓") reads as a typo.
 * The dictionary leaves unknown words as single characters: a run of them stays together (清仓),
 * and a lone one joins its neighbour (双十一, 会员价), so no line starts or ends with a stray one.
 */
function splitWords(stretch: string): string[] {
  const pieces: { text: string; cjk: boolean }[] = [];
  for (const { segment } of wordSegmenter.segment(stretch)) {
    const cjk = BREAK_ANYWHERE.test(segment);
    const previous = pieces.at(-1);
    // Latin, digits and symbols between them stay one run, as before: "iPhone", "50ml".
    if (previous && !cjk && !previous.cjk) previous.text += segment;
    else pieces.push({ text: segment, cjk });
  }
  const single = (piece: { text: string; cjk: boolean } | undefined) =>
    piece?.cjk === true && HAN.test(piece.text) && graphemes(piece.text).length === 1;
  const words: { text: string; cjk: boolean }[] = [];
  for (let index = 0; index < pieces.length; index += 1) {
    const piece = pieces[index]!;
    if (!single(piece)) {
      words.push({ ...piece });
      continue;
    }
    let run = piece.text;
    while (single(pieces[index + 1])) {
      index += 1;
      run += pieces[index]!.text;
    }
    const previous = words.at(-1);
    if (graphemes(run).length > 1) words.push({ text: run, cjk: true });
    else if (previous?.cjk) previous.text += run;
    else if (pieces[index + 1]) {
      index += 1;
      words.push({ text: run + pieces[index]!.text, cjk: true });
    } else if (previous) previous.text += run;
    else words.push({ text: run, cjk: true });
  }
  return words.map((word) => word.text);
}

/** Splits one paragraph (no newlines) into wrap units with the glue rules applied. */
export function splitIntoWrapUnits(paragraph: string): WrapUnit[] {
  const raw: WrapUnit[] = [];
  let spaceBefore = false;
  const pushStretch = (stretch: string) => {
    for (const part of stretch.split(/(\s+)/u)) {
      if (part === '') continue;
      if (SPACE.test(part)) {
        spaceBefore = raw.length > 0;
        continue;
      }
      for (const word of splitWords(part)) {
        raw.push({ text: word, spaceBefore });
        spaceBefore = false;
      }
    }
  };
  let rest = 0;
  for (const match of paragraph.matchAll(OFFER_TOKEN)) {
    pushStretch(paragraph.slice(rest, match.index));
    raw.push({ text: match[0], spaceBefore });
    spaceBefore = false;
    rest = match.index + match[0].length;
  }
  pushStretch(paragraph.slice(rest));

  const glued: WrapUnit[] = [];
  for (const unit of raw) {
    const previous = glued.at(-1);
    const firstChar = graphemes(unit.text)[0] ?? '';
    const previousLastChar = previous ? (graphemes(previous.text).at(-1) ?? '') : '';
    const loneHan = (text: string) => graphemes(text).length === 1 && HAN.test(text);
    if (
      previous &&
      !unit.spaceBefore &&
      (NO_LINE_START.has(firstChar) ||
        NO_LINE_END.has(previousLastChar) ||
        // A token next to a lone character: "价¥199" rather than "价 / ¥199", "前100名".
        loneHan(unit.text) ||
        loneHan(previous.text) ||
        // Latin or digits touching a token without a space: "SUMMER" + "50%" is one word.
        (!BREAK_ANYWHERE.test(previousLastChar) && !BREAK_ANYWHERE.test(firstChar)))
    ) {
      previous.text += unit.text;
    } else {
      glued.push({ ...unit });
    }
  }
  return glued;
}

/** A word cut into its characters (Latin runs whole), with the kinsoku glue: the last resort. */
export function characterUnits(word: string): WrapUnit[] {
  const units: WrapUnit[] = [];
  let latin = '';
  for (const grapheme of graphemes(word)) {
    if (!BREAK_ANYWHERE.test(grapheme)) {
      latin += grapheme;
      continue;
    }
    if (latin !== '') units.push({ text: latin, spaceBefore: false });
    latin = '';
    units.push({ text: grapheme, spaceBefore: false });
  }
  if (latin !== '') units.push({ text: latin, spaceBefore: false });
  const glued: WrapUnit[] = [];
  for (const unit of units) {
    const previous = glued.at(-1);
    if (
      previous &&
      (NO_LINE_START.has(graphemes(unit.text)[0] ?? '') ||
        NO_LINE_END.has(graphemes(previous.text).at(-1) ?? ''))
    ) {
      previous.text += unit.text;
    } else {
      glued.push({ ...unit });
    }
  }
  return glued;
}
