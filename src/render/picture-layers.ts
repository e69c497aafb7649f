import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { ImageLayer, LogoLayer, ProductLayer } from '../domain/layout.ts';
import { type CutoutResult, cutOutProduct } from '../imaging/cutout.ts';
import { mattingRemover } from '../imaging/onnx-matting.ts';
import { type DecodedImage, decodeImage, paintImage, type ShadowStyle } from './image-layer.ts';
import type { PixelBox } from './layer-painters.ts';

// Product and logo layers: the cut-out product standing in its box, the brand logo fitted.

// Cut-outs are kept per byte array, like decoded images: several seeds of one call cut once.
const cutouts = new WeakMap<Uint8Array, Promise<{ cutout: CutoutResult; decoded: DecodedImage }>>();

export function cutOut(bytes: Uint8Array, param: string, mattingModel?: string) {
  let found = cutouts.get(bytes);
  if (!found) {
    const removing = mattingModel
      ? mattingRemover(mattingModel).then((remover) => remover.removeBackground(bytes))
      : cutOutProduct(bytes);
    found = removing.then(async (cutout) => ({
      cutout,
      decoded: await decodeImage(cutout.png, param),
    }));
    cutouts.set(bytes, found);
  }
  return found;
}

/** The product stands on the bottom of its box, centered, with a contact shadow under it. */
export function paintProduct(
  ctx: SKRSContext2D,
  layer: ProductLayer,
  product: DecodedImage,
  box: PixelBox,
  random: () => number,
  shadowStyle: ShadowStyle = 'soft',
): number | null {
  const placed = productPlacement(product, box);
  if (!placed) return null;
  const { scale, target } = placed;
  const { w, h } = target;
  if (layer.shadow && shadowStyle === 'soft') {
    const [cx, cy, rx] = [target.x + w / 2, target.y + h, w * 0.46];
    ctx.save();
    ctx.translate(cx, cy);
    ctx.scale(1, 0.12);
    const contact = ctx.createRadialGradient(0, 0, 0, 0, 0, rx);
    contact.addColorStop(0, 'rgba(0, 0, 0, 0.28)');
    contact.addColorStop(1, 'rgba(0, 0, 0, 0)');
    ctx.fillStyle = contact;
    ctx.fillRect(-rx, -rx, rx * 2, rx * 2);
    ctx.restore();
  }
  if (layer.reflection) paintReflection(ctx, product, target);
  const pixels = placedPixels(target);
  const sprite = productSprite(product, layer, pixels.w, pixels.h, random, shadowStyle);
  ctx.drawImage(sprite.canvas, pixels.x - sprite.pad, pixels.y - sprite.pad);
  return scale;
}

/**
 * Where a cut-out product stands in its box: scaled to fit, centered, on the box's bottom. Shared
 * by the renderer and the init image of a background generated around the product, so the product
 * the studio draws covers exactly the pixels the model was told to keep.
 */
export function productPlacement(
  product: DecodedImage,
  box: PixelBox,
): { scale: number; target: PixelBox } | null {
  const { width, height } = product.image;
  if (width === 0 || height === 0) return null;
  const scale = Math.min(box.w / width, box.h / height);
  const [w, h] = [width * scale, height * scale];
  return { scale, target: { x: box.x + (box.w - w) / 2, y: box.y + box.h - h, w, h } };
}

/** The whole pixels a placed product is drawn on (the sprite is drawn at integer positions). */
export function placedPixels(target: PixelBox): PixelBox {
  return {
    x: Math.round(target.x),
    y: Math.round(target.y),
    w: Math.round(target.w),
    h: Math.round(target.h),
  };
}

