import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractSegmentOffers } from './script-offers.ts';

const facts = (text: string) =>
  extractSegmentOffers(text).map((offer) =>
    offer.type === 'price'
      ? `price ${offer.amounts.price}`
      : `${offer.type} ${JSON.stringify(offer.amounts)}`,
  );

test('"a set of 6 for $29" is the price of the pack; "2 sets for $49" is a multi-buy', () => {
  const found = facts('Set of 6 for $29, or 2 sets for $49.');
  assert.ok(found.includes('price 29'), found.join(' | '));
  assert.ok(found.includes('multi_buy {"quantity":2,"price":49}'), found.join(' | '));
  assert.ok(!found.some((fact) => fact.includes('"quantity":6')), found.join(' | '));
  assert.ok(facts('3 for $20 tonight.').includes('multi_buy {"quantity":3,"price":20}'));
});

test('free shipping said with a verb between: "y el envío es gratis", "el envío os sale gratis"', () => {
  for (const text of ['$129 tonight, y el envío es gratis.', 'Cuesta 64 €, y el envío os sale gratis.'])
    assert.ok(facts(text).includes('free_shipping {}'), text);
  assert.ok(!facts('Cuesta 64 €, y el envío es rápido.').includes('free_shipping {}'));
});

test('the second of two prices said by quantity: 一件129,两件193.5', () => {
  const found = facts('今天第二件半价,一件129,两件193.5。');
  assert.ok(found.includes('price 129') && found.includes('price 193.5'), found.join(' | '));
  // A count of items with a discount, or the item bought, is not a price.
  assert.ok(!facts('两件8折,今天199元').includes('price 8'));
  assert.ok(!facts('买两件送一件,今天199元').includes('price 送'));
});

test('"latex-free fabric bands" is not a free gift; "a free cleaning brush" is', () => {
  assert.ok(!facts('Five latex-free fabric bands, $24.99.').some((fact) => fact.startsWith('gift')));
  assert.ok(facts('$139, and it comes with a free cleaning brush.').some((fact) => fact.startsWith('gift')));
});

test('the price of two after the price of one is a multi-buy: 一罐168元,两罐300元', () => {
  const found = facts('一罐250克,今天168元,两罐300元,顺丰包邮。');
  assert.ok(found.includes('price 168'), found.join(' | '));
  assert.ok(found.includes('multi_buy {"quantity":2,"price":300}'), found.join(' | '));
  assert.ok(!found.includes('price 300'), found.join(' | '));
  // Alone, the price of two is the price; after 第二件半价 it is that deal's price; 两罐500克 is a weight.
  assert.deepEqual(facts('今天两罐只要300元。'), ['price 300']);
  assert.ok(facts('第二件半价,一件129元,两件193.5元。').includes('price 193.5'));
  assert.ok(!facts('今天168元,两罐500克。').some((fact) => fact.startsWith('multi_buy')));
});
