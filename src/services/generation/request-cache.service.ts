import type { JobRecord } from '../../domain/job.ts';
import {
  type CacheableRequest,
  exactCacheKey,
  normalizePrompt,
  similarityScope,
} from '../../domain/request-cache.ts';
import { SimilarPromptIndex } from '../../domain/similar-prompt-index.ts';
import type { ServiceDeps } from '../deps.ts';
import type { GenerationPlan } from './generation-plan.ts';

type Deps = Pick<ServiceDeps, 'db' | 'cache' | 'providers' | 'logger'> & {
  settings: { maxEntries: number; similarThreshold: number };
  /** Counts lookups for /metrics. */
  onLookup?: (kind: 'exact' | 'similar', hit: boolean) => void;
};

export type CacheMode = 'exact' | 'similar' | 'off';

export interface CacheHit {
  jobId: string;
  kind: 'exact' | 'similar';
}

/** How often (in entries recorded by this process) the cache is trimmed to its size bound. */
const EVICT_EVERY = 100;
const CATCH_UP_PAGE = 5000;

/**
 * The request cache. Exact: a job whose normalized request equals an earlier succeeded one gets
 * that job's images (new asset rows over the same blobs) and costs nothing. Similar (opt-in): a
 * prompt at least `similarThreshold` alike within the same scope. Bounded to `maxEntries`, least
 * recently used first out.
 */
export class RequestCacheService {
  readonly #deps: Deps;
  readonly #index = new SimilarPromptIndex();
  #indexedUntil: Date | null = null;
  #recordedSinceEviction = 0;
  #catchingUp: Promise<void> | null = null;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  describe(plan: GenerationPlan, request: { n: number; seed?: number }): CacheableRequest {
    return {
      provider: plan.providerId,
      model: plan.model,
      prompt: plan.prompt,
      negativePrompt: plan.negativePrompt,
      width: plan.width,
      height: plan.height,
      format: plan.format,
      askedSeed: request.seed ?? null,
      template: plan.template?.name ?? null,
      templateVersion: plan.template?.version ?? null,
      brand: plan.brand.slug,
      brandVersion: plan.brand.version,
      params: plan.params,
      n: request.n,
      layouts: this.#deps.providers.find(plan.providerId)?.capabilities.layouts ?? false,
      options: plan.options,
    };
  }

  key(request: CacheableRequest, mode: CacheMode): string | null {
    return mode === 'off' ? null : exactCacheKey(request);
  }

  async lookup(request: CacheableRequest, mode: CacheMode): Promise<CacheHit | null> {
    if (mode === 'off') return null;
    const { db, cache } = this.#deps;
    const exact = await cache.hit(db, exactCacheKey(request));
    this.#deps.onLookup?.('exact', exact !== null);
    if (exact) return { jobId: exact, kind: 'exact' };
    if (mode !== 'similar') return null;
    this.#catchingUp ??= this.#catchUp().finally(() => {
      this.#catchingUp = null;
    });
    await this.#catchingUp;
    const match = this.#index.find(
      similarityScope(request),
      request.prompt,
      this.#deps.settings.similarThreshold,
    );
    const similar = match ? await cache.hit(db, match.id) : null;
    this.#deps.onLookup?.('similar', similar !== null);
    return similar ? { jobId: similar, kind: 'similar' } : null;
  }

  /** After a job succeeded: its images answer its request from now on. */
  async record(job: JobRecord): Promise<void> {
    if (!job.cache_key || job.cache !== 'miss') return;
    const { db, cache, providers } = this.#deps;
    const scope = similarityScope({
      provider: job.provider,
      model: job.model,
      prompt: job.prompt,
      negativePrompt: job.negative_prompt,
      width: job.width,
      height: job.height,
      format: job.format,
      askedSeed: null,
      template: job.template,
      templateVersion: job.template_version,
      brand: job.brand,
      brandVersion: job.brand_version,
      params: job.params,
      n: job.n,
      layouts: providers.find(job.provider)?.capabilities.layouts ?? false,
    });
    await cache.insert(db, {
      request_key: job.cache_key,
      scope_key: scope,
      job_id: job.id,
      prompt: normalizePrompt(job.prompt),
    });
    if (++this.#recordedSinceEviction >= EVICT_EVERY) {
      this.#recordedSinceEviction = 0;
      const evicted = await cache.evictBeyond(db, this.#deps.settings.maxEntries);
      if (evicted > 0) this.#deps.logger.info({ evicted }, 'request cache trimmed');
    }
  }

  /** Entries recorded since the last lookup (by any process) join the in-memory index. */
  async #catchUp(): Promise<void> {
    for (;;) {
      const entries = await this.#deps.cache.listSince(this.#deps.db, this.#indexedUntil, CATCH_UP_PAGE);
      for (const entry of entries) this.#index.add(entry.request_key, entry.scope_key, entry.prompt);
      if (entries.length > 0) this.#indexedUntil = entries.at(-1)!.created_at;
      if (entries.length < CATCH_UP_PAGE) return;
    }
  }
}
