import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';

/**
 * Drawn products for the assistant's evaluation set: garments (T-shirt, shirt, hoodie, dress,
 * trousers) and goods (mug, tote bag, sneaker), each a seeded *design* — silhouette plus a print of
 * shapes, stripes and dots — that can be drawn in any colourway and into any scene. Nothing is a
 * binary fixture: the repo draws the set every time.
 */

export type Silhouette = 'tshirt' | 'shirt' | 'hoodie' | 'dress' | 'trousers' | 'mug' | 'tote' | 'sneaker';
export const SILHOUETTES: readonly Silhouette[] = [
  'tshirt',
  'shirt',
  'hoodie',
  'dress',
  'trousers',
  'mug',
  'tote',
  'sneaker',
];

export interface Colourway {
  name: string;
  body: string;
  print: string;
  accent: string;
}

export const COLOURWAYS: readonly Colourway[] = [
  { name: 'NAVY', body: '#1f2f5a', print: '#f2c14e', accent: '#e8e8e8' },
  { name: 'RED', body: '#b3202c', print: '#ffffff', accent: '#2b2b2b' },
  { name: 'GREEN', body: '#2f7a4f', print: '#f4e3c1', accent: '#14331f' },
  { name: 'CREAM', body: '#efe4cf', print: '#7a3b1e', accent: '#3c5a8a' },
  { name: 'PINK', body: '#e58fb0', print: '#3d1f4f', accent: '#ffffff' },
  { name: 'GREY', body: '#8a8f99', print: '#1d1d1d', accent: '#d96c2c' },
];

/** A deterministic random source (mulberry32). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Design {
  id: number;
  silhouette: Silhouette;
  /** Print elements in the unit square of the product's print area. */
  print: PrintElement[];
}

type PrintElement =
  | { kind: 'circle'; x: number; y: number; r: number; colour: 'print' | 'accent' }
  | { kind: 'polygon'; points: Array<[number, number]>; colour: 'print' | 'accent' }
  | { kind: 'stripe'; y: number; h: number; angle: number; colour: 'print' | 'accent' }
  | { kind: 'ring'; x: number; y: number; r: number; w: number; colour: 'print' | 'accent' };

export function makeDesign(id: number, silhouette: Silhouette): Design {
  const random = seeded(id * 7919 + 17);
  const print: PrintElement[] = [];
  const colour = () => (random() < 0.7 ? 'print' : 'accent') as 'print' | 'accent';
  const stripes = Math.floor(random() * 3);
  for (let index = 0; index < stripes; index += 1) {
    print.push({
      kind: 'stripe',
      y: random(),
      h: 0.02 + random() * 0.05,
      angle: (random() - 0.5) * 0.6,
      colour: colour(),
    });
  }
  const shapes = 7 + Math.floor(random() * 8);
  for (let index = 0; index < shapes; index += 1) {
    const kind = random();
    const x = 0.1 + random() * 0.8;
    const y = 0.1 + random() * 0.8;
    if (kind < 0.3) print.push({ kind: 'circle', x, y, r: 0.02 + random() * 0.08, colour: colour() });
    else if (kind < 0.45)
      print.push({
        kind: 'ring',
        x,
        y,
        r: 0.04 + random() * 0.08,
        w: 0.01 + random() * 0.02,
        colour: colour(),
      });
    else {
      const sides = 3 + Math.floor(random() * 5);
      const radius = 0.04 + random() * 0.1;
      const spikes = random() < 0.4;
      const points: Array<[number, number]> = [];
      const turn = random() * Math.PI;
      const count = spikes ? sides * 2 : sides;
      for (let corner = 0; corner < count; corner += 1) {
        const angle = turn + (corner / count) * Math.PI * 2;
        const r = spikes && corner % 2 === 1 ? radius * 0.45 : radius * (0.7 + random() * 0.3);
        points.push([x + Math.cos(angle) * r, y + Math.sin(angle) * r]);
      }
      print.push({ kind: 'polygon', points, colour: colour() });
    }
  }
  return { id, silhouette, print };
}

