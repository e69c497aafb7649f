import { DEFAULT_BRAND_KIT } from '../domain/brand.ts';
import type { ColorRef, TextRole } from '../domain/layout.ts';
import { type DesignPalette, findStylePack, paletteFromBrand } from '../domain/style-packs.ts';
import { contrastRatio, type Rgba, resolveColor } from './colors.ts';
import { ensureFontsRegistered } from './fonts.ts';
import type { PixelBox } from './layer-painters.ts';
import { toPixels } from './layer-painters.ts';
import type { RenderLayoutInput } from './layout-renderer.ts';
import { floorPx, roleOf } from './text-floors.ts';
import { linePositions, planText } from './text-layers.ts';

// What a candidate would draw, as boxes: the layer boxes and the fitted text lines, without
// drawing anything. The scorer (layout-score.ts) judges these.

export type ElementKind = 'text' | 'badge' | 'product' | 'picture' | 'plate' | 'logo' | 'price' | 'offer';

export interface LayoutElement {
  kind: ElementKind;
  layerIndex: number;
  /** For texts the ink (the lines as fitted), otherwise the layer's box, in pixels. */
  box: PixelBox;
  param?: string;
  role?: TextRole;
  /** Fitted font size and the role's floor, in pixels (texts and badges). */
  fontSize?: number;
  floor?: number;
  /** The text could not fit at its smallest size and would be cut. */
  overflow?: boolean;
  /** Designed contrast of the text against what is under it (before the renderer's guard). */
  contrast?: number;
}

export interface LayoutGeometry {
  width: number;
  height: number;
  elements: LayoutElement[];
  /** The canvas is a photo (a backdrop image or a provider's background): text needs a plate or scrim. */
  photoBackdrop: boolean;
}

const PRODUCT_PARAM = 'product_image';

/**
 * Fitted texts by layer, shared by the candidates of one request: the two palette arrangements of
 * a composition draw the same layer objects with the same params and size, so they fit once.
 */
export type TextPlans = Map<object, ReturnType<typeof planText>>;

export function layoutGeometry(input: RenderLayoutInput, plans: TextPlans = new Map()): LayoutGeometry {
  ensureFontsRegistered();
  const { width, height } = input;
  const size = { width, height };
  const palette = designPalette(input);
  const has = (param: string | undefined) => !!param && (input.images[param]?.length ?? 0) > 0;
  const elements: LayoutElement[] = [];
  let photoBackdrop = false;
  // What lies under a point so far: the background's colors, then plates drawn over it.
  const grounds: Array<{ box: PixelBox; colors: Rgba[] | null }> = [];
  const groundAt = (box: PixelBox): Rgba[] | null => {
    const cx = box.x + box.w / 2;
    const cy = box.y + box.h / 2;
    for (let index = grounds.length - 1; index >= 0; index -= 1) {
      const ground = grounds[index]!;
      if (contains(ground.box, { x: cx, y: cy, w: 0, h: 0 })) return ground.colors;
    }
    return null;
  };
  const full = { x: 0, y: 0, w: width, h: height };
  for (const [layerIndex, layer] of input.layout.layers.entries()) {
    switch (layer.type) {
      case 'background': {
        const photo =
          (layer.style === 'image' && has(layer.param)) ||
          (layer.style === 'generated' && (input.background?.length ?? 0) > 0);
        if (photo) photoBackdrop = true;
        grounds.push({ box: full, colors: photo ? null : layer.colors.map((c) => color(c, palette)) });
        break;
      }
      case 'shape':
        if (layer.opacity >= 0.5) {
          const box = toPixels(layer.box, size);
          elements.push({ kind: 'plate', layerIndex, box });
          grounds.push({ box, colors: [color(layer.color, palette)] });
        }
        break;
      case 'image':
      case 'product': {
        if (!has(layer.param)) break;
        const box = toPixels(layer.box, size);
        if (layer.box.w * layer.box.h >= 0.8) {
          photoBackdrop = true;
          grounds.push({ box, colors: null });
          break;
        }
        const product = layer.type === 'product' || layer.param === PRODUCT_PARAM;
        elements.push({ kind: product ? 'product' : 'picture', layerIndex, box });
        grounds.push({ box, colors: null });
        break;
      }
      case 'logo':
        if (has('brand_logo')) elements.push({ kind: 'logo', layerIndex, box: toPixels(layer.box, size) });
        break;
      case 'price':
      case 'offer': {
        if (!input.params[layer.param]?.trim()) break;
        const box = toPixels(layer.box, size);
        elements.push({ kind: layer.type, layerIndex, box, param: layer.param, role: 'price' });
        const plated = layer.type === 'offer' || layer.plate !== 'none';
        if (plated) {
          const fill = layer.type === 'offer' ? layer.fill : layer.plateColor;
          grounds.push({ box, colors: [color(fill, palette)] });
        }
        break;
      }
      case 'text':
      case 'badge': {
        if (!plans.has(layer)) plans.set(layer, planText(layer, layerIndex, input));
        const plan = plans.get(layer);
        if (!plan) break;
        const role = roleOf(layer);
        const lines = linePositions(plan);
        const box =
          layer.type === 'badge' || lines.length === 0
            ? plan.box
            : {
                x: Math.min(...lines.map((line) => line.left)),
                y: lines[0]!.centerY - plan.lineHeightPx / 2,
                w:
                  Math.max(...lines.map((line) => line.left + line.width)) -
                  Math.min(...lines.map((line) => line.left)),
                h: lines.length * plan.lineHeightPx,
              };
        const ink = color(layer.color, palette);
        const under = layer.type === 'badge' ? [color(layer.fill, palette)] : groundAt(box);
        elements.push({
          kind: layer.type,
          layerIndex,
          box,
          param: layer.param,
          role,
          fontSize: plan.fontSize,
          floor: floorPx(role, width, height),
          overflow: plan.overflow,
          // Over a photo the contrast is unknown until drawn: counted as middling.
          contrast: under ? Math.min(...under.map((ground) => contrastRatio(ink, ground))) : 2.5,
        });
        if (layer.type === 'badge') grounds.push({ box, colors: under });
        break;
      }
      case 'decoration':
        break;
    }
  }
  return { width, height, elements, photoBackdrop };
}

/**
 * The palette a candidate draws with: the pack's arrangement when the brand is the default one
 * (resolveDesign in style-packs.ts), else the brand's own.
 */
function designPalette(input: RenderLayoutInput): DesignPalette {
  const pack = findStylePack(input.stylePack ?? input.layout.stylePack);
  const isDefault = JSON.stringify(input.brand.palette) === JSON.stringify(DEFAULT_BRAND_KIT.palette);
  if (pack && isDefault) return pack.arrangements[(input.arrangement ?? 0) % pack.arrangements.length]!;
  return paletteFromBrand(input.brand.palette);
}

function color(ref: ColorRef, palette: DesignPalette): Rgba {
  return resolveColor(ref, palette);
}

export function area(box: PixelBox): number {
  return Math.max(0, box.w) * Math.max(0, box.h);
}

export function intersection(a: PixelBox, b: PixelBox): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

export function contains(outer: PixelBox, inner: PixelBox, tolerance = 1): boolean {
  return (
    inner.x >= outer.x - tolerance &&
    inner.y >= outer.y - tolerance &&
    inner.x + inner.w <= outer.x + outer.w + tolerance &&
    inner.y + inner.h <= outer.y + outer.h + tolerance
  );
}
