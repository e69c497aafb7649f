import type { ImageQuality, QualityCheck } from '../domain/quality.ts';
import { MIN_TEXT_CONTRAST } from './colors.ts';
import type { PixelBox } from './layer-painters.ts';
import {
  area,
  contains,
  intersection,
  type LayoutElement,
  type LayoutGeometry,
  layoutGeometry,
  type TextPlans,
} from './layout-geometry.ts';
import type { RenderLayoutInput, RenderReport } from './layout-renderer.ts';

/**
 * The quality evaluator of a candidate design, from geometry only (layer boxes and fitted text,
 * nothing drawn): each part is 0..1, the score their weighted mean. docs/quality.md explains each
 * part, its weight and why, so a designer can argue with them. After the render, the measured
 * contrast replaces the designed one (finalQuality).
 */
export const QUALITY_WEIGHTS = {
  readability: 0.18,
  occlusion: 0.14,
  overlap: 0.12,
  contrast: 0.12,
  hierarchy: 0.1,
  utilization: 0.1,
  prominence: 0.1,
  alignment: 0.08,
  underlay: 0.06,
} as const;
export type QualityPart = keyof typeof QUALITY_WEIGHTS;

/** A failed gate check (text cut, text below its floor, a missing glyph) multiplies the score by this. */
export const FAILED_GATE_FACTOR = 0.6;
const GATE_CHECKS = new Set(['text_fits', 'text_floor', 'emoji_glyphs']);

export interface LayoutScore {
  score: number;
  parts: Partial<Record<QualityPart, number>>;
  /** The scorer's own check: every text at or above its role's floor. */
  textFloor: QualityCheck;
}

export function scoreLayout(input: RenderLayoutInput, plans?: TextPlans): LayoutScore {
  return scoreGeometry(layoutGeometry(input, plans));
}

export function scoreGeometry(geometry: LayoutGeometry): LayoutScore {
  const { elements } = geometry;
  const texts = elements.filter((e) => e.kind === 'text' || e.kind === 'badge');
  const products = elements.filter((e) => e.kind === 'product');
  const parts: Partial<Record<QualityPart, number>> = {
    readability: readability(texts),
    occlusion: occlusion(elements),
    overlap: overlap(elements),
    contrast: mean(
      texts.map((t) => Math.min(1, (t.contrast ?? 21) / MIN_TEXT_CONTRAST)),
      1,
    ),
    hierarchy: hierarchy(texts),
    utilization: utilization(geometry),
    alignment: alignment(elements, geometry),
    underlay: underlay(elements, geometry.photoBackdrop),
  };
  if (products.length > 0) {
    const share = Math.max(...products.map((p) => area(p.box))) / (geometry.width * geometry.height);
    parts.prominence = Math.min(1, share / PRODUCT_SHARE_TARGET);
  }
  const textFloor = floorCheck(texts);
  return { score: weighted(parts, textFloor.passed ? [] : [textFloor]), parts: rounded(parts), textFloor };
}

/**
 * The image's quality after its render: the candidate's parts with the contrast measured on the
 * pixels, the render's checks (text_fits, contrast, and whatever the engine adds) and `text_floor`
 * unless the render checked it already.
 */
export function finalQuality(scored: LayoutScore, report: RenderReport): ImageQuality {
  const parts = { ...scored.parts };
  const measured = report.checks.min_contrast;
  if (measured !== null) parts.contrast = Math.min(1, measured / MIN_TEXT_CONTRAST);
  const checks = [...report.quality.checks];
  if (!checks.some((check) => check.name === 'text_floor')) checks.push(scored.textFloor);
  return { score: weighted(parts, checks), parts: rounded(parts), checks };
}

/** A product below this share of the canvas reads small in a marketplace grid. */
const PRODUCT_SHARE_TARGET = 0.35;

function weighted(parts: Partial<Record<QualityPart, number>>, checks: readonly QualityCheck[]): number {
  let sum = 0;
  let weights = 0;
  for (const [name, value] of Object.entries(parts) as Array<[QualityPart, number]>) {
    sum += QUALITY_WEIGHTS[name] * value;
    weights += QUALITY_WEIGHTS[name];
  }
  const failedGates = checks.filter((check) => !check.passed && GATE_CHECKS.has(check.name)).length;
  const score = (weights > 0 ? sum / weights : 1) * FAILED_GATE_FACTOR ** failedGates;
  return Math.round(score * 1000) / 1000;
}