/** The product mirrored below its base, fading out over a third of its height, as on a glossy floor. */
function paintReflection(ctx: SKRSContext2D, product: DecodedImage, target: PixelBox) {
  const depth = Math.max(1, Math.round(target.h * 0.35));
  const mirror = createCanvas(Math.max(1, Math.round(target.w)), depth);
  const mirrorCtx = mirror.getContext('2d');
  mirrorCtx.save();
  mirrorCtx.translate(0, target.h);
  mirrorCtx.scale(1, -1);
  mirrorCtx.drawImage(product.image, 0, 0, target.w, target.h);
  mirrorCtx.restore();
  mirrorCtx.globalCompositeOperation = 'destination-in';
  const fade = mirrorCtx.createLinearGradient(0, 0, 0, depth);
  fade.addColorStop(0, 'rgba(0, 0, 0, 0.28)');
  fade.addColorStop(1, 'rgba(0, 0, 0, 0)');
  mirrorCtx.fillStyle = fade;
  mirrorCtx.fillRect(0, 0, mirror.width, depth);
  ctx.drawImage(mirror, Math.round(target.x), Math.round(target.y + target.h));
}

// The product scaled to its size with its soft shadow, kept per decoded photo and size: a batch
// renders one product in many variants, and a 1:1 copy costs a fraction of resampling the photo
// and blurring its shadow again.
const sprites = new WeakMap<DecodedImage, Map<string, { canvas: Canvas; pad: number }>>();
const SPRITES_PER_PRODUCT = 8;

function productSprite(
  product: DecodedImage,
  layer: ProductLayer,
  w: number,
  h: number,
  random: () => number,
  shadowStyle: ShadowStyle,
) {
  let bySize = sprites.get(product);
  if (!bySize) {
    bySize = new Map();
    sprites.set(product, bySize);
  }
  const key = `${w}x${h}:${layer.shadow}:${shadowStyle}`;
  let sprite = bySize.get(key);
  if (!sprite) {
    // Room for the shadow: blur reach (2 × 6%) plus its offset (2.5%) of the shorter side.
    const pad = Math.ceil(Math.min(w, h) * 0.15) + 2;
    const canvas = createCanvas(w + 2 * pad, h + 2 * pad);
    const asImage: ImageLayer = {
      type: 'image',
      param: layer.param,
      box: layer.box,
      fit: 'contain',
      shadow: layer.shadow,
    };
    paintImage(canvas.getContext('2d'), asImage, product, { x: pad, y: pad, w, h }, 0, random, shadowStyle);
    sprite = { canvas, pad };
    if (bySize.size >= SPRITES_PER_PRODUCT) bySize.clear();
    bySize.set(key, sprite);
  }
  return sprite;
}

/**
 * The uncut photo as a framed print: a white mat, a hairline, a soft shadow — a deliberate design
 * choice when the cut-out could not be trusted, rather than a product with pieces missing.
 */
export function paintFramedPhoto(ctx: SKRSContext2D, photo: DecodedImage, box: PixelBox): number | null {
  const { width, height } = photo.image;
  if (width === 0 || height === 0) return null;
  const mat = Math.max(4, Math.round(Math.min(box.w, box.h) * 0.035));
  const scale = Math.min((box.w - 2 * mat) / width, (box.h - 2 * mat) / height);
  const [w, h] = [width * scale, height * scale];
  const frame = {
    x: box.x + (box.w - w) / 2 - mat,
    y: box.y + (box.h - h) / 2 - mat,
    w: w + 2 * mat,
    h: h + 2 * mat,
  };
  ctx.save();
  ctx.shadowColor = 'rgba(0, 0, 0, 0.22)';
  ctx.shadowBlur = mat * 2.5;
  ctx.shadowOffsetY = mat * 0.8;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(frame.x, frame.y, frame.w, frame.h);
  ctx.restore();
  ctx.save();
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(photo.image, frame.x + mat, frame.y + mat, w, h);
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.12)';
  ctx.lineWidth = 1;
  ctx.strokeRect(frame.x + 0.5, frame.y + 0.5, frame.w - 1, frame.h - 1);
  ctx.restore();
  return scale;
}

export function paintLogo(ctx: SKRSContext2D, layer: LogoLayer, logo: DecodedImage, box: PixelBox) {
  const { width, height } = logo.image;
  if (width === 0 || height === 0) return;
  const scale = Math.min(box.w / width, box.h / height);
  const [w, h] = [width * scale, height * scale];
  const x =
    layer.align === 'left' ? box.x : layer.align === 'right' ? box.x + box.w - w : box.x + (box.w - w) / 2;
  ctx.save();
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(logo.image, x, box.y + (box.h - h) / 2, w, h);
  ctx.restore();
}
