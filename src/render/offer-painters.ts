import type { SKRSContext2D } from '@napi-rs/canvas';
import type { PriceLayer } from '../domain/layout.ts';
import { type Rgba, resolveColor, toCss } from './colors.ts';
import { type PixelBox, toPixels } from './layer-painters.ts';
import {
  BASELINE_BELOW_CENTER,
  cssFont,
  drawRun,
  type Face,
  faceOf,
  legibleInk,
  type Palette,
  type RenderedOfferText,
  reportText,
  runPieces,
  runWidth,
  sampleBand,
  textWidth,
} from './offer-text.ts';
import { parsePrice, priceText } from './price-text.ts';
import { floorPx } from './text-floors.ts';
import type { LayoutTextInput } from './text-layers.ts';

export type { DrawnPiece, RenderedOfferText } from './offer-text.ts';

// Prices set the way shops set them: big integer digits, a small currency sign and small decimals
// on the same baseline; beside or under them the discount and the original price struck through.

/** The struck-through price and the discount, as a share of the digits' size. */
const EXTRA_SCALE = 0.3;
/** The height of the digits' row as a share of their size (digits stand ~0.73 em tall). */
const ROW = 0.84;
/** Space between the digits and the extras (beside) or the row and the extras (under). */
const GAP_BESIDE = 0.16;
const GAP_UNDER = 0.2;

/** The relative geometry of the group: every length a share of the digits' size. */
interface GroupPlan {
  beside: boolean;
  w: number;
  h: number;
  extra: number;
  wasWidth: number;
  pillWidth: number;
  pillHeight: number;
  wasHeight: number;
}

function planGroup(mainWidth: number, was: string, discount: string, extra: number, face: Face) {
  const wasWidth = was ? textWidth(was, face, extra) : 0;
  const pillWidth = discount ? textWidth(discount, face, extra) + extra * 0.9 : 0;
  const pillHeight = discount ? extra * 1.45 : 0;
  const wasHeight = was ? extra * 1.1 : 0;
  const base = { extra, wasWidth, pillWidth, pillHeight, wasHeight };
  if (!was && !discount) return [{ ...base, beside: true, w: mainWidth, h: ROW }];
  const column = pillHeight + wasHeight + (was && discount ? 0.08 : 0);
  const row = pillWidth + wasWidth + (was && discount ? 0.14 : 0);
  return [
    {
      ...base,
      beside: true,
      w: mainWidth + GAP_BESIDE + Math.max(wasWidth, pillWidth),
      h: Math.max(ROW, column),
    },
    {
      ...base,
      beside: false,
      w: Math.max(mainWidth, row),
      h: ROW + GAP_UNDER + Math.max(pillHeight, wasHeight),
    },
  ];
}

/**
 * Draws a price layer and reports each of its texts: the price (role price, with its drawn parts),
 * the discount (role badge) and the original price (role body). The digits take the largest size
 * at which the group fits the box (and its plate), never below the price floor: when even the
 * floor does not fit, the price is drawn at the floor and reported as running outside its box.
 */
