import type { SKRSContext2D } from '@napi-rs/canvas';
import type { DecorationLayer } from '../domain/layout.ts';
import type { DecorationKind as PackDecoration } from '../domain/style-packs.ts';
import { type Rgba, resolveColor, toCss } from './colors.ts';
import type { RenderDesign } from './design.ts';
import type { PixelBox } from './layer-painters.ts';

// Decoration layers: ornament from the style pack's vocabulary, drawn in the layer's box. Every
// motif is placed by fixed rules, never by the seed: variants differ by design, not by confetti
// moved around. Textures (sunburst, grid, glow, stripes) stay faint enough for text above them;
// motifs (sparkles, confetti, leaves, bubbles) keep clear of texts, prices, products and the logo.

type Kind = Exclude<DecorationLayer['kind'], 'auto'>;

/** What `auto` draws for each pack's vocabulary; minimal (and no pack) draws nothing. */
export const PACK_DECORATIONS: Readonly<Record<PackDecoration, readonly Kind[]>> = {
  none: [],
  minimal: [],
  festive: ['sunburst', 'sparkles'],
  luxury: ['frame'],
  fresh: ['leaves'],
  tech: ['grid', 'glow'],
  cute: ['bubbles', 'sparkles'],
};

interface Paint {
  ctx: SKRSContext2D;
  box: PixelBox;
  color: Rgba;
  /** Other roles of the palette, for multicolour motifs (confetti, bubbles). */
  colors: Rgba[];
  opacity: number;
  /** The canvas's shorter side: motif sizes follow it, not the box. */
  unit: number;
  avoid: readonly PixelBox[];
}

export function paintDecoration(
  ctx: SKRSContext2D,
  layer: DecorationLayer,
  design: RenderDesign,
  box: PixelBox,
  size: { width: number; height: number },
  avoid: readonly PixelBox[],
) {
  const kinds = layer.kind === 'auto' ? PACK_DECORATIONS[design.decoration] : [layer.kind];
  if (kinds.length === 0 || box.w <= 0 || box.h <= 0) return;
  const palette = design.palette;
  const paint: Paint = {
    ctx,
    box,
    color: resolveColor(layer.color, palette),
    colors: (['highlight', 'accent', 'primary', 'surface'] as const).map((role) =>
      resolveColor(role, palette),
    ),
    opacity: layer.opacity,
    unit: Math.min(size.width, size.height),
    avoid,
  };
  for (const kind of kinds) {
    ctx.save();
    PAINTERS[kind](paint);
    ctx.restore();
  }
}

const PAINTERS: Record<Kind, (paint: Paint) => void> = {
  sunburst,
  sparkles,
  confetti,
  rules,
  frame,
  leaves,
  grid,
  glow,
  bubbles,
  stripes,
};

function clipTo(ctx: SKRSContext2D, box: PixelBox) {
  ctx.beginPath();
  ctx.rect(box.x, box.y, box.w, box.h);
  ctx.clip();
}

/** Whether a motif at (x, y) of this radius touches anything to keep clear of. */
function blocked(paint: Paint, x: number, y: number, radius: number): boolean {
  const margin = paint.unit * 0.015 + radius;
  return paint.avoid.some(
    (box) =>
      x > box.x - margin && x < box.x + box.w + margin && y > box.y - margin && y < box.y + box.h + margin,
  );
}

/** Rays from the box's centre, fading outward: the 大促 burst behind an offer. */
function sunburst(paint: Paint) {
  const { ctx, box, color, opacity } = paint;
  clipTo(ctx, box);
  const [cx, cy] = [box.x + box.w / 2, box.y + box.h / 2];
  const reach = Math.hypot(box.w, box.h) / 2;
  const rays = 28;
  const fade = ctx.createRadialGradient(cx, cy, reach * 0.05, cx, cy, reach);
  fade.addColorStop(0, toCss(color, 0.22 * opacity));
  fade.addColorStop(0.6, toCss(color, 0.1 * opacity));
  fade.addColorStop(1, toCss(color, 0));
  ctx.fillStyle = fade;
  ctx.beginPath();
  for (let ray = 0; ray < rays; ray += 1) {
    const from = (ray / rays) * Math.PI * 2;
    const to = from + Math.PI / rays;
    ctx.moveTo(cx, cy);
    ctx.lineTo(cx + Math.cos(from) * reach, cy + Math.sin(from) * reach);
    ctx.lineTo(cx + Math.cos(to) * reach, cy + Math.sin(to) * reach);
    ctx.closePath();
  }
  ctx.fill();
}

// Where motifs go, as fractions of the box: near the edges and corners, where copy rarely is.
const SPOTS: ReadonlyArray<readonly [number, number, number]> = [
  [0.07, 0.09, 1],
  [0.92, 0.12, 0.75],
  [0.13, 0.88, 0.6],
  [0.88, 0.84, 0.9],
  [0.5, 0.05, 0.5],
  [0.05, 0.52, 0.45],
  [0.95, 0.48, 0.55],
  [0.32, 0.95, 0.4],
  [0.7, 0.94, 0.5],
  [0.25, 0.04, 0.4],
  [0.76, 0.05, 0.45],
];

