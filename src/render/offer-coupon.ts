import { contrastRatio, type Rgba, resolveColor, toCss } from './colors.ts';
import type { PixelBox } from './layer-painters.ts';
import { line, type OfferCtx } from './offer-line.ts';
import {
  BASELINE_BELOW_CENTER,
  drawRun,
  faceOf,
  legibleInk,
  type RenderedOfferText,
  reportText,
  runPieces,
  runWidth,
  sampleBand,
} from './offer-text.ts';
import { parsePrice, priceText } from './price-text.ts';
import { floorPx } from './text-floors.ts';

// The coupon ticket: the amount big (¥40 with a small sign), its condition and code small.

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
export function paintCoupon(c: OfferCtx, box: PixelBox, amount: string, detail: string): RenderedOfferText[] {
  const { ctx, layer, palette } = c;
  const fill = resolveColor(layer.fill, palette);
  const wide = box.w / box.h >= 1.3;
  const split = detail ? (wide ? 0.46 : 0.56) : 1;
  const bite = Math.min(box.w, box.h) * 0.07;
  // A ticket barely lighter than the ground (a pale card on white) gets a fine outline to hold it.
  const ground = sampleBand(ctx, box);
  const faint = ground.length > 0 && contrastRatio(fill, ground[Math.floor(ground.length / 2)]!) < 1.3;
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
  if (faint) {
    ctx.strokeStyle = toCss(legibleInk(resolveColor(layer.color, palette), [fill], palette).color, 0.35);
    ctx.lineWidth = Math.max(1.5, bite * 0.1);
    ctx.stroke();
  }
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
  // The detail block is as tall as its lines need (about half the amount's size each), centered.
  const blockHeight = Math.min(rest.h, texts[0]!.fontSize * (0.25 + 0.62 * lines.length));
  rest.y += (rest.h - blockHeight) / 2;
  rest.h = blockHeight;
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
function paintAmount(c: OfferCtx, at: PixelBox, amount: string, fill: Rgba): RenderedOfferText {
  const parts = parsePrice(amount);
  if (!parts || parts.prefix.length > 2) {
    return line(c, at, amount, {
      param: c.layer.param,
      role: 'price',
      max: c.layer.maxSize * c.scale,
      ink: resolveColor(c.layer.color, c.palette),
      backdrop: [fill],
      face: faceOf(c.input, 'numeral'),
    });
  }
  const face = faceOf(c.input, 'numeral');
  const pieces = runPieces(parts);
  const width = runWidth(pieces, face);
  const fit = Math.min(c.layer.maxSize * c.scale, at.w / width, at.h / 0.9);
  const floor = floorPx('price', c.input.width, c.input.height);
  const size = Math.max(fit, floor);
  const ink = legibleInk(resolveColor(c.layer.color, c.palette), [fill], c.palette);
  c.ctx.save();
  c.ctx.fillStyle = ink.css;
  const left = at.x + (at.w - width * size) / 2;
  const drawn = drawRun(c.ctx, pieces, face, left, at.y + at.h / 2 + size * BASELINE_BELOW_CENTER, size);
  c.ctx.restore();
  return reportText({
    layerIndex: c.layerIndex,
    type: 'offer',
    param: c.layer.param,
    role: 'price',
    text: priceText(parts),
    box: at,
    face,
    fontSize: size,
    floor,
    width: width * size,
    ink,
    inside: fit >= floor - 0.01,
    parts: drawn,
  });
}
