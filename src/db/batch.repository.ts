import type { BatchRecord, BatchRow, BatchRowError, BatchStatus } from '../domain/batch.ts';
import type { JobStatus } from '../domain/job.ts';
import type { Sql } from './client.ts';

export type NewBatch = Omit<
  BatchRecord,
  | 'status'
  | 'total'
  | 'errors'
  | 'error_count'
  | 'cost_estimate_usd'
  | 'created_at'
  | 'finished_at'
  | 'script_id'
  | 'options'
  | 'destinations'
> & { options?: BatchRecord['options']; destinations?: string[]; script_id?: string | null };

const COLUMNS = `id, status, api_key_id, template, brand, n, provider, model, priority, cache, webhook_url, destinations,
  key_column, total, errors, error_count, cost_estimate_usd, idempotency_key, request_hash, options, script_id,
  created_at, finished_at`;

/** A row of the manifest: the imported row, its job's state, and its images' asset ids in order. */
export interface ManifestRow {
  position: number;
  line: number;
  row_key: string | null;
  /** The row's unique file name stem (null for rows imported before names were stored). */
  file_stem: string | null;
  job_id: string | null;
  status: JobStatus | null;
  error: { code: string; message: string } | null;
  asset_ids: string[];
  asset_formats: string[];
  asset_shas: string[];
  template: string | null;
  group_name: string | null;
  /** Each image's quality score (null for images without one), in image order. */
  asset_scores: Array<number | null>;
  /** The job's warnings (see job-warnings.ts). */
  warnings: unknown[] | null;
}

export class BatchRepository {
  async insert(sql: Sql, batch: NewBatch): Promise<BatchRecord> {
    const rows = await sql.query(
      `INSERT INTO batches (id, status, api_key_id, template, brand, n, provider, model, priority, cache, webhook_url,
         key_column, idempotency_key, request_hash, options, destinations, script_id)
       VALUES ($1, 'importing', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING ${COLUMNS}`,
      [
        batch.id,
        batch.api_key_id,
        batch.template,
        batch.brand,
        batch.n,
        batch.provider,
        batch.model,
        batch.priority,
        batch.cache,
        batch.webhook_url,
        batch.key_column,
        batch.idempotency_key,
        batch.request_hash,
        JSON.stringify(batch.options ?? {}),
        batch.destinations ?? [],
        batch.script_id ?? null,
      ],
    );
    return rows[0] as unknown as BatchRecord;
  }

  /** One statement per page of rows: a 100,000-row import is 200 inserts, not 100,000. */
  async insertRows(sql: Sql, batchId: string, rows: readonly BatchRow[]): Promise<void> {
    if (rows.length === 0) return;
    await sql.query(
      `INSERT INTO batch_rows (batch_id, position, line, row_key, file_stem, params, n, seed, brand, template, width,
         height, style_pack, group_name)
       SELECT $1, r.position, r.line, r.row_key, r.file_stem, r.params, r.n, r.seed, r.brand, r.template, r.width,
         r.height, r.style_pack, r.group_name
       FROM jsonb_to_recordset($2::jsonb)
         AS r(position integer, line integer, row_key text, file_stem text, params jsonb, n integer, seed bigint,
              brand text, template text, width integer, height integer, style_pack text, group_name text)`,
      [batchId, JSON.stringify(rows)],
    );
  }