/** The outline of a silhouette in a 1×1 box (x right, y down), plus the print area inside it. */
function outline(ctx: SKRSContext2D, silhouette: Silhouette): { x: number; y: number; w: number; h: number } {
  ctx.beginPath();
  switch (silhouette) {
    case 'tshirt':
    case 'hoodie':
      ctx.moveTo(0.3, 0.08);
      ctx.quadraticCurveTo(0.5, 0.18, 0.7, 0.08);
      ctx.lineTo(0.95, 0.22);
      ctx.lineTo(0.86, 0.4);
      ctx.lineTo(0.76, 0.35);
      ctx.lineTo(0.76, 0.95);
      ctx.lineTo(0.24, 0.95);
      ctx.lineTo(0.24, 0.35);
      ctx.lineTo(0.14, 0.4);
      ctx.lineTo(0.05, 0.22);
      ctx.closePath();
      return { x: 0.28, y: 0.25, w: 0.44, h: 0.6 };
    case 'shirt':
      ctx.moveTo(0.32, 0.06);
      ctx.lineTo(0.5, 0.16);
      ctx.lineTo(0.68, 0.06);
      ctx.lineTo(0.9, 0.18);
      ctx.lineTo(0.97, 0.85);
      ctx.lineTo(0.86, 0.87);
      ctx.lineTo(0.77, 0.38);
      ctx.lineTo(0.77, 0.96);
      ctx.lineTo(0.23, 0.96);
      ctx.lineTo(0.23, 0.38);
      ctx.lineTo(0.14, 0.87);
      ctx.lineTo(0.03, 0.85);
      ctx.lineTo(0.1, 0.18);
      ctx.closePath();
      return { x: 0.26, y: 0.22, w: 0.48, h: 0.68 };
    case 'dress':
      ctx.moveTo(0.36, 0.04);
      ctx.lineTo(0.64, 0.04);
      ctx.lineTo(0.66, 0.36);
      ctx.lineTo(0.88, 0.96);
      ctx.lineTo(0.12, 0.96);
      ctx.lineTo(0.34, 0.36);
      ctx.closePath();
      return { x: 0.22, y: 0.3, w: 0.56, h: 0.6 };
    case 'trousers':
      ctx.moveTo(0.26, 0.04);
      ctx.lineTo(0.74, 0.04);
      ctx.lineTo(0.8, 0.96);
      ctx.lineTo(0.56, 0.96);
      ctx.lineTo(0.5, 0.38);
      ctx.lineTo(0.44, 0.96);
      ctx.lineTo(0.2, 0.96);
      ctx.closePath();
      return { x: 0.24, y: 0.08, w: 0.52, h: 0.4 };
    case 'mug':
      ctx.roundRect(0.18, 0.2, 0.5, 0.62, 0.05);
      ctx.moveTo(0.68, 0.34);
      ctx.arc(0.72, 0.5, 0.14, -Math.PI / 2, Math.PI / 2);
      ctx.lineTo(0.68, 0.6);
      ctx.arc(0.72, 0.5, 0.08, Math.PI / 2, -Math.PI / 2, true);
      ctx.closePath();
      return { x: 0.22, y: 0.26, w: 0.42, h: 0.5 };
    case 'tote':
      ctx.moveTo(0.15, 0.3);
      ctx.lineTo(0.85, 0.3);
      ctx.lineTo(0.8, 0.95);
      ctx.lineTo(0.2, 0.95);
      ctx.closePath();
      ctx.moveTo(0.3, 0.3);
      ctx.arc(0.5, 0.3, 0.2, Math.PI, 0);
      ctx.lineTo(0.64, 0.3);
      ctx.arc(0.5, 0.3, 0.14, 0, Math.PI, true);
      ctx.closePath();
      return { x: 0.22, y: 0.36, w: 0.56, h: 0.54 };
    case 'sneaker':
      ctx.moveTo(0.05, 0.62);
      ctx.quadraticCurveTo(0.08, 0.4, 0.3, 0.38);
      ctx.lineTo(0.45, 0.3);
      ctx.quadraticCurveTo(0.6, 0.28, 0.66, 0.44);
      ctx.quadraticCurveTo(0.9, 0.5, 0.96, 0.64);
      ctx.lineTo(0.96, 0.74);
      ctx.lineTo(0.05, 0.74);
      ctx.closePath();
      return { x: 0.12, y: 0.38, w: 0.8, h: 0.32 };
  }
}

