import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { BrandKit } from '../domain/brand.ts';
import type { BadgeLayer, ColorRef, Layout, TextLayer, TextRole } from '../domain/layout.ts';
import type { DesignPalette } from '../domain/style-packs.ts';
import { backdropRows, blend, sampleRows } from './backdrop-sampling.ts';
import {
  backdropContrast,
  luminance,
  MIN_TEXT_CONTRAST,
  parseHex,
  type Rgba,
  readableColor,
  resolveColor,
  toCss,
} from './colors.ts';
import { designOf, designRadiusPx, fontOf } from './design.ts';
import { fontFamilyStack, missingGlyphs } from './fonts.ts';
import { type PixelBox, toPixels } from './layer-painters.ts';
import { type FittedText, fitText, type MeasureText, sizeThatFitsWhole } from './text-fit.ts';
import { floorPx, roleOf } from './text-floors.ts';

// Text and badge layers: fitting their text into their boxes, and drawing it legibly.

export interface LayoutTextInput {
  layout: Layout;
  brand: BrandKit;
  /** Text params; a text or badge layer whose param is missing or blank is not drawn. */
  params: Readonly<Record<string, string>>;
  width: number;
  height: number;
  /** A style pack id; absent: the layout's own pack (or none: the brand's palette as it is). */
  stylePack?: string;
  /** Which of the pack's two palette arrangements to draw (variants differ by it); default 0. */
  arrangement?: number;
}

/** Where a text or badge layer's text landed, for quality checks. */
export interface TextLayerFit extends FittedText {
  layerIndex: number;
  type: 'text' | 'badge';
  param: string;
  /** The layer's box in pixels; for a pill badge, the pill as drawn (it hugs its text). */
  box: PixelBox;
  /** The CSS font used, e.g. `700 64px "Noto Sans SC"`. */
  font: string;
  role: TextRole;
  /** The smallest size allowed: the larger of the layer's minSize and its role's floor, in px. */
  floor: number;
  /** How many characters the text has (graphemes). */
  characters: number;
  /**
   * When the text could not fit at its floor (cut with an ellipsis): the largest size at which it
   * would have fitted whole, in px (0 when not even the smallest would).
   */
  neededSize?: number;
  /** Characters no bundled font can draw: left out of the drawing and reported. */
  missingGlyphs: string[];
}

export interface RenderedText extends TextLayerFit {
  /** The text color drawn, after the contrast guard. */
  color: string;
  /** WCAG contrast of the text against what is under it (10th percentile of sampled pixels). */
  contrast: number;
  /** Whether a translucent panel was laid under the text (over a photo only) because no color alone was legible. */
  scrim: boolean;
  /** Whether a soft halo around the glyphs was needed (text on a gradient no palette colour reads on). */
  halo: boolean;
  /** Whether every line lies within the text's box (and the box within the canvas). */
  inside: boolean;
}

// Widths scale linearly with the font size (Skia does not hint here), so each string is measured
// once at 100 px and reused at every size and every render. Shaping with the ~200-file CJK family
// costs ~0.25 ms per measureText, which would otherwise dominate render time.
const REFERENCE_SIZE = 100;
const widthCache = new Map<string, number>();
const measureContext = createCanvas(1, 1).getContext('2d');
measureContext.lang = 'zh-CN';
// Tracked here: the context's own `font` getter normalizes the string, so it never compares equal.
let measureFont = '';

function measurerFor(weight: number, familyStack: string): MeasureText {
  const font = `${weight} ${REFERENCE_SIZE}px ${familyStack}`;
  return (text, fontSize) => {
    const key = `${font}\u0000${text}`;
    let width = widthCache.get(key);
    if (width === undefined) {
      if (measureFont !== font) {
        measureContext.font = font;
        measureFont = font;
      }
      width = measureContext.measureText(text).width;
      if (widthCache.size >= 20_000) widthCache.clear();
      widthCache.set(key, width);
    }
    return (width * fontSize) / REFERENCE_SIZE;
  };
}

