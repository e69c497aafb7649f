/**
 * Pure text fitting for the layout engine: the largest font size at which a text wraps into a box.
 * Knows nothing about canvases; the caller passes `measure`, so tests run with a fake one.
 *
 * Wrapping rules, for mixed Chinese and Latin marketing copy:
 * - Latin breaks between words only (no hyphenation); a word longer than the box is broken by
 *   characters only at the minimum size, as a last resort.
 * - Chinese breaks between words (Intl.Segmenter's dictionary, single characters kept with a
 *   neighbour), never inside one: "夏季清仓 / 满200减50", not "夏季清仓 满 / 200减50". Only a word
 *   wider than the box at the minimum size is broken between characters, as a last resort.
 * - Kinsoku: closing punctuation never starts a line and opening brackets or currency signs never
 *   end one.
 * - Offer and price tokens are one word, space included: "满200减50", "第2件半价", "买一送一",
 *   "5折", "¥199", "$19.99", "20% OFF"; runs of non-CJK characters stay whole.
 */

import {
  BREAK_ANYWHERE,
  characterUnits,
  graphemes,
  splitIntoWrapUnits,
  type WrapUnit,
} from './wrap-units.ts';

export { splitIntoWrapUnits, type WrapUnit } from './wrap-units.ts';

/** Width in pixels of `text` set at `fontSizePx`. */
export type MeasureText = (text: string, fontSizePx: number) => number;

export interface TextFitRequest {
  text: string;
  /** The box in pixels. */
  width: number;
  height: number;
  minSize: number;
  maxSize: number;
  maxLines: number;
  /** Line height as a multiple of the font size. */
  lineHeight: number;
  measure: MeasureText;
  /** Even out line lengths, like CSS `text-wrap: balance`, so a headline has no orphan word. */
  balance?: boolean;
  /**
   * Take fewer lines when that keeps at least this fraction of the largest fitting size; 1 always
   * takes the largest size. Default 0.8 when the larger layout breaks between two CJK characters
   * (which may split a word), else 0.9.
   */
  fewerLinesRatio?: number;
}

export interface FittedText {
  fontSize: number;
  lines: string[];
  /** The measured width of each line, in pixels. */
  lineWidths: number[];
  lineHeightPx: number;
  /** True when the text could not fit at `minSize` and was cut with an ellipsis. */
  overflow: boolean;
}

const ELLIPSIS = '…';
// Width comparisons tolerate float noise from summing measured pieces.
const EPSILON = 0.01;

interface Line {
  text: string;
  width: number;
}

/**
 * Greedy wrap of one paragraph at one size. Returns null when a unit is wider than the box and
 * `breakLongUnits` is off, so the caller tries a smaller size first.
 */
function wrapParagraph(
  units: readonly WrapUnit[],
  maxWidth: number,
  fontSize: number,
  measure: MeasureText,
  breakLongUnits: boolean,
): Line[] | null {
  const spaceWidth = measure(' ', fontSize);
  const lines: Line[] = [];
  let current: Line | null = null;
  for (const unit of units) {
    const unitWidth = measure(unit.text, fontSize);
    if (current) {
      const added = (unit.spaceBefore ? spaceWidth : 0) + unitWidth;
      if (current.width + added <= maxWidth + EPSILON) {
        current.text += (unit.spaceBefore ? ' ' : '') + unit.text;
        current.width += added;
        continue;
      }
      lines.push(current);
      current = null;
    }
    if (unitWidth <= maxWidth + EPSILON) {
      current = { text: unit.text, width: unitWidth };
    } else if (breakLongUnits) {
      // A word wider than the box: Chinese between characters (kinsoku still holds), Latin anywhere.
      const characters = characterUnits(unit.text);
      const pieces =
        characters.length > 1
          ? (wrapParagraph(characters, maxWidth, fontSize, measure, true) ?? [])
          : breakByCharacters(unit.text, maxWidth, fontSize, measure);
      current = pieces.pop() ?? null;
      lines.push(...pieces);
    } else {
      return null;
    }
  }
  if (current) lines.push(current);
  return lines;
}

