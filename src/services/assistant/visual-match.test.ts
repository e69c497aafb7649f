import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCatalog, shopperPhoto } from '../../../bench/assistant/eval-set.ts';
import { judgeSameItem, SAME_ITEM_THRESHOLDS } from '../../domain/same-item.ts';
import { OrbIndex } from '../../vision/orb-index.ts';
import { compareSignatures, signatureOf } from './visual-match.ts';

// Designs 1 and 9 are both T-shirts (the silhouettes cycle every 8): the hardest negative.
const catalog = buildCatalog(9, 2);
const tee = catalog.find((entry) => entry.design.id === 1)!;
const teeOtherColour = catalog.find((entry) => entry.design.id === 1 && entry.sku !== tee.sku)!;
const otherTee = catalog.find((entry) => entry.design.id === 9)!;

test('a shopper photo (tilted, busy background, JPEG) against the same item, its other colourway and another tee', async () => {
  const photo = await signatureOf((await shopperPhoto(tee, 'busy', 7)).bytes, 'photo');
  const same = await compareSignatures(await signatureOf(tee.image, 'catalog'), photo);
  const recoloured = await compareSignatures(await signatureOf(teeOtherColour.image, 'catalog'), photo);
  const other = await compareSignatures(await signatureOf(otherTee.image, 'catalog'), photo);
  assert.ok(same.inliers >= 3 * SAME_ITEM_THRESHOLDS.designInliers, `same: ${same.inliers} inliers`);
  assert.equal(judgeSameItem(same).verdict, 'same');
  assert.ok(other.inliers < SAME_ITEM_THRESHOLDS.differentBelow, `other design: ${other.inliers} inliers`);
  assert.equal(judgeSameItem(other).verdict, 'different');
  assert.ok((recoloured.residual ?? 0) > (same.residual ?? 1), 'the recolour leaves more colour unexplained');
  assert.equal(judgeSameItem(recoloured).verdict, 'other_color');
});

test('the LSH index puts the photographed product first among the catalog', async () => {
  const index = new OrbIndex();
  for (const entry of catalog) index.add(entry.sku, (await signatureOf(entry.image, 'catalog')).orb);
  const photo = await signatureOf((await shopperPhoto(otherTee, 'rotate', 11)).bytes, 'photo');
  const ranked = index.query(photo.orb, { limit: 3 });
  assert.equal(ranked[0]?.id, otherTee.sku);
  assert.ok(ranked[0]!.votes > 2 * (ranked[2]?.votes ?? 0));
  index.remove(otherTee.sku);
  assert.ok(!index.query(photo.orb, { limit: 18 }).some((entry) => entry.id === otherTee.sku));
});
