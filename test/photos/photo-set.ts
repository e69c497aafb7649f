import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';

/**
 * The product-photo test set: studio-style product photos drawn on the spot with their ground-truth
 * masks, covering the cases that broke the first cut-out (issue 12): labels and interiors within
 * ΔE 5 of the backdrop, gradient and two-tone backdrops, soft shadows, white on white, a product
 * touching the frame, translucent glass, JPEG q50. Deterministic: the same size gives the same bytes,
 * so `make-photo-set.ts` writes the committed files and the benchmark draws them at 1024 px.
 *
 * Each case draws its product twice: in colour on the backdrop (the photo) and in white on black
 * (the truth). Shadows are drawn on the photo only: a cut-out must leave them out (or keep them as
 * shadow, never as product).
 */

export interface PhotoCase {
  name: string;
  /** What makes it hard, in a sentence. */
  hard: string;
  format: 'png' | 'jpeg';
  /** JPEG quality when `format` is jpeg. */
  quality?: number;
  /** Height / width. */
  aspect: number;
  backdrop(ctx: SKRSContext2D, w: number, h: number): void;
  /** Drawn on the photo only, before the product. */
  shadow?(ctx: SKRSContext2D, w: number, h: number): void;
  /** `ink(colour)` is the colour on the photo and white in the truth; `alpha(a)` is 1 in the truth. */
  product(ctx: SKRSContext2D, w: number, h: number, paint: Paint): void;
}

export interface Paint {
  truth: boolean;
  ink(style: string | CanvasGradientLike): string | CanvasGradientLike;
  alpha(value: number): number;
}
type CanvasGradientLike = ReturnType<SKRSContext2D['createLinearGradient']>;

export interface RenderedPhoto {
  bytes: Uint8Array;
  width: number;
  height: number;
  /** One byte per pixel: 255 product, 0 backdrop (and shadow). */
  truth: Uint8Array;
}

export function renderPhotoCase(photoCase: PhotoCase, width: number): RenderedPhoto {
  const height = Math.round(width * photoCase.aspect);
  const photo = createCanvas(width, height);
  const ctx = photo.getContext('2d');
  photoCase.backdrop(ctx, width, height);
  photoCase.shadow?.(ctx, width, height);
  photoCase.product(ctx, width, height, {
    truth: false,
    ink: (style) => style,
    alpha: (value) => value,
  });
  addSensorNoise(ctx, width, height, seedOf(photoCase.name));
  const truthCanvas = createCanvas(width, height);
  const truthCtx = truthCanvas.getContext('2d');
  truthCtx.fillStyle = '#000000';
  truthCtx.fillRect(0, 0, width, height);
  photoCase.product(truthCtx, width, height, { truth: true, ink: () => '#ffffff', alpha: () => 1 });
  const truthPixels = truthCtx.getImageData(0, 0, width, height).data;
  const truth = new Uint8Array(width * height);
  for (let index = 0; index < truth.length; index += 1)
    truth[index] = truthPixels[index * 4]! >= 128 ? 255 : 0;
  const bytes =
    photoCase.format === 'png'
      ? photo.toBuffer('image/png')
      : photo.toBuffer('image/jpeg', photoCase.quality ?? 85);
  return { bytes: new Uint8Array(bytes), width, height, truth };
}

/** A camera's faint noise (σ ≈ 1.2 levels), seeded per case, so flat areas are not perfectly flat. */
function addSensorNoise(ctx: SKRSContext2D, width: number, height: number, seed: number) {
  const image = ctx.getImageData(0, 0, width, height);
  const random = mulberry32(seed);
  const data = image.data;
  for (let at = 0; at < data.length; at += 4) {
    const noise = (random() + random() + random() - 1.5) * 2.4;
    for (let channel = 0; channel < 3; channel += 1) {
      data[at + channel] = Math.max(0, Math.min(255, Math.round(data[at + channel]! + noise)));
    }
  }
  ctx.putImageData(image, 0, 0);
}

function seedOf(name: string): number {
  let hash = 2166136261;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return hash >>> 0;
}

function mulberry32(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- backdrops ----------------------------------------------------------------------------------

const plain = (color: string) => (ctx: SKRSContext2D, w: number, h: number) => {
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, w, h);
};

