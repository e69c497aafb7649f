import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PHOTO_CASES, renderPhotoCase } from '../test/photos/photo-set.ts';

/**
 * Writes examples/shirt.jpg, the README poster example's product photo: the photo set's shirt on a
 * grey gradient backdrop with a light falloff (test/photos/photo-set.ts), drawn at 1200 px wide so
 * it is not enlarged on a 1080×1920 poster. `node examples/make-shirt.ts`
 */
const shirt = PHOTO_CASES.find((photoCase) => photoCase.name === 'shirt_gradient');
if (!shirt) throw new Error('the photo set has no shirt_gradient case');
const out = join(import.meta.dirname, 'shirt.jpg');
writeFileSync(out, renderPhotoCase(shirt, 1200).bytes);
console.log(`wrote ${out}`);
