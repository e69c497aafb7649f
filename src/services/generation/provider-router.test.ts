import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_BRAND_KIT } from '../../domain/brand.ts';
import { DEFAULT_PRICES } from '../../domain/pricing.ts';
import { routingSchema } from '../../domain/routing.ts';
import { CircuitBreaker } from '../../providers/guard/circuit-breaker.ts';
import { guardProvider } from '../../providers/guard/guarded-provider.ts';
import { ProviderRegistry } from '../../providers/registry.ts';
import type { ImageProvider } from '../../providers/spec.ts';
import { type RouteRequest, routeGeneration } from './provider-router.ts';

function provider(id: string, models: string[], layouts = false): ImageProvider {
  return {
    id,
    kind: id,
    defaultModel: models[0] ?? 'm',
    models,
    capabilities: {
      maxImagesPerCall: 1,
      seeds: true,
      negativePrompt: true,
      layouts,
      imageInput: false,
      formats: ['png'],
      maxSide: 4096,
    },
    generate: () => Promise.reject(new Error('not called')),
    checkHealth: async () => ({ ok: true, checkedAt: new Date().toISOString() }),
  };
}

const openaiBreaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 60_000 });
const limits = { max_concurrency: 1, timeout_ms: 1000 };
const registry = new ProviderRegistry(
  [
    {
      provider: guardProvider(provider('studio', ['studio-layout-v1'], true), { limits }),
      prices: { default: 0, models: {} },
    },
    {
      provider: guardProvider(provider('openai', ['gpt-image-1', 'dall-e-3']), {
        limits,
        breaker: openaiBreaker,
      }),
      prices: DEFAULT_PRICES.openai ?? { models: {} },
    },
    {
      provider: guardProvider(provider('gpu', ['sdxl']), { limits }),
      prices: { default: 0.001, models: {} },
    },
  ],
  {
    defaultId: 'studio',
    routing: routingSchema.parse({
      rules: [
        { name: 'prompts', when: { prompt_only: true }, use: 'openai', fallback: ['studio', 'gpu'] },
        {
          name: 'heroes',
          when: { template: 'product_hero' },
          use: { provider: 'openai', model: 'dall-e-3' },
        },
      ],
    }),
  },
);

const brand = {
  ...DEFAULT_BRAND_KIT,
  slug: 'default',
  version: 1,
  builtin: true,
  created_at: new Date().toISOString(),
  updated_at: new Date().toISOString(),
};
const base: RouteRequest = { template: null, brand, priority: 'normal', n: 2, width: 1024, height: 1024 };

test('a rule picks provider and model; layout-only engines are no fallback for a plain prompt', () => {
  const decision = routeGeneration(registry, base);
  assert.deepEqual(
    {
      provider: decision.provider,
      model: decision.model,
      fallback: decision.fallback,
      reason: decision.reason,
    },
    {
      provider: 'openai',
      model: 'gpt-image-1',
      fallback: [{ provider: 'gpu', model: 'sdxl' }],
      reason: 'routing rule prompts',
    },
  );
  assert.equal(decision.estimatedCostUsd, 0.084);
  const hero = routeGeneration(registry, { ...base, template: 'product_hero' });
  assert.deepEqual([hero.provider, hero.model], ['openai', 'dall-e-3']);
  assert.deepEqual(hero.fallback, [{ provider: 'studio', model: 'studio-layout-v1' }], 'then the default');
});

test('the caller’s provider, or the provider of the caller’s model, is used as asked', () => {
  assert.equal(routeGeneration(registry, { ...base, provider: 'gpu' }).provider, 'gpu');
  const byModel = routeGeneration(registry, { ...base, model: 'sdxl' });
  assert.deepEqual([byModel.provider, byModel.model, byModel.fallback], ['gpu', 'sdxl', []]);
  assert.throws(() => routeGeneration(registry, { ...base, provider: 'nope' }), { code: 'invalid_request' });
  assert.throws(() => routeGeneration(registry, { ...base, model: 'nope' }), { code: 'invalid_request' });
});

test('a budget skips candidates above it, and refuses when none fits', () => {
  const thrifty = routeGeneration(registry, { ...base, maxCostUsd: 0.01 });
  assert.deepEqual([thrifty.provider, thrifty.estimatedCostUsd], ['gpu', 0.002]);
  assert.throws(() => routeGeneration(registry, { ...base, maxCostUsd: 0.001 }), {
    code: 'budget_exceeded',
    message: /would cost \$0\.002/,
  });
});

test('a provider with an open circuit goes to the back of the chain', () => {
  openaiBreaker.recordFailure('502');
  const decision = routeGeneration(registry, base);
  assert.equal(decision.provider, 'gpu');
  assert.deepEqual(decision.fallback, [{ provider: 'openai', model: 'gpt-image-1' }]);
  openaiBreaker.recordSuccess();
});