const verticalGradient = (top: string, bottom: string) => (ctx: SKRSContext2D, w: number, h: number) => {
  const gradient = ctx.createLinearGradient(0, 0, 0, h);
  gradient.addColorStop(0, top);
  gradient.addColorStop(1, bottom);
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, w, h);
  // A light falloff toward the sides, as a key light above the product gives.
  const vignette = ctx.createRadialGradient(w / 2, h * 0.4, 0, w / 2, h * 0.4, Math.max(w, h) * 0.75);
  vignette.addColorStop(0, 'rgba(255,255,255,0.10)');
  vignette.addColorStop(1, 'rgba(0,0,0,0.06)');
  ctx.fillStyle = vignette;
  ctx.fillRect(0, 0, w, h);
};

const twoTone =
  (wall: string, floor: string, horizon: number) => (ctx: SKRSContext2D, w: number, h: number) => {
    ctx.fillStyle = wall;
    ctx.fillRect(0, 0, w, Math.round(h * horizon));
    const gradient = ctx.createLinearGradient(0, h * horizon, 0, h);
    gradient.addColorStop(0, floor);
    gradient.addColorStop(1, shadeHex(floor, -0.08));
    ctx.fillStyle = gradient;
    ctx.fillRect(0, Math.round(h * horizon), w, h - Math.round(h * horizon));
  };

function shadeHex(hex: string, amount: number): string {
  const value = Number.parseInt(hex.slice(1), 16);
  const channels = [value >> 16, (value >> 8) & 255, value & 255].map((c) =>
    Math.round(amount >= 0 ? c + (255 - c) * amount : c * (1 + amount)),
  );
  return `rgb(${channels.join(',')})`;
}

/** A soft shadow: a blurred dark ellipse on the floor under (or beside) the product. */
const softShadow =
  (cx: number, cy: number, rx: number, ry: number, strength: number) =>
  (ctx: SKRSContext2D, w: number, h: number) => {
    ctx.save();
    ctx.translate(cx * w, cy * h);
    ctx.scale(1, ry / rx);
    const radius = rx * w;
    const gradient = ctx.createRadialGradient(0, 0, 0, 0, 0, radius);
    gradient.addColorStop(0, `rgba(0,0,0,${strength})`);
    gradient.addColorStop(0.55, `rgba(0,0,0,${strength * 0.45})`);
    gradient.addColorStop(1, 'rgba(0,0,0,0)');
    ctx.fillStyle = gradient;
    ctx.fillRect(-radius, -radius, radius * 2, radius * 2);
    ctx.restore();
  };

/** A horizontal shading across a cylinder: darker at both sides, a highlight left of centre. */
function cylinder(
  ctx: SKRSContext2D,
  paint: Paint,
  left: number,
  right: number,
  base: string,
  depth: number,
) {
  if (paint.truth) return '#ffffff';
  const gradient = ctx.createLinearGradient(left, 0, right, 0);
  gradient.addColorStop(0, shadeHex(base, -depth));
  gradient.addColorStop(0.3, shadeHex(base, depth * 0.5));
  gradient.addColorStop(0.42, shadeHex(base, depth * 0.25));
  gradient.addColorStop(1, shadeHex(base, -depth * 1.2));
  return gradient;
}

function roundedRect(ctx: SKRSContext2D, x: number, y: number, w: number, h: number, r: number) {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
  ctx.fill();
}

// ---- the cases ----------------------------------------------------------------------------------

/** Bottle whose cream label runs the full width of the body (ΔE ≈ 4 from the backdrop). */
function bottle(labelColor: string, glass: string, textColor: string) {
  return (ctx: SKRSContext2D, w: number, h: number, paint: Paint) => {
    const [left, right, top, bottom] = [w * 0.34, w * 0.66, h * 0.36, h * 0.86];
    ctx.fillStyle = cylinder(ctx, paint, left, right, glass, 0.35) as string;
    roundedRect(ctx, left, top, right - left, bottom - top, w * 0.05);
    // shoulder and neck
    ctx.beginPath();
    ctx.moveTo(left + w * 0.02, top + h * 0.02);
    ctx.quadraticCurveTo(w * 0.5, top - h * 0.12, right - w * 0.02, top + h * 0.02);
    ctx.fill();
    ctx.fillStyle = cylinder(ctx, paint, w * 0.455, w * 0.545, glass, 0.3) as string;
    ctx.fillRect(w * 0.455, h * 0.17, w * 0.09, h * 0.17);
    ctx.fillStyle = paint.ink('#2a2a2a') as string;
    roundedRect(ctx, w * 0.445, h * 0.12, w * 0.11, h * 0.07, w * 0.01);
    // the label: full width of the body, so its sides meet the backdrop directly
    ctx.fillStyle = cylinder(ctx, paint, left, right, labelColor, 0.012) as string;
    ctx.fillRect(left, h * 0.5, right - left, h * 0.22);
    ctx.fillStyle = paint.ink(textColor) as string;
    ctx.font = `bold ${Math.round(w * 0.045)}px sans-serif`;
    ctx.textAlign = 'center';
    ctx.fillText('OLIVE', w * 0.5, h * 0.585);
    ctx.font = `${Math.round(w * 0.025)}px sans-serif`;
    ctx.fillText('extra virgin · 500 ml', w * 0.5, h * 0.64);
  };
}