function rounded(parts: Partial<Record<QualityPart, number>>) {
  return Object.fromEntries(
    Object.entries(parts).map(([name, value]) => [name, Math.round(value * 1000) / 1000]),
  ) as Partial<Record<QualityPart, number>>;
}

function mean(values: readonly number[], empty: number): number {
  return values.length === 0 ? empty : values.reduce((a, b) => a + b, 0) / values.length;
}

/** At the floor 0.6, from 1.5× the floor 1; below the floor or cut 0. Mean and minimum, halved. */
function readability(texts: readonly LayoutElement[]): number {
  const each = texts.map((text) => {
    if (text.overflow || text.fontSize === undefined || text.floor === undefined) return 0;
    const ratio = text.fontSize / text.floor;
    return ratio < 0.99 ? 0 : Math.min(1, 0.6 + (0.4 * (ratio - 1)) / 0.5);
  });
  return each.length === 0 ? 1 : (mean(each, 1) + Math.min(...each)) / 2;
}

function floorCheck(texts: readonly LayoutElement[]): QualityCheck {
  const below = texts.filter((text) => text.overflow || (text.fontSize ?? 0) < (text.floor ?? 0) - 0.5);
  if (below.length === 0) {
    return { name: 'text_floor', passed: true, detail: 'every text at or above its role floor' };
  }
  const detail = below
    .map((text) =>
      text.overflow
        ? `${text.param} (${text.role}) does not fit in its box at or above its floor, ${Math.round(text.floor ?? 0)} px`
        : `${text.param} (${text.role}) ${Math.round(text.fontSize ?? 0)} px, floor ${Math.round(text.floor ?? 0)} px`,
    )
    .join('; ');
  return { name: 'text_floor', passed: false, detail };
}

/** Texts (and prices, offers, the logo) lying over one another: 1 when none does. */
function overlap(elements: readonly LayoutElement[]): number {
  const front = elements.filter((e) => ['text', 'badge', 'logo', 'price', 'offer'].includes(e.kind));
  const each = front.map((element) => {
    const own = area(element.box);
    if (own === 0) return 0;
    const worst = Math.max(
      0,
      ...front.filter((other) => other !== element).map((other) => intersection(element.box, other.box)),
    );
    return worst / own;
  });
  return 1 - Math.min(1, mean(each, 0) * 2);
}

/** Text over the product photo, unless it sits on a plate drawn over the product: 1 when none. */
function occlusion(elements: readonly LayoutElement[]): number {
  const pictures = elements.filter((e) => e.kind === 'product' || e.kind === 'picture');
  if (pictures.length === 0) return 1;
  const plates = elements.filter((e) => e.kind === 'plate' || e.kind === 'badge' || e.kind === 'offer');
  let worst = 0;
  for (const text of elements.filter((e) => e.kind === 'text' || e.kind === 'price')) {
    const own = area(text.box);
    if (own === 0) continue;
    for (const picture of pictures) {
      if (picture.layerIndex > text.layerIndex) continue;
      const plated = plates.some(
        (plate) =>
          plate.layerIndex > picture.layerIndex &&
          plate.layerIndex < text.layerIndex &&
          contains(plate.box, text.box),
      );
      if (!plated) worst = Math.max(worst, intersection(text.box, inset(picture.box, 0.08)) / own);
    }
  }
  return 1 - Math.min(1, worst * 1.5);
}

/**
 * A text on a plate should lie wholly on it (straddling a plate's edge reads as a mistake); a text
 * on a photo without a plate needs a scrim (0.6). On plain color no plate is needed (1).
 */
function underlay(elements: readonly LayoutElement[], photoBackdrop: boolean): number {
  const plates = elements.filter((e) => e.kind === 'plate');
  const pictures = elements.filter((e) => e.kind === 'product' || e.kind === 'picture');
  const texts = elements.filter((e) => e.kind === 'text');
  const each = texts.map((text) => {
    const own = area(text.box);
    if (own === 0) return 1;
    const under = plates.filter((plate) => plate.layerIndex < text.layerIndex);
    const covered = Math.max(0, ...under.map((plate) => intersection(plate.box, text.box) / own));
    if (covered >= 0.98) return 1;
    if (covered > 0.02) return 1 - 2 * Math.min(covered, 1 - covered);
    const onPicture = pictures.some(
      (p) => p.layerIndex < text.layerIndex && intersection(p.box, text.box) > 0,
    );
    return photoBackdrop || onPicture ? 0.6 : 1;
  });
  return mean(each, 1);
}

