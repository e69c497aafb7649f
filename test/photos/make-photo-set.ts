import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { PHOTO_CASES, renderPhotoCase } from './photo-set.ts';

/**
 * Writes the product-photo test set into test/photos/set: each case's photo (PNG or JPEG, 480 px
 * wide) and its truth mask (`<name>.mask.png`, white = product), plus `manifest.json`.
 * Deterministic: running it again rewrites identical files. `node test/photos/make-photo-set.ts`
 */
export const PHOTO_SET_WIDTH = 480;
const OUT = join(import.meta.dirname, 'set');

if (import.meta.main) {
  mkdirSync(OUT, { recursive: true });
  const manifest = PHOTO_CASES.map((photoCase) => {
    const photo = renderPhotoCase(photoCase, PHOTO_SET_WIDTH);
    const file = `${photoCase.name}.${photoCase.format === 'png' ? 'png' : 'jpg'}`;
    writeFileSync(join(OUT, file), photo.bytes);
    const mask = createCanvas(photo.width, photo.height);
    const ctx = mask.getContext('2d');
    const pixels = ctx.createImageData(photo.width, photo.height);
    for (let index = 0; index < photo.truth.length; index += 1) {
      const value = photo.truth[index]!;
      pixels.data.set([value, value, value, 255], index * 4);
    }
    ctx.putImageData(pixels, 0, 0);
    writeFileSync(join(OUT, `${photoCase.name}.mask.png`), mask.toBuffer('image/png'));
    return { name: photoCase.name, photo: file, mask: `${photoCase.name}.mask.png`, hard: photoCase.hard };
  });
  writeFileSync(join(OUT, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`${manifest.length} photos written to ${OUT}`);
}
