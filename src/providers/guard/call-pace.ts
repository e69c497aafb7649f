import { AppError } from '../../domain/errors.ts';

export interface CallPaceOptions {
  /** Calls per second; undefined = no pacing of ours until the provider answers 429. */
  requestsPerSecond?: number;
  now?: () => number;
}

export interface CallPaceState {
  /** The pace in force now: lower than configured after 429s, recovering while calls succeed. */
  requestsPerSecond: number | null;
  /** Milliseconds added to each window for the spread between our clock and the vendor's. */
  windowSlackMs: number;
  pausedUntil: string | null;
  rateLimitedCalls: number;
  /** Calls waiting for their turn in the pace. */
  waiting: number;
}

interface TurnWaiter {
  go: (departure: Departure) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

/** How long the pace stays lowered after a 429 before it recovers step by step. */
const RECOVERY_AFTER_MS = 3000;
/**
 * Added to the vendor's window on our side: a call timed here reaches the vendor a few
 * milliseconds later, and not always the same few (its clock, its event loop, the network), so the
 * first call of our window may arrive later than the first call of the next one does. Each 429 at
 * a configured pace says the spread is larger than the slack: it grows by a step, up to a cap (a
 * share of the window), and stays — the spread belongs to the path between us and the vendor.
 */
const WINDOW_SLACK_MS = 5;
const SLACK_STEP_MS = 5;
const MAX_SLACK_SHARE = 0.03;
/**
 * Calls due together still leave this fraction of an interval apart: a vendor that counts in
 * windows shorter than a second sees no burst, and their answers do not all land on one tick.
 */
const SPACING_FRACTION = 0.1;
const SLOWEST_RPS = 0.05;
/** Without a configured pace, a recovered pace above this means "no pace limit" again. */
const MAX_TRACKED_RPS = 200;
/** Starts needed in the 5 s window before a 429 lowers the pace: fewer is not a rate problem. */
const MIN_STARTS_TO_JUDGE_PACE = 5;
const MAX_BLIND_PAUSE_MS = 30_000;
/** This many 429s within a second mean the provider is over its limit, not one call unlucky. */
const CLUSTER_SIZE = 3;
const LOG_SIZE = 256;

/**
 * The pace of one provider in this process: when each call may leave. A vendor that allows N calls
 * a second counts the calls that reach it in any one-second window, so that is what is kept here:
 * at most N calls leave in any window of one second (plus a little slack), timed when they leave —
 * the adapter takes its turn right before the HTTP request, so a busy event loop between the queue
 * and the network cannot bunch calls up. Lateness is never caught up: a late call moves its
 * successors' windows with it. A 429 cluster pauses every caller and lowers the pace; a vendor
 * saying "0 remaining until …" pauses every caller until then.
 */
export class CallPace {
  readonly #configuredRps: number | undefined;
  readonly #now: () => number;
  readonly #waiters: TurnWaiter[] = [];
  #rps: number | undefined;
  #slackMs = WINDOW_SLACK_MS;
  #pausedUntil = 0;
  #lastPenaltyAt = Number.NEGATIVE_INFINITY;
  #lastPaceCutAt = Number.NEGATIVE_INFINITY;
  #consecutivePenalties = 0;
  #rateLimitedCalls = 0;
  /** When each recent call left, in order. */
  #leaveLog: number[] = [];
  /** A call was let through and has not yet said it left. */
  #onItsWay = false;
  #recentPenalties: number[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(options: CallPaceOptions) {
    this.#configuredRps = options.requestsPerSecond;
    this.#rps = options.requestsPerSecond;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Resolves when this call may leave; rejects when `signal` aborts first. `first`: a call retried
   * after a 429 had its turn already; it goes ahead. The caller tells the returned departure when
   * the request really left (its headers written); until then nobody else leaves.
   */
  turn(signal: AbortSignal, options: { first?: boolean } = {}): Promise<Departure> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const waiter: TurnWaiter = {
        signal,
        go: (departure) => {
          signal.removeEventListener('abort', waiter.onAbort);
          resolve(departure);
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
   * What the vendor said about its quota on an answer to a call that left at `leftAt`: 0 remaining
   * until a reset means nobody leaves before `leftAt + reset` (the vendor counted from when the
   * call reached it, not from when its answer reached us — a stale answer pauses nobody).
   */
  observeQuota(quota: { remaining?: number; resetMs?: number }, leftAt: number): void {
    if (quota.remaining !== 0 || quota.resetMs === undefined) return;
    const until = leftAt + quota.resetMs;
    if (until <= this.#pausedUntil) return;
    this.#pausedUntil = until;
    this.#pump();
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
    if (this.#configuredRps !== undefined) {
      const maxSlack =
        (MAX_SLACK_SHARE * Math.max(1, Math.floor(this.#configuredRps)) * 1000) / this.#configuredRps;
      this.#slackMs = Math.min(Math.max(WINDOW_SLACK_MS, maxSlack), this.#slackMs + SLACK_STEP_MS);
    }
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

  state(): CallPaceState {
    const now = this.#now();
    return {
      requestsPerSecond: this.#rps ?? null,
      windowSlackMs: this.#slackMs,
      pausedUntil: this.#pausedUntil > now ? new Date(this.#pausedUntil).toISOString() : null,
      rateLimitedCalls: this.#rateLimitedCalls,
      waiting: this.#waiters.length,
    };
  }

  #observedRps(now: number): number {
    let count = 0;
    let earliest = now;
    for (let index = this.#leaveLog.length - 1; index >= 0; index -= 1) {
      const at = this.#leaveLog[index] ?? now;
      if (now - at >= 5000) break;
      count += 1;
      earliest = at;
    }
    if (count < MIN_STARTS_TO_JUDGE_PACE) return 0;
    return (count * 1000) / Math.max(1000, now - earliest);
  }

  #pump(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    // The previous call is still on its way out: its departure time decides the next one's.
    while (this.#waiters.length > 0 && !this.#onItsWay) {
      const now = this.#now();
      const leaveAt = this.#nextLeaveAt();
      if (leaveAt > now) {
        this.#timer = setTimeout(() => this.#pump(), Math.ceil(leaveAt - now));
        return;
      }
      const waiter = this.#waiters.shift();
      if (!waiter) return;
      this.#onItsWay = true;
      let departed = false;
      waiter.go({
        left: (at) => {
          if (departed) return;
          departed = true;
          this.#onItsWay = false;
          this.#leaveLog.push(Math.max(at, this.#leaveLog.at(-1) ?? at));
          if (this.#leaveLog.length > LOG_SIZE) this.#leaveLog.shift();
          this.#pump();
        },
      });
    }
  }

  /**
   * When the next call may leave (the previous one having left): never more than N calls (the whole calls per second, at least
   * one) in any window of N intervals plus the slack, and never closer than a tenth of an interval
   * to the previous call.
   */
  #nextLeaveAt(): number {
    if (!this.#rps) return this.#pausedUntil;
    const interval = 1000 / this.#rps;
    const count = Math.max(1, Math.floor(this.#rps));
    const windowMs = count * interval + this.#slackMs;
    const log = this.#leaveLog;
    const windowStart = log.length >= count ? (log[log.length - count] ?? 0) : Number.NEGATIVE_INFINITY;
    const previous = log.at(-1) ?? Number.NEGATIVE_INFINITY;
    return Math.max(this.#pausedUntil, windowStart + windowMs, previous + interval * SPACING_FRACTION);
  }
}

/** A call let through: it says when its request really left. */
export interface Departure {
  left(at: number): void;
}

/** The error a call aborted while waiting rejects with: the signal's `AppError`, else `canceled`. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason instanceof AppError
    ? signal.reason
    : new AppError('canceled', 'The call was canceled before it started', { retryable: false });
}
