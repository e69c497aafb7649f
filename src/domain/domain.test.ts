import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Brand, DEFAULT_BRAND_KIT } from './brand.ts';
import { isFinished, MAX_SEED, queuePriority, seedForImage } from './job.ts';
import { combineNegativePrompts, fillPromptPattern, styleFreePrompt } from './prompt.ts';
import { retryDelayMs } from './retry.ts';

const brand: Brand = {
  ...DEFAULT_BRAND_KIT,
  slug: 'default',
  version: 1,
  builtin: true,
  created_at: '',
  updated_at: '',
};

test('prompt pattern fills params and brand slots and drops empty ones', () => {
  const prompt = fillPromptPattern(
    'Product photo of {title}, {subtitle}, {brand.lighting}, {brand.mood}',
    { title: '亚麻衬衫 linen shirt' },
    brand,
  );
  assert.equal(prompt, 'Product photo of 亚麻衬衫 linen shirt, soft studio lighting, clean, modern, bright');
});

test('unknown slots become empty instead of leaking braces', () => {
  assert.equal(fillPromptPattern('{title} on {nothing}, white', { title: 'Mug' }, brand), 'Mug on, white');
});

test('free prompts get the brand style appended', () => {
  assert.match(styleFreePrompt('a red mug', brand), /^a red mug, soft studio lighting, centered product/);
});

test('negative prompts are merged without duplicates', () => {
  assert.equal(
    combineNegativePrompts('blurry, text', 'Blurry, watermark', null, ''),
    'blurry, text, watermark',
  );
});

test('priorities order urgent > normal > batch', () => {
  assert.ok(queuePriority('urgent') > queuePriority('normal'));
  assert.ok(queuePriority('normal') > queuePriority('batch'));
});

test('image seeds are consecutive and stay in range', () => {
  assert.equal(seedForImage(10, 2), 12);
  assert.equal(seedForImage(MAX_SEED, 1), 0);
});

test('finished statuses', () => {
  assert.deepEqual(
    ['queued', 'running', 'succeeded', 'failed', 'canceled'].map((status) => isFinished(status as never)),
    [false, false, true, true, true],
  );
});

test('retry delay grows exponentially with jitter and honors retry-after', () => {
  const low = () => 0;
  const high = () => 1;
  assert.equal(retryDelayMs(1, { baseMs: 1000, maxMs: 60_000, random: low }), 500);
  assert.equal(retryDelayMs(1, { baseMs: 1000, maxMs: 60_000, random: high }), 1000);
  assert.equal(retryDelayMs(4, { baseMs: 1000, maxMs: 60_000, random: high }), 8000);
  assert.equal(retryDelayMs(20, { baseMs: 1000, maxMs: 60_000, random: high }), 60_000);
  assert.equal(retryDelayMs(1, { baseMs: 1000, maxMs: 60_000, random: low, retryAfterMs: 7000 }), 7000);
  const spread = new Set(Array.from({ length: 20 }, () => retryDelayMs(3, { baseMs: 1000, maxMs: 60_000 })));
  assert.ok(spread.size > 1, 'jitter spreads delays');
});
