export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold?: number;
  /** How long an open circuit refuses calls before one probe is let through. */
  cooldownMs?: number;
  now?: () => number;
}

export interface CircuitSnapshot {
  state: CircuitState;
  consecutiveFailures: number;
  /** When an open circuit lets its next probe through. */
  retryAt: string | null;
  lastFailure: string | null;
}

/**
 * Stops sending work to a provider that keeps failing (5xx, timeouts, connection errors) so jobs
 * move to the fallback chain at once instead of each waiting out its own timeout. After the
 * cooldown, exactly one probe call goes through (half-open); its success closes the circuit.
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #now: () => number;
  #state: CircuitState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probeInFlight = false;
  #lastFailure: string | null = null;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = options.failureThreshold ?? 5;
    this.#cooldownMs = options.cooldownMs ?? 30_000;
    this.#now = options.now ?? Date.now;
  }

  /** Whether a call may go now; in half-open state only the one probe may. */
  tryAcquire(): boolean {
    if (this.#state === 'closed') return true;
    if (this.#state === 'open') {
      if (this.#now() - this.#openedAt < this.#cooldownMs) return false;
      this.#state = 'half_open';
    }
    if (this.#probeInFlight) return false;
    this.#probeInFlight = true;
    return true;
  }

  /** Without taking the probe: would a call be let through now? (For routing decisions.) */
  isAvailable(): boolean {
    if (this.#state === 'closed') return true;
    if (this.#state === 'open') return this.#now() - this.#openedAt >= this.#cooldownMs;
    return !this.#probeInFlight;
  }

  /** Milliseconds until an open circuit lets a probe through (0 when it would now). */
  msUntilRetry(): number {
    if (this.#state !== 'open') return 0;
    return Math.max(0, this.#openedAt + this.#cooldownMs - this.#now());
  }

  recordSuccess(): void {
    this.#state = 'closed';
    this.#failures = 0;
    this.#probeInFlight = false;
  }

  recordFailure(message: string): void {
    this.#failures += 1;
    this.#lastFailure = message;
    if (this.#state === 'half_open' || this.#failures >= this.#threshold) {
      this.#state = 'open';
      this.#openedAt = this.#now();
    }
    this.#probeInFlight = false;
  }

  /** A call ended in a way that says nothing about the provider's health (canceled, refused content). */
  recordNeutral(): void {
    if (this.#state === 'half_open') this.#probeInFlight = false;
  }

  snapshot(): CircuitSnapshot {
    return {
      state: this.#state === 'open' && this.isAvailable() ? 'half_open' : this.#state,
      consecutiveFailures: this.#failures,
      retryAt: this.#state === 'open' ? new Date(this.#openedAt + this.#cooldownMs).toISOString() : null,
      lastFailure: this.#lastFailure,
    };
  }
}
