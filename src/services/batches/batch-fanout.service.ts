import { randomUUID } from 'node:crypto';
import type { NewJob } from '../../db/job.repository.ts';
import type { BatchRecord, BatchRow } from '../../domain/batch.ts';
import { isAppError, toJobError } from '../../domain/errors.ts';
import { queuePriority } from '../../domain/job.ts';
import type { StylePackId } from '../../domain/style-packs.ts';
import { BATCH_FANOUT_QUEUE, GENERATE_QUEUE } from '../../queue/jobs.ts';
import type { ServiceDeps } from '../deps.ts';
import { jobColumnsFromPlan, planGeneration } from '../generation/generation-plan.ts';
import type { RequestCacheService } from '../generation/request-cache.service.ts';

type Deps = Pick<
  ServiceDeps,
  | 'db'
  | 'batches'
  | 'jobs'
  | 'assets'
  | 'cache'
  | 'brands'
  | 'templates'
  | 'providers'
  | 'queue'
  | 'logger'
  | 'limits'
> & {
  batchLimits: { window: number };
  requestCache: Pick<RequestCacheService, 'describe' | 'lookup' | 'key'>;
};

/** A row's job; `copyFrom`: the earlier job whose images a cache hit reuses. */
type PageJob = NewJob & {
  status: 'queued' | 'succeeded' | 'failed';
  cost_usd: number;
  error: unknown;
  copyFrom?: string;
};

/** Rows planned and inserted per transaction. */
const PAGE_SIZE = 200;
/** When the window is full and no job of the batch finishes here, look again after this long. */
const WINDOW_FULL_RECHECK_MS = 2000;

/**
 * Turns a batch's rows into jobs, a page per transaction (jobs, their queue entries and the rows'
 * job ids commit together), keeping at most `window` of the batch's jobs unfinished. The window is
 * what makes batches fair: each has only a slice of the queue at a time, refilled as its jobs
 * finish, so two batches interleave instead of one waiting behind the other's 100,000 rows.
 * Resumable by construction: the rows without a job are the work left.
 */
