import { createHash, randomUUID } from 'node:crypto';
import type { BatchRecord, BatchRow } from '../../domain/batch.ts';
import { AppError, invalidRequest, notFound } from '../../domain/errors.ts';
import type { Priority } from '../../domain/job.ts';
import { roundUsd } from '../../domain/pricing.ts';
import type { StylePackId } from '../../domain/style-packs.ts';
import { assertFetchableUrl } from '../../net/url-guard.ts';
import { BATCH_FANOUT_QUEUE } from '../../queue/jobs.ts';
import type { ServiceDeps } from '../deps.ts';
import type { BudgetService } from '../generation/budget.service.ts';
import type { Caller } from '../generation/generation.service.ts';
import { routeGeneration } from '../generation/provider-router.ts';
import { checkBatchRows, openRows } from './batch-row-checker.ts';

type Deps = Pick<
  ServiceDeps,
  'db' | 'batches' | 'brands' | 'templates' | 'assets' | 'providers' | 'queue' | 'limits'
> & {
  budget: Pick<BudgetService, 'assertWithinBudget'>;
  /** Checks a request's `destinations` (ids or names) and answers their ids. */
  destinations?: { resolve(idsOrNames: readonly string[]): Promise<string[]> };
};

/** The fields of `POST /v1/batches` besides the rows. */
export interface BatchRequest {
  template: string;
  brand?: string;
  n: number;
  provider?: string;
  model?: string;
  priority: Priority;
  cache: 'exact' | 'similar' | 'off';
  webhook_url?: string;
  /** The column naming each row (file names in the zip, the manifest); default `sku`, else `id`. */
  key_column?: string;
  /** CSV header (or JSON key) → the template param or row option it fills; other columns are ignored. */
  columns?: Record<string, string>;
  /** Publish each succeeded row here: destination ids or names, or `shopify` (row key = product id). */
  destinations?: string[];
  /** The studio's style pack for every row. */
  style_pack?: StylePackId;
  /** The minimum quality score of every image (0..1). */
  min_quality?: number;
}

/** A batch whose rows are planned already (a script's render): each row names its template and size. */
export interface PlannedBatchRequest {
  /** Shown as the batch's `template` (its rows name their own). */
  label: string;
  brand: string;
  n: number;
  priority: Priority;
  provider?: string;
  webhook_url?: string;
  key_column: string;
  script_id: string;
}

/** Rows as JSON objects, or a CSV file's bytes as they arrive. */
export type BatchSource =
  | { kind: 'json'; rows: ReadonlyArray<Record<string, unknown>> }
  | { kind: 'csv'; bytes: AsyncIterable<Uint8Array> };

/**
 * `POST /v1/batches`: reads the rows as they stream in, checks each against the template, stores
 * the valid ones page by page and reports the others by line; then queues the fan-out that turns
 * rows into jobs. The whole file is never held as rows in memory.
 */
