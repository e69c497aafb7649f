import { createHash, randomUUID } from 'node:crypto';
import type { JobListFilter, NewJob } from '../../db/job.repository.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import { isFinished, type JobRecord, queuePriority } from '../../domain/job.ts';
import { GENERATE_QUEUE } from '../../queue/jobs.ts';
import { CatalogCache } from '../brands/catalog-cache.ts';
import type { ServiceDeps } from '../deps.ts';
import type { BudgetService } from './budget.service.ts';
import {
  type GenerationPlan,
  type GenerationRequest,
  jobColumnsFromPlan,
  planGeneration,
} from './generation-plan.ts';
import { knownOf } from './job-events.ts';
import type { RequestCacheService } from './request-cache.service.ts';

type Deps = Pick<
  ServiceDeps,
  | 'db'
  | 'jobs'
  | 'assets'
  | 'cache'
  | 'brands'
  | 'templates'
  | 'providers'
  | 'queue'
  | 'events'
  | 'logger'
  | 'limits'
> & { requestCache: RequestCacheService; budget: Pick<BudgetService, 'assertWithinBudget'> };

export interface Caller {
  apiKeyId: string | null;
}

export interface CreatedJob {
  job: JobRecord;
  /** False when an Idempotency-Key matched an earlier request and its job is returned instead. */
  created: boolean;
}

const DB_POLL_MS = 1000;

/** Use cases of single generations: create, read, list, cancel, wait, preview. */
export class GenerationService {
  readonly #deps: Deps;
  /** Attempts running in this process, so a cancel can stop them at once. */
  readonly #running = new Map<string, AbortController>();

  /** The catalog as planning reads it: one small query per job instead of two documents. */
  readonly #catalog: CatalogCache;

  constructor(deps: Deps) {
    this.#deps = deps;
    this.#catalog = new CatalogCache(deps);
  }

