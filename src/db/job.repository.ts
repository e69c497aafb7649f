import type { JobRecord, JobStatus } from '../domain/job.ts';
import type { Sql } from './client.ts';

export type NewJob = Omit<
  JobRecord,
  | 'status'
  | 'attempts'
  | 'progress'
  | 'cost_usd'
  | 'error'
  | 'warnings'
  | 'created_at'
  | 'started_at'
  | 'finished_at'
  | 'cache_key'
  | 'options'
> & { cache_key?: string | null; cost_estimate_usd?: number; options?: JobRecord['options'] };

const COLUMNS = `id, status, batch_id, api_key_id, prompt, negative_prompt, template, template_version, brand,
  brand_version, provider, model, n, width, height, format, priority, params, seed, attempts, progress, cache,
  cost_usd, error, warnings, metadata, webhook_url, idempotency_key, request_hash, queue_job_id, fallback, cache_key, options, created_at, started_at, finished_at`;

function toJob(row: Record<string, unknown>): JobRecord {
  return {
    ...(row as unknown as JobRecord),
    seed: row.seed === null ? null : Number(row.seed),
  };
}

export interface JobListFilter {
  status?: JobStatus;
  batchId?: string;
  template?: string;
  brand?: string;
  provider?: string;
  /** Jobs created at or after this instant. */
  createdAfter?: Date;
  /** Jobs created strictly before this instant. */
  createdBefore?: Date;
  /** A case-insensitive piece of the prompt or the template's name. */
  text?: string;
  limit: number;
  /**
   * Jobs after this one in the listing's order (created_at, id descending). The position is read
   * from the row itself, so it is exact at the database's microseconds: jobs created in one
   * transaction share a timestamp, and a cursor rounded to milliseconds would skip them.
   */
  before?: { id: string };
}

export class JobRepository {
  async insert(sql: Sql, job: NewJob): Promise<JobRecord> {
    const rows = await sql.query(
      `INSERT INTO jobs (id, status, batch_id, api_key_id, prompt, negative_prompt, template, template_version,
         brand, brand_version, provider, model, n, width, height, format, priority, params, seed, cache, metadata,
         webhook_url, idempotency_key, request_hash, queue_job_id, fallback, cache_key, cost_estimate_usd, options)
       VALUES ($1, 'queued', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
         $21, $22, $23, $24, $25, $26, $27, $28)
       RETURNING ${COLUMNS}`,
      [
        job.id,
        job.batch_id,
        job.api_key_id,
        job.prompt,
        job.negative_prompt,
        job.template,
        job.template_version,
        job.brand,
        job.brand_version,
        job.provider,
        job.model,
        job.n,
        job.width,
        job.height,
        job.format,
        job.priority,
        JSON.stringify(job.params),
        job.seed,
        job.cache,
        JSON.stringify(job.metadata),
        job.webhook_url,
        job.idempotency_key,
        job.request_hash,
        job.queue_job_id,
        JSON.stringify(job.fallback),
        job.cache_key ?? null,
        job.cost_estimate_usd ?? 0,
        JSON.stringify(job.options ?? {}),
      ],
    );
    return toJob(rows[0]!);
  }

  /**
   * Inserts many jobs in one statement (a page of a batch's fan-out); `status` lets a cache hit be
   * recorded as succeeded at once, and a row that cannot be planned as failed. Returns nothing: the caller built every row itself.
   */
  async insertMany(
    sql: Sql,
    jobs: ReadonlyArray<
      NewJob & { status: 'queued' | 'succeeded' | 'failed'; cost_usd: number; error?: unknown }
    >,
  ): Promise<void> {
    if (jobs.length === 0) return;
    await sql.query(
      `INSERT INTO jobs (id, status, batch_id, api_key_id, prompt, negative_prompt, template, template_version,
         brand, brand_version, provider, model, n, width, height, format, priority, params, seed, cache, metadata,
         webhook_url, idempotency_key, request_hash, queue_job_id, fallback, cache_key, cost_estimate_usd, cost_usd, error, progress,
         started_at,
         finished_at, options)
       SELECT j.id, j.status, j.batch_id, j.api_key_id, j.prompt, j.negative_prompt, j.template, j.template_version,
         j.brand, j.brand_version, j.provider, j.model, j.n, j.width, j.height, j.format, j.priority, j.params, j.seed,
         j.cache, j.metadata, j.webhook_url, j.idempotency_key, j.request_hash, j.queue_job_id, j.fallback, j.cache_key,
         coalesce(j.cost_estimate_usd, 0), j.cost_usd, j.error, CASE WHEN j.status = 'succeeded' THEN 1 ELSE 0 END,
         CASE WHEN j.status = 'succeeded' THEN now() END, CASE WHEN j.status <> 'queued' THEN now() END,
         coalesce(j.options, '{}'::jsonb)
       FROM jsonb_to_recordset($1::jsonb) AS j(id uuid, status text, batch_id text, api_key_id text, prompt text,
         negative_prompt text, template text, template_version integer, brand text, brand_version integer,
         provider text, model text, n integer, width integer, height integer, format text, priority text,
         params jsonb, seed bigint, cache text, metadata jsonb, webhook_url text, idempotency_key text,
         request_hash text, queue_job_id uuid, fallback jsonb, cache_key text, cost_estimate_usd double precision,
         cost_usd double precision,
         error jsonb, options jsonb)`,
      [JSON.stringify(jobs)],
    );
  }

