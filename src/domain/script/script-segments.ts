import type { SegmentKind } from './script-analysis.ts';
import { sentencesOf, type TextSpan } from './script-text.ts';

/**
 * Splits a script into segments: by its own headers (【第一款】, [8:05], ## Smartwatch, a line
 * starting with 20:05, "Product 1:"), else by its spoken markers (第一款, 下面这款, "Next up",
 * "A continuación", a closing "That's a wrap"), else by paragraphs that bring in a new product,
 * else as one segment (and says so). Pure.
 */

export interface RawSegment {
  start: number;
  end: number;
  text: string;
  /** The header or marker that opened it: "第一款", "Vitamin C serum", "" for an untitled intro. */
  label: string;
  /** What follows the marker on its line or in its sentence: where a product is usually named. */
  lead: string;
  time: string | null;
  kindHint: SegmentKind | null;
}

export type SegmentationMethod = 'headers' | 'markers' | 'products' | 'single';

export interface Segmentation {
  segments: RawSegment[];
  method: SegmentationMethod;
}

const TIME = String.raw`(\d{1,2}:\d{2})(?:\s*[AaPp]\.?[Mm]\.?)?`;
const HEADER_PATTERNS: Array<
  [RegExp, (m: RegExpExecArray) => { label: string; lead: string; time: string | null }]
