import { countTextTokensNow } from '../chat/token-counter.ts';

/**
 * What a model sees of a conversation (docs/assistant.md, "Memory"):
 *
 * - a window of the most recent turns (question + answer), newest first, as long as their tokens
 *   fit the budget (VITRINE_ASSISTANT_MEMORY_TOKENS, default 1,500);
 * - the budget is in the model's own tokens: gpt-tokenizer counts are scaled by the conversation's
 *   `token_ratio`, learnt from the usage the model reports (a model that counts 30 % more tokens
 *   gets a window 30 % shorter);
 * - older turns are not sent as they were: each left a one-line record of its facts (SKU, verdict,
 *   recommended size) and those lines, newest first, form a summary of at most 300 tokens;
 * - turns older than that are dropped. Every turn stays in the database and in `GET` of the
 *   conversation; only what is sent to the model is bounded.
 */

export interface MemoryTurn {
  question: string;
  answer: string;
  /** gpt-tokenizer tokens of question + answer. */
  tokens: number;
  facts_line: string;
}

export interface Memory {
  /** Oldest first. */
  window: MemoryTurn[];
  summary: string | null;
  summarized: number;
  dropped: number;
  /** gpt-tokenizer tokens of the window. */
  windowTokens: number;
}

export const MEMORY_SUMMARY_TOKENS = 300;
/** Role markers and separators around each turn. */
const TURN_OVERHEAD = 8;

export function buildMemory(
  turns: readonly MemoryTurn[],
  options: { budgetTokens: number; tokenRatio: number; summaryTokens?: number },
): Memory {
  const budget = Math.floor(options.budgetTokens / Math.max(0.5, options.tokenRatio));
  const window: MemoryTurn[] = [];
  let used = 0;
  let index = turns.length - 1;
  for (; index >= 0; index -= 1) {
    const turn = turns[index]!;
    const cost = turn.tokens + TURN_OVERHEAD;
    if (used + cost > budget) break;
    used += cost;
    window.unshift(turn);
  }
  const lines: string[] = [];
  let summaryTokens = 0;
  const summaryBudget = options.summaryTokens ?? MEMORY_SUMMARY_TOKENS;
  let summarized = 0;
  for (; index >= 0; index -= 1) {
    const line = turns[index]!.facts_line;
    const cost = countTextTokensNow(line) + 1;
    if (summaryTokens + cost > summaryBudget) break;
    summaryTokens += cost;
    lines.unshift(line);
    summarized += 1;
  }
  return {
    window,
    summary: lines.length > 0 ? lines.join('\n') : null,
    summarized,
    dropped: index + 1,
    windowTokens: used,
  };
}

/** A new ratio of model tokens to our count, moved a third of the way towards what was just seen. */
export function reconcileTokenRatio(current: number, counted: number, reported: number): number {
  if (counted <= 0 || reported <= 0) return current;
  const observed = Math.min(4, Math.max(0.25, reported / counted));
  return Math.round((current + (observed - current) / 3) * 1000) / 1000;
}
