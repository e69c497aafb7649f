import type { SKRSContext2D } from '@napi-rs/canvas';
import type { BrandPalette } from '../domain/brand.ts';
import type { BackgroundLayer, Box } from '../domain/layout.ts';
import { type Rgba, resolveColor, toCss } from './colors.ts';

// Product-photography scenes a studio photographer would set up, as background styles any layout
// can use: a pedestal, a split backdrop, a tabletop with its horizon, a pool of light. Each is
// staged around where the product stands (`layer.stage`, filled in by the renderer).

type Size = { width: number; height: number };

export const SCENE_STYLES = new Set<BackgroundLayer['style']>(['podium', 'split', 'surface', 'spotlight']);

/** Where the product stands when neither the layer nor the layout says: the lower middle. */
const DEFAULT_STAGE: Box = { x: 0.2, y: 0.3, w: 0.6, h: 0.5 };

function shade(color: Rgba, amount: number): Rgba {
  const target = amount >= 0 ? 255 : 0;
  const t = Math.abs(amount);
  const channel = (value: number) => Math.round(value + (target - value) * t);
  return { r: channel(color.r), g: channel(color.g), b: channel(color.b), a: color.a };
}

export function paintScene(ctx: SKRSContext2D, layer: BackgroundLayer, palette: BrandPalette, size: Size) {
  const stage = layer.stage ?? DEFAULT_STAGE;
  const first = resolveColor(layer.colors[0] ?? 'background', palette);
  const second = layer.colors[1] ? resolveColor(layer.colors[1], palette) : undefined;
  switch (layer.style) {
    case 'podium':
      return paintPodium(ctx, first, second ?? shade(first, -0.18), stage, size);
    case 'split':
      return paintSplit(ctx, layer, first, second ?? shade(first, -0.12), size);
    case 'surface':
      return paintSurface(ctx, layer.horizon, first, second ?? shade(first, -0.1), stage, size);
    case 'spotlight':
      return paintSpotlight(ctx, first, second ?? shade(first, 0.35), stage, size);
    default:
      return;
  }
}

/**
 * A round pedestal whose top face is where the product's box ends: lit from above (a lighter top),
 * a body shaded like a cylinder, and its own soft shadow on the floor.
 */