> = [
  [
    /^[【[]\s*([^】\]]{1,40}?)\s*[】\]]\s*(.*)$/,
    (m) => {
      const inner = m[1]!.trim();
      const time = new RegExp(`^${TIME}$`).exec(inner);
      const restTime = new RegExp(`^${TIME}\\s*(.*)$`).exec(m[2]!.trim());
      if (time) return { label: m[2]!.trim(), lead: m[2]!.trim(), time: time[1]! };
      return {
        label: inner,
        lead: restTime ? restTime[2]! : m[2]!.trim(),
        time: restTime ? restTime[1]! : null,
      };
    },
  ],
  [/^#{1,4}\s+(.{1,60})$/, (m) => ({ label: m[1]!.trim(), lead: m[1]!.trim(), time: null })],
  [
    new RegExp(`^${TIME}(?:\\s*[-–—:：]?\\s*(.{0,40}))?$`),
    (m) => ({ label: (m[2] ?? '').trim(), lead: (m[2] ?? '').trim(), time: m[1]! }),
  ],
  // "LIGHT SET (7:05)", "Bib shorts – 7:20": a short name with its time in brackets or after a dash.
  [
    new RegExp(`^([^\\s.!?。!?,，].{0,40}?)\\s*(?:[(（]\\s*${TIME}\\s*[)）]|[-–—|]\\s*${TIME})$`),
    (m) => ({ label: m[1]!.trim(), lead: m[1]!.trim(), time: m[2] ?? m[3]! }),
  ],
  // "INTRO", "MINI PUMP": a line in capitals, a few words, no sentence punctuation.
  [
    /^(?=[^a-z]*[A-Z][^a-z]*[A-Z])([A-Z0-9][A-Z0-9 &/'’+-]{1,38}[A-Z0-9])$/,
    (m) => ({ label: m[1]!.trim(), lead: m[1]!.trim(), time: null }),
  ],
  [
    /^((?:Product|Producto|Item|Artículo|产品|商品)\s*\d+)\s*[:：]\s*(.{0,60})$/i,
    (m) => ({ label: m[1]!.trim(), lead: m[2]!.trim(), time: null }),
  ],
];

const FILLER = String.raw`^(?:(?:好|来|那么|OK|ok|And|Okay|So|Alright|Y|Bueno|Vale)[,，、!！]?\s*)?`;
/** 第二件半价, 第二件8折, 第二件0元: an offer on the next item, not the next product. */
const ORDINAL_OFFER = String.raw`(?![\s,，]*(?:半价|打|[\d一二三四五六七八九.]+\s*折|[0零]\s*元|\d+\s*元|免单|免费|只要|仅需|立减|减))`;
/** Markers that open a segment wherever a sentence starts with them. */
const STRONG_MARKER = new RegExp(
  `${FILLER}(第[一二三四五六七八九十\\d]+[款个件样号套瓶支]${ORDINAL_OFFER}|下面这[款个件瓶支套]|最后一[款个件瓶支套]|首先(?:是|来看)?|先来看|压轴|` +
    `First up|Next up|Up next|Next is|Next,|Let's start with|Let’s start with|Moving on|Last but not least|And finally|Doorbuster (?:number|#)\\s*\\w+|Our next|` +
    `Primer producto|Siguiente producto|A continuación|Empezamos con|Seguimos con|Por último|El siguiente producto)`,
  'i',
);
/**
 * Spanish ordinals as a host says them ("Vamos con el primero:", "Ahora, el segundo:", "Y el último:"):
 * a few words, then el/la + ordinal and a colon or comma. Only at a paragraph start: mid-paragraph,
 * "…y el segundo, a mitad de precio" is an offer.
 */
const SPANISH_ORDINAL = String.raw`(?:[A-Za-zÁÉÍÓÚáéíóúñÑ¡]+[,\s]+){0,3}?(?:el|la)\s+(?:primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|últim[oa]|siguiente)\s*[:：,]`;
/** "And last, …", "Last one, …", "Lastly: …" (a paragraph start; mid-paragraph "Lastly, it's waterproof" is not). */
const ENGLISH_LAST = String.raw`Last(?:ly)?(?:\s+(?:one|up|item|product|of all))?\s*[,:]`;
/** Markers that open a segment only at the start of a paragraph. */
const WEAK_MARKER = new RegExp(
  `${FILLER}(${SPANISH_ORDINAL}|${ENGLISH_LAST}|接下来|然后是|再来看|再来|Now,|Then,|Next,|Finally,|Ahora,|Después,|Y ahora,)`,
  'i',
);
const CLOSING =
  /^(?:(?:好了|好|OK|那)[,，]?\s*(?:[\u4e00-\u9fff]{1,3}们[,，!！]?\s*)?)?(?:今天的?.{0,10}?(?:就)?到这里|感谢|谢谢|我们下[期次周]|拜拜|That's a wrap|That’s a wrap|That's it|That’s it|That's all|Thanks for|Thank you|Thanks so much|See you|¡?Muchas gracias|¡?Gracias|Est?o es todo|Hasta la próxima|¡?Nos vemos)/i;
const GIVEAWAY = /抽奖|开奖|giveaway|lucky draw|sorteo/i;
const OPENING_LABEL = /开场|开播|欢迎|intro|welcome|opening|bienvenid|apertura|presentación/i;
const CLOSING_LABEL = /结尾|结束|收尾|下播|outro|goodbye|wrap|closing|despedida|cierre|adiós|final\b/i;
const GIVEAWAY_LABEL = /抽奖|福利时间|giveaway|lucky draw|sorteo/i;

interface Boundary {
  at: number;
  label: string;
  lead: string;
  time: string | null;
  strength: 'header' | 'strong' | 'weak';
  kindHint: SegmentKind | null;
}

/** Splits `text`; `productNouns` finds product words in a paragraph for the by-product fallback. */
export function splitSegments(text: string, productNouns: (text: string) => string[]): Segmentation {
  const sentences = sentencesOf(text);
  if (sentences.length === 0) return { segments: [], method: 'single' };
  const headers: Boundary[] = [];
  const markers: Boundary[] = [];
  for (const sentence of sentences) {
    const lineStart =
      sentence.start === 0 || text[sentence.start - 1] === '\n' || isLineStart(text, sentence.start);
    const paragraphStart = lineStart && isParagraphStart(text, sentence.start);
    const line = lineStart ? lineAt(text, sentence.start) : null;
    const header = line ? readHeader(line.text) : null;
    if (header && line) {
      headers.push({ at: line.start, ...header, strength: 'header', kindHint: kindOfLabel(header.label) });
      continue;
    }
    const strong = STRONG_MARKER.exec(sentence.text);
    if (strong) {
      markers.push(markerBoundary(sentence, strong, 'strong'));
      continue;
    }
    if (!paragraphStart) continue;
    const weak = WEAK_MARKER.exec(sentence.text);
    if (weak) markers.push(markerBoundary(sentence, weak, 'weak'));
    else if (CLOSING.test(sentence.text))
      markers.push({
        at: sentence.start,
        label: '',
        lead: '',
        time: null,
        strength: 'weak',
        kindHint: 'closing',
      });
    else if (GIVEAWAY.test(sentence.text))
      markers.push({
        at: sentence.start,
        label: '',
        lead: '',
        time: null,
        strength: 'weak',
        kindHint: 'giveaway',
      });
  }
  if (headers.length >= 2) {
    // A show with headers may still end with an unheaded goodbye ("Thanks for brewing with me").
    const closings = markers.filter((marker) => marker.kindHint === 'closing');
    return { segments: cut(text, [...headers, ...closings]), method: 'headers' };
  }
  const spoken = [...headers, ...markers].sort((a, b) => a.at - b.at);
  if (spoken.some((boundary) => boundary.at > sentences[0]!.start)) {
    return { segments: cut(text, spoken), method: 'markers' };
  }
  const byProduct = paragraphBoundaries(text, productNouns);
  if (byProduct.length >= 2) return { segments: cut(text, byProduct), method: 'products' };
  return { segments: cut(text, []), method: 'single' };
}

function markerBoundary(sentence: TextSpan, match: RegExpExecArray, strength: 'strong' | 'weak'): Boundary {
  const marker = match[1]!.replace(/[,，]$/, '').trim();
  const lead = sentence.text.slice(match[0].length).replace(/^[\s,，:：、是]+/, '');
  return { at: sentence.start, label: marker, lead, time: null, strength, kindHint: null };
}

function readHeader(line: string): Omit<Boundary, 'at' | 'strength' | 'kindHint'> | null {
  const trimmed = line.trim();
  if (trimmed.length > 70) return null;
  for (const [pattern, read] of HEADER_PATTERNS) {
    const match = pattern.exec(trimmed);
    if (match) return read(match);
  }
  return null;
}

function kindOfLabel(label: string): SegmentKind | null {
  if (GIVEAWAY_LABEL.test(label)) return 'giveaway';
  if (OPENING_LABEL.test(label)) return 'opening';
  if (CLOSING_LABEL.test(label)) return 'closing';
  return null;
}

function isLineStart(text: string, at: number): boolean {
  const before = text.lastIndexOf('\n', at - 1);
  return text.slice(before + 1, at).trim() === '';
}

/** A paragraph starts after a blank line, at the start, or after a header line. */
function isParagraphStart(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1);
  if (lineStart < 0) return true;
  const previousStart = text.lastIndexOf('\n', lineStart - 1);
  const previous = text.slice(previousStart + 1, lineStart);
  return previous.trim() === '' || readHeader(previous) !== null;
}

function lineAt(text: string, at: number): TextSpan {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const newline = text.indexOf('\n', at);
  const end = newline < 0 ? text.length : newline;
  return { text: text.slice(start, end), start, end };
}

/** Paragraphs that name a product the paragraphs before did not: where a new product begins. */
function paragraphBoundaries(text: string, productNouns: (text: string) => string[]): Boundary[] {
  const boundaries: Boundary[] = [];
  let seen = new Set<string>();
  const paragraphPattern = /[^\n]+(?:\n(?!\s*\n)[^\n]*)*/g;
  let first = true;
  for (const paragraph of text.matchAll(paragraphPattern)) {
    const body = paragraph[0];
    if (!body.trim()) continue;
    const at = paragraph.index + (body.length - body.trimStart().length);
    const nouns = productNouns(body);
    const isNew = nouns.length > 0 && !nouns.some((noun) => seen.has(noun));
    const closing = !first && CLOSING.test(body.trim());
    if (first || isNew || closing) {
      boundaries.push({
        at,
        label: '',
        lead: '',
        time: null,
        strength: 'weak',
        kindHint: closing ? 'closing' : null,
      });
      if (isNew) seen = new Set(nouns);
    }
    first = false;
  }
  return boundaries;
}

/** The segments between boundaries; a segment that is only its header joins the next one. */
function cut(text: string, boundaries: readonly Boundary[]): RawSegment[] {
  const firstContent = text.length - text.trimStart().length;
  const points = [...boundaries].sort((a, b) => a.at - b.at);
  if (points.length === 0 || points[0]!.at > firstContent) {
    points.unshift({ at: firstContent, label: '', lead: '', time: null, strength: 'weak', kindHint: null });
  }
  const segments: RawSegment[] = [];
  for (const [index, point] of points.entries()) {
    const end = points[index + 1]?.at ?? text.length;
    const body = text.slice(point.at, end);
    const previous = segments.at(-1);
    if (previous && isOnlyHeader(previous)) {
      // 【第一款】 followed by "第一款,这件亚麻衬衫…": one segment, the header's label and time kept.
      previous.end = end;
      previous.text = text.slice(previous.start, end).trim();
      previous.time ??= point.time;
      previous.kindHint ??= point.kindHint;
      if (!previous.lead) previous.lead = point.lead;
      continue;
    }
    if (!body.trim()) continue;
    segments.push({
      start: point.at,
      end,
      text: body.trim(),
      label: point.label,
      lead: point.lead,
      time: point.time,
      kindHint: point.kindHint,
    });
  }
  return segments;
}

/** The segment's text without its header line (【第一款】20:05 亚麻衬衫, [8:05] Vitamin C serum). */
export function bodyOf(segment: Pick<RawSegment, 'text'>): string {
  const newline = segment.text.indexOf('\n');
  const first = newline < 0 ? segment.text : segment.text.slice(0, newline);
  if (!readHeader(first)) return segment.text;
  return newline < 0 ? '' : segment.text.slice(newline + 1).trim();
}

function isOnlyHeader(segment: RawSegment): boolean {
  const lines = segment.text.split('\n').filter((line) => line.trim());
  return lines.length <= 1 && readHeader(lines[0] ?? '') !== null;
}
