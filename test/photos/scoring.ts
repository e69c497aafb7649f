import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { connectedPieces } from '../../src/imaging/mask-ops.ts';

/** Scoring a cut-out against the truth: intersection over union, and how many pieces it is in. */

export interface MaskScore {
  iou: number;
  /** 8-connected pieces of the kept pixels (alpha ≥ 128): 1 for a whole product. */
  pieces: number;
}

/** `kept` and `truth`: one byte per pixel, ≥ 128 meaning product. */
export function scoreMask(kept: Uint8Array, truth: Uint8Array, width: number, height: number): MaskScore {
  let [both, either] = [0, 0];
  const binary = new Uint8Array(kept.length);
  for (let index = 0; index < kept.length; index += 1) {
    const a = kept[index]! >= 128;
    const b = truth[index]! >= 128;
    if (a) binary[index] = 255;
    if (a && b) both += 1;
    if (a || b) either += 1;
  }
  return {
    iou: either === 0 ? 1 : both / either,
    pieces: connectedPieces(binary, width, height).sizes.length - 1,
  };
}

export const PHOTO_SET_DIR = join(import.meta.dirname, 'set');

export interface StoredPhoto {
  name: string;
  hard: string;
  bytes: Uint8Array;
  truth: Uint8Array;
  width: number;
  height: number;
}

/** The committed set (see make-photo-set.ts), photos as stored and truths decoded. */
export async function loadPhotoSet(): Promise<StoredPhoto[]> {
  const manifest = JSON.parse(readFileSync(join(PHOTO_SET_DIR, 'manifest.json'), 'utf8')) as Array<{
    name: string;
    photo: string;
    mask: string;
    hard: string;
  }>;
  return Promise.all(
    manifest.map(async (item) => {
      const { data, info } = await sharp(readFileSync(join(PHOTO_SET_DIR, item.mask)))
        .extractChannel(0)
        .raw()
        .toBuffer({ resolveWithObject: true });
      return {
        name: item.name,
        hard: item.hard,
        bytes: new Uint8Array(readFileSync(join(PHOTO_SET_DIR, item.photo))),
        truth: new Uint8Array(data),
        width: info.width,
        height: info.height,
      };
    }),
  );
}

/** Decoded RGBA pixels of a photo, upright. */
export async function decodeRgba(bytes: Uint8Array) {
  const { data, info } = await sharp(bytes)
    .rotate()
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgba: new Uint8Array(data), width: info.width, height: info.height };
}
