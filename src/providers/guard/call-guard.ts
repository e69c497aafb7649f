import { setTimeout as sleep } from 'node:timers/promises';
import type { ProviderLimits } from '../../config/providers.schema.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import { CallLimiter, type CallLimiterState } from './call-limiter.ts';
import { CircuitBreaker, type CircuitSnapshot } from './circuit-breaker.ts';

export interface GuardState {
  limits: ProviderLimits;
  calls: CallLimiterState;
  circuit: CircuitSnapshot;
}

export interface CallGuardOptions {
  /** How messages name the backend: "Provider 'openai'", "Chat model 'chat'". */
  name: string;
  /** Put in error details as `provider`. */
  id: string;
  limits: ProviderLimits;
  /** 429s answered inside one call before the caller gets the `rate_limited` error. */
  maxRateLimitWaits?: number;
  /** A 429 asking for a longer wait than this is handed to the caller at once (default: any wait). */
  maxRateLimitWaitMs?: number;
  breaker?: CircuitBreaker;
  limiter?: CallLimiter;
  /**
   * The backend takes its turn in the pace itself, right before each request it sends (its fetch
   * is the limiter's `pacedFetch`); the lease then only holds a concurrency slot.
   */
  pacedByAdapter?: boolean;
  /** Told of every call that reached the backend: `ok` or the error code, and how long it took. */
  onCallFinished?: (outcome: string, seconds: number) => void;
}

/** One attempt's hold on the backend: its signal (caller's + deadline) and how it ended. */
export interface GuardLease {
  signal: AbortSignal;
  /** The call succeeded: closes the circuit, rewards the pace. */
  succeed(): void;
  /** The call failed with `thrown`: returns the error to rethrow (the deadline's, when it fired). */
  fail(thrown: unknown): unknown;
  /** Frees the concurrency slot and the deadline timer; safe to call twice. */
  release(): void;
}

/** Failures that say the backend is unwell; refusals, bad requests and cancels do not. */
const HEALTH_FAILURES = new Set(['provider_unavailable', 'provider_response_invalid']);

/**
 * What every model backend needs and none should reimplement: pacing and a concurrency cap shared
 * by all callers of this process, a deadline per call, a backend-wide slowdown on 429 (the call
 * waits out the pause and tries again, up to `maxRateLimitWaits`), and a circuit breaker that
 * routing consults. Image providers and chat models both sit behind one.
 */
export class CallGuard {
  readonly #options: CallGuardOptions;
  readonly #limiter: CallLimiter;
  readonly #breaker: CircuitBreaker;
  readonly #maxRateLimitWaits: number;

  constructor(options: CallGuardOptions) {
    this.#options = options;
    this.#limiter =
      options.limiter ??
      new CallLimiter({
        requestsPerSecond: options.limits.requests_per_second,
        maxConcurrency: options.limits.max_concurrency,
      });
    this.#breaker = options.breaker ?? new CircuitBreaker();
    this.#maxRateLimitWaits = options.maxRateLimitWaits ?? 5;
  }

  /** Whether new work should go here (closed circuit, or due for a probe). */
  isAvailable(): boolean {
    return this.#breaker.isAvailable();
  }

  state(): GuardState {
    return {
      limits: this.#options.limits,
      calls: this.#limiter.state(),
      circuit: this.#breaker.snapshot(),
    };
  }

  /** Runs `call` under the guard, waiting out 429s (the backend's hint, or a growing pause). */
  async run<T>(call: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
    return this.retryingRateLimits(async (first) => {
      const lease = await this.lease(signal, { first });
      try {
        const result = await call(lease.signal);
        lease.succeed();
        return result;
      } catch (thrown) {
        throw lease.fail(thrown);
      } finally {
        lease.release();
      }
    }, signal);
  }

  /**
   * Calls `attempt` again after each `rate_limited` it throws, waiting what the limiter says
   * (every caller of the backend slows down), at most `maxRateLimitWaits` times.
   */
  async retryingRateLimits<T>(attempt: (first: boolean) => Promise<T>, signal: AbortSignal): Promise<T> {
    for (let waits = 0; ; waits += 1) {
      let waitMs: number;
      try {
        return await attempt(waits > 0);
      } catch (error) {
        if (!isAppError(error) || error.code !== 'rate_limited') throw error;
        waitMs = this.#limiter.penalize(error.retryAfterMs);
        if (waits >= this.#maxRateLimitWaits) throw error;
        if (waitMs > (this.#options.maxRateLimitWaitMs ?? Number.POSITIVE_INFINITY)) throw error;
      }
      await sleep(waitMs, undefined, { signal }).catch(() => signal.throwIfAborted());
      signal.throwIfAborted();
    }
  }

  /**
   * Waits for a slot and the pace, checks the circuit, and starts the deadline. For calls that are
   * not one promise (a stream): the caller ends the lease with `succeed`/`fail` and `release`.
   */
  async lease(signal: AbortSignal, options: { first?: boolean } = {}): Promise<GuardLease> {
    const pacedByAdapter = this.#options.pacedByAdapter ?? false;
    const releaseSlot = await this.#limiter.acquire(signal, { first: options.first, pace: !pacedByAdapter });
    const { name, id, limits } = this.#options;
    if (!this.#breaker.tryAcquire()) {
      releaseSlot();
      throw new AppError('provider_unavailable', `${name} is failing; its circuit is open`, {
        retryAfterMs: this.#breaker.msUntilRetry(),
        details: { provider: id, circuit: 'open' },
      });
    }
    const started = performance.now();
    const deadline = new AbortController();
    const timer = setTimeout(() => {
      deadline.abort(
        new AppError('provider_unavailable', `${name} did not answer within ${limits.timeout_ms} ms`),
      );
    }, limits.timeout_ms);
    const leaseSignal = AbortSignal.any([signal, deadline.signal]);
    if (pacedByAdapter) this.#limiter.paceRequestsOf(leaseSignal, options);
    let released = false;
    const seconds = () => (performance.now() - started) / 1000;
    return {
      signal: leaseSignal,
      succeed: () => {
        this.#breaker.recordSuccess();
        this.#limiter.reward();
        this.#options.onCallFinished?.('ok', seconds());
      },
      fail: (thrown) => {
        const error = deadline.signal.aborted && !signal.aborted ? deadline.signal.reason : thrown;
        if (isAppError(error) && HEALTH_FAILURES.has(error.code)) this.#breaker.recordFailure(error.message);
        else this.#breaker.recordNeutral();
        this.#options.onCallFinished?.(isAppError(error) ? error.code : 'internal', seconds());
        return error;
      },
      release: () => {
        if (released) return;
        released = true;
        clearTimeout(timer);
        releaseSlot();
      },
    };
  }
}
