import sharp, { type Metadata } from 'sharp';
import { AppError } from '../domain/errors.ts';
import type { ImageCheck } from '../domain/quality.ts';
import type { ImageFormat } from '../domain/template.ts';

/**
 * All pixel work that is not layout: inspecting, checking, converting and resizing images.
 * The only module that imports sharp (libvips), so its limits and settings live in one place.
 */

// Decoded images are not worth caching across requests: every job's pixels are new. libvips'
// operation cache off keeps its memory flat under batch load (it held up to 64 MB a process).
sharp.cache(false);

export interface ImageInfo {
  format: ImageFormat | 'gif' | 'avif' | 'tiff' | 'svg' | 'heif';
  width: number;
  height: number;
}

const KNOWN_FORMATS = new Set(['png', 'jpeg', 'webp', 'gif', 'avif', 'tiff', 'svg', 'heif']);

/** Reads only the header: format and size. Refuses images over `maxPixels` before any decoding. */
export async function inspectImage(bytes: Uint8Array, maxPixels: number): Promise<ImageInfo> {
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes).metadata();
  } catch {
    throw new AppError(
      'image_invalid',
      'The file is not an image Vitrine can read (PNG, JPEG, WebP, GIF, AVIF)',
    );
  }
  const format: string | undefined = metadata.format === ('jpg' as string) ? 'jpeg' : metadata.format;
  if (!format || !KNOWN_FORMATS.has(format) || !metadata.width || !metadata.height) {
    throw new AppError(
      'image_invalid',
      'The file is not an image Vitrine can read (PNG, JPEG, WebP, GIF, AVIF)',
    );
  }
  if (metadata.width * metadata.height > maxPixels) {
    throw new AppError(
      'image_invalid',
      `The image is ${metadata.width}×${metadata.height} pixels; the limit is ${maxPixels} pixels`,
      { details: { width: metadata.width, height: metadata.height, max_pixels: maxPixels } },
    );
  }
  return { format: format as ImageInfo['format'], width: metadata.width, height: metadata.height };
}

/** The formats Vitrine takes from users, as uploads and as image URLs alike. */
export const ACCEPTED_INPUT_FORMATS: ReadonlySet<string> = new Set(['png', 'jpeg', 'webp']);

/**
 * Checks a user-given image before it is accepted: a format of `ACCEPTED_INPUT_FORMATS`, within
 * `maxPixels` (read from the header, before decoding), and decoding in full (bounded by the same
 * limit) — so a half file, or a header that claims 6000² over 16² of data, is refused now rather
 * than failing a render later.
 */
export async function checkInputImage(bytes: Uint8Array, maxPixels: number): Promise<ImageInfo> {
  const info = await checkInputFormat(bytes, maxPixels);
  try {
    // A small thumbnail still decodes every byte (JPEG shrink-on-load reads all scanlines), and
    // libvips' default failOn ('warning') turns truncated or corrupt data into an error.
    await sharp(bytes, { limitInputPixels: maxPixels }).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
  } catch {
    throw new AppError('image_invalid', 'The image is damaged or incomplete: it does not decode');
  }
  return info;
}

/** The header half of `checkInputImage`: an accepted format within the pixel limit. */
async function checkInputFormat(bytes: Uint8Array, maxPixels: number): Promise<ImageInfo> {
  const info = await inspectImage(bytes, maxPixels);
  if (!ACCEPTED_INPUT_FORMATS.has(info.format)) {
    throw new AppError(
      'image_invalid',
      `Use a PNG, JPEG or WebP image; this one is ${info.format.toUpperCase()}`,
      { details: { format: info.format } },
    );
  }
  return info;
}

/**
 * Makes a user-given image safe and cheap to draw: within the pixel limit, EXIF orientation applied,
 * sRGB, at most `maxSide` on its longer side, as PNG (alpha kept for cut-out products).
 */
export async function normalizeInputImage(
  bytes: Uint8Array,
  options: { maxPixels: number; maxSide: number },
): Promise<Uint8Array> {
  // Decoding below fails on damaged data (libvips' default failOn), so the header check is enough.
  await checkInputFormat(bytes, options.maxPixels);
  try {
    return await sharp(bytes, { limitInputPixels: options.maxPixels })
      .rotate()
      .resize({ width: options.maxSide, height: options.maxSide, fit: 'inside', withoutEnlargement: true })
      .toColorspace('srgb')
      .png({ compressionLevel: 3 })
      .toBuffer();
  } catch {
    throw new AppError('image_invalid', 'The image could not be decoded');
  }
}

/**
 * The checks every generated image passes before it is stored: it decodes, has exactly the asked
 * size, and is not one flat color (a blank or failed render).
 */
