import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeSameItem, SAME_ITEM_THRESHOLDS } from './same-item.ts';

test('verdicts from inliers and the colour residual', () => {
  assert.equal(judgeSameItem({ inliers: 150, residual: 1 }).verdict, 'same');
  assert.equal(judgeSameItem({ inliers: 150, residual: 30 }).verdict, 'other_color');
  assert.equal(judgeSameItem({ inliers: 150, residual: null }).verdict, 'same');
  assert.equal(judgeSameItem({ inliers: 2, residual: null }).verdict, 'different');
  assert.equal(
    judgeSameItem({ inliers: SAME_ITEM_THRESHOLDS.differentBelow, residual: null }).verdict,
    'unsure',
  );
});

test('scores and confidence: a strong match is surer than a weak one; unsure asks for a person', () => {
  const strong = judgeSameItem({ inliers: 200, residual: 1 });
  const weak = judgeSameItem({ inliers: SAME_ITEM_THRESHOLDS.designInliers, residual: 1 });
  assert.ok(strong.score > weak.score && strong.confidence > weak.confidence);
  assert.ok(strong.confidence >= 0.9);
  assert.ok(judgeSameItem({ inliers: SAME_ITEM_THRESHOLDS.differentBelow, residual: null }).confidence < 0.5);
  assert.ok(judgeSameItem({ inliers: 0, residual: null }).confidence > 0.9);
});

test('a learned embedding lifts an unsure ORB result only', () => {
  const unsure = { inliers: SAME_ITEM_THRESHOLDS.differentBelow + 1, residual: null };
  assert.equal(judgeSameItem({ ...unsure, embedding: 0.95 }).verdict, 'same');
  assert.equal(judgeSameItem({ inliers: 1, residual: null, embedding: 0.99 }).verdict, 'different');
});

test('the design is judged on the matches inside the outline when they are given', () => {
  // Another design of the same cut: many matches on the shared outline, almost none inside it.
  assert.equal(judgeSameItem({ inliers: 40, interiorInliers: 3, residual: 1 }).verdict, 'different');
  assert.equal(judgeSameItem({ inliers: 40, interiorInliers: 38, residual: 1 }).verdict, 'same');
});