export function paintPrice(
  ctx: SKRSContext2D,
  layer: PriceLayer,
  layerIndex: number,
  input: LayoutTextInput,
  palette: Palette,
): RenderedOfferText[] {
  const text = input.params[layer.param]?.trim();
  if (!text) return [];
  const parts = parsePrice(text) ?? {
    prefix: '',
    sign: '',
    signBefore: true,
    integer: text,
    decimals: '',
    suffix: '',
  };
  const was = (layer.was_param && input.params[layer.was_param]?.trim()) || '';
  const discount = (layer.discount_param && input.params[layer.discount_param]?.trim()) || '';
  const face = faceOf(input, 'numeral');
  const box = toPixels(layer.box, input);
  const scale = input.width / input.layout.referenceWidth;
  const pieces = runPieces(parts);
  const mainWidth = runWidth(pieces, face);

  const choose = (extra: number): GroupPlan & { size: number } => {
    const sized = planGroup(mainWidth, was, discount, extra, face).map((option) => ({
      ...option,
      size: sizeFor(option, layer, box, scale),
    }));
    // Beside the digits unless stacking makes them clearly (10 %) bigger.
    return sized[1] && sized[1].size > sized[0]!.size * 1.1 ? sized[1] : sized[0]!;
  };
  let plan = choose(EXTRA_SCALE);
  // The extras keep their own floors (body, badge): they take a larger share when the digits are small.
  const extraFloor = Math.max(
    floorPx('body', input.width, input.height),
    floorPx('badge', input.width, input.height),
  );
  if ((was || discount) && plan.size * EXTRA_SCALE < extraFloor) {
    plan = choose(Math.min(0.6, extraFloor / plan.size));
  }
  const lower = Math.max(floorPx('price', input.width, input.height), layer.minSize * scale);
  const fits = plan.size >= lower - 0.01;
  const size = Math.max(plan.size, lower);
  const pad = platePadding(layer.plate);
  const group = { w: plan.w * size, h: plan.h * size };
  const groupBox: PixelBox = {
    x:
      layer.align === 'left' && layer.plate !== 'burst'
        ? box.x + pad.x * size
        : layer.align === 'right' && layer.plate !== 'burst'
          ? box.x + box.w - pad.x * size - group.w
          : box.x + (box.w - group.w) / 2,
    y: box.y + (box.h - group.h) / 2,
    ...group,
  };
  const plateFill = layer.plate === 'none' ? null : resolveColor(layer.plateColor, palette);
  if (plateFill) paintPlate(ctx, layer.plate, groupBox, box, size, toCss(plateFill));

  const rowTop = plan.beside ? groupBox.y + (group.h - ROW * size) / 2 : groupBox.y;
  const baseline = rowTop + (ROW * size) / 2 + size * BASELINE_BELOW_CENTER;
  const rowBand = { x: groupBox.x, y: rowTop, w: mainWidth * size, h: ROW * size };
  const ink = legibleInk(
    resolveColor(layer.color, palette),
    plateFill ? [plateFill] : sampleBand(ctx, rowBand),
    palette,
  );
  ctx.save();
  ctx.fillStyle = ink.css;
  const drawn = drawRun(ctx, pieces, face, groupBox.x, baseline, size);
  ctx.restore();
  const inside = fits && groupBox.x >= box.x - 1 && groupBox.x + group.w <= box.x + box.w + 1;
  const texts = [
    reportText({
      layerIndex,
      type: 'price',
      param: layer.param,
      role: 'price',
      text: priceText(parts),
      box,
      face,
      fontSize: size,
      floor: lower,
      width: mainWidth * size,
      ink,
      inside,
      parts: drawn,
    }),
  ];

  // The extras: a column beside the digits (discount over the old price), or a row under them.
  const extra = plan.extra * size;
  const column = (plan.pillHeight + plan.wasHeight + (was && discount ? 0.08 : 0)) * size;
  let x = plan.beside ? groupBox.x + (mainWidth + GAP_BESIDE) * size : groupBox.x;
  let y = plan.beside ? groupBox.y + (group.h - column) / 2 : rowTop + (ROW + GAP_UNDER) * size;
  const underHeight = Math.max(plan.pillHeight, plan.wasHeight) * size;
  const extraInside = (at: PixelBox) => inside && at.x + at.w <= box.x + box.w + 1;
  if (discount && layer.discount_param) {
    const pill = {
      x,
      y: plan.beside ? y : y + (underHeight - plan.pillHeight * size) / 2,
      w: plan.pillWidth * size,
      h: plan.pillHeight * size,
    };
    // On a plate the pill takes the price's ink; on the ground it takes the plate color.
    const pillFill = plateFill ? ink.color : resolveColor(layer.plateColor, palette);
    const pillInk = paintPill(ctx, pill, discount, pillFill, plateFill, extra, face, palette);
    texts.push(
      reportText({
        layerIndex,
        type: 'price',
        param: layer.discount_param,
        role: 'badge',
        text: discount,
        box: pill,
        face,
        fontSize: extra,
        floor: extraFloor,
        width: pill.w - extra * 0.9,
        ink: pillInk,
        inside: extraInside(pill),
      }),
    );
    if (plan.beside) y += pill.h + 0.08 * size;
    else x += pill.w + 0.14 * size;
  }
  if (was && layer.was_param) {
    const wasBox = {
      x,
      y: plan.beside ? y : y + (underHeight - plan.wasHeight * size) / 2,
      w: plan.wasWidth * size,
      h: plan.wasHeight * size,
    };
    const wasInk = paintStruck(ctx, wasBox, was, plateFill, extra, face, palette);
    texts.push(
      reportText({
        layerIndex,
        type: 'price',
        param: layer.was_param,
        role: 'body',
        text: was,
        box: wasBox,
        face,
        fontSize: extra,
        floor: extraFloor,
        width: wasBox.w,
        ink: wasInk,
        inside: extraInside(wasBox),
      }),
    );
  }
  return texts;
}

