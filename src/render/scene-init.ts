import { type Canvas, createCanvas } from '@napi-rs/canvas';
import type { ImageLayer, Layer, ProductLayer } from '../domain/layout.ts';
import { encodeRgbaAsPng, encodeRgbaWithAlphaAsPng } from '../imaging/image.processor.ts';
import { chooseCandidates } from './candidates.ts';
import { resolveColor, toCss } from './colors.ts';
import { designOf } from './design.ts';
import { paintImage } from './image-layer.ts';
import { type PixelBox, toPixels } from './layer-painters.ts';
import { isProductPhoto, type RenderLayoutInput } from './layout-renderer.ts';
import { cutOut, placedPixels, productPlacement } from './picture-layers.ts';

// The starting point of a background an image model paints AROUND the real product (issue 12):
// the layout is laid out first, so the product's final rectangle is known before the model runs.

export interface SceneInit {
  /** Opaque PNG of the canvas size: the cut-out product at its final place on the brand's background colour. */
  image: Uint8Array;
  /**
   * PNG of the same size in OpenAI's edit convention: opaque on the product (keep), fully
   * transparent everywhere else (the model paints there).
   */
  mask: Uint8Array;
  /** The whole pixels the product is drawn on. */
  product: PixelBox;
  /** The design laid out; the studio must draw this one so the product lands where the model left it. */
  design: { composition: string; arrangement: number };
}

/**
 * Only fully opaque product pixels are kept: the soft edge of the cut-out is left to the model, so
 * the product's edge, drawn again on top, blends into the scene rather than into the init canvas.
 */
const KEEP_ALPHA = 255;

/**
 * Lays out the design the studio would draw first and builds the init image and mask for a masked
 * edit. Null when the layout shows no product photo, or when the photo could not be cut out (it is
 * then shown framed, and a prompt-only background serves as well).
 */
export async function sceneInit(input: RenderLayoutInput): Promise<SceneInit | null> {
  const [chosen] = chooseCandidates(input, 1);
  if (!chosen) return null;
  const layer = chosen.input.layout.layers.find(isStagedProduct);
  if (!layer) return null;
  const bytes = input.images[layer.param];
  if (!bytes || bytes.length === 0) return null;
  const product = await cutOut(bytes, layer.param, input.mattingModel);
  if (!product.cutout.cut) return null;
  const { width, height } = input;
  const placed = productPlacement(product.decoded, toPixels(layer.box, { width, height }));
  if (!placed) return null;
  const pixels = placedPixels(placed.target);
  const drawProduct = (canvas: Canvas) =>
    paintImage(
      canvas.getContext('2d'),
      { type: 'image', param: layer.param, box: layer.box, fit: 'contain', shadow: false },
      product.decoded,
      pixels,
      0,
      () => 0.5,
    );

  const init = createCanvas(width, height);
  const initCtx = init.getContext('2d');
  initCtx.fillStyle = toCss(resolveColor('background', designOf(chosen.input).palette));
  initCtx.fillRect(0, 0, width, height);
  drawProduct(init);

  const silhouette = createCanvas(width, height);
  drawProduct(silhouette);
  const alpha = silhouette.getContext('2d').getImageData(0, 0, width, height).data;
  const mask = new Uint8Array(width * height * 4);
  for (let index = 3; index < mask.length; index += 4) mask[index] = alpha[index]! >= KEEP_ALPHA ? 255 : 0;

  const { data } = initCtx.getImageData(0, 0, width, height);
  return {
    image: await encodeRgbaAsPng(
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width,
      height,
    ),
    mask: await encodeRgbaWithAlphaAsPng(mask, width, height),
    product: pixels,
    design: { composition: chosen.composition, arrangement: chosen.arrangement },
  };
}

function isStagedProduct(layer: Layer): layer is ProductLayer | ImageLayer {
  return layer.type === 'product' || (layer.type === 'image' && isProductPhoto(layer));
}
