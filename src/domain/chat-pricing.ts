import { roundUsd } from './pricing.ts';

/**
 * Prices of chat/vision models in USD per million tokens, input and output. The defaults are the
 * vendors' published list prices at the time of writing; VITRINE_CHAT_PRICE overrides them for the
 * configured model. Models not listed (a local Ollama or vLLM) cost 0 unless configured.
 */
export interface ChatPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

/** Keys match a model id exactly or as its longest prefix (dated versions share their family's price). */
export const DEFAULT_CHAT_PRICES: Readonly<Record<string, ChatPrice>> = {
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'gpt-5': { inputPerMillion: 1.25, outputPerMillion: 10 },
  'gpt-5-mini': { inputPerMillion: 0.25, outputPerMillion: 2 },
  'gpt-5-nano': { inputPerMillion: 0.05, outputPerMillion: 0.4 },
  'o4-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  'deepseek-chat': { inputPerMillion: 0.28, outputPerMillion: 0.42 },
  'qwen-vl-max': { inputPerMillion: 0.8, outputPerMillion: 3.2 },
  'qwen-vl-plus': { inputPerMillion: 0.21, outputPerMillion: 0.63 },
  'anthropic.claude-3-5-sonnet': { inputPerMillion: 3, outputPerMillion: 15 },
  'anthropic.claude-3-7-sonnet': { inputPerMillion: 3, outputPerMillion: 15 },
  'anthropic.claude-sonnet-4': { inputPerMillion: 3, outputPerMillion: 15 },
  'anthropic.claude-3-haiku': { inputPerMillion: 0.25, outputPerMillion: 1.25 },
  'anthropic.claude-3-5-haiku': { inputPerMillion: 0.8, outputPerMillion: 4 },
  'amazon.nova-micro': { inputPerMillion: 0.035, outputPerMillion: 0.14 },
  'amazon.nova-lite': { inputPerMillion: 0.06, outputPerMillion: 0.24 },
  'amazon.nova-pro': { inputPerMillion: 0.8, outputPerMillion: 3.2 },
};

/** Bedrock cross-region inference profiles prefix the model id with a geography: `us.anthropic.…`. */
const INFERENCE_PROFILE_PREFIX = /^(us|eu|apac|jp|au|ca|us-gov|global)\./;

/** The price of `model`: the override when given, else the table's longest matching key, else null. */
export function chatPriceFor(
  model: string,
  override?: ChatPrice,
  table: Readonly<Record<string, ChatPrice>> = DEFAULT_CHAT_PRICES,
): ChatPrice | null {
  if (override) return override;
  const id = model.replace(INFERENCE_PROFILE_PREFIX, '');
  if (table[id]) return table[id];
  let best: string | null = null;
  for (const key of Object.keys(table)) {
    if (id.startsWith(key) && (best === null || key.length > best.length)) best = key;
  }
  return best ? table[best]! : null;
}

/** What a call cost; an unpriced model costs 0. */
export function chatCostUsd(
  price: ChatPrice | null,
  usage: { inputTokens: number; outputTokens: number },
): number {
  if (!price) return 0;
  return roundUsd(
    (usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion) / 1_000_000,
  );
}
