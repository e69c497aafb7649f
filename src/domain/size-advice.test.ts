import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adviseSize, keyMeasurementOf, type SizeAdviceProduct } from './size-advice.ts';

const tee: SizeAdviceProduct = {
  sku: 'TS-2024-001',
  name: '纯棉印花T恤',
  category: 'tops',
  fit: 'loose',
  size_chart: { S: { chest: 104, length: 68 }, M: { chest: 110, length: 70 }, L: { chest: 116, length: 72 } },
};
const basic: SizeAdviceProduct = {
  sku: 'TS-2023-010',
  name: '基础款T恤',
  category: 'tops',
  fit: 'regular',
  size_chart: { S: { chest: 98 }, M: { chest: 104 }, L: { chest: 110 } },
};

test('from a previous purchase: the same garment measurement, the runs verdict and the reason in numbers', () => {
  const advice = adviseSize({
    product: tee,
    purchases: [{ sku: basic.sku, size: 'M', feedback: '合适', product: basic }],
    locale: 'zh',
  });
  assert.equal(advice.recommended, 'S');
  assert.equal(advice.basis, 'previous_purchase');
  assert.equal(advice.runs, 'large');
  assert.equal(advice.target_cm, 104);
  assert.equal(
    advice.reason,
    '胸围 M 110 cm / 你上次买的 M 104 cm,这款偏大(偏宽松),建议选 S 码(胸围 104 cm)。',
  );
});

test('"ran small" moves one step up; "ran large" one down', () => {
  const small = adviseSize({
    product: tee,
    purchases: [{ sku: basic.sku, size: 'L', feedback: 'ran small', product: basic }],
    locale: 'en',
  });
  assert.equal(small.target_cm, 114);
  assert.equal(small.recommended, 'L');
  assert.match(small.reason, /you said that one ran small: take L \(chest 116 cm\)/);
  const large = adviseSize({
    product: tee,
    purchases: [{ sku: basic.sku, size: 'L', feedback: '偏大', product: basic }],
    locale: 'zh',
  });
  assert.equal(large.target_cm, 106);
  assert.equal(large.recommended, 'M');
});

test('body measurements win, with the ease of the fit; past the largest size it says by how much', () => {
  const advice = adviseSize({ product: tee, measurements: { chest: 92 }, purchases: [], locale: 'zh' });
  assert.equal(advice.target_cm, 106);
  assert.equal(advice.recommended, 'M');
  assert.equal(advice.basis, 'measurements');
  const tooBig = adviseSize({ product: tee, measurements: { chest: 110 }, purchases: [], locale: 'en' });
  assert.equal(tooBig.recommended, 'L');
  assert.match(tooBig.reason, /8 cm short/);
  assert.equal(tooBig.confidence, 0.6);
});

test('usual size, then nothing: the chart in numbers and a request for the measurement', () => {
  const usual = adviseSize({ product: tee, usualSize: 'm', purchases: [], locale: 'zh' });
  assert.equal(usual.recommended, 'M');
  assert.match(usual.reason, /喜欢合身可以小一码/);
  const none = adviseSize({ product: tee, usualSize: 'XXL', purchases: [], locale: 'en' });
  assert.equal(none.recommended, null);
  assert.match(none.reason, /no XXL.*S 104 cm, M 110 cm, L 116 cm/);
});

test('the key measurement follows the category: waist for bottoms, foot for shoes', () => {
  assert.equal(keyMeasurementOf('jeans', { '28': { waist: 71, length: 100 } }), 'waist');
  assert.equal(keyMeasurementOf('女鞋', { '38': { foot: 24 } }), 'foot');
  assert.equal(keyMeasurementOf('tops', { M: { length: 70 } }), 'length');
  assert.equal(keyMeasurementOf('tops', {}), null);
});
