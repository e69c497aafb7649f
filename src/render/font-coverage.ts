import { readFileSync } from 'node:fs';

/**
 * Which characters a TrueType/OpenType font has glyphs for, read from its `cmap` table (formats 4
 * and 12, the ones Google Fonts ship). Used to refuse a character no bundled font can draw rather
 * than paint a tofu box. Only the cmap is parsed; the file is read once per font.
 */
export interface CharacterCoverage {
  has(codePoint: number): boolean;
}

interface Range {
  start: number;
  end: number;
}

class RangeCoverage implements CharacterCoverage {
  private readonly ranges: readonly Range[];
  constructor(ranges: readonly Range[]) {
    this.ranges = ranges;
  }
  has(codePoint: number): boolean {
    let [low, high] = [0, this.ranges.length - 1];
    while (low <= high) {
      const middle = (low + high) >> 1;
      const range = this.ranges[middle]!;
      if (codePoint < range.start) high = middle - 1;
      else if (codePoint > range.end) low = middle + 1;
      else return true;
    }
    return false;
  }
}

export function readCoverage(path: string): CharacterCoverage {
  return coverageFromFont(readFileSync(path));
}

export function coverageFromFont(font: Uint8Array): CharacterCoverage {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const tableCount = view.getUint16(4);
  let cmap = -1;
  for (let index = 0; index < tableCount; index += 1) {
    const record = 12 + index * 16;
    const tag = String.fromCharCode(...font.subarray(record, record + 4));
    if (tag === 'cmap') cmap = view.getUint32(record + 8);
  }
  if (cmap < 0) return new RangeCoverage([]);
  // Prefer the full-repertoire subtable (3,10 or 0,4+: format 12), else the BMP one (3,1: format 4).
  let best = -1;
  let bestRank = -1;
  const subtables = view.getUint16(cmap + 2);
  for (let index = 0; index < subtables; index += 1) {
    const record = cmap + 4 + index * 8;
    const offset = cmap + view.getUint32(record + 4);
    const format = view.getUint16(offset);
    const rank = format === 12 ? 2 : format === 4 ? 1 : 0;
    if (rank > bestRank) [best, bestRank] = [offset, rank];
  }
  if (bestRank === 2) return new RangeCoverage(format12(view, best));
  if (bestRank === 1) return new RangeCoverage(format4(view, best));
  return new RangeCoverage([]);
}

function format12(view: DataView, offset: number): Range[] {
  const groups = view.getUint32(offset + 12);
  const ranges: Range[] = [];
  for (let index = 0; index < groups; index += 1) {
    const at = offset + 16 + index * 12;
    if (view.getUint32(at + 8) === 0) continue; // mapped to .notdef
    ranges.push({ start: view.getUint32(at), end: view.getUint32(at + 4) });
  }
  return ranges.sort((a, b) => a.start - b.start);
}

function format4(view: DataView, offset: number): Range[] {
  const segments = view.getUint16(offset + 6) / 2;
  const ends = offset + 14;
  const starts = ends + segments * 2 + 2;
  const ranges: Range[] = [];
  for (let index = 0; index < segments; index += 1) {
    const start = view.getUint16(starts + index * 2);
    const end = view.getUint16(ends + index * 2);
    if (start === 0xffff) continue;
    ranges.push({ start, end });
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/**
 * Characters that draw nothing of their own and need no glyph: spaces and controls, joiners and
 * variation selectors (🔥️), tag characters and skin-tone modifiers that a monochrome emoji font
 * lacks but that only tint or combine.
 */
export function needsNoGlyph(codePoint: number): boolean {
  return (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint < 0xa0) ||
    codePoint === 0x20 ||
    codePoint === 0x3000 ||
    (codePoint >= 0x200b && codePoint <= 0x200f) ||
    (codePoint >= 0xfe00 && codePoint <= 0xfe0f) ||
    (codePoint >= 0x1f3fb && codePoint <= 0x1f3ff) ||
    (codePoint >= 0xe0000 && codePoint <= 0xe007f) ||
    codePoint === 0x20e3
  );
}

/** `U+1F525` */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}
