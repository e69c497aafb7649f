import type { ProviderReport } from '../../domain/worker.ts';
import type { ProviderRegistry } from '../../providers/registry.ts';

/**
 * What a worker tells the fleet about its providers: health (re-checked when older than the
 * registry's TTL), circuit state, and for GPU backends each server's GPU and queue. Never throws.
 */
export async function collectProviderReports(
  registry: ProviderRegistry,
  timeoutMs: number,
): Promise<ProviderReport[]> {
  const described = await registry.describe();
  const signal = AbortSignal.timeout(timeoutMs);
  return Promise.all(
    described.map(async (info) => {
      const backends =
        (await registry
          .find(info.id)
          ?.inner.backendStatus?.(signal)
          .catch(() => [])) ?? [];
      return {
        id: info.id,
        kind: info.kind,
        healthy: Boolean(info.health?.ok) && info.circuit.state !== 'open',
        message: info.health?.ok ? null : (info.health?.message ?? null),
        circuit: info.circuit.state,
        backends,
      };
    }),
  );
}