  async finishImport(
    sql: Sql,
    id: string,
    outcome: {
      total: number;
      key_column: string | null;
      errors: BatchRowError[];
      error_count: number;
      cost_estimate_usd: number;
      request_hash: string;
    },
  ): Promise<BatchRecord> {
    const rows = await sql.query(
      `UPDATE batches SET status = 'queued', total = $2, key_column = $3, errors = $4, error_count = $5,
         cost_estimate_usd = $6, request_hash = $7, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        outcome.total,
        outcome.key_column,
        JSON.stringify(outcome.errors),
        outcome.error_count,
        outcome.cost_estimate_usd,
        outcome.request_hash,
      ],
    );
    return rows[0] as unknown as BatchRecord;
  }

  async delete(sql: Sql, id: string): Promise<void> {
    await sql.query('DELETE FROM batches WHERE id = $1', [id]);
  }

  async findById(sql: Sql, id: string): Promise<BatchRecord | null> {
    const rows = await sql.query(`SELECT ${COLUMNS} FROM batches WHERE id = $1`, [id]);
    return (rows[0] as unknown as BatchRecord | undefined) ?? null;
  }

  /**
   * Batches newest first (imports still running are not batches yet), after the batch `before`;
   * its position is read from its row, exact to the microsecond (see JobRepository.list).
   */
  async list(sql: Sql, filter: { limit: number; before?: { id: string } }): Promise<BatchRecord[]> {
    const params: unknown[] = [filter.limit];
    let after = '';
    if (filter.before) {
      params.push(filter.before.id);
      after =
        'AND (created_at, id) < (SELECT cursor.created_at, cursor.id FROM batches cursor WHERE cursor.id = $2)';
    }
    const rows = await sql.query(
      `SELECT ${COLUMNS} FROM batches WHERE status <> 'importing' ${after}
       ORDER BY created_at DESC, id DESC LIMIT $1`,
      params,
    );
    return rows as unknown as BatchRecord[];
  }

  /** Read in the fan-out's transaction: a concurrent cancel waits for it, then sees its jobs. */
  async lockStatus(tx: Sql, id: string): Promise<BatchRecord['status'] | null> {
    const rows = await tx.query<{ status: BatchRecord['status'] }>(
      'SELECT status FROM batches WHERE id = $1 FOR SHARE',
      [id],
    );
    return rows[0]?.status ?? null;
  }

  async findByIdempotencyKey(sql: Sql, apiKeyId: string | null, key: string): Promise<BatchRecord | null> {
    const rows = await sql.query(
      `SELECT ${COLUMNS} FROM batches WHERE coalesce(api_key_id, '') = coalesce($1, '') AND idempotency_key = $2`,
      [apiKeyId, key],
    );
    return (rows[0] as unknown as BatchRecord | undefined) ?? null;
  }

  /** Batches whose rows may still need jobs or whose jobs may still run (for a restart). */
  async listActiveIds(sql: Sql): Promise<string[]> {
    const rows = await sql.query<{ id: string }>(
      `SELECT id FROM batches WHERE status IN ('queued', 'running') ORDER BY created_at`,
    );
    return rows.map((row) => row.id);
  }

  /** Imports cut off by a crash never answered their request; they are dropped. */
  async deleteAbandonedImports(sql: Sql, olderThanSeconds: number): Promise<number> {
    const rows = await sql.query(
      `DELETE FROM batches WHERE status = 'importing' AND updated_at < now() - make_interval(secs => $1)
       RETURNING id`,
      [olderThanSeconds],
    );
    return rows.length;
  }

  /** The next rows without a job, in row order. */
  async listPendingRows(sql: Sql, batchId: string, limit: number): Promise<BatchRow[]> {
    const rows = await sql.query(
      `SELECT position, line, row_key, file_stem, params, n, seed, brand, template, width, height, style_pack,
         group_name
       FROM batch_rows WHERE batch_id = $1 AND job_id IS NULL ORDER BY position LIMIT $2`,
      [batchId, limit],
    );
    return rows.map((row) => ({
      ...(row as unknown as BatchRow),
      seed: row.seed === null ? null : Number(row.seed),
    }));
  }

  /**
   * Locks those of `positions` that still have no job, skipping rows another fan-out holds; runs in
   * the transaction that creates their jobs, so a row never gets two.
   */
  async lockPendingPositions(tx: Sql, batchId: string, positions: readonly number[]): Promise<number[]> {
    const rows = await tx.query<{ position: number }>(
      `SELECT position FROM batch_rows WHERE batch_id = $1 AND position = ANY($2::int[]) AND job_id IS NULL
       ORDER BY position FOR UPDATE SKIP LOCKED`,
      [batchId, positions],
    );
    return rows.map((row) => row.position);
  }

  async assignJobs(
    tx: Sql,
    batchId: string,
    assignments: ReadonlyArray<{ position: number; job_id: string }>,
  ) {
    await tx.query(
      `UPDATE batch_rows SET job_id = a.job_id
       FROM jsonb_to_recordset($2::jsonb) AS a(position integer, job_id uuid)
       WHERE batch_rows.batch_id = $1 AND batch_rows.position = a.position AND batch_rows.job_id IS NULL`,
      [batchId, JSON.stringify(assignments)],
    );
  }

  async countRowsWithoutJob(sql: Sql, batchId: string): Promise<number> {
    const rows = await sql.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM batch_rows WHERE batch_id = $1 AND job_id IS NULL',
      [batchId],
    );
    return rows[0]?.count ?? 0;
  }

  async countUnfinishedJobs(sql: Sql, batchId: string): Promise<number> {
    const rows = await sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM jobs WHERE batch_id = $1 AND status IN ('queued', 'running')`,
      [batchId],
    );
    return rows[0]?.count ?? 0;
  }

  async countJobsByStatus(sql: Sql, batchId: string): Promise<Partial<Record<JobStatus, number>>> {
    const rows = await sql.query<{ status: JobStatus; count: number }>(
      'SELECT status, count(*)::int AS count FROM jobs WHERE batch_id = $1 GROUP BY status',
      [batchId],
    );
    return Object.fromEntries(rows.map((row) => [row.status, row.count]));
  }

  /**
   * What the batch's jobs cost, and its quality checks: images that passed (made here, not from
   * the cache) and checks that failed (each one made again, or its job failed with image_invalid).
   */
  async costAndQuality(
    sql: Sql,
    batchId: string,
  ): Promise<{ costUsd: number; passedImages: number; failedChecks: number }> {
    const rows = await sql.query<{ cost: number | null; passed: number | null; failed: number | null }>(
      `SELECT sum(cost_usd) AS cost,
         sum(n) FILTER (WHERE status = 'succeeded' AND cache = 'miss')::int AS passed,
         (sum(quality_retries) + count(*) FILTER (WHERE status = 'failed' AND error->>'code' = 'image_invalid'))::int
           AS failed
       FROM jobs WHERE batch_id = $1`,
      [batchId],
    );
    return {
      costUsd: Number(rows[0]?.cost ?? 0),
      passedImages: Number(rows[0]?.passed ?? 0),
      failedChecks: Number(rows[0]?.failed ?? 0),
    };
  }

