/** What Shopify reports in `extensions.cost.throttleStatus`. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/**
 * The client's model of a shop's cost bucket (a leaky bucket: `restoreRate` points per second up
 * to `maximumAvailable`). Every answer tells the true level; between answers the model refills it
 * by the clock and subtracts what calls in flight will cost, so calls wait here, before sending,
 * instead of being answered THROTTLED. One model per shop in a process, shared by its workers.
 */
export class CostBucket {
  #status: ThrottleStatus | null = null;
  #available = 0;
  #at = 0;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    options: {
      now?: () => number;
      sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
    } = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? sleep;
  }

  /** Points the model expects are available now (Infinity before the first answer). */
  available(): number {
    if (!this.#status) return Number.POSITIVE_INFINITY;
    const elapsed = (this.#now() - this.#at) / 1000;
    return Math.min(this.#status.maximumAvailable, this.#available + elapsed * this.#status.restoreRate);
  }

  /** How long a call of `cost` points has to wait; 0 when it can go now. */
  waitMs(cost: number): number {
    if (!this.#status) return 0;
    const missing = Math.min(cost, this.#status.maximumAvailable) - this.available();
    return missing <= 0 ? 0 : Math.ceil((missing / this.#status.restoreRate) * 1000);
  }

  /** Waits until `cost` points should be there, then counts them as spent. */
  async reserve(cost: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.waitMs(cost);
      if (wait === 0) break;
      await this.#sleep(wait, signal);
    }
    if (this.#status) {
      this.#available = this.available() - cost;
      this.#at = this.#now();
    }
  }

  /** An answer's status is the truth about the bucket. */
  observe(status: ThrottleStatus): void {
    this.#status = status;
    this.#available = status.currentlyAvailable;
    this.#at = this.#now();
  }

  /** After THROTTLED: how long until `requested` points are back. */
  throttledWaitMs(requested: number, status: ThrottleStatus): number {
    this.observe(status);
    return Math.max(50, Math.ceil(((requested - status.currentlyAvailable) / status.restoreRate) * 1000));
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
