import { setTimeout as sleep } from 'node:timers/promises';
import type { ProviderLimits } from '../../config/providers.schema.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import type { ImageCall, ImageProvider, ImageResult } from '../spec.ts';
import { CallLimiter, type CallLimiterState } from './call-limiter.ts';
import { CircuitBreaker, type CircuitSnapshot } from './circuit-breaker.ts';

export interface GuardState {
  limits: ProviderLimits;
  calls: CallLimiterState;
  circuit: CircuitSnapshot;
}

/** A provider behind its limiter and circuit breaker; what the registry hands out. */
export interface GuardedProvider extends ImageProvider {
  /** Whether routing should send new work here (closed circuit, or due for a probe). */
  isAvailable(): boolean;
  guardState(): GuardState;
  /** The wrapped adapter, for shutdown. */
  readonly inner: ImageProvider;
}

export interface GuardOptions {
  limits: ProviderLimits;
  /** 429s answered inside one `generate` before the job itself is handed back to the queue. */
  maxRateLimitWaits?: number;
  breaker?: CircuitBreaker;
  limiter?: CallLimiter;
  /** Told of every call that reached the provider: `ok` or the error code, and how long it took. */
  onCallFinished?: (outcome: string, seconds: number) => void;
}

/** Failures that say the provider is unwell; refusals, bad requests and cancels do not. */
const HEALTH_FAILURES = new Set(['provider_unavailable', 'provider_response_invalid']);

/**
 * Wraps an adapter with what every backend needs and none should reimplement: pacing and a
 * concurrency cap shared by all jobs of this process, a deadline per call, a provider-wide slowdown
 * on 429 (the call waits out the pause and tries again, up to `maxRateLimitWaits`), and a circuit
 * breaker that routing consults.
 */
export function guardProvider(provider: ImageProvider, options: GuardOptions): GuardedProvider {
  const { limits } = options;
  const limiter =
    options.limiter ??
    new CallLimiter({
      requestsPerSecond: limits.requests_per_second,
      maxConcurrency: limits.max_concurrency,
    });
  const breaker = options.breaker ?? new CircuitBreaker();
  const maxRateLimitWaits = options.maxRateLimitWaits ?? 5;

  async function callOnce(call: ImageCall, signal: AbortSignal): Promise<ImageResult> {
    if (!breaker.tryAcquire()) {
      throw new AppError(
        'provider_unavailable',
        `Provider '${provider.id}' is failing; its circuit is open`,
        {
          retryAfterMs: breaker.msUntilRetry(),
          details: { provider: provider.id, circuit: 'open' },
        },
      );
    }
    const started = performance.now();
    const deadline = new AbortController();
    const timer = setTimeout(() => {
      deadline.abort(
        new AppError(
          'provider_unavailable',
          `Provider '${provider.id}' did not answer within ${limits.timeout_ms} ms`,
        ),
      );
    }, limits.timeout_ms);
    try {
      const result = await provider.generate(call, AbortSignal.any([signal, deadline.signal]));
      breaker.recordSuccess();
      limiter.reward();
      options.onCallFinished?.('ok', (performance.now() - started) / 1000);
      return result;
    } catch (thrown) {
      const error = deadline.signal.aborted && !signal.aborted ? deadline.signal.reason : thrown;
      if (isAppError(error) && HEALTH_FAILURES.has(error.code)) breaker.recordFailure(error.message);
      else breaker.recordNeutral();
      options.onCallFinished?.(
        isAppError(error) ? error.code : 'internal',
        (performance.now() - started) / 1000,
      );
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    id: provider.id,
    kind: provider.kind,
    defaultModel: provider.defaultModel,
    models: provider.models,
    capabilities: provider.capabilities,
    inner: provider,
    checkHealth: (signal) => provider.checkHealth(signal),
    isAvailable: () => breaker.isAvailable(),
    guardState: () => ({ limits, calls: limiter.state(), circuit: breaker.snapshot() }),
    async generate(call, signal) {
      for (let waits = 0; ; waits += 1) {
        const release = await limiter.acquire(signal, { first: waits > 0 });
        let waitMs: number;
        try {
          return await callOnce(call, signal);
        } catch (error) {
          if (!isAppError(error) || error.code !== 'rate_limited') throw error;
          waitMs = limiter.penalize(error.retryAfterMs);
          if (waits >= maxRateLimitWaits) throw error;
        } finally {
          release();
        }
        await sleep(waitMs, undefined, { signal }).catch(() => signal.throwIfAborted());
        signal.throwIfAborted();
      }
    },
  };
}