/** Breaks an over-long word into lines of whole graphemes; each line holds at least one. */
function breakByCharacters(text: string, maxWidth: number, fontSize: number, measure: MeasureText): Line[] {
  const lines: Line[] = [];
  let current = '';
  for (const grapheme of graphemes(text)) {
    const candidate = current + grapheme;
    if (current !== '' && measure(candidate, fontSize) > maxWidth + EPSILON) {
      lines.push({ text: current, width: measure(current, fontSize) });
      current = grapheme;
    } else {
      current = candidate;
    }
  }
  if (current !== '') lines.push({ text: current, width: measure(current, fontSize) });
  return lines;
}

function wrapAll(
  paragraphs: readonly WrapUnit[][],
  maxWidth: number,
  fontSize: number,
  measure: MeasureText,
  breakLongUnits: boolean,
): Line[] | null {
  const lines: Line[] = [];
  for (const units of paragraphs) {
    const wrapped = wrapParagraph(units, maxWidth, fontSize, measure, breakLongUnits);
    if (!wrapped) return null;
    lines.push(...wrapped);
  }
  return lines;
}

/**
 * Narrows the wrap width as far as the paragraph keeps its line count, so lines come out of
 * similar length ("Summer Sale / 20% OFF" rather than "Summer Sale 20% / OFF").
 */
function balanceParagraph(
  units: readonly WrapUnit[],
  maxWidth: number,
  fontSize: number,
  measure: MeasureText,
) {
  const greedy = wrapParagraph(units, maxWidth, fontSize, measure, false);
  if (!greedy || greedy.length < 2) return greedy;
  let best = greedy;
  let low = maxWidth / 2;
  let high = maxWidth;
  for (let step = 0; step < 10; step += 1) {
    const middle = (low + high) / 2;
    const candidate = wrapParagraph(units, middle, fontSize, measure, false);
    if (candidate && candidate.length <= greedy.length) {
      best = candidate;
      high = middle;
    } else {
      low = middle;
    }
  }
  return best;
}

function truncateWithEllipsis(line: Line, maxWidth: number, fontSize: number, measure: MeasureText): Line {
  const pieces = graphemes(line.text);
  while (pieces.length > 0) {
    const text = `${pieces.join('').trimEnd()}${ELLIPSIS}`;
    const width = measure(text, fontSize);
    if (width <= maxWidth + EPSILON) return { text, width };
    pieces.pop();
  }
  return { text: ELLIPSIS, width: measure(ELLIPSIS, fontSize) };
}

function result(fontSize: number, lineHeight: number, lines: Line[], overflow: boolean): FittedText {
  return {
    fontSize,
    lines: lines.map((line) => line.text),
    lineWidths: lines.map((line) => line.width),
    lineHeightPx: fontSize * lineHeight,
    overflow,
  };
}

/**
 * Finds the largest size from `maxSize` down to `minSize` (1 px steps) at which the text fits,
 * preferring fewer lines when they cost little size (see `fewerLinesRatio`).
 */
