import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { BrandPalette } from '../domain/brand.ts';
import type { TextRole } from '../domain/layout.ts';
import type { DesignPalette } from '../domain/style-packs.ts';
import { sampleRows } from './backdrop-sampling.ts';
import { backdropContrast, parseHex, type Rgba, readableColor, toCss } from './colors.ts';
import { designOf, fontOf } from './design.ts';
import { fontFamilyStack, missingGlyphs } from './fonts.ts';
import type { PixelBox } from './layer-painters.ts';
import type { PriceParts } from './price-text.ts';
import type { LayoutTextInput, RenderedText } from './text-layers.ts';

// What the price and offer painters share: fonts, measuring, legible ink, and the report of each
// text they draw (the same RenderedText the text layers give, so fit and contrast checks cover it).

export type Palette = BrandPalette | DesignPalette;

/** A text a price or offer layer drew, with its role (for the floors) and, for prices, its parts. */
export interface RenderedOfferText extends RenderedText {
  role: TextRole;
  /** A price's pieces as drawn: the sign and decimals are smaller than the integer digits. */
  parts?: DrawnPiece[];
}

export interface DrawnPiece {
  kind: 'prefix' | 'sign' | 'integer' | 'decimals' | 'suffix';
  text: string;
  fontSize: number;
  /** Left edge and advance width, in pixels. */
  x: number;
  width: number;
  /** The ink's top and bottom (from the glyphs' measured bounds), in pixels. */
  top: number;
  bottom: number;
}

/** A face to draw with: the family of a font role, its CSS stack (with fallbacks) and weight. */
export interface Face {
  family: string;
  stack: string;
  weight: number;
}

/**
 * The face of a type role in the render's design: the style pack's (numerals in the pack's numeral
 * face), or the brand's without a pack; CJK falls back to the family's companion and Noto Sans SC.
 * A weight other than 700 is the layer's own ask (see fontOf).
 */
export function faceOf(
  input: LayoutTextInput,
  role: 'numeral' | 'heading' | 'display' | 'body',
  weight: 400 | 500 | 700 | 900 = 700,
): Face {
  const choice = fontOf(designOf(input), role, weight);
  return { family: choice.family, stack: fontFamilyStack(choice.family), weight: choice.weight };
}

export const cssFont = (face: Face, size: number) =>
  `${face.weight} ${Math.round(size * 100) / 100}px ${face.stack}`;

const REFERENCE = 100;
const widths = new Map<string, number>();
const metrics = new Map<string, { ascent: number; descent: number }>();
const measurer = createCanvas(1, 1).getContext('2d');
measurer.lang = 'zh-CN';

/** The advance width of a text at a size (measured once at 100 px; widths scale linearly). */
export function textWidth(text: string, face: Face, size: number): number {
  const key = `${face.weight}\u0000${face.stack}\u0000${text}`;
  let width = widths.get(key);
  if (width === undefined) {
    measurer.font = cssFont(face, REFERENCE);
    width = measurer.measureText(text).width;
    if (widths.size > 5000) widths.clear();
    widths.set(key, width);
  }
  return (width * size) / REFERENCE;
}

/** How far the ink of a text rises above and falls below its baseline, at a size. */
export function inkExtent(text: string, face: Face, size: number) {
  const key = `${face.weight}\u0000${face.stack}\u0000${text}`;
  let extent = metrics.get(key);
  if (!extent) {
    measurer.font = cssFont(face, REFERENCE);
    const measured = measurer.measureText(text);
    extent = { ascent: measured.actualBoundingBoxAscent, descent: measured.actualBoundingBoxDescent };
    if (metrics.size > 5000) metrics.clear();
    metrics.set(key, extent);
  }
  return { ascent: (extent.ascent * size) / REFERENCE, descent: (extent.descent * size) / REFERENCE };
}

/** Samples what lies under a band (three rows through it), clipped to the canvas. */
export function sampleBand(ctx: SKRSContext2D, band: PixelBox): Rgba[] {
  const { width, height } = ctx.canvas;
  const x = Math.max(0, Math.floor(band.x));
  const w = Math.min(width - x, Math.ceil(band.w));
  const rows = [0.2, 0.5, 0.8]
    .map((at) => Math.round(band.y + band.h * at))
    .filter((y) => w > 0 && y >= 0 && y < height)
    .map((y) => ({ x, w, y }));
  return sampleRows(ctx, [rows])[0] ?? [];
}

/** The designed color, or the nearest that reads on the backdrop; with the contrast it gets. */
export function legibleInk(preferred: Rgba, backdrop: readonly Rgba[], palette: Palette) {
  const color = readableColor(preferred, backdrop, parseHex(palette.text));
  return { color, css: toCss(color), contrast: backdropContrast(color, backdrop) };
}

/** Whether a box lies within another (1 px tolerance). */
export function within(inner: PixelBox, outer: PixelBox): boolean {
  return (
    inner.x >= outer.x - 1 &&
    inner.y >= outer.y - 1 &&
    inner.x + inner.w <= outer.x + outer.w + 1 &&
    inner.y + inner.h <= outer.y + outer.h + 1
  );
}

