import sharp from 'sharp';
import { findProductMask, type PhotoIntake } from './cutout.ts';

/** The photo is analysed at this size (longer side): the outline and pieces, not the details. */
const ANALYSIS_SIDE = 384;

/**
 * What a product photo is like before an image model works from it (image-to-image, edits): its
 * size (EXIF orientation applied), whether it already has transparency, how much of the product's
 * outline lies on the photo's edge and how many other objects it shows — the facts behind the
 * intake warnings the studio engine gives for its own cut-outs.
 */
export async function inspectProductPhoto(bytes: Uint8Array): Promise<PhotoIntake> {
  const image = sharp(bytes).rotate();
  const { data, info } = await image
    .clone()
    .resize(ANALYSIS_SIDE, ANALYSIS_SIDE, { fit: 'inside', withoutEnlargement: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const meta = await sharp(bytes).metadata();
  // EXIF orientations 5–8 turn the picture a quarter: width and height swap.
  const turned = (meta.orientation ?? 1) >= 5;
  const width = (turned ? meta.height : meta.width) ?? info.width;
  const height = (turned ? meta.width : meta.height) ?? info.height;
  const rgba = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let transparent = 0;
  for (let at = 3; at < rgba.length; at += 4) if (rgba[at]! < 250) transparent += 1;
  if (transparent > (info.width * info.height) / 100) {
    return { width, height, touchesFrame: 0, otherObjects: 0, alreadyTransparent: true };
  }
  const found = findProductMask(rgba, info.width, info.height);
  return {
    width,
    height,
    touchesFrame: found.touchesFrame,
    otherObjects: found.otherObjects,
    alreadyTransparent: false,
  };
}