  preview(request: GenerationRequest): Promise<GenerationPlan> {
    return planGeneration({ ...this.#deps, catalog: this.#catalog }, request);
  }

  async create(request: GenerationRequest, caller: Caller, idempotencyKey?: string): Promise<CreatedJob> {
    const { db, jobs, queue } = this.#deps;
    const requestHash = idempotencyKey ? hashRequest(request) : null;
    if (idempotencyKey) {
      const earlier = await jobs.findByIdempotencyKey(db, caller.apiKeyId, idempotencyKey);
      if (earlier) return this.#replay(earlier, requestHash!);
    }
    const plan = await planGeneration({ ...this.#deps, catalog: this.#catalog }, request);
    const { requestCache } = this.#deps;
    const cacheable = requestCache.describe(plan, request);
    const hit = await requestCache.lookup(cacheable, request.cache);
    // A cache hit costs nothing, so only a miss can pass the key's budget.
    if (!hit) await this.#deps.budget.assertWithinBudget(caller.apiKeyId, plan.estimatedCostUsd);
    const id = randomUUID();
    const fields: NewJob = {
      id,
      batch_id: null,
      api_key_id: caller.apiKeyId,
      ...jobColumnsFromPlan(plan),
      n: request.n,
      priority: request.priority,
      cache: hit?.kind ?? 'miss',
      metadata: request.metadata ?? {},
      webhook_url: request.webhook_url ?? null,
      idempotency_key: idempotencyKey ?? null,
      request_hash: requestHash,
      queue_job_id: hit ? null : id,
      cache_key: requestCache.key(cacheable, request.cache),
      cost_estimate_usd: hit ? 0 : plan.estimatedCostUsd,
    };
    let job: JobRecord;
    try {
      // The job row and its queue entry commit together: an accepted job is never lost. A cache
      // hit needs no queue: the job is born succeeded, over the earlier job's images.
      job = await db.transaction(async (tx) => {
        if (hit) {
          await jobs.insertMany(tx, [{ ...fields, status: 'succeeded', cost_usd: 0 }]);
          await this.#deps.cache.copyAssets(tx, [{ from: hit.jobId, to: id }]);
          return (await jobs.findById(tx, id))!;
        }
        const inserted = await jobs.insert(tx, fields);
        await queue.send(
          GENERATE_QUEUE,
          { jobId: id, attempt: 1 },
          { id, priority: queuePriority(request.priority), sql: tx },
        );
        return inserted;
      });
    } catch (error) {
      // Two requests with one Idempotency-Key raced; the loser answers like a replay.
      if (idempotencyKey && isUniqueViolation(error)) {
        const earlier = await jobs.findByIdempotencyKey(db, caller.apiKeyId, idempotencyKey);
        if (earlier) return this.#replay(earlier, requestHash!);
      }
      throw error;
    }
    if (hit) {
      this.#deps.events.publish({ type: 'done', jobId: id, status: 'succeeded', ...knownOf(job) });
      return { job, created: true };
    }
    queue.wake(GENERATE_QUEUE);
    this.#deps.events.publish({ type: 'status', jobId: id, status: 'queued', attempts: 0 });
    return { job, created: true };
  }

  #replay(earlier: JobRecord, requestHash: string): CreatedJob {
    if (earlier.request_hash !== requestHash) {
      throw new AppError('conflict', 'This Idempotency-Key was already used with a different request body', {
        details: { job_id: earlier.id },
      });
    }
    return { job: earlier, created: false };
  }

  async get(id: string): Promise<JobRecord> {
    const job = await this.#deps.jobs.findById(this.#deps.db, id);
    if (!job) throw notFound('Job', id);
    return job;
  }

  list({ cursor, ...filter }: Omit<JobListFilter, 'before'> & { cursor?: string }) {
    return this.#deps.jobs.list(this.#deps.db, {
      ...filter,
      before: cursor ? decodeCursor(cursor) : undefined,
    });
  }

  async cancel(id: string): Promise<JobRecord> {
    const { db, jobs, queue, events } = this.#deps;
    const job = await this.get(id);
    if (isFinished(job.status)) return job;
    const canceled = await jobs.markCanceled(db, id);
    if (!canceled) return this.get(id);
    if (job.status === 'queued' && job.queue_job_id) {
      await queue.cancel(GENERATE_QUEUE, job.queue_job_id).catch(() => {
        // Already picked up: the worker sees the canceled row and drops the delivery.
      });
    }
    this.#running.get(id)?.abort(new AppError('canceled', 'The job was canceled', { retryable: false }));
    events.publish({ type: 'done', jobId: id, status: 'canceled', ...knownOf(canceled) });
    return canceled;
  }

  /** Resolves with the job once it is finished, or as it is when `timeoutMs` passes. */
  async waitForFinish(id: string, timeoutMs: number, signal?: AbortSignal): Promise<JobRecord> {
    const job = await this.get(id);
    if (isFinished(job.status) || timeoutMs <= 0) return job;
    await new Promise<void>((resolve) => {
      const stop = () => {
        clearTimeout(timer);
        clearInterval(poll);
        unsubscribe();
        signal?.removeEventListener('abort', stop);
        resolve();
      };
      const timer = setTimeout(stop, timeoutMs);
      // Workers in other processes do not publish here; the database is the common ground.
      const poll = setInterval(async () => {
        const current = await this.#deps.jobs.findById(this.#deps.db, id).catch(() => null);
        if (current && isFinished(current.status)) stop();
      }, DB_POLL_MS);
      const unsubscribe = this.#deps.events.subscribe(id, (event) => {
        if (event.type === 'done') stop();
      });
      signal?.addEventListener('abort', stop);
    });
    return this.get(id);
  }

  /** The runner registers each attempt it runs so `cancel` can abort it. */
  trackRunning(jobId: string, controller: AbortController): () => void {
    this.#running.set(jobId, controller);
    return () => {
      if (this.#running.get(jobId) === controller) this.#running.delete(jobId);
    };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The `next_cursor` after `record` (a job or a batch): its id; the database knows its position. */
export function encodeCursor(record: { id: string }): string {
  return Buffer.from(record.id).toString('base64url');
}

/** A `cursor` query parameter back to the id it names; anything else is a 400 naming `cursor`. */
export function decodeCursor(cursor: string): { id: string } {
  const text = Buffer.from(cursor, 'base64url').toString();
  // Cursors handed out before were `<ISO time>|<id>`; the id is all that is needed.
  const id = text.includes('|') ? text.slice(text.lastIndexOf('|') + 1) : text;
  if (!UUID.test(id)) {
    throw new AppError('invalid_request', 'cursor is not valid', {
      details: { issues: [{ field: 'cursor', message: 'use next_cursor of the previous page' }] },
    });
  }
  return { id };
}

function hashRequest(request: GenerationRequest): string {
  return createHash('sha256').update(stableStringify(request)).digest('hex');
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableStringify(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}