/** Badge text sits inside the shape with padding proportional to the badge height. */
function badgeTextBox(layer: BadgeLayer, box: PixelBox): PixelBox & { maxLines: number; lineHeight: number } {
  if (layer.shape === 'circle') {
    const diameter = Math.min(box.w, box.h);
    const [w, h] = [diameter * 0.74, diameter * 0.56];
    return { x: box.x + (box.w - w) / 2, y: box.y + (box.h - h) / 2, w, h, maxLines: 2, lineHeight: 1.05 };
  }
  if (layer.shape === 'pill') {
    const [padX, padY] = [box.h * 0.42, box.h * 0.2];
    return {
      x: box.x + padX,
      y: box.y + padY,
      w: box.w - 2 * padX,
      h: box.h - 2 * padY,
      maxLines: 1,
      lineHeight: 1,
    };
  }
  const pad = Math.min(box.h * 0.18, box.w * 0.1);
  return {
    x: box.x + pad,
    y: box.y + pad,
    w: box.w - 2 * pad,
    h: box.h - 2 * pad,
    maxLines: 2,
    lineHeight: 1.1,
  };
}

export interface PlannedText extends TextLayerFit {
  textBox: PixelBox;
  /** Corner radius of a rect or pill badge, in pixels. */
  badgeRadius: number;
  align: 'left' | 'center' | 'right';
  valign: 'top' | 'middle' | 'bottom';
}

export function planText(
  layer: TextLayer | BadgeLayer,
  layerIndex: number,
  input: LayoutTextInput,
): PlannedText | null {
  const written = input.params[layer.param]?.trim();
  if (!written) return null;
  const design = designOf(input);
  const size = { width: input.width, height: input.height };
  const scale = input.width / input.layout.referenceWidth;
  const box = toPixels(layer.box, size);
  const isBadge = layer.type === 'badge';
  const face = isBadge ? fontOf(design, 'heading', 700) : fontOf(design, layer.font, layer.weight);
  const { weight } = face;
  const stack = fontFamilyStack(face.family);
  const uppercase = isBadge
    ? design.uppercase
    : (layer.uppercase ?? (design.uppercase && layer.font === 'display'));
  const missing = missingGlyphs(written, face.family);
  let text = uppercase ? written.toUpperCase() : written;
  // A character no font can draw would be a tofu box: it is left out, and the check names it.
  for (const character of missing) text = text.replaceAll(character, '');
  const role = roleOf(layer);
  const floor = Math.max(layer.minSize * scale, floorPx(role, input.width, input.height));
  const textBox = isBadge
    ? badgeTextBox(layer, box)
    : { ...box, maxLines: layer.maxLines, lineHeight: layer.lineHeight };
  const request = {
    text,
    width: textBox.w,
    height: textBox.h,
    minSize: floor,
    maxSize: Math.max(floor, layer.maxSize * scale),
    maxLines: textBox.maxLines,
    lineHeight: textBox.lineHeight,
    measure: measurerFor(weight, stack),
  };
  const fitted = fitText(request);
  const neededSize = fitted.overflow ? sizeThatFitsWhole(request) : undefined;
  let shapeBox = box;
  if (isBadge && layer.shape === 'pill') {
    // The pill hugs its text and keeps to the side of its box nearest the canvas edge.
    const pillWidth = Math.min(box.w, (fitted.lineWidths[0] ?? 0) + box.h * 0.84);
    const center = layer.box.x + layer.box.w / 2;
    const x =
      center < 0.4 ? box.x : center > 0.6 ? box.x + box.w - pillWidth : box.x + (box.w - pillWidth) / 2;
    shapeBox = { ...box, x, w: pillWidth };
    textBox.x = x + box.h * 0.42;
    textBox.w = pillWidth - box.h * 0.84;
  }
  return {
    ...fitted,
    layerIndex,
    type: layer.type,
    param: layer.param,
    box: shapeBox,
    font: `${weight} ${Math.round(fitted.fontSize * 100) / 100}px ${stack}`,
    role,
    floor,
    characters: [...new Intl.Segmenter().segment(text)].length,
    ...(neededSize !== undefined ? { neededSize } : {}),
    missingGlyphs: missing,
    textBox,
    badgeRadius:
      isBadge && layer.shape === 'pill'
        ? box.h / 2
        : Math.min(designRadiusPx(design, input.width, input.layout.referenceWidth) * 0.5, box.h / 4),
    align: isBadge ? 'center' : layer.align,
    valign: isBadge ? 'middle' : layer.valign,
  };
}

// Where the baseline sits below a line's center, in ems: centers both the CJK ideographic em box
// (0.88 em above to 0.12 em below the baseline) and Latin capitals (0.73 em high).
const BASELINE_BELOW_CENTER = 0.37;

