import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PRICES, mergePriceTables, pricePerImage, roundUsd } from './pricing.ts';

const openai = DEFAULT_PRICES.openai ?? { models: {} };

test('prices by size and quality, with the nearest native size for other sizes', () => {
  assert.equal(
    pricePerImage(openai, { model: 'gpt-image-1', width: 1024, height: 1024, quality: 'high' }),
    0.167,
  );
  // 1080×1920 is rendered as 1024×1536 by gpt-image-1.
  assert.equal(
    pricePerImage(openai, { model: 'gpt-image-1', width: 1080, height: 1920, quality: 'low' }),
    0.016,
  );
  assert.equal(pricePerImage(openai, { model: 'gpt-image-1', width: 1080, height: 1920 }), 0.063);
  assert.equal(pricePerImage(openai, { model: 'gpt-image-1', width: 800, height: 800 }), 0.042);
  assert.equal(pricePerImage(openai, { model: 'dall-e-3', width: 1920, height: 1080, quality: 'hd' }), 0.12);
  assert.equal(pricePerImage(openai, { model: 'unknown-model', width: 512, height: 512 }), 0.04);
});

test('config overrides a model and the default; flat prices ignore size', () => {
  const table = mergePriceTables(openai, { default: 0.5, models: { 'gpt-image-1': 0.02 } });
  assert.equal(
    pricePerImage(table, { model: 'gpt-image-1', width: 1536, height: 1024, quality: 'high' }),
    0.02,
  );
  assert.equal(pricePerImage(table, { model: 'other', width: 64, height: 64 }), 0.5);
  assert.equal(
    pricePerImage(table, { model: 'dall-e-3', width: 1024, height: 1024 }),
    0.04,
    'unlisted models keep the defaults',
  );
  assert.equal(
    pricePerImage(DEFAULT_PRICES.comfyui ?? { models: {} }, { model: 'x', width: 1, height: 1 }),
    0,
  );
});

test('rounding keeps six decimals', () => {
  assert.equal(roundUsd(0.1 + 0.2), 0.3);
  assert.equal(roundUsd(3 * 0.011), 0.033);
});
