import type { SKRSContext2D } from '@napi-rs/canvas';
import type { OfferLayer } from '../domain/layout.ts';
import { resolveColor, toCss } from './colors.ts';
import { type PixelBox, toPixels } from './layer-painters.ts';
import { paintCoupon } from './offer-coupon.ts';
import { line, type OfferCtx, withoutMissing } from './offer-line.ts';
import {
  BASELINE_BELOW_CENTER,
  cssFont,
  faceOf,
  legibleInk,
  type Palette,
  type RenderedOfferText,
  reportText,
  sampleBand,
  textWidth,
} from './offer-text.ts';
import { floorPx } from './text-floors.ts';
import type { LayoutTextInput } from './text-layers.ts';

// Offer shapes (the coupon is in offer-coupon.ts): the
// ribbon (限时, a date, a countdown), the seal (a round stamp: -30%, 5折) and the service line
// (包邮 · 7天无理由 with a tick before each).

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
  const c: OfferCtx = {
    ctx,
    layer,
    layerIndex,
    input,
    palette,
    scale: input.width / input.layout.referenceWidth,
  };
  const box = toPixels(layer.box, input);
  if (layer.shape === 'coupon') return paintCoupon(c, box, main, detail);
  if (layer.shape === 'ribbon') return paintRibbon(c, box, main, detail);
  if (layer.shape === 'seal') return paintSeal(c, box, main, detail);
  return paintService(c, box, main, detail);
}

/** A ribbon band with a swallow-tail end: 限时 big, a date or countdown after it, smaller. */
function paintRibbon(c: OfferCtx, box: PixelBox, main: string, detail: string): RenderedOfferText[] {
  const { ctx, layer, palette } = c;
  const fill = resolveColor(layer.fill, palette);
  const tail = box.h * 0.35;
  // A ribbon leaving the right edge of the canvas points its tail left, into the design.
  const fromRight = box.x + box.w >= c.input.width - 1 && box.x > 1;
  const [flat, tip] = fromRight ? [box.x + box.w, box.x] : [box.x, box.x + box.w];
  const inward = fromRight ? tail : -tail;
  ctx.save();
  ctx.fillStyle = toCss(fill);
  ctx.beginPath();
  ctx.moveTo(flat, box.y);
  ctx.lineTo(tip, box.y);
  ctx.lineTo(tip + inward, box.y + box.h / 2);
  ctx.lineTo(tip, box.y + box.h);
  ctx.lineTo(flat, box.y + box.h);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
  const pad = box.h * 0.22;
  const inner = {
    x: box.x + pad + (fromRight ? tail : 0),
    y: box.y + pad * 0.8,
    w: box.w - 2 * pad - tail,
    h: box.h - 1.6 * pad,
  };
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
  const mainWidth = textWidth(main, faceOf(c.input, 'heading', 900), 1);
  const detailWidth = textWidth(detail, faceOf(c.input, 'heading'), 0.62);
  const share = mainWidth / (mainWidth + detailWidth + 0.5);
  const mainBox = { ...inner, w: inner.w * share };
  const first = line(c, mainBox, main, {
    param: layer.param,
    role: 'badge',
    max: layer.maxSize * c.scale,
    ink,
    backdrop: [fill],
    align: 'left',
    face: faceOf(c.input, 'heading', 900),
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
function paintSeal(c: OfferCtx, box: PixelBox, main: string, detail: string): RenderedOfferText[] {
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
      face: faceOf(c.input, 'numeral', 900),
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
function paintService(c: OfferCtx, box: PixelBox, main: string, detail: string): RenderedOfferText[] {
  const { ctx, layer, palette } = c;
  const items = [main, detail]
    .join(' · ')
    .split(/\s*[·|｜,，、/]\s*/)
    .map((item) => item.trim())
    .filter(Boolean);
  const face = faceOf(c.input, 'body', 500);
  const text = items.join('   ');
  // Each item takes an icon (1 em) and a gap (0.35 em) before it.
  const unit = textWidth(withoutMissing(text, face), face, 1) + items.length * 1.35;
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
  ctx.font = cssFont(face, size);
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
    ctx.fillText(withoutMissing(item, face), x, centerY + size * BASELINE_BELOW_CENTER);
    x += textWidth(withoutMissing(item, face), face, size) + textWidth('   ', face, size) + size * 0.15;
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
      face,
      fontSize: size,
      floor,
      width: total,
      ink,
      inside: fit >= floor - 0.01,
    }),
  ];
}