export class BatchFanoutService {
  readonly #deps: Deps;
  /** Batches being filled in this process, so a burst of finished jobs starts one fill, not many. */
  readonly #filling = new Map<string, Promise<void>>();

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  /** The queue handler: fills the window; when it is full, checks back later through the queue. */
  async run(batchId: string): Promise<void> {
    const outcome = await this.fill(batchId);
    if (outcome === 'window_full') {
      await this.#deps.queue.send(
        BATCH_FANOUT_QUEUE,
        { batchId },
        { priority: 0, startAfterMs: WINDOW_FULL_RECHECK_MS },
      );
    }
  }

  /** Fills the window now (a job of the batch finished here); joins a fill already under way. */
  nudge(batchId: string): Promise<void> {
    const running = this.#filling.get(batchId);
    if (running) return running;
    const started = this.fill(batchId)
      .then(() => {})
      .finally(() => this.#filling.delete(batchId));
    this.#filling.set(batchId, started);
    return started;
  }

  async fill(batchId: string): Promise<'done' | 'window_full' | 'inactive'> {
    const { db, batches, queue } = this.#deps;
    const batch = await batches.findById(db, batchId);
    if (!batch || (batch.status !== 'queued' && batch.status !== 'running')) return 'inactive';
    if (batch.status === 'queued') await batches.setStatus(db, batchId, 'running', ['queued']);
    const planDeps = memoizedPlanDeps(this.#deps);
    for (;;) {
      const { window } = this.#deps.batchLimits;
      const room = window - (await batches.countUnfinishedJobs(db, batchId));
      // Refilled in pages of at least a quarter window, not one job per finished job.
      if (room < Math.max(1, Math.floor(window / 4))) return 'window_full';
      const rows = await batches.listPendingRows(db, batchId, Math.min(room, PAGE_SIZE));
      if (rows.length === 0) return 'done';
      // Planned before the transaction: the embedded database runs one transaction at a time, and
      // planning reads brands and templates outside it.
      const planned = await Promise.all(rows.map((row) => this.#jobFor(planDeps, batch, row)));
      const created = await db.transaction(async (tx) => {
        if ((await batches.lockStatus(tx, batchId)) !== 'running') return null;
        // Another process may have taken some of these rows meanwhile; only the ones still free count.
        const free = new Set(
          await batches.lockPendingPositions(
            tx,
            batchId,
            rows.map((row) => row.position),
          ),
        );
        const jobs = planned.filter((_, index) => free.has(rows[index]!.position));
        const positions = rows.filter((row) => free.has(row.position)).map((row) => row.position);
        await this.#deps.jobs.insertMany(tx, jobs);
        await this.#deps.cache.copyAssets(
          tx,
          jobs.flatMap((job) => (job.copyFrom ? [{ from: job.copyFrom, to: job.id }] : [])),
        );
        await queue.sendMany(
          GENERATE_QUEUE,
          jobs
            .filter((job) => job.status === 'queued')
            .map((job) => ({
              id: job.id,
              payload: { jobId: job.id, attempt: 1 },
              priority: queuePriority(job.priority),
            })),
          { sql: tx },
        );
        await batches.assignJobs(
          tx,
          batchId,
          positions.map((position, index) => ({ position, job_id: jobs[index]!.id })),
        );
        return positions.length;
      });
      if (created === null) return 'inactive';
      queue.wake(GENERATE_QUEUE);
    }
  }

  /** The row's job: planned like a single generation; a row that cannot be planned fails at once. */
  async #jobFor(
    planDeps: Parameters<typeof planGeneration>[0],
    batch: BatchRecord,
    row: BatchRow,
  ): Promise<PageJob> {
    const id = randomUUID();
    const base = {
      id,
      batch_id: batch.id,
      api_key_id: batch.api_key_id,
      priority: batch.priority,
      n: row.n ?? batch.n,
      cache: 'miss' as const,
      metadata: {
        batch_row: row.line,
        ...(row.row_key === null ? {} : { batch_key: row.row_key }),
        ...(row.group_name ? { batch_group: row.group_name } : {}),
        ...(row.file_stem ? { batch_file: row.file_stem } : {}),
      },
      // A batch's webhook_url hears `batch.finished`, not one call per row.
      webhook_url: null,
      idempotency_key: null,
      request_hash: null,
      queue_job_id: id,
      cost_usd: 0,
    };
    try {
      const plan = await planGeneration(planDeps, {
        template: row.template ?? batch.template,
        width: row.width ?? undefined,
        height: row.height ?? undefined,
        params: { ...row.params },
        brand: row.brand ?? batch.brand,
        n: base.n,
        provider: batch.provider ?? undefined,
        model: batch.model ?? undefined,
        seed: row.seed ?? undefined,
        priority: batch.priority,
        cache: batch.cache,
        // A row's own pack (a script segment's mood) wins over the batch's.
        style_pack: (row.style_pack ?? batch.options?.style_pack) as StylePackId | undefined,
        min_quality: batch.options?.min_quality,
      });
      const cacheable = this.#deps.requestCache.describe(plan, { n: base.n, seed: row.seed ?? undefined });
      const hit = await this.#deps.requestCache.lookup(cacheable, batch.cache);
      return {
        ...base,
        ...(hit
          ? { status: 'succeeded', cache: hit.kind, copyFrom: hit.jobId, queue_job_id: null }
          : { status: 'queued' }),
        cache_key: this.#deps.requestCache.key(cacheable, batch.cache),
        cost_estimate_usd: hit ? 0 : plan.estimatedCostUsd,
        error: null,
        ...jobColumnsFromPlan(plan),
      };
    } catch (error) {
      if (!isAppError(error)) throw error;
      return {
        ...base,
        status: 'failed',
        error: toJobError(error),
        prompt: '',
        negative_prompt: '',
        template: row.template ?? batch.template,
        template_version: null,
        brand: row.brand ?? batch.brand,
        brand_version: 0,
        provider: batch.provider ?? '',
        model: batch.model ?? '',
        width: 0,
        height: 0,
        format: 'png',
        params: row.params,
        seed: row.seed,
        fallback: [],
      };
    }
  }
}

/** Brands and templates looked up once per fill, not once per row. */
function memoizedPlanDeps(deps: Deps): Parameters<typeof planGeneration>[0] {
  const memo = <Repository extends { find(sql: never, key: string): Promise<unknown> }>(
    repository: Repository,
  ) => {
    const found = new Map<string, Promise<unknown>>();
    const wrapper = Object.create(repository) as Repository;
    wrapper.find = ((sql: never, key: string) => {
      let result = found.get(key);
      if (!result) {
        result = repository.find(sql, key);
        found.set(key, result);
      }
      return result;
    }) as Repository['find'];
    return wrapper;
  };
  return {
    db: deps.db,
    assets: deps.assets,
    providers: deps.providers,
    limits: deps.limits,
    brands: memo(deps.brands),
    templates: memo(deps.templates),
  };
}
