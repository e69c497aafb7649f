import type { FetchFunction } from '../http.ts';
import { vendorQuotaFrom } from '../retry-hints.ts';
import { abortReason, CallPace, type CallPaceState } from './call-pace.ts';
import { type WatchedRequest, watchDeparture } from './request-departures.ts';

export interface CallLimiterOptions {
  /** Starts per second; undefined = no pacing of ours until the provider answers 429. */
  requestsPerSecond?: number;
  maxConcurrency: number;
  now?: () => number;
}

export interface CallLimiterState {
  inFlight: number;
  /** Calls waiting for a concurrency slot or for their turn in the pace. */
  waiting: number;
  /** The pace in force now: lower than configured after 429s, recovering while calls succeed. */
  requestsPerSecond: number | null;
  pausedUntil: string | null;
  rateLimitedCalls: number;
}

interface Waiter {
  grant: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

/**
 * One per provider and process: every call to that provider waits here for a concurrency slot, and
 * each request it sends waits for its turn in the pace (`CallPace`). Adapters that send through
 * `fetch` take the turn right before each HTTP request (`pacedFetch`); for the others the slot's
 * grant takes it (`acquire` with `pace`).
 */
export class CallLimiter {
  readonly #maxConcurrency: number;
  readonly #now: () => number;
  readonly #waiters: Waiter[] = [];
  readonly #pace: CallPace;
  readonly #pacedCalls = new WeakMap<AbortSignal, { first: boolean }>();
  #inFlight = 0;

  constructor(options: CallLimiterOptions) {
    this.#maxConcurrency = options.maxConcurrency;
    this.#now = options.now ?? Date.now;
    this.#pace = new CallPace({ requestsPerSecond: options.requestsPerSecond, now: this.#now });
  }

  /**
   * Resolves with a release function once this call holds a slot (and, with `pace`, its turn in
   * the pace); rejects when `signal` aborts first. `first`: a call retried after a 429 had its turn
   * already; it goes ahead of the queue.
   */
  async acquire(signal: AbortSignal, options: { first?: boolean; pace?: boolean } = {}): Promise<() => void> {
    const release = await this.#slot(signal, options.first ?? false);
    if (options.pace === false) return release;
    try {
      // Paced at the grant: the call leaves now, as far as this limiter can know.
      const departure = await this.#pace.turn(signal, { first: options.first });
      departure.left(this.#now());
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }

  /**
   * Requests sent with `signal` (a guarded call's own) take their turn in `pacedFetch`; `first`:
   * the call is retried after a 429 and its requests go ahead of the queue.
   */
  paceRequestsOf(signal: AbortSignal, options: { first?: boolean } = {}): void {
    this.#pacedCalls.set(signal, { first: options.first ?? false });
  }

  /**
   * `fetchFunction` with the pace applied where the vendor counts it: a guarded call's requests
   * (`paceRequestsOf`) other than GETs wait for their turn right before they are sent — so a call
   * that sends two requests takes two turns, and a busy event loop between the queue and the
   * network cannot bunch them up; the next waits until this one is written (see
   * `watchDeparture`) and counts its window from then. Downloads, polls and health checks (GETs, or requests outside a
   * guarded call) go straight out. Every answer's quota headers are fed back into the pace.
   */
  pacedFetch(fetchFunction: FetchFunction): FetchFunction {
    return async (input, init) => {
      const signal = init?.signal ?? undefined;
      const call = signal ? this.#pacedCalls.get(signal) : undefined;
      const method = (init?.method ?? 'GET').toUpperCase();
      if (!signal || !call || method === 'GET' || method === 'HEAD') return fetchFunction(input, init);
      const departure = await this.#pace.turn(signal, call);
      let leftAt: number | undefined;
      const left = () => {
        leftAt ??= this.#now();
        departure.left(leftAt);
      };
      // The request has left when its body is written; a fetch that settles without that
      // signal (another fetch implementation, a refused connection) counts as having left then.
      let watched: WatchedRequest | undefined;
      try {
        watched = watchDeparture(init, left);
        const response = await fetchFunction(input, watched.init);
        left();
        this.#pace.observeQuota(vendorQuotaFrom(response.headers), leftAt ?? this.#now());
        return response;
      } finally {
        // Whatever happened, the turn is given back: nobody waits for a request that never left.
        watched?.forget();
        left();
      }
    };
  }

  /** See `CallPace.penalize`. Returns how long the rejected call should wait before its next try. */
  penalize(retryAfterMs: number | undefined): number {
    return this.#pace.penalize(retryAfterMs);
  }

  /** A call succeeded: the pace recovers towards the configured one after a quiet period. */
  reward(): void {
    this.#pace.reward();
  }

  /** The pace's own state, with the window slack it has learned. */
  pace(): CallPaceState {
    return this.#pace.state();
  }

  state(): CallLimiterState {
    const pace = this.#pace.state();
    return {
      inFlight: this.#inFlight,
      waiting: this.#waiters.length + pace.waiting,
      requestsPerSecond: pace.requestsPerSecond,
      pausedUntil: pace.pausedUntil,
      rateLimitedCalls: pace.rateLimitedCalls,
    };
  }

  #slot(signal: AbortSignal, first: boolean): Promise<() => void> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        signal,
        grant: () => {
          signal.removeEventListener('abort', waiter.onAbort);
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.#inFlight -= 1;
            this.#pump();
          });
        },
        reject,
        onAbort: () => {
          const index = this.#waiters.indexOf(waiter);
          if (index >= 0) this.#waiters.splice(index, 1);
          reject(abortReason(signal));
          this.#pump();
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      if (first) this.#waiters.unshift(waiter);
      else this.#waiters.push(waiter);
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#waiters.length > 0 && this.#inFlight < this.#maxConcurrency) {
      const waiter = this.#waiters.shift();
      if (!waiter) return;
      this.#inFlight += 1;
      waiter.grant();
    }
  }
}