function paintPodium(ctx: SKRSContext2D, color: Rgba, rim: Rgba, stage: Box, size: Size) {
  const { width, height } = size;
  const cx = (stage.x + stage.w / 2) * width;
  const topY = (stage.y + stage.h) * height;
  const rx = Math.min(stage.w * width * 0.55, width * 0.48);
  const ry = rx * 0.16;
  const depth = Math.min(height - topY + ry, Math.max(ry * 2.2, stage.h * height * 0.22));
  ctx.save();
  // Its shadow on the floor, offset down and wide.
  const floor = ctx.createRadialGradient(cx, topY + depth, 0, cx, topY + depth, rx * 1.35);
  floor.addColorStop(0, 'rgba(0, 0, 0, 0.28)');
  floor.addColorStop(1, 'rgba(0, 0, 0, 0)');
  ctx.fillStyle = floor;
  ctx.save();
  ctx.translate(0, topY + depth);
  ctx.scale(1, 0.22);
  ctx.translate(0, -(topY + depth));
  ctx.fillRect(cx - rx * 1.4, topY + depth - rx * 1.4, rx * 2.8, rx * 2.8);
  ctx.restore();
  // The body: a cylinder, darker at both sides.
  const body = ctx.createLinearGradient(cx - rx, 0, cx + rx, 0);
  body.addColorStop(0, toCss(shade(rim, -0.15)));
  body.addColorStop(0.35, toCss(shade(color, -0.02)));
  body.addColorStop(0.6, toCss(shade(color, -0.06)));
  body.addColorStop(1, toCss(shade(rim, -0.25)));
  ctx.fillStyle = body;
  ctx.beginPath();
  ctx.moveTo(cx - rx, topY);
  ctx.lineTo(cx - rx, topY + depth);
  ctx.ellipse(cx, topY + depth, rx, ry, 0, Math.PI, 0, true);
  ctx.lineTo(cx + rx, topY);
  ctx.closePath();
  ctx.fill();
  // The top face, lighter toward the back where the light falls.
  const top = ctx.createLinearGradient(0, topY - ry, 0, topY + ry);
  top.addColorStop(0, toCss(shade(color, 0.22)));
  top.addColorStop(1, toCss(shade(color, 0.05)));
  ctx.fillStyle = top;
  ctx.beginPath();
  ctx.ellipse(cx, topY, rx, ry, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.strokeStyle = toCss(shade(color, 0.35), 0.8);
  ctx.lineWidth = Math.max(1, rx * 0.008);
  ctx.stroke();
  ctx.restore();
}

/** Two colour fields meeting in a straight line, with a soft shade along the seam. */
function paintSplit(ctx: SKRSContext2D, layer: BackgroundLayer, first: Rgba, second: Rgba, size: Size) {
  const { width, height } = size;
  const horizontal = layer.angle === 90 || layer.angle === 270;
  const at = (horizontal ? height : width) * layer.horizon;
  ctx.save();
  ctx.fillStyle = toCss(first);
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = toCss(second);
  if (horizontal) ctx.fillRect(0, at, width, height - at);
  else ctx.fillRect(at, 0, width - at, height);
  const seam = Math.min(width, height) * 0.03;
  const shadow = horizontal
    ? ctx.createLinearGradient(0, at, 0, at + seam)
    : ctx.createLinearGradient(at, 0, at + seam, 0);
  shadow.addColorStop(0, 'rgba(0, 0, 0, 0.12)');
  shadow.addColorStop(1, 'rgba(0, 0, 0, 0)');
  ctx.fillStyle = shadow;
  if (horizontal) ctx.fillRect(0, at, width, seam);
  else ctx.fillRect(at, 0, seam, height);
  ctx.restore();
}

/**
 * A tabletop seen from slightly above: the wall lit from the top, the surface brightest at its back
 * edge and falling into shade toward the viewer, a hairline of light along the edge.
 */
function paintSurface(
  ctx: SKRSContext2D,
  horizon: number,
  wall: Rgba,
  surface: Rgba,
  stage: Box,
  size: Size,
) {
  const { width, height } = size;
  // The table's back edge sits a little above where the product stands, so it stands on the table.
  const standY = (stage.y + stage.h) * height;
  const edge = Math.min(standY - height * 0.04, height * horizon);
  ctx.save();
  const wallGradient = ctx.createLinearGradient(0, 0, 0, edge);
  wallGradient.addColorStop(0, toCss(shade(wall, 0.12)));
  wallGradient.addColorStop(1, toCss(shade(wall, -0.05)));
  ctx.fillStyle = wallGradient;
  ctx.fillRect(0, 0, width, edge);
  const table = ctx.createLinearGradient(0, edge, 0, height);
  table.addColorStop(0, toCss(shade(surface, 0.1)));
  table.addColorStop(1, toCss(shade(surface, -0.18)));
  ctx.fillStyle = table;
  ctx.fillRect(0, edge, width, height - edge);
  ctx.fillStyle = toCss(shade(surface, 0.4), 0.7);
  ctx.fillRect(0, edge, width, Math.max(1, height * 0.002));
  // A light pool on the table where the product stands.
  const cx = (stage.x + stage.w / 2) * width;
  const pool = ctx.createRadialGradient(cx, standY, 0, cx, standY, stage.w * width * 0.7);
  pool.addColorStop(0, toCss(shade(surface, 0.3), 0.35));
  pool.addColorStop(1, toCss(shade(surface, 0.3), 0));
  ctx.fillStyle = pool;
  ctx.fillRect(0, edge, width, height - edge);
  ctx.restore();
}

/** A spot of light behind the product, falling off to the brand colour at the edges. */
function paintSpotlight(ctx: SKRSContext2D, base: Rgba, light: Rgba, stage: Box, size: Size) {
  const { width, height } = size;
  const cx = (stage.x + stage.w / 2) * width;
  const cy = (stage.y + stage.h * 0.45) * height;
  const radius = Math.max(stage.w * width, stage.h * height) * 0.95;
  ctx.save();
  ctx.fillStyle = toCss(shade(base, -0.08));
  ctx.fillRect(0, 0, width, height);
  const spot = ctx.createRadialGradient(cx, cy, 0, cx, cy, radius);
  spot.addColorStop(0, toCss(light));
  spot.addColorStop(0.55, toCss(shade(base, 0.08)));
  spot.addColorStop(1, toCss(shade(base, -0.08), 0));
  ctx.fillStyle = spot;
  ctx.fillRect(0, 0, width, height);
  ctx.restore();
}