export const PHOTO_CASES: readonly PhotoCase[] = [
  {
    name: 'bottle_cream_label',
    hard: 'a full-width cream label (ΔE ≈ 4 from the white backdrop) splits the bottle for a colour cut',
    format: 'jpeg',
    quality: 92,
    aspect: 1.25,
    backdrop: plain('#fefefe'),
    shadow: softShadow(0.5, 0.865, 0.2, 0.025, 0.22),
    product: bottle('#fbf8f1', '#3f6b2a', '#8a7a5a'),
  },
  {
    name: 'serum_label_jpeg_q50',
    hard: 'a near-white label on a dark dropper bottle, saved as JPEG q50 (blocky noise at every edge)',
    format: 'jpeg',
    quality: 50,
    aspect: 1.25,
    backdrop: plain('#fbfbfb'),
    product: bottle('#f6f6f3', '#5a3a22', '#6a6a6a'),
  },
  {
    name: 'frame_enclosed_interior',
    hard: 'a picture frame whose mat (inside, enclosed) is within ΔE 3 of the backdrop',
    format: 'jpeg',
    quality: 92,
    aspect: 1,
    backdrop: plain('#e9e9e7'),
    shadow: softShadow(0.52, 0.86, 0.3, 0.03, 0.25),
    product(ctx, w, h, paint) {
      ctx.fillStyle = paint.ink('#5b3a23') as string;
      ctx.fillRect(w * 0.22, h * 0.16, w * 0.56, h * 0.68);
      ctx.fillStyle = paint.ink('#e7e6e2') as string;
      ctx.fillRect(w * 0.27, h * 0.21, w * 0.46, h * 0.58);
      ctx.fillStyle = paint.ink('#7a9cc2') as string;
      ctx.fillRect(w * 0.36, h * 0.31, w * 0.28, h * 0.38);
    },
  },
  {
    name: 'shirt_gradient',
    hard: 'a shirt on a grey gradient backdrop with a light falloff (no single backdrop colour)',
    format: 'jpeg',
    quality: 85,
    aspect: 1.25,
    backdrop: verticalGradient('#dcdcdc', '#9d9d9d'),
    product(ctx, w, h, paint) {
      ctx.fillStyle = paint.truth
        ? '#ffffff'
        : (cylinder(ctx, paint, w * 0.2, w * 0.8, '#b03a2e', 0.2) as string);
      ctx.beginPath();
      ctx.moveTo(w * 0.38, h * 0.16);
      ctx.quadraticCurveTo(w * 0.5, h * 0.22, w * 0.62, h * 0.16);
      ctx.lineTo(w * 0.86, h * 0.27);
      ctx.lineTo(w * 0.78, h * 0.4);
      ctx.lineTo(w * 0.7, h * 0.36);
      ctx.lineTo(w * 0.71, h * 0.82);
      ctx.quadraticCurveTo(w * 0.5, h * 0.85, w * 0.29, h * 0.82);
      ctx.lineTo(w * 0.3, h * 0.36);
      ctx.lineTo(w * 0.22, h * 0.4);
      ctx.lineTo(w * 0.14, h * 0.27);
      ctx.closePath();
      ctx.fill();
      if (!paint.truth) {
        ctx.strokeStyle = 'rgba(60,10,10,0.35)';
        ctx.lineWidth = w * 0.006;
        ctx.beginPath();
        ctx.moveTo(w * 0.45, h * 0.45);
        ctx.quadraticCurveTo(w * 0.5, h * 0.6, w * 0.44, h * 0.78);
        ctx.stroke();
      }
    },
  },
  {
    name: 'sneaker_two_tone',
    hard: 'a two-tone backdrop (wall and floor meet in a hard line behind the product) and a contact shadow',
    format: 'jpeg',
    quality: 85,
    aspect: 1,
    backdrop: twoTone('#e6dccd', '#c8b79f', 0.58),
    shadow: softShadow(0.5, 0.75, 0.36, 0.035, 0.35),
    product(ctx, w, h, paint) {
      ctx.fillStyle = paint.ink('#f4f4f2') as string;
      roundedRect(ctx, w * 0.16, h * 0.66, w * 0.68, h * 0.08, h * 0.03);
      ctx.fillStyle = paint.ink('#2f5fb8') as string;
      ctx.beginPath();
      ctx.moveTo(w * 0.18, h * 0.67);
      ctx.quadraticCurveTo(w * 0.2, h * 0.5, w * 0.36, h * 0.46);
      ctx.lineTo(w * 0.5, h * 0.42);
      ctx.quadraticCurveTo(w * 0.62, h * 0.52, w * 0.8, h * 0.58);
      ctx.quadraticCurveTo(w * 0.85, h * 0.62, w * 0.82, h * 0.67);
      ctx.closePath();
      ctx.fill();
      ctx.fillStyle = paint.ink('#f2f2f0') as string;
      ctx.beginPath();
      ctx.ellipse(w * 0.45, h * 0.57, w * 0.1, h * 0.035, -0.2, 0, Math.PI * 2);
      ctx.fill();
    },
  },
  {
    name: 'mug_soft_shadow',
    hard: 'a long, soft drop shadow beside the product on a white backdrop',
    format: 'jpeg',
    quality: 85,
    aspect: 1,
    backdrop: plain('#fdfdfd'),
    shadow(ctx, w, h) {
      softShadow(0.62, 0.74, 0.3, 0.06, 0.4)(ctx, w, h);
    },
    product(ctx, w, h, paint) {
      ctx.fillStyle = cylinder(ctx, paint, w * 0.3, w * 0.62, '#c0392b', 0.3) as string;
      roundedRect(ctx, w * 0.3, h * 0.34, w * 0.32, h * 0.4, w * 0.03);
      ctx.fillStyle = paint.ink('#a93226') as string;
      ctx.beginPath();
      ctx.ellipse(w * 0.6, h * 0.53, w * 0.11, h * 0.1, 0, -Math.PI / 2, Math.PI / 2);
      ctx.fill();
    },
  },
  {
    name: 'vase_white_on_white',
    hard: 'a white vase on a white backdrop: only its shading separates it',
    format: 'png',
    aspect: 1.25,
    backdrop: plain('#fdfdfd'),
    shadow: softShadow(0.5, 0.83, 0.22, 0.025, 0.18),
    product(ctx, w, h, paint) {
      ctx.fillStyle = cylinder(ctx, paint, w * 0.33, w * 0.67, '#f3f2ef', 0.12) as string;
      ctx.beginPath();
      ctx.moveTo(w * 0.43, h * 0.18);
      ctx.lineTo(w * 0.57, h * 0.18);
      ctx.bezierCurveTo(w * 0.56, h * 0.32, w * 0.72, h * 0.42, w * 0.66, h * 0.62);
      ctx.bezierCurveTo(w * 0.63, h * 0.75, w * 0.6, h * 0.82, w * 0.58, h * 0.83);
      ctx.lineTo(w * 0.42, h * 0.83);
      ctx.bezierCurveTo(w * 0.4, h * 0.82, w * 0.37, h * 0.75, w * 0.34, h * 0.62);
      ctx.bezierCurveTo(w * 0.28, h * 0.42, w * 0.44, h * 0.32, w * 0.43, h * 0.18);
      ctx.closePath();
      ctx.fill();
    },
  },
  {
    name: 'bag_touching_edge',
    hard: 'a tote bag cut off by the bottom and right edges of the frame',
    format: 'jpeg',
    quality: 85,
    aspect: 1,
    backdrop: plain('#e4e4e2'),
    product(ctx, w, h, paint) {
      ctx.fillStyle = cylinder(ctx, paint, w * 0.3, w * 1.1, '#2e6b5e', 0.15) as string;
      ctx.beginPath();
      ctx.moveTo(w * 0.34, h * 0.42);
      ctx.lineTo(w * 1.05, h * 0.42);
      ctx.lineTo(w * 1.05, h * 1.05);
      ctx.lineTo(w * 0.28, h * 1.05);
      ctx.closePath();
      ctx.fill();
      // a flap across the top, darker, with a brass clasp
      ctx.fillStyle = paint.ink('#1f4a41') as string;
      ctx.fillRect(w * 0.33, h * 0.42, w * 0.72, h * 0.14);
      ctx.fillStyle = paint.ink('#c9a44c') as string;
      roundedRect(ctx, w * 0.62, h * 0.53, w * 0.06, h * 0.05, w * 0.01);
    },
  },
  {
    name: 'glass_translucent',
    hard: 'a wine glass: the bowl is translucent and shows the backdrop through it',
    format: 'jpeg',
    quality: 92,
    aspect: 1.25,
    backdrop: verticalGradient('#e8edf2', '#c9d2db'),
    product(ctx, w, h, paint) {
      ctx.fillStyle = paint.truth ? '#ffffff' : 'rgba(150,170,185,0.28)';
      ctx.beginPath();
      ctx.moveTo(w * 0.33, h * 0.16);
      ctx.lineTo(w * 0.67, h * 0.16);
      ctx.bezierCurveTo(w * 0.68, h * 0.36, w * 0.6, h * 0.47, w * 0.52, h * 0.49);
      ctx.lineTo(w * 0.48, h * 0.49);
      ctx.bezierCurveTo(w * 0.4, h * 0.47, w * 0.32, h * 0.36, w * 0.33, h * 0.16);
      ctx.closePath();
      ctx.fill();
      // The rim's line is part of the glass (in the truth too: it lies half outside the fill).
      ctx.strokeStyle = paint.truth ? '#ffffff' : 'rgba(90,110,125,0.7)';
      ctx.lineWidth = w * 0.006;
      ctx.stroke();
      if (!paint.truth) {
        ctx.fillStyle = 'rgba(255,255,255,0.7)';
        ctx.fillRect(w * 0.38, h * 0.2, w * 0.015, h * 0.16);
        ctx.fillStyle = 'rgba(110,20,40,0.85)';
        ctx.beginPath();
        ctx.moveTo(w * 0.345, h * 0.3);
        ctx.lineTo(w * 0.655, h * 0.3);
        ctx.bezierCurveTo(w * 0.64, h * 0.4, w * 0.58, h * 0.47, w * 0.52, h * 0.485);
        ctx.lineTo(w * 0.48, h * 0.485);
        ctx.bezierCurveTo(w * 0.42, h * 0.47, w * 0.36, h * 0.4, w * 0.345, h * 0.3);
        ctx.fill();
      }
      ctx.fillStyle = paint.truth ? '#ffffff' : 'rgba(120,140,155,0.75)';
      ctx.fillRect(w * 0.488, h * 0.49, w * 0.024, h * 0.3);
      ctx.beginPath();
      ctx.ellipse(w * 0.5, h * 0.8, w * 0.13, h * 0.018, 0, 0, Math.PI * 2);
      ctx.fill();
    },
  },
  {
    name: 'jar_lid_seam',
    hard: 'a cosmetic jar whose lid and body meet in a light seam the width of the jar',
    format: 'jpeg',
    quality: 85,
    aspect: 1,
    backdrop: plain('#fafafa'),
    shadow: softShadow(0.5, 0.745, 0.24, 0.025, 0.25),
    product(ctx, w, h, paint) {
      ctx.fillStyle = cylinder(ctx, paint, w * 0.28, w * 0.72, '#d9a48f', 0.2) as string;
      roundedRect(ctx, w * 0.28, h * 0.32, w * 0.44, h * 0.13, w * 0.02);
      ctx.fillStyle = cylinder(ctx, paint, w * 0.29, w * 0.71, '#f7f5f1', 0.03) as string;
      ctx.fillRect(w * 0.29, h * 0.45, w * 0.42, h * 0.012);
      ctx.fillStyle = cylinder(ctx, paint, w * 0.29, w * 0.71, '#eac9c0', 0.15) as string;
      roundedRect(ctx, w * 0.29, h * 0.462, w * 0.42, h * 0.28, w * 0.02);
    },
  },
  {
    name: 'shoe_on_colour',
    hard: 'the easy case: an orange shoe on a plain teal backdrop',
    format: 'jpeg',
    quality: 85,
    aspect: 1,
    backdrop: plain('#2f8f8a'),
    product(ctx, w, h, paint) {
      ctx.fillStyle = paint.ink('#f39c3d') as string;
      ctx.beginPath();
      ctx.moveTo(w * 0.15, h * 0.62);
      ctx.quadraticCurveTo(w * 0.2, h * 0.42, w * 0.4, h * 0.4);
      ctx.quadraticCurveTo(w * 0.6, h * 0.5, w * 0.85, h * 0.56);
      ctx.lineTo(w * 0.86, h * 0.64);
      ctx.closePath();
      ctx.fill();
      ctx.fillStyle = paint.ink('#fbeee0') as string;
      ctx.fillRect(w * 0.15, h * 0.62, w * 0.71, h * 0.04);
    },
  },
];
