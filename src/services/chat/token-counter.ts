import type { ChatMessage, ChatRequest } from '../../providers/chat/spec.ts';

/**
 * Token counts with `gpt-tokenizer` (o200k_base, the encoding of OpenAI's current models; it ships
 * its tables in the package). For other vendors' models it is an approximation: budgets keep a
 * margin and the model's reported `usage` is what gets recorded when there is one.
 */

type Encoder = { countTokens(text: string): number };
let encoder: Encoder | null = null;
let loading: Promise<Encoder> | null = null;

/** Loads the encoding (about half a second, once); call at start so no request waits for it. */
export function warmTokenizer(): Promise<Encoder> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then((module) => {
    encoder = { countTokens: (text) => module.countTokens(text) };
    return encoder;
  });
  return loading;
}

/**
 * What one image costs in input tokens, at most, for images Vitrine sends (≤ 1,024 px): OpenAI
 * counts 85 + 170 per 512-px tile (765 for 1024×768), Claude about width×height/750 (≈ 1,050).
 */
export const IMAGE_TOKENS = 1100;
/** The framing each message adds around its text (role, separators), as OpenAI's chat format does. */
const PER_MESSAGE_TOKENS = 4;

export async function countTextTokens(text: string): Promise<number> {
  const loaded = encoder ?? (await warmTokenizer());
  return loaded.countTokens(text);
}

/** Synchronous count once warm; before that, a cautious estimate (a CJK character is about a token). */
export function countTextTokensNow(text: string): number {
  if (encoder) return encoder.countTokens(text);
  return Math.ceil(text.length * 1.1);
}

export function countMessageTokensNow(message: ChatMessage): number {
  if (typeof message.content === 'string') return PER_MESSAGE_TOKENS + countTextTokensNow(message.content);
  let total = PER_MESSAGE_TOKENS;
  for (const part of message.content) {
    total += part.type === 'text' ? countTextTokensNow(part.text) : IMAGE_TOKENS;
  }
  return total;
}

/** The input tokens of a whole request: system, every message, and the reply's priming. */
export async function countRequestTokens(request: ChatRequest): Promise<number> {
  await warmTokenizer();
  let total = 3;
  if (request.system) total += PER_MESSAGE_TOKENS + countTextTokensNow(request.system);
  for (const message of request.messages) total += countMessageTokensNow(message);
  return total;
}