  async findById(sql: Sql, id: string): Promise<JobRecord | null> {
    if (!isUuid(id)) return null;
    const rows = await sql.query(`SELECT ${COLUMNS} FROM jobs WHERE id = $1`, [id]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  async findByIdempotencyKey(sql: Sql, apiKeyId: string | null, key: string): Promise<JobRecord | null> {
    const rows = await sql.query(
      `SELECT ${COLUMNS} FROM jobs WHERE coalesce(api_key_id, '') = coalesce($1, '') AND idempotency_key = $2`,
      [apiKeyId, key],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  async list(sql: Sql, filter: JobListFilter): Promise<JobRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    const equal: Array<[string, string | undefined]> = [
      ['batch_id', filter.batchId],
      ['template', filter.template],
      ['brand', filter.brand],
      ['provider', filter.provider],
    ];
    for (const [column, value] of equal) {
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    if (filter.createdAfter) {
      params.push(filter.createdAfter);
      where.push(`created_at >= $${params.length}`);
    }
    if (filter.createdBefore) {
      params.push(filter.createdBefore);
      where.push(`created_at < $${params.length}`);
    }
    if (filter.text) {
      // LIKE wildcards in the search text are matched literally.
      params.push(`%${filter.text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
      where.push(`(prompt ILIKE $${params.length} OR coalesce(template, '') ILIKE $${params.length})`);
    }
    if (filter.before) {
      params.push(filter.before.id);
      where.push(
        `(created_at, id) < (SELECT cursor.created_at, cursor.id FROM jobs cursor WHERE cursor.id = $${params.length})`,
      );
    }
    params.push(filter.limit);
    const rows = await sql.query(
      `SELECT ${COLUMNS} FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toJob);
  }

  /**
   * Claims attempt `attempt` of a job. It succeeds for the attempt that is due (queued, previous
   * attempt done) and for a redelivery of the attempt that was running when its worker died; any
   * other delivery (stale, duplicate, canceled, finished) gets null and is dropped.
   */
  async claimAttempt(sql: Sql, id: string, attempt: number): Promise<JobRecord | null> {
    const rows = await sql.query(
      `UPDATE jobs SET status = 'running', attempts = $2, progress = 0, started_at = coalesce(started_at, now()),
         updated_at = now()
       WHERE id = $1 AND ((status = 'queued' AND attempts = $2 - 1) OR (status = 'running' AND attempts = $2))
       RETURNING ${COLUMNS}`,
      [id, attempt],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** Records progress; false when the job is no longer running that attempt (canceled meanwhile). */
  async updateProgress(sql: Sql, id: string, attempt: number, progress: number): Promise<boolean> {
    const rows = await sql.query(
      `UPDATE jobs SET progress = $3, updated_at = now() WHERE id = $1 AND status = 'running' AND attempts = $2
       RETURNING id`,
      [id, attempt, progress],
    );
    return rows.length > 0;
  }

  async recordQualityRetries(sql: Sql, id: string, attempt: number, count: number): Promise<void> {
    await sql.query(
      `UPDATE jobs SET quality_retries = $3, updated_at = now() WHERE id = $1 AND status = 'running' AND attempts = $2`,
      [id, attempt, count],
    );
  }

  /** Back to the queue after a retryable failure; the error stays visible until the next attempt. */
  async markRetrying(
    sql: Sql,
    id: string,
    attempt: number,
    error: JobRecord['error'],
    queueJobId: string,
  ): Promise<boolean> {
    const rows = await sql.query(
      `UPDATE jobs SET status = 'queued', error = $3, queue_job_id = $4, progress = 0, updated_at = now()
       WHERE id = $1 AND status = 'running' AND attempts = $2 RETURNING id`,
      [id, attempt, JSON.stringify(error), queueJobId],
    );
    return rows.length > 0;
  }

  async markSucceeded(
    sql: Sql,
    id: string,
    attempt: number,
    outcome: { provider: string; model: string; costUsd: number; warnings: unknown[] },
  ): Promise<JobRecord | null> {
    const rows = await sql.query(
      `UPDATE jobs SET status = 'succeeded', progress = 1, provider = $3, model = $4, cost_usd = $5, warnings = $6,
         error = NULL, finished_at = now(), updated_at = now()
       WHERE id = $1 AND status = 'running' AND attempts = $2 RETURNING ${COLUMNS}`,
      [id, attempt, outcome.provider, outcome.model, outcome.costUsd, JSON.stringify(outcome.warnings)],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  async markFailed(
    sql: Sql,
    id: string,
    attempt: number,
    error: NonNullable<JobRecord['error']>,
  ): Promise<JobRecord | null> {
    const rows = await sql.query(
      `UPDATE jobs SET status = 'failed', error = $3, finished_at = now(), updated_at = now()
       WHERE id = $1 AND status = 'running' AND attempts = $2 RETURNING ${COLUMNS}`,
      [id, attempt, JSON.stringify(error)],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** Queue job ids of attempts marked running: after a crash of the only process, all are orphans. */
  async listRunningQueueJobIds(sql: Sql): Promise<string[]> {
    const rows = await sql.query<{ queue_job_id: string }>(
      `SELECT queue_job_id FROM jobs WHERE status = 'running' AND queue_job_id IS NOT NULL`,
    );
    return rows.map((row) => row.queue_job_id);
  }

  async markCanceled(sql: Sql, id: string): Promise<JobRecord | null> {
    const rows = await sql.query(
      `UPDATE jobs SET status = 'canceled', finished_at = now(), updated_at = now()
       WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  async countByStatus(sql: Sql): Promise<Record<string, number>> {
    const rows = await sql.query<{ status: string; count: number }>(
      'SELECT status, count(*)::int AS count FROM jobs GROUP BY status',
    );
    return Object.fromEntries(rows.map((row) => [row.status, row.count]));
  }
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
