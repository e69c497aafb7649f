import type { JobRecord, JobStatus } from '../domain/job.ts';
import type { Sql } from './client.ts';

export type NewJob = Omit<
  JobRecord,
  'status' | 'attempts' | 'progress' | 'cost_usd' | 'error' | 'warnings' | 'created_at' | 'started_at' | 'finished_at'
>;

const COLUMNS = `id, status, batch_id, api_key_id, prompt, negative_prompt, template, template_version, brand,
  brand_version, provider, model, n, width, height, format, priority, params, seed, attempts, progress, cache,
  cost_usd, error, warnings, metadata, webhook_url, idempotency_key, request_hash, created_at, started_at, finished_at`;

function toJob(row: Record<string, unknown>): JobRecord {
  return {
    ...(row as unknown as JobRecord),
    seed: row.seed === null ? null : Number(row.seed),
  };
}

export interface JobListFilter {
  status?: JobStatus;
  batchId?: string;
  limit: number;
  /** Jobs strictly older than this (created_at, id) position. */
  before?: { createdAt: Date; id: string };
}

export class JobRepository {
  async insert(sql: Sql, job: NewJob): Promise<JobRecord> {
    const rows = await sql.query(
      `INSERT INTO jobs (id, status, batch_id, api_key_id, prompt, negative_prompt, template, template_version,
         brand, brand_version, provider, model, n, width, height, format, priority, params, seed, cache, metadata,
         webhook_url, idempotency_key, request_hash)
       VALUES ($1, 'queued', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
         $21, $22, $23)
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
      ],
    );
    return toJob(rows[0]!);
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
    if (filter.batchId) {
      params.push(filter.batchId);
      where.push(`batch_id = $${params.length}`);
    }
    if (filter.before) {
      params.push(filter.before.createdAt, filter.before.id);
      where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(filter.limit);
    const rows = await sql.query(
      `SELECT ${COLUMNS} FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toJob);
  }

  /** Claims a queued job for a run; null when it is not queued (finished, canceled, or already running). */
  async markRunning(sql: Sql, id: string): Promise<JobRecord | null> {
    const rows = await sql.query(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1, progress = 0,
         started_at = coalesce(started_at, now()), updated_at = now()
       WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  async updateProgress(sql: Sql, id: string, progress: number): Promise<void> {
    await sql.query(`UPDATE jobs SET progress = $2, updated_at = now() WHERE id = $1 AND status = 'running'`, [
      id,
      progress,
    ]);
  }

  /** Back to the queue after a retryable failure; the error stays visible until the next attempt. */
  async markRetrying(sql: Sql, id: string, error: JobRecord['error']): Promise<void> {
    await sql.query(
      `UPDATE jobs SET status = 'queued', error = $2, updated_at = now() WHERE id = $1 AND status = 'running'`,
      [id, JSON.stringify(error)],
    );
  }

  async markSucceeded(
    sql: Sql,
    id: string,
    outcome: { model: string; costUsd: number; warnings: unknown[] },
  ): Promise<JobRecord | null> {
    const rows = await sql.query(
      `UPDATE jobs SET status = 'succeeded', progress = 1, model = $2, cost_usd = $3, warnings = $4, error = NULL,
         finished_at = now(), updated_at = now()
       WHERE id = $1 AND status = 'running' RETURNING ${COLUMNS}`,
      [id, outcome.model, outcome.costUsd, JSON.stringify(outcome.warnings)],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  async markFailed(sql: Sql, id: string, error: NonNullable<JobRecord['error']>): Promise<JobRecord | null> {
    const rows = await sql.query(
      `UPDATE jobs SET status = 'failed', error = $2, finished_at = now(), updated_at = now()
       WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${COLUMNS}`,
      [id, JSON.stringify(error)],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  async markCanceled(sql: Sql, id: string): Promise<JobRecord | null> {
    const rows = await sql.query(
      `UPDATE jobs SET status = 'canceled', finished_at = now(), updated_at = now()
       WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** Jobs accepted but not finished: after a restart they are handed to the queue again. */
  async listUnfinished(sql: Sql, afterId: string | null, limit: number): Promise<JobRecord[]> {
    const rows = await sql.query(
      `SELECT ${COLUMNS} FROM jobs WHERE status IN ('queued', 'running') AND ($1::uuid IS NULL OR id > $1::uuid)
       ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map(toJob);
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
