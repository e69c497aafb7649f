import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchRoute, routingSchema } from './routing.ts';

const routing = routingSchema.parse({
  rules: [
    { name: 'cheap', when: { budget_below_usd: 0.02 }, use: 'gpu' },
    { name: 'layouts', when: { template: ['product_hero', 'live_cover'] }, use: 'studio' },
    {
      name: 'vip',
      when: { brand: 'acme', priority: 'urgent' },
      use: { provider: 'openai', model: 'gpt-image-1' },
      fallback: ['stability', { provider: 'gpu' }],
    },
    { name: 'prompts', when: { prompt_only: true }, use: 'stability' },
  ],
});

test('the first matching rule wins, with its fallback chain', () => {
  assert.deepEqual(matchRoute(routing, { template: null, brand: 'acme', priority: 'urgent' }), {
    rule: 'vip',
    targets: [
      { provider: 'openai', model: 'gpt-image-1' },
      { provider: 'stability', model: undefined },
      { provider: 'gpu' },
    ],
  });
  assert.equal(
    matchRoute(routing, { template: 'live_cover', brand: 'acme', priority: 'urgent' })?.rule,
    'layouts',
  );
  assert.equal(matchRoute(routing, { template: null, brand: 'other', priority: 'normal' })?.rule, 'prompts');
  assert.equal(matchRoute(routing, { template: 'blog_hero', brand: 'other', priority: 'normal' }), null);
});

test('budget rules match only requests with a smaller budget', () => {
  const query = { template: 'product_hero', brand: 'b', priority: 'normal' } as const;
  assert.equal(matchRoute(routing, { ...query, maxCostUsd: 0.01 })?.rule, 'cheap');
  assert.equal(matchRoute(routing, { ...query, maxCostUsd: 0.5 })?.rule, 'layouts');
  assert.equal(matchRoute(routing, query)?.rule, 'layouts');
});

test('unknown condition fields are refused', () => {
  assert.equal(routingSchema.safeParse({ rules: [{ when: { size: 1 }, use: 'x' }] }).success, false);
});