export async function checkGeneratedImage(
  bytes: Uint8Array,
  expected: { width: number; height: number },
): Promise<ImageCheck> {
  const problems: string[] = [];
  let metadata: Metadata;
  let thumbnail: Buffer;
  try {
    const image = sharp(bytes, { limitInputPixels: expected.width * expected.height * 4 + 1 });
    metadata = await image.metadata();
    // A small thumbnail decodes the whole image (so a corrupt file fails here) but keeps the
    // flatness test cheap; sharp's full stats() (entropy, sharpness) costs more than the render.
    thumbnail = await image
      .resize(UNIFORMITY_SAMPLE, UNIFORMITY_SAMPLE, { fit: 'fill' })
      .removeAlpha()
      .raw()
      .toBuffer();
  } catch {
    return { ok: false, width: 0, height: 0, format: null, problems: ['the image does not decode'] };
  }
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  const format = toImageFormat(metadata.format);
  if (width !== expected.width || height !== expected.height) {
    problems.push(`the image is ${width}×${height}, not the asked ${expected.width}×${expected.height}`);
  }
  if (isUniform(thumbnail, 3)) problems.push('the image is one uniform color');
  return { ok: problems.length === 0, width, height, format, problems };
}

const UNIFORMITY_SAMPLE = 128;

/**
 * True when every RGB channel of the pixels (`channels` bytes each, RGB first) has a standard
 * deviation under 1.5 levels.
 */
export function isUniform(pixels: Uint8Array, channels: 3 | 4): boolean {
  for (let channel = 0; channel < 3; channel++) {
    let sum = 0;
    let sumOfSquares = 0;
    let count = 0;
    for (let index = channel; index < pixels.length; index += channels) {
      const value = pixels[index]!;
      sum += value;
      sumOfSquares += value * value;
      count++;
    }
    const mean = sum / count;
    if (Math.sqrt(Math.max(0, sumOfSquares / count - mean * mean)) >= 1.5) return false;
  }
  return true;
}

/**
 * Encodes opaque RGBA pixels (a rendered canvas) as RGB PNG on libvips' threads: a tenth of the
 * event-loop time of filtering in JavaScript, and half the CPU, for files about 5% larger.
 */
export async function encodeRgbaAsPng(rgba: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  return sharp(rgba, { raw: { width, height, channels: 4 } })
    .removeAlpha()
    .png({ compressionLevel: 3, adaptiveFiltering: false })
    .toBuffer();
}

/** Encodes RGBA pixels as a PNG that keeps its alpha channel (edit masks, cut-outs). */
export async function encodeRgbaWithAlphaAsPng(
  rgba: Uint8Array,
  width: number,
  height: number,
): Promise<Uint8Array> {
  const png = await sharp(rgba, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
  return new Uint8Array(png);
}

/**
 * Encodes opaque RGBA pixels as JPEG or WebP through libvips (libjpeg-turbo, libwebp) off the JS
 * thread: Skia's encoder took ~55 ms for a 1080×1920 JPEG, libjpeg-turbo about a quarter of that.
 * The output carries no metadata; the pixels are sRGB as drawn.
 */
export async function encodeRgbaAsLossy(
  rgba: Uint8Array,
  width: number,
  height: number,
  format: 'jpeg' | 'webp',
  quality: number,
): Promise<Uint8Array> {
  const pipeline = sharp(rgba, { raw: { width, height, channels: 4 } }).removeAlpha();
  const encoded =
    format === 'jpeg'
      ? // Huffman optimisation saves ~5% of bytes for ~50% more encode time: not worth it here.
        pipeline.jpeg({ quality, mozjpeg: false, optimiseCoding: false, chromaSubsampling: '4:2:0' })
      : pipeline.webp({ quality, effort: 2 });
  return encoded.toBuffer();
}

/** Converts (and optionally resizes) an image; metadata is stripped and the output is sRGB. */
export async function convertImage(
  bytes: Uint8Array,
  options: { format: ImageFormat | 'avif'; width?: number; height?: number; fit?: 'cover' | 'inside' },
): Promise<Uint8Array> {
  let pipeline = sharp(bytes).toColorspace('srgb');
  if (options.width || options.height) {
    pipeline = pipeline.resize({
      width: options.width,
      height: options.height,
      fit: options.fit ?? 'inside',
      withoutEnlargement: options.fit !== 'cover',
    });
  }
  switch (options.format) {
    case 'png':
      return pipeline.png({ compressionLevel: 6 }).toBuffer();
    case 'jpeg':
      return pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 88, mozjpeg: false }).toBuffer();
    case 'webp':
      return pipeline.webp({ quality: 86 }).toBuffer();
    case 'avif':
      return pipeline.avif({ quality: 60, effort: 3 }).toBuffer();
  }
}

export function mediaTypeOf(format: string): string {
  return format === 'jpeg' ? 'image/jpeg' : `image/${format}`;
}

function toImageFormat(format: string | undefined): ImageFormat | null {
  if (format === 'png' || format === 'webp') return format;
  if (format === 'jpeg' || format === 'jpg') return 'jpeg';
  return null;
}
