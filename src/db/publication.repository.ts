import type { Sql } from './client.ts';

export type PublicationKind = 'shopify' | 'http' | 'bucket';
export type PublicationStatus = 'pending' | 'succeeded' | 'failed';

/** One delivery of a succeeded job's images to one destination, with its attempts. */
export interface PublicationRecord {
  id: string;
  job_id: string;
  batch_id: string | null;
  /** `shopify`, or a destination id. */
  destination: string;
  kind: PublicationKind;
  /** What it publishes to: a product id, a rendered URL, an object key. */
  target: string;
  status: PublicationStatus;
  attempts: number;
  error_code: string | null;
  last_status_code: number | null;
  last_error: string | null;
  request: Record<string, unknown>;
  response_excerpt: string | null;
  progress: Record<string, unknown>;
  replay_of: string | null;
  created_at: Date;
  last_attempt_at: Date | null;
  finished_at: Date | null;
}

export type NewPublication = Pick<
  PublicationRecord,
  'id' | 'job_id' | 'batch_id' | 'destination' | 'kind' | 'target' | 'replay_of'
>;

const COLUMNS = `id, job_id, batch_id, destination, kind, target, status, attempts, error_code, last_status_code, last_error,
  request, response_excerpt, progress, replay_of, created_at, last_attempt_at, finished_at`;

