import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatCostUsd, chatPriceFor } from './chat-pricing.ts';

test('a model is priced by its longest matching family; inference profiles and dates do not matter', () => {
  assert.deepEqual(chatPriceFor('gpt-4o-mini-2024-07-18'), { inputPerMillion: 0.15, outputPerMillion: 0.6 });
  assert.deepEqual(chatPriceFor('gpt-4o-2024-08-06'), { inputPerMillion: 2.5, outputPerMillion: 10 });
  assert.deepEqual(chatPriceFor('us.anthropic.claude-3-5-sonnet-20240620-v1:0'), {
    inputPerMillion: 3,
    outputPerMillion: 15,
  });
  assert.deepEqual(chatPriceFor('amazon.nova-lite-v1:0'), { inputPerMillion: 0.06, outputPerMillion: 0.24 });
  assert.equal(chatPriceFor('qwen2.5vl:7b'), null, 'a local model is unpriced');
  assert.deepEqual(chatPriceFor('qwen2.5vl:7b', { inputPerMillion: 1, outputPerMillion: 2 }), {
    inputPerMillion: 1,
    outputPerMillion: 2,
  });
});

test('cost from usage, to six decimals; unpriced costs 0', () => {
  const price = chatPriceFor('gpt-4o');
  assert.equal(chatCostUsd(price, { inputTokens: 1200, outputTokens: 150 }), 0.0045);
  assert.equal(chatCostUsd(null, { inputTokens: 1e6, outputTokens: 1e6 }), 0);
});
