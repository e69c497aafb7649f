import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chineseWords } from '../../text/chinese-words.ts';
import { analyzeHeuristically } from './heuristic-analyzer.ts';
import { DEFAULT_MOOD_CONFIDENCE, segmentEmotion } from './mood.ts';
import { extractSegmentOffers } from './script-offers.ts';

const product = (text: string, category: 'food' | 'other' | 'apparel' = 'other') =>
  segmentEmotion(text, ['en', 'es'], { kind: 'product', category, offers: extractSegmentOffers(text) });

test('with no clear cue a product looks premium (minimal), food fresh', () => {
  const plain = product('The reed diffuser: eight rattan reeds and a 200 ml bottle.');
  assert.equal(plain.mood, 'premium');
  assert.equal(plain.confidence, DEFAULT_MOOD_CONFIDENCE);
  assert.equal(product('A tin of 24 hazelnut biscotti.', 'food').mood, 'fresh');
});

test('hints alone ("only", "hoy") are no rush; a stock or a clear cue is', () => {
  assert.equal(product('Memory foam, and it weighs only 2 kg. $129 tonight.').mood, 'premium');
  assert.equal(product('Hoy a 18,95 €, con mango ergonómico.').mood, 'premium');
  assert.equal(product('$24.99, only 90 sets left, hurry!').mood, 'urgent');
});

test('a deadline presses for time: "solo hasta el domingo 9 de marzo"', () => {
  assert.equal(
    product('$19, 25% off tonight with code FLY25, solo hasta el domingo 9 de marzo.').mood,
    'urgent',
  );
  assert.equal(product('$19, 25% off tonight with code FLY25.').mood, 'premium');
});

test("the show's mood for its closing comes from products whose words chose one", () => {
  const chinese = chineseWords();
  const analysis = analyzeHeuristically(
    'Hello everyone, welcome!\n\nFirst up, the suitcase. Polycarbonate shell, four wheels. $129.\n\n' +
      'Next up, the packing cubes. Ripstop nylon, double zippers. $29.\n\nThanks for watching, see you!',
    { chinese },
  );
  const closing = analysis.segments.at(-1)!;
  assert.equal(closing.kind, 'closing');
  // Both products fell back to the default look: the closing keeps its own festive thanks.
  assert.equal(closing.emotion.mood, 'festive');
});
