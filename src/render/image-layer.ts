import { createCanvas, type Image, loadImage, type SKRSContext2D } from '@napi-rs/canvas';
import { AppError } from '../domain/errors.ts';
import type { ImageLayer } from '../domain/layout.ts';
import { between, type PixelBox } from './layer-painters.ts';

// Image layers: decoding product photos and placing them (contain/cover, soft shadow).

export interface DecodedImage {
  image: Image;
  /** Whether the image has transparent pixels (a cut-out product) rather than a full photo. */
  hasTransparency: boolean;
}

// Keyed by the byte array, so a call rendering several seeds decodes each image once.
const decodedImages = new WeakMap<Uint8Array, Promise<DecodedImage>>();

export function decodeImage(bytes: Uint8Array, param: string): Promise<DecodedImage> {
  let decoded = decodedImages.get(bytes);
  if (!decoded) {
    decoded = loadImage(bytes).then(
      (image) => ({ image, hasTransparency: detectTransparency(image) }),
      (error: unknown) => {
        throw new AppError('image_invalid', `The image given for '${param}' could not be decoded`, {
          cause: error,
        });
      },
    );
    decodedImages.set(bytes, decoded);
  }
  return decoded;
}

function detectTransparency(image: Image): boolean {
  const probe = createCanvas(24, 24).getContext('2d');
  probe.drawImage(image, 0, 0, 24, 24);
  const { data } = probe.getImageData(0, 0, 24, 24);
  for (let index = 3; index < data.length; index += 4) if (data[index]! < 250) return true;
  return false;
}

/**
 * Draws an image into its box. With `shadow`, a cut-out (transparent) product gets a shadow that
 * follows its outline and an opaque photo becomes a rounded card, like a product tile. Without it
 * the image is placed flat with square corners, as a full-bleed backdrop photo wants.
 */
export function paintImage(
  ctx: SKRSContext2D,
  layer: ImageLayer,
  decoded: DecodedImage,
  box: PixelBox,
  radius: number,
  random: () => number,
  shadowStyle: ShadowStyle = 'soft',
) {
  const { image, hasTransparency } = decoded;
  const [imageWidth, imageHeight] = [image.width, image.height];
  if (imageWidth === 0 || imageHeight === 0) return;
  let source = { x: 0, y: 0, w: imageWidth, h: imageHeight };
  let target: PixelBox;
  if (layer.fit === 'cover') {
    const scale = Math.max(box.w / imageWidth, box.h / imageHeight);
    const [w, h] = [box.w / scale, box.h / scale];
    // The seed slides the crop within part of the slack, so a cropped photo varies per seed too.
    const jitter = () => between(random, 0.35, 0.65);
    source = { x: (imageWidth - w) * jitter(), y: (imageHeight - h) * jitter(), w, h };
    target = box;
  } else {
    const scale = Math.min(box.w / imageWidth, box.h / imageHeight);
    const [w, h] = [imageWidth * scale, imageHeight * scale];
    target = { x: box.x + (box.w - w) / 2, y: box.y + (box.h - h) / 2, w, h };
  }
  const cutout = hasTransparency && layer.fit === 'contain';
  const corner = cutout || !layer.shadow ? 0 : Math.min(radius, target.w / 2, target.h / 2);
  const draw = (into: SKRSContext2D, x: number, y: number, w: number, h: number) => {
    if (cutout) {
      into.drawImage(image, source.x, source.y, source.w, source.h, x, y, w, h);
    } else {
      into.beginPath();
      into.roundRect(x, y, w, h, (corner * w) / target.w);
      into.fill();
    }
  };
  if (layer.shadow) paintSoftShadow(ctx, target, draw, shadowStyle);
  ctx.save();
  ctx.imageSmoothingQuality = 'high';
  if (!cutout) {
    ctx.beginPath();
    ctx.roundRect(target.x, target.y, target.w, target.h, corner);
    ctx.clip();
  }
  ctx.drawImage(image, source.x, source.y, source.w, source.h, target.x, target.y, target.w, target.h);
  ctx.restore();
}

const SHADOW_DOWNSCALE = 4;

/** `soft`: wide and light, below; `crisp`: a sticker's hard offset shadow (the cute pack). */
export type ShadowStyle = 'soft' | 'crisp';

/**
 * A soft drop shadow under a shape (a cut-out's outline, or a card), blurred at a quarter of the
 * size and scaled up: a full-size blur of a large product costs ~15 ms, this under 2 ms, and a
 * shadow this soft looks the same. Only the shadow is kept: the shape is drawn off the small
 * canvas and its shadow offset back into view.
 */
function paintSoftShadow(
  ctx: SKRSContext2D,
  target: PixelBox,
  draw: (into: SKRSContext2D, x: number, y: number, w: number, h: number) => void,
  style: ShadowStyle,
) {
  const size = Math.min(target.w, target.h);
  const crisp = style === 'crisp';
  const [blur, offsetY] = crisp ? [size * 0.008, size * 0.03] : [size * 0.06, size * 0.025];
  const offsetX = crisp ? size * 0.03 : 0;
  const pad = blur * 2 + offsetY + offsetX;
  const small = createCanvas(
    Math.ceil((target.w + 2 * pad) / SHADOW_DOWNSCALE),
    Math.ceil((target.h + 2 * pad) / SHADOW_DOWNSCALE),
  );
  const smallCtx = small.getContext('2d');
  const away = small.width + 8;
  smallCtx.shadowColor = crisp ? 'rgba(0, 0, 0, 0.18)' : 'rgba(0, 0, 0, 0.22)';
  smallCtx.shadowBlur = blur / SHADOW_DOWNSCALE;
  smallCtx.shadowOffsetX = away + offsetX / SHADOW_DOWNSCALE;
  smallCtx.shadowOffsetY = offsetY / SHADOW_DOWNSCALE;
  smallCtx.fillStyle = '#000000';
  const inset = pad / SHADOW_DOWNSCALE;
  draw(smallCtx, inset - away, inset, target.w / SHADOW_DOWNSCALE, target.h / SHADOW_DOWNSCALE);
  ctx.save();
  ctx.imageSmoothingQuality = 'low';
  ctx.drawImage(
    small,
    target.x - pad,
    target.y - pad,
    small.width * SHADOW_DOWNSCALE,
    small.height * SHADOW_DOWNSCALE,
  );
  ctx.restore();
}