/**
 * Each element's nearest alignment with another (left, centre or right edges; top, middle or
 * bottom) or the canvas's centre lines: exact within 0.5 % of the side, 0 from 3 % off.
 */
function alignment(elements: readonly LayoutElement[], geometry: LayoutGeometry): number {
  const aligned = elements.filter(
    (e) => e.kind !== 'plate' || area(e.box) < geometry.width * geometry.height * 0.9,
  );
  if (aligned.length < 2) return 1;
  const xs = (b: PixelBox) => [b.x, b.x + b.w / 2, b.x + b.w];
  const ys = (b: PixelBox) => [b.y, b.y + b.h / 2, b.y + b.h];
  const each = aligned.map((element) => {
    let best = Math.abs(xs(element.box)[1]! - geometry.width / 2) / geometry.width;
    best = Math.min(best, Math.abs(ys(element.box)[1]! - geometry.height / 2) / geometry.height);
    for (const other of aligned) {
      if (other === element) continue;
      for (let k = 0; k < 3; k += 1) {
        best = Math.min(best, Math.abs(xs(element.box)[k]! - xs(other.box)[k]!) / geometry.width);
        best = Math.min(best, Math.abs(ys(element.box)[k]! - ys(other.box)[k]!) / geometry.height);
      }
    }
    return best <= 0.005 ? 1 : Math.max(0, 1 - (best - 0.005) / 0.025);
  });
  return mean(each, 1);
}

/**
 * Share of the canvas the content covers (on a 48×48 grid) and how far it spreads (its bounding
 * box): an empty canvas or one crammed into a corner scores low, and so does one packed edge to edge.
 */
function utilization(geometry: LayoutGeometry): number {
  const content = geometry.elements.filter(
    (e) => e.kind !== 'plate' || area(e.box) < geometry.width * geometry.height * 0.9,
  );
  if (content.length === 0) return 0;
  const cells = 48;
  const cw = geometry.width / cells;
  const ch = geometry.height / cells;
  const covered = new Uint8Array(cells * cells);
  for (const { box } of content) {
    const [x0, x1] = [Math.max(0, Math.floor(box.x / cw)), Math.min(cells, Math.ceil((box.x + box.w) / cw))];
    const [y0, y1] = [Math.max(0, Math.floor(box.y / ch)), Math.min(cells, Math.ceil((box.y + box.h) / ch))];
    for (let y = y0; y < y1; y += 1) covered.fill(1, y * cells + x0, y * cells + Math.max(x0, x1));
  }
  const coverage = covered.reduce((sum, cell) => sum + cell, 0) / covered.length;
  const left = Math.min(...content.map((e) => e.box.x));
  const right = Math.max(...content.map((e) => e.box.x + e.box.w));
  const top = Math.min(...content.map((e) => e.box.y));
  const bottom = Math.max(...content.map((e) => e.box.y + e.box.h));
  const spread = ((right - left) * (bottom - top)) / (geometry.width * geometry.height);
  const coverageScore =
    coverage < 0.12 ? coverage / 0.12 : coverage > 0.8 ? Math.max(0, (1 - coverage) / 0.2) : 1;
  return (coverageScore + Math.min(1, spread / 0.45)) / 2;
}

/** Headline over subtitle over body, the price over subtitle and body, each by a visible step. */
function hierarchy(texts: readonly LayoutElement[]): number {
  const largest = (role: string) =>
    Math.max(0, ...texts.filter((t) => t.role === role && t.kind === 'text').map((t) => t.fontSize ?? 0));
  const pairs: Array<[string, string, number]> = [
    ['headline', 'subtitle', 1.3],
    ['headline', 'body', 1.5],
    ['subtitle', 'body', 1.0],
    ['price', 'subtitle', 1.2],
    ['price', 'body', 1.2],
  ];
  const each = pairs.flatMap(([upper, lower, step]) => {
    const [a, b] = [largest(upper), largest(lower)];
    if (a === 0 || b === 0) return [];
    const ratio = a / b;
    return [ratio >= step ? 1 : ratio <= 1 ? (step === 1 && ratio >= 1 ? 1 : 0) : (ratio - 1) / (step - 1)];
  });
  return mean(each, 1);
}

function inset(box: PixelBox, fraction: number): PixelBox {
  return {
    x: box.x + box.w * fraction,
    y: box.y + box.h * fraction,
    w: box.w * (1 - 2 * fraction),
    h: box.h * (1 - 2 * fraction),
  };
}
