import { AppError } from '../domain/errors.ts';
import { type PriceQuery, type PriceTable, pricePerImage } from '../domain/pricing.ts';
import type { Routing } from '../domain/routing.ts';
import type { GuardedProvider, GuardState } from './guard/guarded-provider.ts';
import type { ProviderHealth } from './spec.ts';

export interface ProviderInfo extends GuardState {
  id: string;
  kind: string;
  default_model: string;
  models: readonly string[];
  capabilities: GuardedProvider['capabilities'];
  health: ProviderHealth | null;
  /** Whether routing sends new work here now (false while its circuit is open). */
  available: boolean;
  prices: PriceTable;
}

export interface RegisteredProvider {
  provider: GuardedProvider;
  prices: PriceTable;
  /** The quality the provider is configured to ask for (OpenAI `quality`), for its price. */
  quality?: string;
}

const HEALTH_TTL_MS = 30_000;

/** The configured image providers by id, with their prices, routing rules and last known health. */
export class ProviderRegistry {
  readonly #providers = new Map<string, RegisteredProvider>();
  readonly #health = new Map<string, ProviderHealth>();
  readonly #defaultId: string;
  readonly routing: Routing;

  constructor(providers: readonly RegisteredProvider[], options: { defaultId: string; routing?: Routing }) {
    for (const entry of providers) this.#providers.set(entry.provider.id, entry);
    if (!this.#providers.has(options.defaultId))
      throw new Error(`default provider '${options.defaultId}' is not configured`);
    this.#defaultId = options.defaultId;
    this.routing = options.routing ?? { rules: [] };
  }

  get defaultId(): string {
    return this.#defaultId;
  }

  /**
   * Where a plain prompt goes when nothing else decides: the first configured image model (a
   * provider that does not only lay out templates), in configuration order; null when there is none.
   */
  get defaultImageModelId(): string | null {
    for (const [id, entry] of this.#providers) if (!entry.provider.capabilities.layouts) return id;
    return null;
  }

  ids(): string[] {
    return [...this.#providers.keys()];
  }

  find(id: string): GuardedProvider | undefined {
    return this.#providers.get(id)?.provider;
  }

  get(id: string): GuardedProvider {
    const provider = this.find(id);
    if (!provider) throw new AppError('invalid_request', `Provider '${id}' is not configured`);
    return provider;
  }

  /** What one image of `query` costs on provider `id`, in USD. */
  pricePerImage(id: string, query: PriceQuery): number {
    const entry = this.#providers.get(id);
    return entry ? pricePerImage(entry.prices, { quality: entry.quality, ...query }) : 0;
  }

  /** Checks every provider whose last check is older than the TTL (or all, with `refresh`). */
  async describe(options: { refresh?: boolean } = {}): Promise<ProviderInfo[]> {
    return Promise.all(
      [...this.#providers.values()].map(async ({ provider, prices }) => ({
        id: provider.id,
        kind: provider.kind,
        default_model: provider.defaultModel,
        models: provider.models,
        capabilities: provider.capabilities,
        health: await this.#checkHealth(provider, options.refresh ?? false),
        available: provider.isAvailable(),
        prices,
        ...provider.guardState(),
      })),
    );
  }

  async #checkHealth(provider: GuardedProvider, refresh: boolean): Promise<ProviderHealth> {
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