/** Four-pointed glints. */
function sparkles(paint: Paint) {
  const { ctx, box, color, opacity, unit } = paint;
  clipTo(ctx, box);
  ctx.fillStyle = toCss(color, 0.9 * opacity);
  // Mirrored from the bubbles' spots, so the two motifs of the cute pack interleave.
  for (const [fx, fy, scale] of SPOTS.slice(0, 7)) {
    const [x, y, r] = [box.x + box.w * (1 - fx), box.y + box.h * fy, unit * 0.042 * scale];
    if (blocked(paint, x, y, r)) continue;
    ctx.beginPath();
    ctx.moveTo(x, y - r);
    ctx.quadraticCurveTo(x, y, x + r * 0.8, y);
    ctx.quadraticCurveTo(x, y, x, y + r);
    ctx.quadraticCurveTo(x, y, x - r * 0.8, y);
    ctx.quadraticCurveTo(x, y, x, y - r);
    ctx.fill();
  }
}

/** A fixed scatter of small paper pieces in the palette's colours. */
function confetti(paint: Paint) {
  const { ctx, box, colors, opacity, unit } = paint;
  clipTo(ctx, box);
  const pieces = 36;
  for (let index = 0; index < pieces; index += 1) {
    // A golden-angle scatter: even cover, no clumps, and the same on every render.
    const fx = (index * 0.618034 + 0.13) % 1;
    const fy = (index * 0.381966 + 0.07) % 1;
    const [x, y] = [box.x + box.w * fx, box.y + box.h * fy];
    const r = unit * (0.006 + 0.005 * ((index * 7) % 3));
    if (blocked(paint, x, y, r * 2)) continue;
    ctx.fillStyle = toCss(colors[index % colors.length]!, 0.85 * opacity);
    ctx.save();
    ctx.translate(x, y);
    ctx.rotate(index * 0.9);
    if (index % 3 === 0) {
      ctx.beginPath();
      ctx.arc(0, 0, r, 0, Math.PI * 2);
      ctx.fill();
    } else {
      ctx.fillRect(-r * 1.4, -r * 0.5, r * 2.8, r);
    }
    ctx.restore();
  }
}

/** Fine rules along the top and bottom of the box, each broken by a small diamond. */
function rules(paint: Paint) {
  const { ctx, box, color, opacity, unit } = paint;
  const line = Math.max(1, unit * 0.0018);
  const diamond = unit * 0.008;
  ctx.strokeStyle = toCss(color, 0.85 * opacity);
  ctx.fillStyle = toCss(color, 0.85 * opacity);
  ctx.lineWidth = line;
  const cx = box.x + box.w / 2;
  for (const y of box.h > unit * 0.04 ? [box.y + line, box.y + box.h - line] : [box.y + box.h / 2]) {
    ctx.beginPath();
    ctx.moveTo(box.x, y);
    ctx.lineTo(cx - diamond * 2.5, y);
    ctx.moveTo(cx + diamond * 2.5, y);
    ctx.lineTo(box.x + box.w, y);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(cx, y - diamond);
    ctx.lineTo(cx + diamond, y);
    ctx.lineTo(cx, y + diamond);
    ctx.lineTo(cx - diamond, y);
    ctx.closePath();
    ctx.fill();
  }
}

/** A fine double frame inset in the box: the luxury pack's gold keyline. */
function frame(paint: Paint) {
  const { ctx, box, color, opacity, unit } = paint;
  const inset = unit * 0.035;
  const line = Math.max(1, unit * 0.0016);
  ctx.strokeStyle = toCss(color, 0.9 * opacity);
  ctx.lineWidth = line;
  ctx.strokeRect(box.x + inset, box.y + inset, box.w - 2 * inset, box.h - 2 * inset);
  ctx.strokeStyle = toCss(color, 0.45 * opacity);
  const inner = inset + unit * 0.009;
  ctx.strokeRect(box.x + inner, box.y + inner, box.w - 2 * inner, box.h - 2 * inner);
}

/** Soft leaves reaching in from the box's corners. */
function leaves(paint: Paint) {
  const { ctx, box, color, opacity, unit } = paint;
  clipTo(ctx, box);
  const sprigs: ReadonlyArray<readonly [number, number, number]> = [
    [0, 0, Math.PI * 0.25],
    [1, 1, Math.PI * 1.25],
    [1, 0, Math.PI * 0.75],
    [0, 1, Math.PI * 1.75],
  ];
  for (const [index, [fx, fy, angle]] of sprigs.entries()) {
    const [x, y] = [box.x + box.w * fx, box.y + box.h * fy];
    const length = unit * (index < 2 ? 0.2 : 0.13);
    for (const [turn, scale] of [
      [-0.35, 1],
      [0.3, 0.8],
      [0, 0.65],
    ] as const) {
      const leafAngle = angle + turn;
      const tipX = x + Math.cos(leafAngle) * length * scale;
      const tipY = y + Math.sin(leafAngle) * length * scale;
      if (blocked(paint, (x + tipX) / 2, (y + tipY) / 2, length * scale * 0.3)) continue;
      paintLeaf(ctx, x, y, length * scale, leafAngle, toCss(color, 0.55 * opacity));
    }
  }
}

