import type { ChatModelConfig } from '../../config/env.ts';
import { ChatCallRepository } from '../../db/chat-call.repository.ts';
import { chatPriceFor } from '../../domain/chat-pricing.ts';
import { createChatModel } from '../../providers/chat/chat-factory.ts';
import { guardChatModel } from '../../providers/chat/guarded-chat-model.ts';
import type { FetchFunction } from '../../providers/http.ts';
import type { ServiceDeps } from '../deps.ts';
import type { BudgetService } from '../generation/budget.service.ts';
import { ChatService } from './chat.service.ts';
import { warmTokenizer } from './token-counter.ts';

export interface ChatCapability {
  /** The chat/vision model for the assistant and script analysis (metered, budgeted, guarded). */
  chat: ChatService;
}

/** The configured chat model (or none) behind its guard, metered into the ledger. */
export function wireChat(
  deps: Pick<ServiceDeps, 'db'>,
  parts: {
    config: ChatModelConfig | null;
    budget: Pick<BudgetService, 'assertWithinBudget'>;
    onCallFinished?: (outcome: string, seconds: number) => void;
    fetch?: FetchFunction;
  },
): ChatCapability {
  const { config } = parts;
  const model = config
    ? guardChatModel(createChatModel(config, { fetch: parts.fetch }), {
        limits: config.limits,
        onCallFinished: parts.onCallFinished,
      })
    : null;
  // The encoding loads in about half a second: not while a shopper waits for the first answer.
  void warmTokenizer();
  return {
    chat: new ChatService({
      db: deps.db,
      chatCalls: new ChatCallRepository(),
      budget: parts.budget,
      model,
      price: config ? chatPriceFor(config.model, config.price) : null,
    }),
  };
}
