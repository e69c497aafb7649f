import { AppError } from '../../domain/errors.ts';

export interface CallLimiterOptions {
  /** Starts per second; undefined = no pacing of ours until the provider answers 429. */
  requestsPerSecond?: number;
  maxConcurrency: number;
  now?: () => number;
}

export interface CallLimiterState {
  inFlight: number;
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

/** How long the pace stays lowered after a 429 before it recovers step by step. */
const RECOVERY_AFTER_MS = 3000;
/**
 * Calls leave a little slower than the configured pace: between our clock and the vendor's, a call
 * can be delayed on its way out (a busy event loop) while the next is not, and two starts 100 ms
 * apart here arrive 90 ms apart there — one call too many in the vendor's window.
 */
const PACE_SAFETY = 0.985;
const SLOWEST_RPS = 0.05;
/** Without a configured pace, a recovered pace above this means "no pace limit" again. */
const MAX_TRACKED_RPS = 200;
/** Starts needed in the 5 s window before a 429 lowers the pace: fewer is not a rate problem. */
const MIN_STARTS_TO_JUDGE_PACE = 5;
const MAX_BLIND_PAUSE_MS = 30_000;
/** This many 429s within a second mean the provider is over its limit, not one call unlucky. */
const CLUSTER_SIZE = 3;

/**
 * One per provider and process: every call to that provider waits here for a concurrency slot and
 * its turn in the pace. Calls start evenly spaced (never in bursts) so a provider that allows N calls
 * a second in any window sees at most N. A 429 pauses *every* caller of the provider and lowers the
 * pace, instead of only the job that got it retrying into the same wall.
 */
export class CallLimiter {
  readonly #configuredRps: number | undefined;
  readonly #maxConcurrency: number;
  readonly #now: () => number;
  readonly #waiters: Waiter[] = [];
  #rps: number | undefined;
  #inFlight = 0;
  #lastStartAt = Number.NEGATIVE_INFINITY;
  #pausedUntil = 0;
  #lastPenaltyAt = Number.NEGATIVE_INFINITY;
  #lastPaceCutAt = Number.NEGATIVE_INFINITY;
  #consecutivePenalties = 0;
  #rateLimitedCalls = 0;
  #recentStarts: number[] = [];
  #recentPenalties: number[] = [];
  #startLog: number[] = [];
  #idealStartAt = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: CallLimiterOptions) {
    this.#configuredRps = options.requestsPerSecond;
    this.#rps = options.requestsPerSecond;
    this.#maxConcurrency = options.maxConcurrency;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Resolves with a release function once this call may start; rejects when `signal` aborts first.
   * `first`: a call retried after a 429 had its turn already; it goes ahead of the queue.
   */
  acquire(signal: AbortSignal, options: { first?: boolean } = {}): Promise<() => void> {
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
      if (options.first) this.#waiters.unshift(waiter);
      else this.#waiters.push(waiter);
      this.#pump();
    });
  }

  /**
   * The provider answered 429. A hintless 429, or several within a second, mean the provider is
   * over its limit: every caller pauses (for the vendor's hint, or a pause that grows with each
   * consecutive 429) and the pace drops below what was just observed, so the whole provider slows
   * down. A lone hinted 429 at a configured pace is jitter between our clock and the vendor's: only
   * the rejected call waits out its hint (the guard does that).
   * Returns how long the rejected call should wait before its next try.
   */
  penalize(retryAfterMs: number | undefined): number {
    const now = this.#now();
    this.#rateLimitedCalls += 1;
    this.#consecutivePenalties += 1;
    this.#recentPenalties = this.#recentPenalties.filter((at) => now - at < 1000);
    this.#recentPenalties.push(now);
    const blindPause = Math.min(MAX_BLIND_PAUSE_MS, 500 * 2 ** Math.min(10, this.#consecutivePenalties - 1));
    const wait = retryAfterMs ?? blindPause;
    const overLimit = retryAfterMs === undefined || this.#recentPenalties.length >= CLUSTER_SIZE;
    if (overLimit) this.#pausedUntil = Math.max(this.#pausedUntil, now + wait);
    // A lone hinted 429 at a configured pace is jitter: the pace stands. Otherwise it drops below
    // what was observed (once per burst); on sparse traffic there is no pace to blame.
    const observed = this.#observedRps(now);
    const blamePace = overLimit || this.#configuredRps === undefined;
    if (blamePace && now - this.#lastPaceCutAt > 1000 && observed > 0) {
      this.#lastPaceCutAt = now;
      // A configured pace is usually close to the truth: step down gently. Unknown: step down hard.
      const factor = this.#configuredRps === undefined ? 0.8 : 0.95;
      this.#rps = Math.max(SLOWEST_RPS, Math.min(this.#rps ?? observed, observed) * factor);
    }
    this.#lastPenaltyAt = now;
    this.#pump();
    return wait;
  }

  /** A call succeeded: the pace recovers towards the configured one after a quiet period. */
  reward(): void {
    this.#consecutivePenalties = 0;
    if (this.#rps === this.#configuredRps) return;
    if (this.#now() - this.#lastPenaltyAt < RECOVERY_AFTER_MS) return;
    // Doubling per success after a quiet period: back to full speed within a few calls.
    const raised = (this.#rps ?? 0) * (this.#configuredRps === undefined ? 2 : 1.1);
    this.#rps =
      this.#configuredRps === undefined
        ? raised > MAX_TRACKED_RPS
          ? undefined
          : raised
        : Math.min(this.#configuredRps, raised);
  }

  state(): CallLimiterState {
    const now = this.#now();
    return {
      inFlight: this.#inFlight,
      waiting: this.#waiters.length,
      requestsPerSecond: this.#rps ?? null,
      pausedUntil: this.#pausedUntil > now ? new Date(this.#pausedUntil).toISOString() : null,
      rateLimitedCalls: this.#rateLimitedCalls,
    };
  }

  #observedRps(now: number): number {
    this.#recentStarts = this.#recentStarts.filter((at) => now - at < 5000);
    if (this.#recentStarts.length < MIN_STARTS_TO_JUDGE_PACE) return 0;
    const span = Math.max(1000, now - (this.#recentStarts[0] ?? now));
    return (this.#recentStarts.length * 1000) / span;
  }

  #pump(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    while (this.#waiters.length > 0 && this.#inFlight < this.#maxConcurrency) {
      const now = this.#now();
      const startAt = this.#nextStartAt(now);
      if (startAt > now) {
        this.#timer = setTimeout(() => this.#pump(), Math.ceil(startAt - now));
        return;
      }
      const waiter = this.#waiters.shift();
      if (!waiter) return;
      this.#inFlight += 1;
      this.#recordStart(now);
      waiter.grant();
    }
  }

  /**
   * When the next call may start. Calls follow an ideal timeline one interval apart; a start made
   * late by a busy event loop may be caught up, but never faster than half an interval and never
   * beyond N calls in any window of N intervals (N = the whole calls per second) — the window a
   * vendor counts in — so catching up cannot cause the 429 it avoids.
   */
  #nextStartAt(now: number): number {
    if (!this.#rps) return this.#pausedUntil;
    const interval = 1000 / (this.#rps * PACE_SAFETY);
    const windowCount = Math.max(1, Math.floor(this.#rps));
    const windowMs = windowCount * interval;
    // More than a window behind the timeline means we were idle, not late: start a new timeline.
    if (now - this.#idealStartAt > windowMs) this.#idealStartAt = now;
    const windowStart = this.#startLog.at(-windowCount);
    return Math.max(
      this.#pausedUntil,
      this.#idealStartAt,
      this.#lastStartAt + interval / 2,
      windowStart === undefined || this.#startLog.length < windowCount ? 0 : windowStart + windowMs,
    );
  }

  #recordStart(now: number): void {
    const interval = this.#rps ? 1000 / (this.#rps * PACE_SAFETY) : 0;
    this.#idealStartAt = Math.max(this.#idealStartAt, now - interval) + interval;
    this.#lastStartAt = now;
    this.#startLog.push(now);
    if (this.#startLog.length > 256) this.#startLog.shift();
    this.#recentStarts.push(now);
    if (this.#recentStarts.length > 256) this.#recentStarts.shift();
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason instanceof AppError
    ? signal.reason
    : new AppError('canceled', 'The call was canceled before it started', { retryable: false });
}
