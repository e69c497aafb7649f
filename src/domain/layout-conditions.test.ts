import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applicableLayers, layerApplies } from './layout-conditions.ts';

const photo = new Uint8Array([1, 2, 3]);

test('a layer without `when` always applies', () => {
  assert.equal(layerApplies({}, {}, {}), true);
});

test('`has` needs every param to have a value: a non-blank text or a non-empty image', () => {
  const layer = { when: { has: ['product_image', 'price'] } };
  assert.equal(layerApplies(layer, { price: '¥199' }, { product_image: photo }), true);
  assert.equal(layerApplies(layer, { price: '   ' }, { product_image: photo }), false, 'blank text');
  assert.equal(
    layerApplies(layer, { price: '¥199' }, { product_image: new Uint8Array() }),
    false,
    'empty image',
  );
  assert.equal(layerApplies(layer, { price: '¥199' }, {}), false);
});

test('`missing` needs every param to be without a value; both conditions hold together', () => {
  const layer = { when: { has: ['title'], missing: ['product_image', 'price'] } };
  assert.equal(layerApplies(layer, { title: 'Hi' }, {}), true);
  assert.equal(layerApplies(layer, { title: 'Hi', price: '¥1' }, {}), false);
  assert.equal(layerApplies(layer, { title: 'Hi' }, { product_image: photo }), false);
  assert.equal(layerApplies(layer, {}, {}), false);
});

test('applicableLayers keeps the order of the layers that apply', () => {
  const layers = [
    { id: 1 },
    { id: 2, when: { has: ['product_image'] } },
    { id: 3, when: { missing: ['product_image'] } },
  ];
  assert.deepEqual(
    applicableLayers(layers, {}, {}).map((layer) => layer.id),
    [1, 3],
  );
  assert.deepEqual(
    applicableLayers(layers, {}, { product_image: photo }).map((layer) => layer.id),
    [1, 2],
  );
});