export function fitText(request: TextFitRequest): FittedText {
  const { width, height, measure, lineHeight } = request;
  const maxSize = Math.max(1, request.minSize, request.maxSize);
  const minSize = Math.max(1, Math.min(request.minSize, request.maxSize));
  const maxLines = Math.max(1, Math.floor(request.maxLines));
  const linesThatFit = (fontSize: number, lineLimit = maxLines) =>
    Math.min(lineLimit, Math.floor((height + EPSILON) / (fontSize * lineHeight)));
  // Explicit line breaks are honoured; when there are more of them than the box can ever hold
  // (even at the smallest size), the last lines run on, so the whole text shows rather than a cut.
  const written = request.text
    .trim()
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const room = Math.max(1, linesThatFit(minSize));
  if (written.length > room) written.splice(room - 1, written.length, written.slice(room - 1).join(' '));
  const paragraphs = written.map(splitIntoWrapUnits).filter((units) => units.length > 0);
  if (paragraphs.length === 0) return result(maxSize, lineHeight, [], false);
  const fitsAt = (fontSize: number, lineLimit = maxLines): Line[] | null => {
    const lines = wrapAll(paragraphs, width, fontSize, measure, false);
    return lines && lines.length <= linesThatFit(fontSize, lineLimit) ? lines : null;
  };
  // Sizes are maxSize, maxSize-1, …, ending exactly at minSize; binary search the largest that fits.
  const steps = Math.floor(maxSize - minSize);
  const sizeAt = (step: number) => (step >= steps ? minSize : maxSize - step);
  const largestFittingSize = (lineLimit: number): number | null => {
    if (!fitsAt(minSize, lineLimit)) return null;
    let low = 0;
    let high = steps;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (fitsAt(sizeAt(middle), lineLimit)) high = middle;
      else low = middle + 1;
    }
    return sizeAt(low);
  };

  const largest = largestFittingSize(maxLines);
  if (largest !== null) {
    // Fewer lines win when they cost little size: "夏季清仓促销" on one line beats "夏季清 / 仓促销"
    // 20% bigger, while "Summer Sale / 20% OFF" keeps two lines rather than shrink by a fifth.
    let fontSize = largest;
    const largestLines = fitsAt(largest) ?? [];
    const ratio = request.fewerLinesRatio ?? (breaksInsideCjk(largestLines) ? 0.8 : 0.9);
    for (let fewer = largestLines.length - 1; fewer >= 1; fewer -= 1) {
      const size = largestFittingSize(fewer);
      if (size === null || size < largest * ratio) break;
      fontSize = size;
    }
    const lines =
      request.balance === false ? fitsAt(fontSize) : balanced(paragraphs, width, fontSize, measure);
    return result(fontSize, lineHeight, lines ?? [], false);
  }

  // Last resort at the minimum size: break over-long words, then cut what is left with an ellipsis.
  const lines = wrapAll(paragraphs, width, minSize, measure, true) ?? [];
  // A box shorter than one line still shows one line, flagged as overflowing.
  const allowed = Math.max(1, linesThatFit(minSize));
  const tooShort = linesThatFit(minSize) < 1;
  if (lines.length <= allowed) return result(minSize, lineHeight, lines, tooShort);
  const kept = lines.slice(0, allowed);
  const last = kept.pop();
  if (last) kept.push(truncateWithEllipsis(last, width, minSize, measure));
  return result(minSize, lineHeight, kept, true);
}

/** Whether a line break falls between two CJK characters, which may split a word: 清 / 仓. */
function breaksInsideCjk(lines: readonly Line[]): boolean {
  return lines.some((line, index) => {
    const next = lines[index + 1];
    return (
      next !== undefined &&
      BREAK_ANYWHERE.test(line.text.at(-1) ?? '') &&
      BREAK_ANYWHERE.test(next.text[0] ?? '')
    );
  });
}

function balanced(paragraphs: readonly WrapUnit[][], width: number, fontSize: number, measure: MeasureText) {
  const lines: Line[] = [];
  for (const units of paragraphs) lines.push(...(balanceParagraph(units, width, fontSize, measure) ?? []));
  return lines;
}

/**
 * For a text that did not fit at `minSize` (its floor): the largest size below it at which it
 * would fit whole, for the warning ("needs 14 px, floor 25 px"); 0 when not even 1 px would.
 */
export function sizeThatFitsWhole(request: TextFitRequest): number {
  const below = fitText({ ...request, minSize: 1, maxSize: request.minSize, fewerLinesRatio: 1 });
  return below.overflow ? 0 : below.fontSize;
}
