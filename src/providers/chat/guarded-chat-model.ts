import type { ProviderLimits } from '../../config/providers.schema.ts';
import { AppError } from '../../domain/errors.ts';
import { CallGuard, type GuardState } from '../guard/call-guard.ts';
import type { ChatModel, ChatRequest, ChatStreamItem } from './spec.ts';

/** A chat model behind its guard; what the chat service hands out. Always streams. */
export interface GuardedChatModel extends ChatModel {
  stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatStreamItem>;
  isAvailable(): boolean;
  guardState(): GuardState;
  readonly inner: ChatModel;
}

export interface ChatGuardOptions {
  limits: ProviderLimits;
  /**
   * 429s waited out inside one call. A shopper is waiting: one short wait, then the caller answers
   * without the model rather than keep them waiting.
   */
  maxRateLimitWaits?: number;
  /** A 429 asking for a longer wait than this is not waited out (default 5 s). */
  maxRateLimitWaitMs?: number;
  onCallFinished?: (outcome: string, seconds: number) => void;
}

/**
 * The same guard as image providers (pace, concurrency, deadline, circuit breaker, retry-after).
 * A stream holds its slot until it ends; its deadline covers the whole answer; a 429 is only
 * retried before the first delta, never once text has reached the caller.
 */
export function guardChatModel(model: ChatModel, options: ChatGuardOptions): GuardedChatModel {
  const guard = new CallGuard({
    name: `The chat model '${model.id}' (${model.model})`,
    id: model.id,
    limits: options.limits,
    maxRateLimitWaits: options.maxRateLimitWaits ?? 1,
    maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 5000,
    onCallFinished: options.onCallFinished,
  });
  return {
    id: model.id,
    kind: model.kind,
    model: model.model,
    inner: model,
    isAvailable: () => guard.isAvailable(),
    guardState: () => guard.state(),
    checkHealth: model.checkHealth ? (signal) => model.checkHealth!(signal) : undefined,
    complete: (request, signal) => guard.run((guarded) => model.complete(request, guarded), signal),
    stream: (request, signal) => guardedStream(guard, model, request, signal),
  };
}

async function* guardedStream(
  guard: CallGuard,
  model: ChatModel,
  request: ChatRequest,
  signal: AbortSignal,
): AsyncGenerator<ChatStreamItem> {
  // A model without streaming answers in one piece: one delta, then done.
  const open = (guarded: AbortSignal): AsyncIterator<ChatStreamItem> =>
    model.stream
      ? model.stream(request, guarded)[Symbol.asyncIterator]()
      : (async function* () {
          const result = await model.complete(request, guarded);
          yield { delta: result.text };
          yield { done: result };
        })();
  const opened = await guard.retryingRateLimits(async (first) => {
    const lease = await guard.lease(signal, { first });
    const iterator = open(lease.signal);
    try {
      return { lease, iterator, head: await iterator.next() };
    } catch (thrown) {
      const error = lease.fail(thrown);
      lease.release();
      throw error;
    }
  }, signal);
  const { lease, iterator } = opened;
  let next = opened.head;
  let settled = false;
  try {
    while (!next.done) {
      yield next.value;
      if ('done' in next.value) break;
      next = await iterator.next();
    }
    settled = true;
    lease.succeed();
  } catch (thrown) {
    settled = true;
    throw lease.fail(thrown);
  } finally {
    // The caller stopped reading early: neither a success nor the model's failure.
    if (!settled) lease.fail(new AppError('canceled', 'The caller stopped reading the answer'));
    lease.release();
    await iterator.return?.();
  }
}