/** Draws the product (design in a colourway) into a `size`-pixel box at the context's origin. */
export function drawProduct(ctx: SKRSContext2D, design: Design, colourway: Colourway, size: number): void {
  ctx.save();
  ctx.scale(size, size);
  const area = outline(ctx, design.silhouette);
  ctx.fillStyle = colourway.body;
  ctx.fill('evenodd');
  ctx.lineWidth = 0.006;
  ctx.strokeStyle = 'rgba(0,0,0,0.35)';
  ctx.stroke();
  ctx.clip('evenodd');
  // A woven texture of the design (the same in every picture of it): fine diagonal lines.
  const random = seeded(design.id * 31 + 5);
  ctx.strokeStyle = 'rgba(255,255,255,0.07)';
  ctx.lineWidth = 0.002;
  for (let line = 0; line < 40; line += 1) {
    const offset = random() * 1.4 - 0.2;
    ctx.beginPath();
    ctx.moveTo(offset, 0);
    ctx.lineTo(offset - 0.3, 1);
    ctx.stroke();
  }
  ctx.translate(area.x, area.y);
  ctx.scale(area.w, area.h);
  for (const element of design.print) {
    ctx.fillStyle = element.colour === 'print' ? colourway.print : colourway.accent;
    ctx.strokeStyle = ctx.fillStyle;
    ctx.beginPath();
    if (element.kind === 'circle') {
      ctx.arc(element.x, element.y, element.r, 0, Math.PI * 2);
      ctx.fill();
    } else if (element.kind === 'ring') {
      ctx.lineWidth = element.w;
      ctx.arc(element.x, element.y, element.r, 0, Math.PI * 2);
      ctx.stroke();
    } else if (element.kind === 'stripe') {
      ctx.save();
      ctx.translate(0.5, element.y);
      ctx.rotate(element.angle);
      ctx.fillRect(-1, -element.h / 2, 2, element.h);
      ctx.restore();
    } else {
      ctx.moveTo(element.points[0]![0], element.points[0]![1]);
      for (const [x, y] of element.points.slice(1)) ctx.lineTo(x, y);
      ctx.closePath();
      ctx.fill();
    }
  }
  ctx.restore();
}

/** The catalog picture: the product centred on a plain studio backdrop, PNG. */
export function catalogImage(design: Design, colourway: Colourway, size = 800): Uint8Array {
  const canvas = createCanvas(size, size);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#f4f4f2';
  ctx.fillRect(0, 0, size, size);
  ctx.translate(size * 0.08, size * 0.08);
  drawProduct(ctx, design, colourway, size * 0.84);
  return new Uint8Array(canvas.toBuffer('image/png'));
}

export interface SceneOptions {
  seed: number;
  width?: number;
  height?: number;
  /** Degrees. */
  rotation?: number;
  /** The product's size as a share of the shorter side. */
  scale?: number;
  /** A busy background (clutter of shapes and colours) instead of a plain wall. */
  busy?: boolean;
}

/** The product in a shopper's scene (a bed, a table, a floor): positioned, turned, as PNG. */
export function sceneImage(design: Design, colourway: Colourway, options: SceneOptions): Uint8Array {
  const width = options.width ?? 900;
  const height = options.height ?? 1200;
  const random = seeded(options.seed);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const wall = ['#d9d2c5', '#c9d3dc', '#e6e0d4', '#cfc6bd'][Math.floor(random() * 4)]!;
  ctx.fillStyle = wall;
  ctx.fillRect(0, 0, width, height);
  if (options.busy) {
    for (let index = 0; index < 160; index += 1) {
      ctx.fillStyle = `hsl(${Math.floor(random() * 360)}, ${30 + random() * 50}%, ${30 + random() * 50}%)`;
      const x = random() * width;
      const y = random() * height;
      const s = 10 + random() * 90;
      if (random() < 0.5) ctx.fillRect(x, y, s, s * (0.3 + random()));
      else {
        ctx.beginPath();
        ctx.arc(x, y, s / 2, 0, Math.PI * 2);
        ctx.fill();
      }
    }
  }
  const side = Math.min(width, height) * (options.scale ?? 0.8);
  ctx.translate(width / 2 + (random() - 0.5) * width * 0.08, height / 2 + (random() - 0.5) * height * 0.08);
  ctx.rotate(((options.rotation ?? 0) * Math.PI) / 180);
  ctx.translate(-side / 2, -side / 2);
  drawProduct(ctx, design, colourway, side);
  return new Uint8Array(canvas.toBuffer('image/png'));
}
