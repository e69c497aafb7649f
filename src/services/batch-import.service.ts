import { createHash, randomUUID } from 'node:crypto';
import { type BatchRecord, type BatchRow, type BatchRowError, chooseKeyColumn } from '../domain/batch.ts';
import { checkColumns, checkRow } from '../domain/batch-row.ts';
import { AppError, notFound } from '../domain/errors.ts';
import type { Priority } from '../domain/job.ts';
import { roundUsd } from '../domain/pricing.ts';
import type { Template } from '../domain/template.ts';
import { BATCH_FANOUT_QUEUE } from '../queue/jobs.ts';
import { openCsv } from './batch-csv-reader.ts';
import type { BudgetService } from './budget.service.ts';
import type { ServiceDeps } from './deps.ts';
import type { Caller } from './generation.service.ts';
import { routeGeneration } from './provider-router.ts';

type Deps = Pick<
  ServiceDeps,
  'db' | 'batches' | 'brands' | 'templates' | 'assets' | 'providers' | 'queue'
> & {
  budget: Pick<BudgetService, 'assertWithinBudget'>;
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
}

/** Rows as JSON objects, or a CSV file's bytes as they arrive. */
export type BatchSource =
  | { kind: 'json'; rows: ReadonlyArray<Record<string, unknown>> }
  | { kind: 'csv'; bytes: AsyncIterable<Uint8Array> };

export const MAX_BATCH_ROWS = 100_000;
/** Invalid rows kept on the batch; `error_count` has them all. */
const MAX_REPORTED_ERRORS = 1000;
const ROWS_PER_INSERT = 1000;

interface ImportedRows {
  headers: string[];
  records: AsyncIterable<{ line: number; fields: Record<string, unknown>; fieldCount: number | null }>;
}

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
    const hasher = createHash('sha256').update(JSON.stringify(sortedEntries(request)));
    const hashed = hashingSource(source, hasher);
    if (idempotencyKey) {
      const earlier = await batches.findByIdempotencyKey(db, caller.apiKeyId, idempotencyKey);
      if (earlier) return { batch: await replay(earlier, hashed, hasher), created: false };
    }
    const { template, brand, route } = await this.#plan(request);

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
        key_column: null,
        idempotency_key: idempotencyKey ?? null,
        request_hash: null,
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
      const outcome = await this.#checkRows(rows, template, request, (page) =>
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

  /**
   * What a batch would cost before anything runs (`POST /v1/estimate`): its rows are checked as
   * for a real batch, and stored nowhere. Cache hits are not foreseen: the estimate is an upper bound.
   */
  async estimate(request: BatchRequest, source: BatchSource) {
    const { template, route } = await this.#plan(request);
    const outcome = await this.#checkRows(await openRows(source), template, request, async () => {});
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

  /** Checks every row; valid ones go to `store` a page at a time, invalid ones are reported. */
  async #checkRows(
    rows: ImportedRows,
    template: Template,
    request: BatchRequest,
    store: (page: BatchRow[]) => Promise<void>,
  ) {
    const { db } = this.#deps;
    const keyColumn = chooseKeyColumn(rows.headers, request.key_column);
    const columns = checkColumns(rows.headers, template, keyColumn);
    const fileProblems = [
      ...columns.unknown.map((name) => ({
        field: name,
        message: `is not a param of template ${template.name}`,
      })),
      ...columns.missingRequired.map((name) => ({
        field: name,
        message: 'is a required param; add the column',
      })),
      ...(columns.missingKey && keyColumn
        ? [{ field: keyColumn, message: 'key_column names no column' }]
        : []),
    ];
    if (fileProblems.length > 0) {
      throw new AppError(
        'invalid_request',
        `The columns do not fit template ${template.name} (its params: ${template.params.map((p) => p.name).join(', ')}; also n, seed, brand and a key column)`,
        { details: { issues: fileProblems } },
      );
    }
    const errors: BatchRowError[] = [];
    let errorCount = 0;
    const reject = (row: number, message: string) => {
      errorCount++;
      if (errors.length < MAX_REPORTED_ERRORS) errors.push({ row, message });
    };
    const firstLineOfKey = new Map<string, number>();
    const knownBrands = new Map<string, boolean>();
    const knownAssets = new Map<string, boolean>();
    let page: BatchRow[] = [];
    let total = 0;
    let images = 0;
    for await (const record of rows.records) {
      if (total + errorCount >= MAX_BATCH_ROWS) {
        throw new AppError('payload_too_large', `A batch has at most ${MAX_BATCH_ROWS} rows`);
      }
      if (record.fieldCount !== null && record.fieldCount !== rows.headers.length) {
        reject(record.line, `has ${record.fieldCount} fields; the header has ${rows.headers.length}`);
        continue;
      }
      const checked = checkRow(record.fields, template, keyColumn);
      if (!checked.ok) {
        reject(record.line, checked.message);
        continue;
      }
      const row = checked.row;
      if (row.key !== null) {
        const first = firstLineOfKey.get(row.key);
        if (first !== undefined) {
          reject(record.line, `duplicate ${keyColumn} '${row.key}' (first on row ${first})`);
          continue;
        }
        firstLineOfKey.set(row.key, record.line);
      }
      if (
        row.brand &&
        !(await this.#exists(knownBrands, row.brand, (slug) => this.#deps.brands.find(db, slug)))
      ) {
        reject(record.line, `brand '${row.brand}' does not exist`);
        continue;
      }
      const missingAsset = await this.#firstMissingAsset(knownAssets, row.assetIds);
      if (missingAsset) {
        reject(record.line, `'${missingAsset}' is neither an http(s) URL nor an asset id`);
        continue;
      }
      total++;
      images += row.n ?? request.n;
      page.push({
        position: total,
        line: record.line,
        row_key: row.key,
        params: row.params,
        n: row.n,
        seed: row.seed,
        brand: row.brand,
      });
      if (page.length >= ROWS_PER_INSERT) {
        await store(page);
        page = [];
      }
    }
    if (page.length > 0) await store(page);
    return { total, images, errors, errorCount, keyColumn };
  }

  async #exists(known: Map<string, boolean>, id: string, find: (id: string) => Promise<unknown>) {
    let found = known.get(id);
    if (found === undefined) {
      found = (await find(id)) !== null;
      known.set(id, found);
    }
    return found;
  }

  async #firstMissingAsset(known: Map<string, boolean>, ids: readonly string[]): Promise<string | null> {
    for (const id of ids) {
      if (!(await this.#exists(known, id, (assetId) => this.#deps.assets.findById(this.#deps.db, assetId))))
        return id;
    }
    return null;
  }
}

/** The rows of either source, with spreadsheet lines for CSV and 1-based positions for JSON. */
async function openRows(source: BatchSource): Promise<ImportedRows> {
  if (source.kind === 'csv') {
    const file = await openCsv(source.bytes);
    return { headers: file.headers, records: file.records };
  }
  const headers = [...new Set(source.rows.flatMap((row) => Object.keys(row)))];
  return {
    headers,
    records: (async function* () {
      for (const [index, fields] of source.rows.entries())
        yield { line: index + 1, fields, fieldCount: null };
    })(),
  };
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