export function linePositions(plan: PlannedText) {
  const { textBox, lineHeightPx, align, valign } = plan;
  const blockHeight = plan.lines.length * lineHeightPx;
  const top =
    valign === 'top'
      ? textBox.y
      : valign === 'middle'
        ? textBox.y + (textBox.h - blockHeight) / 2
        : textBox.y + textBox.h - blockHeight;
  return plan.lines.map((text, index) => {
    const width = Math.min(plan.lineWidths[index] ?? 0, textBox.w);
    const left =
      align === 'left'
        ? textBox.x
        : align === 'center'
          ? textBox.x + (textBox.w - width) / 2
          : textBox.x + textBox.w - width;
    return { text, left, width, centerY: top + lineHeightPx * (index + 0.5) };
  });
}

/**
 * Draws a text or badge layer. `sampled` is the backdrop under it when the caller read it already
 * (see sampleBackdrops); otherwise it is read here. `overPhoto`: the text lies over a photo, the
 * only place a translucent panel (scrim) may go; on plain colour a contrasting palette role is
 * chosen instead.
 */
export function paintText(
  ctx: SKRSContext2D,
  layer: TextLayer | BadgeLayer,
  plan: PlannedText,
  palette: DesignPalette,
  sampled?: Rgba[],
  overPhoto = false,
): RenderedText {
  const lines = linePositions(plan);
  let backdrop: Rgba[];
  if (layer.type === 'badge') {
    const fill = resolveColor(layer.fill, palette);
    paintBadgeShape(ctx, layer, plan, fill);
    backdrop = [fill];
  } else {
    backdrop = sampled ?? sampleRows(ctx, [backdropRows(ctx, lines, plan.fontSize)])[0]!;
  }
  const preferred = resolveColor(layer.color, palette);
  let color = legibleColor(preferred, backdrop, palette, overPhoto);
  let scrim = false;
  if (layer.type === 'text' && overPhoto && backdropContrast(color, backdrop) < MIN_TEXT_CONTRAST) {
    // A busy photo where no color reads: a panel under the text, darkening for light text and
    // lightening for dark, as strong as it has to be.
    const light = luminance(color) > 0.4;
    // Lightest first: a headline on a slightly too bright photo needs only a shade.
    const panel = light ? { r: 0, g: 0, b: 0, a: 1 } : { r: 255, g: 255, b: 255, a: 1 };
    for (const opacity of [0.2, 0.35, 0.5, 0.65, 0.8, 0.92]) {
      paintScrim(ctx, lines, plan, light, opacity);
      scrim = true;
      // The panel is one flat color: what lies under the text now is computed, not read back.
      backdrop = backdrop.map((pixel) => blend(pixel, panel, opacity));
      color = readableColor(preferred, backdrop, parseHex(palette.text));
      if (backdropContrast(color, backdrop) >= MIN_TEXT_CONTRAST) break;
    }
  }
  // On a gradient (plain colour that is not flat) where no role reads everywhere: a soft halo
  // around the glyphs rather than a box. Its strength is counted conservatively (three quarters
  // of it under the strokes), so the reported contrast is not flattered.
  let halo: { color: string; blur: number } | null = null;
  if (layer.type === 'text' && !scrim && backdropContrast(color, backdrop) < MIN_TEXT_CONTRAST) {
    const light = luminance(color) > 0.4;
    const shade = light ? { r: 0, g: 0, b: 0, a: 1 } : { r: 255, g: 255, b: 255, a: 1 };
    const under = backdrop;
    for (const opacity of [0.35, 0.5, 0.65, 0.8]) {
      halo = { color: toCss(shade, opacity), blur: plan.fontSize * 0.3 };
      backdrop = under.map((pixel) => blend(pixel, shade, opacity * 0.75));
      if (backdropContrast(color, backdrop) >= MIN_TEXT_CONTRAST) break;
    }
  }
  ctx.save();
  ctx.font = plan.font;
  ctx.fillStyle = toCss(color);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  if (halo) {
    ctx.shadowColor = halo.color;
    ctx.shadowBlur = halo.blur;
  }
  for (const line of lines) {
    // maxWidth guards against measurement drift: Skia condenses the line rather than overflow the box.
    ctx.fillText(
      line.text,
      line.left,
      line.centerY + plan.fontSize * BASELINE_BELOW_CENTER,
      plan.textBox.w + 1,
    );
  }
  ctx.restore();
  return {
    ...withoutPlacement(plan),
    color: toCss(color),
    contrast: backdropContrast(color, backdrop),
    scrim,
    halo: halo !== null,
    inside: isInside(plan, ctx.canvas.width, ctx.canvas.height),
  };
}

