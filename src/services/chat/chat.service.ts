import { randomUUID } from 'node:crypto';
import type { ChatCallRepository } from '../../db/chat-call.repository.ts';
import { type ChatPrice, chatCostUsd } from '../../domain/chat-pricing.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import { parseJsonAnswer } from '../../providers/chat/chat-json.ts';
import type { GuardedChatModel } from '../../providers/chat/guarded-chat-model.ts';
import type { ChatRequest, ChatResult, ChatSchema, ChatUsage } from '../../providers/chat/spec.ts';
import type { GuardState } from '../../providers/guard/call-guard.ts';
import type { ServiceDeps } from '../deps.ts';
import type { BudgetService } from '../generation/budget.service.ts';
import { countRequestTokens, countTextTokens } from './token-counter.ts';

type Deps = Pick<ServiceDeps, 'db'> & {
  chatCalls: ChatCallRepository;
  budget: Pick<BudgetService, 'assertWithinBudget'>;
  /** The configured model behind its guard; null when none is configured. */
  model: GuardedChatModel | null;
  /** Its price (override or table); null = unpriced (costs 0). */
  price: ChatPrice | null;
};

/** Who pays for a call and what it was for (`assistant`, `script`); recorded in the ledger. */
export interface ChatCaller {
  apiKeyId: string | null;
  purpose: string;
}

/** A result with what it cost and the ledger row that recorded it. */
export interface MeteredChatResult extends ChatResult {
  costUsd: number;
  callId: string;
}

export interface ChatModelInfo extends GuardState {
  id: string;
  kind: string;
  model: string;
  available: boolean;
  price: ChatPrice | null;
}

/** Output tokens budgeted for a call that does not say how many it may use. */
const DEFAULT_MAX_OUTPUT_TOKENS = 1024;

/**
 * The one way services call the chat model: the key's daily budget is checked before (request
 * tokens counted, plus the output allowance), and every call that used tokens is recorded in the
 * ledger with its cost — from the model's reported usage, or our own count when it reports none.
 */
export class ChatService {
  readonly #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  /** The guarded model, or null: callers without one answer offline. */
  get model(): GuardedChatModel | null {
    return this.#deps.model;
  }

  describe(): ChatModelInfo | null {
    const model = this.#deps.model;
    if (!model) return null;
    return {
      id: model.id,
      kind: model.kind,
      model: model.model,
      available: model.isAvailable(),
      price: this.#deps.price,
      ...model.guardState(),
    };
  }

  /** The most a request may cost: its input counted, its output allowance at full length. */
  async estimateUsd(request: ChatRequest): Promise<number> {
    const inputTokens = await countRequestTokens(request);
    return chatCostUsd(this.#deps.price, {
      inputTokens,
      outputTokens: request.maxTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    });
  }

  async complete(request: ChatRequest, caller: ChatCaller, signal: AbortSignal): Promise<MeteredChatResult> {
    const model = await this.#prepare(request, caller);
    let result: ChatResult;
    try {
      result = await model.complete(request, signal);
    } catch (error) {
      await this.#recordFailure(error, request, caller);
      throw error;
    }
    return this.#record(result, request, caller, 'ok');
  }

  /** A JSON answer checked against `schema`; a malformed one is recorded (it cost tokens) and thrown. */
  async completeJson<T>(
    request: ChatRequest,
    schema: ChatSchema<T>,
    caller: ChatCaller,
    signal: AbortSignal,
  ): Promise<{ value: T; result: MeteredChatResult }> {
    const asked = { ...request, json: true };
    const result = await this.complete(asked, caller, signal);
    try {
      return { value: parseJsonAnswer(result, schema), result };
    } catch (error) {
      if (isAppError(error)) {
        throw new AppError(error.code, error.message, {
          retryable: false,
          details: { ...(error.details as object), cost_usd: result.costUsd, call_id: result.callId },
        });
      }
      throw error;
    }
  }

  /** Text deltas as they arrive, then the metered result. */
  async *stream(
    request: ChatRequest,
    caller: ChatCaller,
    signal: AbortSignal,
  ): AsyncGenerator<{ delta: string } | { done: MeteredChatResult }> {
    const model = await this.#prepare(request, caller);
    let streamed = '';
    try {
      for await (const item of model.stream(request, signal)) {
        if ('delta' in item) {
          streamed += item.delta;
          yield item;
        } else {
          yield { done: await this.#record(item.done, request, caller, 'ok') };
          return;
        }
      }
    } catch (error) {
      await this.#recordFailure(error, request, caller, streamed);
      throw error;
    }
  }

  async #prepare(request: ChatRequest, caller: ChatCaller): Promise<GuardedChatModel> {
    const model = this.#deps.model;
    if (!model) {
      throw new AppError(
        'provider_unavailable',
        'No chat model is configured (see VITRINE_CHAT_* in docs/configuration.md)',
        {
          retryable: false,
        },
      );
    }
    await this.#deps.budget.assertWithinBudget(caller.apiKeyId, await this.estimateUsd(request));
    return model;
  }

  async #record(
    result: ChatResult,
    request: ChatRequest,
    caller: ChatCaller,
    outcome: string,
  ): Promise<MeteredChatResult> {
    const usage = await this.#usageOf(result.usage, request, result.text);
    const costUsd = chatCostUsd(this.#deps.price, usage);
    const callId = randomUUID();
    await this.#deps.chatCalls.insert(this.#deps.db, {
      id: callId,
      api_key_id: caller.apiKeyId,
      purpose: caller.purpose,
      model_id: this.#deps.model?.id ?? 'chat',
      model: result.model,
      input_tokens: usage.inputTokens,
      output_tokens: usage.outputTokens,
      usage_reported: usage.reported !== false,
      cost_usd: costUsd,
      outcome,
    });
    return { ...result, usage, costUsd, callId };
  }

  /** A failure that still used tokens (a refusal, a filtered answer) is paid for: record it. */
  async #recordFailure(
    error: unknown,
    request: ChatRequest,
    caller: ChatCaller,
    streamed = '',
  ): Promise<void> {
    if (!isAppError(error) || error.code !== 'provider_rejected') return;
    const details = (error.details ?? {}) as { usage?: ChatUsage; model?: string };
    const usage = details.usage ?? { inputTokens: 0, outputTokens: 0, reported: false };
    await this.#record(
      {
        text: streamed,
        usage,
        model: details.model ?? this.#deps.model?.model ?? 'unknown',
        finishReason: 'refusal',
      },
      request,
      caller,
      error.code,
    ).catch(() => {});
  }

  /** The reported usage, or our own count when the backend reported none. */
  async #usageOf(usage: ChatUsage, request: ChatRequest, text: string): Promise<ChatUsage> {
    if (usage.reported !== false) return { ...usage, reported: true };
    return {
      inputTokens: await countRequestTokens(request),
      outputTokens: await countTextTokens(text),
      reported: false,
    };
  }
}
