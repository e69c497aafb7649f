import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchProducts } from './product-match.ts';

const catalog = [
  { sku: 'TS-2024-001', name: '纯棉圆领T恤', category: 'tops' },
  { sku: 'TS-2024-0012', name: 'Linen Shirt', category: 'tops' },
  { sku: 'JN-88', name: '高腰直筒牛仔裤', category: 'bottoms' },
];

test('an SKU written out wins, and only as a whole token', () => {
  const found = matchProducts(catalog, '今天的第一款 TS-2024-001,下一款');
  assert.deepEqual(
    found.map((match) => [match.sku, match.matched_by]),
    [['TS-2024-001', 'sku']],
  );
});

test('a name inside the text, in Chinese or English, whatever the spacing and case', () => {
  assert.equal(matchProducts(catalog, '家人们看这条高腰直筒牛仔裤!')[0]?.sku, 'JN-88');
  assert.equal(matchProducts(catalog, 'our linen  SHIRT is back')[0]?.matched_by, 'name');
});

test('a close name scores below an exact one; unrelated text finds nothing', () => {
  const close = matchProducts(catalog, '这款纯棉T恤很舒服');
  assert.equal(close[0]?.sku, 'TS-2024-001');
  assert.equal(close[0]?.matched_by, 'similar_name');
  assert.ok(close[0]!.score < 0.9);
  assert.deepEqual(matchProducts(catalog, '明天见'), []);
});