/** What plain colour (not a photo) text may turn to when its own colour does not read: design roles first. */
const FALLBACK_ROLES: readonly ColorRef[] = ['text', 'surface', 'background', '#ffffff', '#111111'];

/**
 * The designed colour when it reads on the backdrop. Over a photo, a shifted shade of it (a scrim
 * may follow). On plain colour, the first palette role that reaches 4.5:1 (text, surface,
 * background, then white or near-black), so the design stays in its palette and needs no panel;
 * when none reaches it, the most legible one (and the contrast check fails).
 */
function legibleColor(
  preferred: Rgba,
  backdrop: readonly Rgba[],
  palette: DesignPalette,
  overPhoto: boolean,
): Rgba {
  if (backdropContrast(preferred, backdrop) >= MIN_TEXT_CONTRAST) return preferred;
  if (overPhoto) return readableColor(preferred, backdrop, parseHex(palette.text));
  const candidates = FALLBACK_ROLES.map((ref) => resolveColor(ref, palette));
  const readable = candidates.find((color) => backdropContrast(color, backdrop) >= MIN_TEXT_CONTRAST);
  if (readable) return readable;
  const shifted = readableColor(preferred, backdrop, parseHex(palette.text));
  return [...candidates, shifted].sort(
    (a, b) => backdropContrast(b, backdrop) - backdropContrast(a, backdrop),
  )[0]!;
}

/** Every line within the text box, the block no taller than it, the box within the canvas. */
function isInside(plan: PlannedText, width: number, height: number): boolean {
  const { textBox } = plan;
  const tolerance = 1;
  const linesFit = plan.lineWidths.every((lineWidth) => lineWidth <= textBox.w + tolerance);
  const blockFits = plan.lines.length * plan.lineHeightPx <= textBox.h + tolerance;
  const boxFits =
    textBox.x >= -tolerance &&
    textBox.y >= -tolerance &&
    textBox.x + textBox.w <= width + tolerance &&
    textBox.y + textBox.h <= height + tolerance;
  return !plan.overflow && linesFit && blockFits && boxFits;
}

function paintScrim(
  ctx: SKRSContext2D,
  lines: ReturnType<typeof linePositions>,
  plan: PlannedText,
  light: boolean,
  opacity: number,
) {
  const pad = plan.fontSize * 0.3;
  const left = Math.min(...lines.map((line) => line.left)) - pad;
  const right = Math.max(...lines.map((line) => line.left + line.width)) + pad;
  const top = (lines[0]?.centerY ?? 0) - plan.lineHeightPx / 2 - pad / 2;
  const bottom = (lines.at(-1)?.centerY ?? 0) + plan.lineHeightPx / 2 + pad / 2;
  ctx.save();
  ctx.fillStyle = light ? `rgba(0, 0, 0, ${opacity})` : `rgba(255, 255, 255, ${opacity})`;
  ctx.beginPath();
  ctx.roundRect(left, top, right - left, bottom - top, pad);
  ctx.fill();
  ctx.restore();
}

/** The public fit of a plan, without the drawing details. */
export function withoutPlacement(plan: PlannedText): TextLayerFit {
  const { textBox: _textBox, badgeRadius: _badgeRadius, align: _align, valign: _valign, ...fit } = plan;
  return fit;
}

function paintBadgeShape(ctx: SKRSContext2D, layer: BadgeLayer, plan: PlannedText, fill: Rgba) {
  const { box } = plan;
  ctx.save();
  ctx.fillStyle = toCss(fill);
  ctx.beginPath();
  if (layer.shape === 'circle') {
    ctx.arc(box.x + box.w / 2, box.y + box.h / 2, Math.min(box.w, box.h) / 2, 0, Math.PI * 2);
  } else {
    ctx.roundRect(box.x, box.y, box.w, box.h, plan.badgeRadius);
  }
  ctx.fill();
  ctx.restore();
}