  /** Moves a batch to `queued`, `running` or `canceled`; `finishIfDone` sets the final status and time. */
  async setStatus(sql: Sql, id: string, status: BatchStatus, from: readonly BatchStatus[]): Promise<boolean> {
    const rows = await sql.query(
      `UPDATE batches SET status = $2, updated_at = now(), finished_at = NULL
       WHERE id = $1 AND status = ANY($3::text[]) RETURNING id`,
      [id, status, from],
    );
    return rows.length > 0;
  }

  /**
   * Ends a batch when every row has a job and none is queued or running. One statement, so of
   * several processes hearing the last job finish, exactly one sees `true`.
   */
  async finishIfDone(sql: Sql, id: string): Promise<BatchRecord | null> {
    const rows = await sql.query(
      `UPDATE batches b SET finished_at = now(), updated_at = now(),
         status = CASE WHEN b.status = 'canceled' THEN 'canceled'
                       WHEN EXISTS (SELECT 1 FROM jobs WHERE batch_id = b.id AND status = 'failed') THEN 'failed'
                       ELSE 'succeeded' END
       WHERE b.id = $1 AND b.finished_at IS NULL AND b.status IN ('queued', 'running', 'canceled')
         AND (b.status = 'canceled' OR NOT EXISTS (SELECT 1 FROM batch_rows WHERE batch_id = b.id AND job_id IS NULL))
         AND NOT EXISTS (SELECT 1 FROM jobs WHERE batch_id = b.id AND status IN ('queued', 'running'))
       RETURNING ${COLUMNS}`,
      [id],
    );
    return (rows[0] as unknown as BatchRecord | undefined) ?? null;
  }

  /** Cancels every queued job of the batch; their queue entries are dropped when delivered. */
  async cancelQueuedJobs(sql: Sql, batchId: string): Promise<number> {
    const rows = await sql.query(
      `UPDATE jobs SET status = 'canceled', finished_at = now(), updated_at = now()
       WHERE batch_id = $1 AND status = 'queued' RETURNING id`,
      [batchId],
    );
    return rows.length;
  }

  async listJobIds(sql: Sql, batchId: string, status: JobStatus, limit: number): Promise<string[]> {
    const rows = await sql.query<{ id: string }>(
      'SELECT id FROM jobs WHERE batch_id = $1 AND status = $2 ORDER BY id LIMIT $3',
      [batchId, status, limit],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Puts failed jobs back in the queue for a new attempt (attempts keep counting), up to `limit`
   * per call; returns what the queue needs to run them.
   */
  async requeueFailedJobs(
    tx: Sql,
    batchId: string,
    limit: number,
  ): Promise<Array<{ id: string; attempts: number; queue_job_id: string; priority: string }>> {
    return tx.query(
      `UPDATE jobs SET status = 'queued', error = NULL, progress = 0, finished_at = NULL, updated_at = now(),
         queue_job_id = gen_random_uuid()
       WHERE id IN (SELECT id FROM jobs WHERE batch_id = $1 AND status = 'failed' ORDER BY id LIMIT $2 FOR UPDATE)
       RETURNING id, attempts, queue_job_id, priority`,
      [batchId, limit],
    );
  }

  /** A page of the manifest after row `afterPosition`, in row order. */
  async manifestPage(
    sql: Sql,
    batchId: string,
    afterPosition: number,
    limit: number,
  ): Promise<ManifestRow[]> {
    return sql.query<ManifestRow>(
      `SELECT r.position, r.line, r.row_key, r.file_stem, r.job_id, j.status, j.error, j.warnings, r.template,
         r.group_name,
         coalesce(array_agg(a.id ORDER BY a.position) FILTER (WHERE a.id IS NOT NULL), '{}') AS asset_ids,
         coalesce(array_agg(a.format ORDER BY a.position) FILTER (WHERE a.id IS NOT NULL), '{}') AS asset_formats,
         coalesce(array_agg(a.sha256 ORDER BY a.position) FILTER (WHERE a.id IS NOT NULL), '{}') AS asset_shas,
         coalesce(array_agg((a.quality->>'score')::double precision ORDER BY a.position)
           FILTER (WHERE a.id IS NOT NULL), '{}') AS asset_scores
       FROM batch_rows r
       LEFT JOIN jobs j ON j.id = r.job_id
       LEFT JOIN assets a ON a.job_id = r.job_id AND j.status = 'succeeded'
       WHERE r.batch_id = $1 AND r.position > $2
       GROUP BY r.position, r.line, r.row_key, r.file_stem, r.job_id, j.status, j.error, j.warnings, r.template,
         r.group_name
       ORDER BY r.position LIMIT $3`,
      [batchId, afterPosition, limit],
    );
  }
}