export interface OfferTextReport {
  layerIndex: number;
  type: 'price' | 'offer';
  param: string;
  role: TextRole;
  text: string;
  /** Where the text is drawn, in pixels. */
  box: PixelBox;
  face: Face;
  fontSize: number;
  /** The smallest size allowed (the role's floor, or the layer's minSize when larger), in px. */
  floor: number;
  width: number;
  ink: { css: string; contrast: number };
  inside: boolean;
  parts?: DrawnPiece[];
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** One drawn text as the checks read it. */
export function reportText(report: OfferTextReport): RenderedOfferText {
  return {
    layerIndex: report.layerIndex,
    type: report.type,
    param: report.param,
    role: report.role,
    box: report.box,
    font: cssFont(report.face, report.fontSize),
    fontSize: report.fontSize,
    floor: report.floor,
    characters: [...graphemes.segment(report.text)].length,
    missingGlyphs: missingGlyphs(report.text, report.face.family),
    halo: false,
    lines: [report.text],
    lineWidths: [report.width],
    lineHeightPx: report.fontSize,
    overflow: false,
    color: report.ink.css,
    contrast: report.ink.contrast,
    scrim: false,
    inside: report.inside,
    ...(report.parts ? { parts: report.parts } : {}),
  };
}

// A price's run of pieces, set on one baseline: shared by the price layer and the coupon's amount.

const SIGN_SCALE = 0.5;
const CODE_SCALE = 0.36; // "USD", "EUR": three letters would outweigh the digits at half size
const DECIMAL_SCALE = 0.5;
const WORD_SCALE = 0.3; // "from", "到手价", "起"

export interface RunPiece {
  kind: DrawnPiece['kind'];
  text: string;
  /** Size as a share of the integer digits' size. */
  scale: number;
  /** Space before it, as a share of the integer digits' size. */
  gap: number;
}

/** The pieces of a price in reading order: small prefix and sign, big integer, small decimals. */
export function runPieces(parts: PriceParts): RunPiece[] {
  const signScale = parts.sign.length > 1 && parts.sign !== '元' ? CODE_SCALE : SIGN_SCALE;
  const sign: RunPiece[] = parts.sign ? [{ kind: 'sign', text: parts.sign, scale: signScale, gap: 0 }] : [];
  const integer: RunPiece = { kind: 'integer', text: parts.integer, scale: 1, gap: 0 };
  const decimals: RunPiece[] = parts.decimals
    ? [{ kind: 'decimals', text: parts.decimals, scale: DECIMAL_SCALE, gap: 0.02 }]
    : [];
  const body = parts.signBefore
    ? [...sign, { ...integer, gap: sign.length ? (parts.sign.length > 1 ? 0.1 : 0.03) : 0 }, ...decimals]
    : [integer, ...decimals, ...sign.map((piece) => ({ ...piece, gap: parts.sign === '元' ? 0.03 : 0.12 }))];
  if (parts.prefix) body[0] = { ...body[0]!, gap: 0.1 };
  // A discount's signs ("-20%", "8折") read at the sign's size; words ("from", "起") smaller.
  const prefixScale = /^[-−–]$/.test(parts.prefix) ? SIGN_SCALE : WORD_SCALE;
  const suffixScale = /^(?:%|折|off)$/i.test(parts.suffix) ? SIGN_SCALE : WORD_SCALE;
  return [
    ...(parts.prefix ? [{ kind: 'prefix' as const, text: parts.prefix, scale: prefixScale, gap: 0 }] : []),
    ...body,
    ...(parts.suffix ? [{ kind: 'suffix' as const, text: parts.suffix, scale: suffixScale, gap: 0.03 }] : []),
  ];
}

/** The run's width as a share of the integer digits' size. */
export function runWidth(pieces: readonly RunPiece[], face: Face): number {
  return pieces.reduce((sum, piece) => sum + piece.gap + textWidth(piece.text, face, piece.scale), 0);
}

/** Draws the run with its left edge at x on one baseline, in the current fill; reports the pieces. */
export function drawRun(
  ctx: SKRSContext2D,
  pieces: readonly RunPiece[],
  face: Face,
  x: number,
  baseline: number,
  size: number,
): DrawnPiece[] {
  const drawn: DrawnPiece[] = [];
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';
  let left = x;
  for (const piece of pieces) {
    const pieceSize = piece.scale * size;
    left += piece.gap * size;
    ctx.font = cssFont(face, pieceSize);
    ctx.fillText(piece.text, left, baseline);
    const width = textWidth(piece.text, face, pieceSize);
    const extent = inkExtent(piece.text, face, pieceSize);
    drawn.push({
      kind: piece.kind,
      text: piece.text,
      fontSize: pieceSize,
      x: left,
      width,
      top: baseline - extent.ascent,
      bottom: baseline + extent.descent,
    });
    left += width;
  }
  return drawn;
}

/** Where the baseline goes to center digits (0.73 em tall) and CJK (0.88 em up) on a line's middle. */
export const BASELINE_BELOW_CENTER = 0.365;