function paintLeaf(ctx: SKRSContext2D, x: number, y: number, length: number, angle: number, fill: string) {
  ctx.save();
  ctx.translate(x, y);
  ctx.rotate(angle);
  ctx.fillStyle = fill;
  ctx.beginPath();
  ctx.moveTo(0, 0);
  ctx.quadraticCurveTo(length * 0.5, -length * 0.32, length, 0);
  ctx.quadraticCurveTo(length * 0.5, length * 0.32, 0, 0);
  ctx.fill();
  ctx.globalCompositeOperation = 'destination-out';
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.35)';
  ctx.lineWidth = Math.max(1, length * 0.02);
  ctx.beginPath();
  ctx.moveTo(length * 0.05, 0);
  ctx.lineTo(length * 0.85, 0);
  ctx.stroke();
  ctx.restore();
}

/** A faint technical grid, with corner brackets at the box's corners. */
function grid(paint: Paint) {
  const { ctx, box, color, opacity, unit } = paint;
  clipTo(ctx, box);
  const step = unit / 14;
  ctx.strokeStyle = toCss(color, 0.1 * opacity);
  ctx.lineWidth = Math.max(1, unit * 0.0012);
  ctx.beginPath();
  for (let x = box.x + step; x < box.x + box.w; x += step) {
    ctx.moveTo(x, box.y);
    ctx.lineTo(x, box.y + box.h);
  }
  for (let y = box.y + step; y < box.y + box.h; y += step) {
    ctx.moveTo(box.x, y);
    ctx.lineTo(box.x + box.w, y);
  }
  ctx.stroke();
  const [inset, arm] = [unit * 0.035, unit * 0.05];
  ctx.strokeStyle = toCss(color, 0.85 * opacity);
  ctx.lineWidth = Math.max(1.5, unit * 0.003);
  ctx.beginPath();
  for (const [fx, fy] of [
    [0, 0],
    [1, 0],
    [0, 1],
    [1, 1],
  ] as const) {
    const x = fx === 0 ? box.x + inset : box.x + box.w - inset;
    const y = fy === 0 ? box.y + inset : box.y + box.h - inset;
    const [dx, dy] = [fx === 0 ? arm : -arm, fy === 0 ? arm : -arm];
    ctx.moveTo(x + dx, y);
    ctx.lineTo(x, y);
    ctx.lineTo(x, y + dy);
  }
  ctx.stroke();
}

/** A pool of coloured light from the box's upper part. */
function glow(paint: Paint) {
  const { ctx, box, color, opacity } = paint;
  clipTo(ctx, box);
  const [cx, cy] = [box.x + box.w * 0.5, box.y + box.h * 0.35];
  const radius = Math.max(box.w, box.h) * 0.6;
  const light = ctx.createRadialGradient(cx, cy, 0, cx, cy, radius);
  light.addColorStop(0, toCss(color, 0.28 * opacity));
  light.addColorStop(1, toCss(color, 0));
  ctx.fillStyle = light;
  ctx.fillRect(box.x, box.y, box.w, box.h);
}

/** Round bubbles, filled and outlined, in soft palette colours. */
function bubbles(paint: Paint) {
  const { ctx, box, colors, color, opacity, unit } = paint;
  clipTo(ctx, box);
  for (const [index, [fx, fy, scale]] of SPOTS.entries()) {
    const [x, y, r] = [box.x + box.w * fx, box.y + box.h * fy, unit * 0.045 * scale];
    if (blocked(paint, x, y, r)) continue;
    ctx.beginPath();
    ctx.arc(x, y, r, 0, Math.PI * 2);
    if (index % 2 === 0) {
      ctx.fillStyle = toCss(colors[(index / 2) % colors.length] ?? color, 0.35 * opacity);
      ctx.fill();
    } else {
      ctx.strokeStyle = toCss(color, 0.6 * opacity);
      ctx.lineWidth = Math.max(1.5, unit * 0.004);
      ctx.stroke();
    }
  }
}

/** Diagonal stripes across the box, faint. */
function stripes(paint: Paint) {
  const { ctx, box, color, opacity, unit } = paint;
  clipTo(ctx, box);
  const step = unit * 0.05;
  ctx.strokeStyle = toCss(color, 0.14 * opacity);
  ctx.lineWidth = step * 0.35;
  ctx.beginPath();
  for (let x = box.x - box.h; x < box.x + box.w + box.h; x += step) {
    ctx.moveTo(x, box.y + box.h);
    ctx.lineTo(x + box.h, box.y);
  }
  ctx.stroke();
}
