import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type PriceParts, parsePrice, priceText } from './price-text.ts';

const part = (sign: string, signBefore: boolean, integer: string, decimals = '', prefix = '', suffix = '') =>
  ({ prefix, sign, signBefore, integer, decimals, suffix }) satisfies PriceParts;

const TABLE: Array<[string, PriceParts]> = [
  ['¥199', part('¥', true, '199')],
  ['￥199.00', part('¥', true, '199', '.00')],
  ['199元', part('元', false, '199')],
  ['$24.99', part('$', true, '24', '.99')],
  ['24,99 €', part('€', false, '24', ',99')],
  ['USD 30', part('USD', true, '30')],
  ['199', part('', true, '199')],
  ['$1,299.50', part('$', true, '1,299', '.50')],
  ['1.299,50 €', part('€', false, '1.299', ',50')],
  ['£8', part('£', true, '8')],
  ['from $19', part('$', true, '19', '', 'from')],
  ['¥99起', part('¥', true, '99', '', '', '起')],
  ['到手价 ¥１９９', part('¥', true, '199', '', '到手价')],
];

for (const [input, expected] of TABLE) {
  test(`parsePrice(${JSON.stringify(input)})`, () => {
    assert.deepEqual(parsePrice(input), expected);
  });
}

test('a text with no number is not a price', () => {
  assert.equal(parsePrice('价格面议'), null);
  assert.equal(parsePrice('Free'), null);
  assert.equal(parsePrice(''), null);
});

test('the parts read back as the price', () => {
  assert.equal(priceText(parsePrice('￥199.00')!), '¥199.00');
  assert.equal(priceText(parsePrice('24,99 €')!), '24,99 €');
  assert.equal(priceText(parsePrice('USD 30')!), 'USD 30');
  assert.equal(priceText(parsePrice('199元')!), '199元');
  assert.equal(priceText(parsePrice('from $19')!), 'from $19');
});