export class BatchImportService {
  readonly #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  async create(
    request: BatchRequest,
    source: BatchSource,
    caller: Caller,
    idempotencyKey?: string,
  ): Promise<{ batch: BatchRecord; created: boolean }> {
    const { db, batches } = this.#deps;
    assertFetchableUrl(request.webhook_url, 'webhook_url', this.#deps.limits.allowPrivateUrls);
    const hasher = createHash('sha256').update(JSON.stringify(sortedEntries(request)));
    const hashed = hashingSource(source, hasher);
    if (idempotencyKey) {
      const earlier = await batches.findByIdempotencyKey(db, caller.apiKeyId, idempotencyKey);
      if (earlier) return { batch: await replay(earlier, hashed, hasher), created: false };
    }
    const { template, brand, route } = await this.#plan(request);
    const destinations =
      request.destinations && request.destinations.length > 0
        ? await this.#resolveDestinations(request.destinations)
        : [];

    const id = randomUUID();
    try {
      await batches.insert(db, {
        id,
        api_key_id: caller.apiKeyId,
        template: template.name,
        brand: brand.slug,
        n: request.n,
        provider: request.provider ?? null,
        model: request.model ?? null,
        priority: request.priority,
        cache: request.cache,
        webhook_url: request.webhook_url ?? null,
        destinations,
        key_column: null,
        idempotency_key: idempotencyKey ?? null,
        request_hash: null,
        options: {
          ...(request.style_pack ? { style_pack: request.style_pack } : {}),
          ...(request.min_quality !== undefined ? { min_quality: request.min_quality } : {}),
        },
      });
    } catch (error) {
      if (idempotencyKey && (error as { code?: string }).code === '23505') {
        const earlier = await batches.findByIdempotencyKey(db, caller.apiKeyId, idempotencyKey);
        if (earlier) return { batch: await replay(earlier, hashed, hasher), created: false };
      }
      throw error;
    }
    try {
      const rows = await openRows(hashed);
      const outcome = await checkBatchRows(this.#deps, rows, template, request, (page) =>
        batches.insertRows(db, id, page),
      );
      if (outcome.total === 0) {
        const firstErrors = outcome.errors.slice(0, 5).map((error) => `row ${error.row}: ${error.message}`);
        throw new AppError(
          'unprocessable',
          `No row of the batch is valid; nothing was queued (${firstErrors.join('; ')})`,
          {
            details: { errors: outcome.errors, error_count: outcome.errorCount },
          },
        );
      }
      const estimateUsd = roundUsd(route.estimatedCostUsd * outcome.images);
      await this.#deps.budget.assertWithinBudget(caller.apiKeyId, estimateUsd);
      const batch = await db.transaction(async (tx) => {
        const finished = await batches.finishImport(tx, id, {
          total: outcome.total,
          key_column: outcome.keyColumn,
          errors: outcome.errors,
          error_count: outcome.errorCount,
          cost_estimate_usd: estimateUsd,
          request_hash: hasher.digest('hex'),
        });
        await this.#deps.queue.send(BATCH_FANOUT_QUEUE, { batchId: id }, { priority: 0, sql: tx });
        return finished;
      });
      this.#deps.queue.wake(BATCH_FANOUT_QUEUE);
      return { batch, created: true };
    } catch (error) {
      await batches.delete(db, id).catch(() => {});
      throw error;
    }
  }

  async #resolveDestinations(requested: readonly string[]): Promise<string[]> {
    if (!this.#deps.destinations)
      throw invalidRequest('This server publishes to no destinations', [
        { field: 'destinations', message: 'not available' },
      ]);
    return this.#deps.destinations.resolve(requested);
  }

  /**
   * Queues a batch of rows planned by another capability (a script's storyboard): every row's
   * template must exist (404 naming it), the brand too; the cost is estimated per template and
   * checked against the caller's budget; then the fan-out turns the rows into jobs as for any batch.
   */
  async createPlanned(
    request: PlannedBatchRequest,
    rows: readonly BatchRow[],
    caller: Caller,
    idempotencyKey?: string,
  ): Promise<{ batch: BatchRecord; created: boolean }> {
    const { db, batches } = this.#deps;
    assertFetchableUrl(request.webhook_url, 'webhook_url', this.#deps.limits.allowPrivateUrls);
    if (rows.length === 0) throw new AppError('unprocessable', 'Nothing to render: the plan has no visuals');
    const requestHash = createHash('sha256')
      .update(JSON.stringify([sortedEntries(request), rows]))
      .digest('hex');
    if (idempotencyKey) {
      const earlier = await batches.findByIdempotencyKey(db, caller.apiKeyId, idempotencyKey);
      if (earlier) {
        if (earlier.request_hash !== requestHash) {
          throw new AppError('conflict', 'This Idempotency-Key was already used with a different request', {
            details: { batch_id: earlier.id },
          });
        }
        return { batch: earlier, created: false };
      }
    }
    const brand = await this.#deps.brands.find(db, request.brand);
    if (!brand) throw notFound('Brand', request.brand);
    let estimateUsd = 0;
    const prices = new Map<string, number>();
    for (const row of rows) {
      const name = row.template ?? request.label;
      let price = prices.get(name);
      if (price === undefined) {
        const template = await this.#deps.templates.find(db, name);
        if (!template) throw notFound('Template', name);
        price = routeGeneration(this.#deps.providers, {
          provider: request.provider,
          template: name,
          brand,
          priority: request.priority,
          n: 1,
          width: row.width ?? template.width,
          height: row.height ?? template.height,
        }).estimatedCostUsd;
        prices.set(name, price);
      }
      estimateUsd += price * (row.n ?? request.n);
    }
    estimateUsd = roundUsd(estimateUsd);
    await this.#deps.budget.assertWithinBudget(caller.apiKeyId, estimateUsd);
    const id = randomUUID();
    await batches.insert(db, {
      id,
      api_key_id: caller.apiKeyId,
      template: request.label,
      brand: brand.slug,
      n: request.n,
      provider: request.provider ?? null,
      model: null,
      priority: request.priority,
      cache: 'exact',
      webhook_url: request.webhook_url ?? null,
      key_column: request.key_column,
      idempotency_key: idempotencyKey ?? null,
      request_hash: null,
      script_id: request.script_id,
    });
    try {
      await batches.insertRows(db, id, rows);
      const batch = await db.transaction(async (tx) => {
        const finished = await batches.finishImport(tx, id, {
          total: rows.length,
          key_column: request.key_column,
          errors: [],
          error_count: 0,
          cost_estimate_usd: estimateUsd,
          request_hash: requestHash,
        });
        await this.#deps.queue.send(BATCH_FANOUT_QUEUE, { batchId: id }, { priority: 0, sql: tx });
        return finished;
      });
      this.#deps.queue.wake(BATCH_FANOUT_QUEUE);
      return { batch, created: true };
    } catch (error) {
      await batches.delete(db, id).catch(() => {});
      throw error;
    }
  }

  /**
   * What a batch would cost before anything runs (`POST /v1/estimate`): its rows are checked as
   * for a real batch, and stored nowhere. Cache hits are not foreseen: the estimate is an upper bound.
   */
  async estimate(request: BatchRequest, source: BatchSource) {
    const { template, route } = await this.#plan(request);
    const outcome = await checkBatchRows(
      this.#deps,
      await openRows(source),
      template,
      request,
      async () => {},
    );
    return {
      cost_usd: roundUsd(route.estimatedCostUsd * outcome.images),
      currency: 'USD' as const,
      images: outcome.images,
      provider: route.provider,
      model: route.model,
      rows: outcome.total,
      invalid_rows: outcome.errorCount,
      errors: outcome.errors,
    };
  }

  /** The template, the brand and the route of the batch (its price per image). */
  async #plan(request: BatchRequest) {
    const { db } = this.#deps;
    const template = await this.#deps.templates.find(db, request.template);
    if (!template) throw notFound('Template', request.template);
    const brandSlug = request.brand ?? 'default';
    const brand = await this.#deps.brands.find(db, brandSlug);
    if (!brand) throw notFound('Brand', brandSlug);
    const route = routeGeneration(this.#deps.providers, {
      provider: request.provider,
      model: request.model,
      template: template.name,
      brand,
      priority: request.priority,
      n: 1,
      width: template.width,
      height: template.height,
    });
    return { template, brand, route };
  }
}

/** The same source, feeding every byte (or row) to the request hash as it is read. */
function hashingSource(source: BatchSource, hasher: ReturnType<typeof createHash>): BatchSource {
  if (source.kind === 'json') {
    hasher.update(JSON.stringify(source.rows.map((row) => sortedEntries(row))));
    return source;
  }
  const bytes = source.bytes;
  return {
    kind: 'csv',
    bytes: (async function* () {
      for await (const chunk of bytes) {
        hasher.update(chunk);
        yield chunk;
      }
    })(),
  };
}

/** A repeated Idempotency-Key: the same body gets the earlier batch, another body a 409. */
async function replay(
  earlier: BatchRecord,
  source: BatchSource,
  hasher: ReturnType<typeof createHash>,
): Promise<BatchRecord> {
  if (source.kind === 'csv') for await (const _chunk of source.bytes);
  if (earlier.request_hash === null || earlier.request_hash !== hasher.digest('hex')) {
    throw new AppError('conflict', 'This Idempotency-Key was already used with a different request', {
      details: { batch_id: earlier.id },
    });
  }
  return earlier;
}

function sortedEntries(value: object): Array<[string, unknown]> {
  return Object.entries(value)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
}
