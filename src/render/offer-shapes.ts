import type { SKRSContext2D } from '@napi-rs/canvas';
import type { OfferLayer, TextRole } from '../domain/layout.ts';
import { type Rgba, resolveColor, toCss } from './colors.ts';
import { type PixelBox, toPixels } from './layer-painters.ts';
import {
  BASELINE_BELOW_CENTER,
  cssFont,
  drawRun,
  fontStack,
  legibleInk,
  NUMERAL_WEIGHT,
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

// Offer shapes: the coupon ticket (amount big, condition and code small, perforated between), the
// ribbon (限时, a date, a countdown), the seal (a round stamp: -30%, 5折) and the service line
// (包邮 · 7天无理由 with a tick before each).

interface Ctx {
  ctx: SKRSContext2D;
  layer: OfferLayer;
  layerIndex: number;
  input: LayoutTextInput;
  palette: Palette;
  scale: number;
}

/** Draws an offer layer and reports each text it drew; nothing when its param is empty. */
export function paintOffer(
  ctx: SKRSContext2D,
  layer: OfferLayer,
  layerIndex: number,
  input: LayoutTextInput,
  palette: Palette,
): RenderedOfferText[] {
  const main = input.params[layer.param]?.trim();
  if (!main) return [];
  const detail = (layer.detail_param && input.params[layer.detail_param]?.trim()) || '';
  const c: Ctx = { ctx, layer, layerIndex, input, palette, scale: input.width / input.layout.referenceWidth };
  const box = toPixels(layer.box, input);
  if (layer.shape === 'coupon') return paintCoupon(c, box, main, detail);
  if (layer.shape === 'ribbon') return paintRibbon(c, box, main, detail);
  if (layer.shape === 'seal') return paintSeal(c, box, main, detail);
  return paintService(c, box, main, detail);
}

/**
 * One line of text fitted into a box: the largest size up to `max` that fits, never below the
 * role's floor (then drawn at the floor and reported outside its box). Drawn centered or left.
 */
function line(
  c: Ctx,
  at: PixelBox,
  text: string,
  options: {
    param: string;
    role: TextRole;
    max: number;
    ink: Rgba;
    backdrop: readonly Rgba[] | null;
    align?: 'left' | 'center';
    stack?: string;
    weight?: number;
  },
): RenderedOfferText {
  const stack = options.stack ?? fontStack(c.input, 'heading');
  const weight = options.weight ?? 700;
  const fit = Math.min(options.max, at.w / Math.max(0.01, textWidth(text, weight, stack, 1)), at.h / 1.1);
  const floor = floorPx(options.role, c.input.width, c.input.height);
  const size = Math.max(fit, floor);
  const width = textWidth(text, weight, stack, size);
  const left = options.align === 'left' ? at.x : at.x + (at.w - width) / 2;
  const band = { x: left, y: at.y + at.h / 2 - size * 0.5, w: width, h: size };
  const ink = legibleInk(options.ink, options.backdrop ?? sampleBand(c.ctx, band), c.palette);
  c.ctx.save();
  c.ctx.fillStyle = ink.css;
  c.ctx.font = cssFont(weight, size, stack);
  c.ctx.textBaseline = 'alphabetic';
  c.ctx.textAlign = 'left';
  c.ctx.fillText(text, left, at.y + at.h / 2 + size * BASELINE_BELOW_CENTER);
  c.ctx.restore();
  return reportText({
    layerIndex: c.layerIndex,
    type: 'offer',
    param: options.param,
    role: options.role,
    text,
    box: at,
    font: cssFont(weight, size, stack),
    fontSize: size,
    width,
    ink,
    inside: fit >= floor - 0.01,
  });
}

/** The detail's parts: "满300可用 · DOUBLE11" → two lines. */
const detailLines = (detail: string) =>
  detail
    .split(/\s*[·|｜]\s*|\n/)
    .map((part) => part.trim())
    .filter(Boolean)
    .slice(0, 3);

/**
 * A coupon ticket: round bites out of both edges where it tears, a dashed perforation between the
 * amount (big: ¥40 with a small sign) and its condition and code. Wide boxes put the amount left.
 */
function paintCoupon(c: Ctx, box: PixelBox, amount: string, detail: string): RenderedOfferText[] {
  const { ctx, layer, palette } = c;
  const fill = resolveColor(layer.fill, palette);
  const wide = box.w / box.h >= 1.3;
  const split = detail ? (wide ? 0.46 : 0.56) : 1;
  const bite = Math.min(box.w, box.h) * 0.07;
  ctx.save();
  ctx.fillStyle = toCss(fill);
  ctx.beginPath();
  ctx.roundRect(box.x, box.y, box.w, box.h, Math.min(box.w, box.h) * 0.07);
  if (detail) {
    // The bites are even-odd holes: the ground shows through them.
    const [ax, ay, bx, by] = wide
      ? [box.x + box.w * split, box.y, box.x + box.w * split, box.y + box.h]
      : [box.x, box.y + box.h * split, box.x + box.w, box.y + box.h * split];
    for (const [x, y] of [
      [ax, ay],
      [bx, by],
    ] as const) {
      ctx.moveTo(x + bite, y);
      ctx.arc(x, y, bite, 0, Math.PI * 2);
    }
  }
  ctx.fill('evenodd');
  if (detail) {
    const ink = legibleInk(resolveColor(layer.color, palette), [fill], palette);
    ctx.strokeStyle = toCss(ink.color, 0.55);
    ctx.lineWidth = Math.max(1.5, bite * 0.12);
    ctx.setLineDash([bite * 0.35, bite * 0.3]);
    ctx.beginPath();
    if (wide) {
      ctx.moveTo(box.x + box.w * split, box.y + bite * 1.4);
      ctx.lineTo(box.x + box.w * split, box.y + box.h - bite * 1.4);
    } else {
      ctx.moveTo(box.x + bite * 1.4, box.y + box.h * split);
      ctx.lineTo(box.x + box.w - bite * 1.4, box.y + box.h * split);
    }
    ctx.stroke();
  }
  ctx.restore();

  const pad = Math.min(box.w, box.h) * 0.1;
  const amountBox = wide
    ? { x: box.x + pad, y: box.y + pad, w: box.w * split - 2 * pad, h: box.h - 2 * pad }
    : { x: box.x + pad, y: box.y + pad, w: box.w - 2 * pad, h: box.h * split - 1.5 * pad };
  const texts = [paintAmount(c, amountBox, amount, fill)];
  if (!detail) return texts;
  const rest = wide
    ? { x: box.x + box.w * split + pad, y: box.y + pad, w: box.w * (1 - split) - 2 * pad, h: box.h - 2 * pad }
    : {
        x: box.x + pad,
        y: box.y + box.h * split + pad * 0.5,
        w: box.w - 2 * pad,
        h: box.h * (1 - split) - 1.5 * pad,
      };
  const lines = detailLines(detail);
  // The condition reads first and larger; the code and the rest follow smaller.
  const weights = lines.map((_, index) => (index === 0 ? 1.35 : 1));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let y = rest.y;
  for (const [index, text] of lines.entries()) {
    const h = (rest.h * weights[index]!) / total;
    texts.push(
      line(c, { x: rest.x, y, w: rest.w, h: h * 0.86 }, text, {
        param: layer.detail_param!,
        role: index === 0 ? 'subtitle' : 'body',
        max: layer.maxSize * c.scale * (index === 0 ? 0.36 : 0.26),
        ink: resolveColor(layer.color, palette),
        backdrop: [fill],
        align: wide ? 'left' : 'center',
      }),
    );
    y += h;
  }
  return texts;
}

/** The coupon's amount as a price run (small sign, big digits) when it reads as one, else as text. */
function paintAmount(c: Ctx, at: PixelBox, amount: string, fill: Rgba): RenderedOfferText {
  const parts = parsePrice(amount);
  if (!parts || parts.prefix.length > 2) {
    return line(c, at, amount, {
      param: c.layer.param,
      role: 'price',
      max: c.layer.maxSize * c.scale,
      ink: resolveColor(c.layer.color, c.palette),
      backdrop: [fill],
      stack: fontStack(c.input, 'numeral'),
    });
  }
  const stack = fontStack(c.input, 'numeral');
  const pieces = runPieces(parts);
  const width = runWidth(pieces, stack);
  const fit = Math.min(c.layer.maxSize * c.scale, at.w / width, at.h / 0.9);
  const floor = floorPx('price', c.input.width, c.input.height);
  const size = Math.max(fit, floor);
  const ink = legibleInk(resolveColor(c.layer.color, c.palette), [fill], c.palette);
  c.ctx.save();
  c.ctx.fillStyle = ink.css;
  const left = at.x + (at.w - width * size) / 2;
  const drawn = drawRun(c.ctx, pieces, stack, left, at.y + at.h / 2 + size * BASELINE_BELOW_CENTER, size);
  c.ctx.restore();
  return reportText({
    layerIndex: c.layerIndex,
    type: 'offer',
    param: c.layer.param,
    role: 'price',
    text: priceText(parts),
    box: at,
    font: cssFont(NUMERAL_WEIGHT, size, stack),
    fontSize: size,
    width: width * size,
    ink,
    inside: fit >= floor - 0.01,
    parts: drawn,
  });
}

/** A ribbon band with a swallow-tail end: 限时 big, a date or countdown after it, smaller. */
function paintRibbon(c: Ctx, box: PixelBox, main: string, detail: string): RenderedOfferText[] {
  const { ctx, layer, palette } = c;
  const fill = resolveColor(layer.fill, palette);
  const tail = box.h * 0.35;
  ctx.save();
  ctx.fillStyle = toCss(fill);
  ctx.beginPath();
  ctx.moveTo(box.x, box.y);
  ctx.lineTo(box.x + box.w, box.y);
  ctx.lineTo(box.x + box.w - tail, box.y + box.h / 2);
  ctx.lineTo(box.x + box.w, box.y + box.h);
  ctx.lineTo(box.x, box.y + box.h);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
  const pad = box.h * 0.22;
  const inner = { x: box.x + pad, y: box.y + pad * 0.8, w: box.w - 2 * pad - tail, h: box.h - 1.6 * pad };
  const ink = resolveColor(layer.color, palette);
  if (!detail) {
    return [
      line(c, inner, main, {
        param: layer.param,
        role: 'badge',
        max: layer.maxSize * c.scale,
        ink,
        backdrop: [fill],
      }),
    ];
  }
  const mainWidth = textWidth(main, 900, fontStack(c.input, 'heading'), 1);
  const detailWidth = textWidth(detail, 700, fontStack(c.input, 'heading'), 0.62);
  const share = mainWidth / (mainWidth + detailWidth + 0.5);
  const mainBox = { ...inner, w: inner.w * share };
  const first = line(c, mainBox, main, {
    param: layer.param,
    role: 'badge',
    max: layer.maxSize * c.scale,
    ink,
    backdrop: [fill],
    align: 'left',
    weight: 900,
  });
  // A thin rule between the word and the date.
  const ruleX = inner.x + first.lineWidths[0]! + inner.h * 0.35;
  ctx.save();
  ctx.fillStyle = toCss(legibleInk(ink, [fill], palette).color, 0.6);
  ctx.fillRect(ruleX, inner.y + inner.h * 0.2, Math.max(1.5, inner.h * 0.04), inner.h * 0.6);
  ctx.restore();
  const detailBox = {
    x: ruleX + inner.h * 0.35,
    y: inner.y,
    w: inner.x + inner.w - ruleX - inner.h * 0.35,
    h: inner.h,
  };
  const second = line(c, detailBox, detail, {
    param: layer.detail_param!,
    role: 'badge',
    max: first.fontSize * 0.62,
    ink,
    backdrop: [fill],
    align: 'left',
  });
  return [first, second];
}

/** A round stamp, turned a little: the figure big in the middle, a word under it, a ring inside. */
function paintSeal(c: Ctx, box: PixelBox, main: string, detail: string): RenderedOfferText[] {
  const { ctx, layer, palette } = c;
  const fill = resolveColor(layer.fill, palette);
  const radius = Math.min(box.w, box.h) / 2;
  const [cx, cy] = [box.x + box.w / 2, box.y + box.h / 2];
  const ink = legibleInk(resolveColor(layer.color, palette), [fill], palette);
  ctx.save();
  ctx.fillStyle = toCss(fill);
  ctx.beginPath();
  ctx.arc(cx, cy, radius, 0, Math.PI * 2);
  ctx.fill();
  ctx.strokeStyle = toCss(ink.color, 0.7);
  ctx.lineWidth = Math.max(1.5, radius * 0.03);
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.arc(cx, cy, radius * 0.86, 0, Math.PI * 2);
  ctx.stroke();
  ctx.restore();
  // Text is laid out level (so checks measure it as drawn); the stamp look comes from the ring.
  const inner = radius * 1.3;
  const mainBox = detail
    ? { x: cx - inner / 2, y: cy - inner * 0.42, w: inner, h: inner * 0.52 }
    : { x: cx - inner / 2, y: cy - inner * 0.3, w: inner, h: inner * 0.6 };
  const texts = [
    line(c, mainBox, main, {
      param: layer.param,
      role: 'badge',
      max: layer.maxSize * c.scale,
      ink: ink.color,
      backdrop: [fill],
      stack: fontStack(c.input, 'numeral'),
      weight: 900,
    }),
  ];
  if (detail) {
    texts.push(
      line(c, { x: cx - inner * 0.4, y: cy + inner * 0.14, w: inner * 0.8, h: inner * 0.24 }, detail, {
        param: layer.detail_param!,
        role: 'badge',
        max: texts[0]!.fontSize * 0.42,
        ink: ink.color,
        backdrop: [fill],
      }),
    );
  }
  return texts;
}

/** A service line: each promise (包邮, 7天无理由…) after a ticked dot, separated by space. */
function paintService(c: Ctx, box: PixelBox, main: string, detail: string): RenderedOfferText[] {
  const { ctx, layer, palette } = c;
  const items = [main, detail]
    .join(' · ')
    .split(/\s*[·|｜,，、/]\s*/)
    .map((item) => item.trim())
    .filter(Boolean);
  const stack = fontStack(c.input, 'body');
  const text = items.join('   ');
  // Each item takes an icon (1 em) and a gap (0.35 em) before it.
  const unit = textWidth(text, 500, stack, 1) + items.length * 1.35;
  const floor = floorPx('body', c.input.width, c.input.height);
  const fit = Math.min(layer.maxSize * c.scale, box.w / unit, box.h / 1.3);
  const size = Math.max(fit, floor);
  const total = unit * size;
  let x = box.x + Math.max(0, (box.w - total) / 2);
  const centerY = box.y + box.h / 2;
  const backdrop = sampleBand(ctx, { x, y: centerY - size / 2, w: total, h: size });
  const ink = legibleInk(resolveColor(layer.color, palette), backdrop, palette);
  const iconFill = resolveColor(layer.fill, palette);
  const iconInk = legibleInk(resolveColor('surface', palette), [iconFill], palette);
  ctx.save();
  ctx.font = cssFont(500, size, stack);
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';
  for (const item of items) {
    const r = size * 0.42;
    ctx.fillStyle = toCss(iconFill);
    ctx.beginPath();
    ctx.arc(x + r, centerY, r, 0, Math.PI * 2);
    ctx.fill();
    ctx.strokeStyle = iconInk.css;
    ctx.lineWidth = Math.max(1.2, size * 0.09);
    ctx.beginPath();
    ctx.moveTo(x + r * 0.5, centerY);
    ctx.lineTo(x + r * 0.88, centerY + r * 0.38);
    ctx.lineTo(x + r * 1.5, centerY - r * 0.36);
    ctx.stroke();
    x += size * 1.2;
    ctx.fillStyle = ink.css;
    ctx.fillText(item, x, centerY + size * BASELINE_BELOW_CENTER);
    x += textWidth(item, 500, stack, size) + textWidth('   ', 500, stack, size) + size * 0.15;
  }
  ctx.restore();
  return [
    reportText({
      layerIndex: c.layerIndex,
      type: 'offer',
      param: layer.param,
      role: 'body',
      text: items.join(' · '),
      box,
      font: cssFont(500, size, stack),
      fontSize: size,
      width: total,
      ink,
      inside: fit >= floor - 0.01,
    }),
  ];
}
