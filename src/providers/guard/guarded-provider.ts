import type { ProviderLimits } from '../../config/providers.schema.ts';
import type { ImageProvider } from '../spec.ts';
import { CallGuard, type GuardState } from './call-guard.ts';
import type { CallLimiter } from './call-limiter.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';

export type { GuardState } from './call-guard.ts';

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
  /** The adapter sends through the limiter's `pacedFetch`: each request takes its own turn. */
  pacedByAdapter?: boolean;
  /** Told of every call that reached the provider: `ok` or the error code, and how long it took. */
  onCallFinished?: (outcome: string, seconds: number) => void;
}

/**
 * Wraps an image adapter in a `CallGuard`: pacing and a concurrency cap shared by all jobs of this
 * process, a deadline per call, a provider-wide slowdown on 429 (the call waits out the pause and
 * tries again, up to `maxRateLimitWaits`), and a circuit breaker that routing consults.
 */
export function guardProvider(provider: ImageProvider, options: GuardOptions): GuardedProvider {
  const guard = new CallGuard({ ...options, name: `Provider '${provider.id}'`, id: provider.id });
  return {
    id: provider.id,
    kind: provider.kind,
    defaultModel: provider.defaultModel,
    models: provider.models,
    capabilities: provider.capabilities,
    inner: provider,
    checkHealth: (signal) => provider.checkHealth(signal),
    isAvailable: () => guard.isAvailable(),
    guardState: () => guard.state(),
    generate: (call, signal) => guard.run((guarded) => provider.generate(call, guarded), signal),
  };
}
