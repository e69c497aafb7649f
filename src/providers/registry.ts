import { AppError } from '../domain/errors.ts';
import type { ImageProvider, ProviderHealth } from './spec.ts';

export interface ProviderInfo {
  id: string;
  kind: string;
  default_model: string;
  models: readonly string[];
  capabilities: ImageProvider['capabilities'];
  health: ProviderHealth | null;
}

const HEALTH_TTL_MS = 30_000;

/** The configured image providers, by id, with their last known health. */
export class ProviderRegistry {
  readonly #providers = new Map<string, ImageProvider>();
  readonly #health = new Map<string, ProviderHealth>();
  readonly #defaultId: string;

  constructor(providers: readonly ImageProvider[], defaultId: string) {
    for (const provider of providers) this.#providers.set(provider.id, provider);
    if (!this.#providers.has(defaultId)) throw new Error(`default provider '${defaultId}' is not configured`);
    this.#defaultId = defaultId;
  }

  get defaultId(): string {
    return this.#defaultId;
  }

  ids(): string[] {
    return [...this.#providers.keys()];
  }

  find(id: string): ImageProvider | undefined {
    return this.#providers.get(id);
  }

  get(id: string): ImageProvider {
    const provider = this.#providers.get(id);
    if (!provider) throw new AppError('invalid_request', `Provider '${id}' is not configured`);
    return provider;
  }

  /** Checks every provider whose last check is older than the TTL, at most one check per provider at once. */
  async describe(options: { refresh?: boolean } = {}): Promise<ProviderInfo[]> {
    return Promise.all(
      [...this.#providers.values()].map(async (provider) => ({
        id: provider.id,
        kind: provider.kind,
        default_model: provider.defaultModel,
        models: provider.models,
        capabilities: provider.capabilities,
        health: await this.#checkHealth(provider, options.refresh ?? false),
      })),
    );
  }

  async #checkHealth(provider: ImageProvider, refresh: boolean): Promise<ProviderHealth> {
    const cached = this.#health.get(provider.id);
    if (!refresh && cached && Date.now() - Date.parse(cached.checkedAt) < HEALTH_TTL_MS) return cached;
    let health: ProviderHealth;
    try {
      health = await provider.checkHealth(AbortSignal.timeout(5000));
    } catch (error) {
      health = { ok: false, message: (error as Error).message, checkedAt: new Date().toISOString() };
    }
    this.#health.set(provider.id, health);
    return health;
  }
}