export class PublicationRepository {
  /** Inserts those not there yet (one per job and destination); returns the ids inserted. */
  async insertMany(sql: Sql, publications: readonly NewPublication[]): Promise<string[]> {
    if (publications.length === 0) return [];
    const rows = await sql.query<{ id: string }>(
      `INSERT INTO publications (id, job_id, batch_id, destination, kind, target, status, replay_of)
       SELECT p.id, p.job_id, p.batch_id, p.destination, p.kind, p.target, 'pending', p.replay_of
       FROM jsonb_to_recordset($1::jsonb)
         AS p(id uuid, job_id uuid, batch_id text, destination text, kind text, target text, replay_of uuid)
       ON CONFLICT DO NOTHING RETURNING id`,
      [JSON.stringify(publications)],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Every succeeded job of the batch gets a publication per destination of the batch (those it
   * has are kept): one statement, for cache hits and anything an event missed.
   */
  async insertForBatch(
    sql: Sql,
    batchId: string,
    kinds: Readonly<Record<string, 'shopify' | 'http' | 'bucket'>>,
  ): Promise<string[]> {
    const entries = Object.entries(kinds);
    if (entries.length === 0) return [];
    const rows = await sql.query<{ id: string }>(
      `INSERT INTO publications (id, job_id, batch_id, destination, kind, target, status)
       SELECT gen_random_uuid(), j.id, j.batch_id, d.destination, d.kind, CASE WHEN d.kind = 'shopify' THEN coalesce(r.row_key, '') ELSE '' END, 'pending'
       FROM jobs j
       JOIN batch_rows r ON r.job_id = j.id AND r.batch_id = j.batch_id
       CROSS JOIN jsonb_to_recordset($2::jsonb) AS d(destination text, kind text)
       WHERE j.batch_id = $1 AND j.status = 'succeeded'
       ON CONFLICT DO NOTHING RETURNING id`,
      [batchId, JSON.stringify(entries.map(([destination, kind]) => ({ destination, kind })))],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Shopify renders of the last day that succeeded without a publication (the process that
   * finished them stopped before publishing): their publications, created now.
   */
  async insertMissingShopify(sql: Sql): Promise<string[]> {
    const rows = await sql.query<{ id: string }>(
      `INSERT INTO publications (id, job_id, batch_id, destination, kind, target, status)
       SELECT gen_random_uuid(), j.id, j.batch_id, 'shopify', 'shopify', j.metadata->>'shopify_product_id', 'pending'
       FROM jobs j
       WHERE j.status = 'succeeded' AND j.finished_at > now() - interval '1 day' AND j.metadata ? 'shopify_product_id'
         AND NOT EXISTS (SELECT 1 FROM publications p WHERE p.job_id = j.id AND p.destination = 'shopify')
       ON CONFLICT DO NOTHING RETURNING id`,
    );
    return rows.map((row) => row.id);
  }

  async find(sql: Sql, id: string): Promise<PublicationRecord | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const rows = await sql.query<PublicationRecord>(`SELECT ${COLUMNS} FROM publications WHERE id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  async listForBatch(
    sql: Sql,
    batchId: string,
    filter: { status?: PublicationStatus; unreplayed?: boolean; limit: number; after?: string },
  ): Promise<PublicationRecord[]> {
    return sql.query<PublicationRecord>(
      `SELECT ${COLUMNS} FROM publications p WHERE batch_id = $1 AND ($2::text IS NULL OR status = $2)
         AND ($3::uuid IS NULL OR id > $3)
         AND (NOT $5 OR NOT EXISTS (SELECT 1 FROM publications r WHERE r.replay_of = p.id))
       ORDER BY id LIMIT $4`,
      [batchId, filter.status ?? null, filter.after ?? null, filter.limit, filter.unreplayed ?? false],
    );
  }

  async listForJobs(sql: Sql, jobIds: readonly string[]): Promise<PublicationRecord[]> {
    if (jobIds.length === 0) return [];
    return sql.query<PublicationRecord>(
      `SELECT ${COLUMNS} FROM publications WHERE job_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [jobIds],
    );
  }

  /** Per destination and status, for a batch's view. */
  async countForBatch(
    sql: Sql,
    batchId: string,
  ): Promise<Array<{ destination: string; status: PublicationStatus; count: number }>> {
    const rows = await sql.query<{ destination: string; status: PublicationStatus; count: string | number }>(
      `SELECT destination, status, count(*) AS count FROM publications
       WHERE batch_id = $1 AND id NOT IN (SELECT replay_of FROM publications WHERE replay_of IS NOT NULL AND batch_id = $1)
       GROUP BY destination, status ORDER BY destination, status`,
      [batchId],
    );
    return rows.map((row) => ({ ...row, count: Number(row.count) }));
  }

  async hasPendingFor(sql: Sql, kind: PublicationKind, target: string): Promise<boolean> {
    const rows = await sql.query(
      `SELECT 1 FROM publications WHERE kind = $1 AND target = $2 AND status = 'pending' LIMIT 1`,
      [kind, target],
    );
    return rows.length > 0;
  }

  async saveProgress(sql: Sql, id: string, progress: Record<string, unknown>): Promise<void> {
    await sql.query('UPDATE publications SET progress = $2 WHERE id = $1', [id, JSON.stringify(progress)]);
  }

  /** One attempt; `final` ends it succeeded or failed, else it stays pending for the next. */
  async recordAttempt(
    sql: Sql,
    id: string,
    outcome: {
      ok: boolean;
      final: boolean;
      statusCode: number | null;
      errorCode: string | null;
      error: string | null;
      request: Record<string, unknown>;
      responseExcerpt: string | null;
    },
  ): Promise<PublicationRecord | null> {
    const rows = await sql.query<PublicationRecord>(
      `UPDATE publications SET attempts = attempts + 1, last_attempt_at = now(), last_status_code = $2, error_code = $3,
         last_error = $4, request = $5, response_excerpt = $6,
         status = CASE WHEN $7 THEN 'succeeded' WHEN $8 THEN 'failed' ELSE 'pending' END,
         finished_at = CASE WHEN $7 OR $8 THEN now() END
       WHERE id = $1 AND status = 'pending' RETURNING ${COLUMNS}`,
      [
        id,
        outcome.statusCode,
        outcome.errorCode,
        outcome.error,
        JSON.stringify(outcome.request),
        outcome.responseExcerpt,
        outcome.ok,
        outcome.final && !outcome.ok,
      ],
    );
    return rows[0] ?? null;
  }
}