function paintPill(
  ctx: SKRSContext2D,
  pill: PixelBox,
  text: string,
  fill: Rgba,
  plateFill: Rgba | null,
  size: number,
  face: Face,
  palette: Palette,
) {
  const ink = legibleInk(plateFill ?? resolveColor('surface', palette), [fill], palette);
  ctx.save();
  ctx.fillStyle = toCss(fill);
  ctx.beginPath();
  ctx.roundRect(pill.x, pill.y, pill.w, pill.h, pill.h * 0.22);
  ctx.fill();
  ctx.fillStyle = ink.css;
  ctx.font = cssFont(face, size);
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';
  ctx.fillText(text, pill.x + size * 0.45, pill.y + pill.h / 2 + size * BASELINE_BELOW_CENTER);
  ctx.restore();
  return ink;
}

/** The original price in the muted color, a line struck through the middle of its digits. */
function paintStruck(
  ctx: SKRSContext2D,
  at: PixelBox,
  text: string,
  plateFill: Rgba | null,
  size: number,
  face: Face,
  palette: Palette,
) {
  const ink = legibleInk(
    resolveColor('muted', palette),
    plateFill ? [plateFill] : sampleBand(ctx, at),
    palette,
  );
  const baseline = at.y + at.h / 2 + size * BASELINE_BELOW_CENTER;
  ctx.save();
  ctx.fillStyle = ink.css;
  ctx.strokeStyle = ink.css;
  ctx.font = cssFont(face, size);
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';
  ctx.fillText(text, at.x, baseline);
  ctx.lineWidth = Math.max(1.5, size * 0.08);
  ctx.beginPath();
  ctx.moveTo(at.x - size * 0.05, baseline - size * 0.36);
  ctx.lineTo(at.x + at.w + size * 0.05, baseline - size * 0.36);
  ctx.stroke();
  ctx.restore();
  return ink;
}

/** Padding of a plate around the group, as shares of the digits' size. */
function platePadding(plate: PriceLayer['plate']): { x: number; y: number } {
  if (plate === 'tag') return { x: 0.42, y: 0.2 };
  if (plate === 'ribbon') return { x: 0.6, y: 0.2 };
  return { x: 0, y: 0 };
}

/** The digits' size at which a group of relative size w × h (and its plate) fits the box. */
function sizeFor(group: { w: number; h: number }, layer: PriceLayer, box: PixelBox, scale: number): number {
  const max = layer.maxSize * scale;
  if (layer.plate === 'burst') {
    // The group's corners stay inside the burst's inner circle.
    return Math.min(max, (0.8 * Math.min(box.w, box.h)) / Math.hypot(group.w, group.h));
  }
  const pad = platePadding(layer.plate);
  return Math.min(max, box.w / (group.w + 2 * pad.x), box.h / (group.h + 2 * pad.y));
}

/** A plate under the price: a tag with its hole, a many-pointed burst, or a ribbon with notched ends. */
function paintPlate(
  ctx: SKRSContext2D,
  plate: PriceLayer['plate'],
  group: PixelBox,
  box: PixelBox,
  size: number,
  fill: string,
) {
  const pad = platePadding(plate);
  ctx.save();
  ctx.fillStyle = fill;
  ctx.beginPath();
  if (plate === 'burst') {
    const [cx, cy] = [box.x + box.w / 2, box.y + box.h / 2];
    const outer = Math.min(box.w, box.h) / 2;
    const points = 18;
    for (let index = 0; index < points * 2; index += 1) {
      const radius = index % 2 === 0 ? outer : outer * 0.88;
      const angle = (Math.PI * index) / points - Math.PI / 2;
      ctx.lineTo(cx + radius * Math.cos(angle), cy + radius * Math.sin(angle));
    }
    ctx.closePath();
    ctx.fill();
    ctx.restore();
    return;
  }
  const { x, y, w, h } = {
    x: group.x - pad.x * size,
    y: group.y - pad.y * size,
    w: group.w + 2 * pad.x * size,
    h: group.h + 2 * pad.y * size,
  };
  if (plate === 'tag') {
    ctx.roundRect(x, y, w, h, h * 0.14);
    // The tag's hole at its left end: an even-odd subpath, so what lies under shows through.
    ctx.moveTo(x + pad.x * size * 0.45 + size * 0.07, y + h / 2);
    ctx.arc(x + pad.x * size * 0.45, y + h / 2, Math.max(2, size * 0.07), 0, Math.PI * 2);
    ctx.fill('evenodd');
  } else {
    const notch = h * 0.3;
    ctx.moveTo(x, y);
    ctx.lineTo(x + w, y);
    ctx.lineTo(x + w - notch, y + h / 2);
    ctx.lineTo(x + w, y + h);
    ctx.lineTo(x, y + h);
    ctx.lineTo(x + notch, y + h / 2);
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
}
