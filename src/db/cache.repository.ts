import type { Sql } from './client.ts';

export interface CacheEntry {
  request_key: string;
  scope_key: string;
  job_id: string;
  prompt: string;
  created_at: Date;
}

/** The request cache's entries: key → the succeeded job whose images answer it. */
export class CacheRepository {
  /** The entry's job, when it still exists and succeeded; marks the entry used (LRU). */
  async hit(sql: Sql, requestKey: string): Promise<string | null> {
    const rows = await sql.query<{ job_id: string }>(
      `UPDATE cache_entries c SET hits = hits + 1, last_hit_at = now()
       FROM jobs j WHERE c.request_key = $1 AND j.id = c.job_id AND j.status = 'succeeded'
       RETURNING c.job_id`,
      [requestKey],
    );
    return rows[0]?.job_id ?? null;
  }

  async insert(sql: Sql, entry: Omit<CacheEntry, 'created_at'>): Promise<void> {
    await sql.query(
      `INSERT INTO cache_entries (request_key, scope_key, job_id, prompt) VALUES ($1, $2, $3, $4)
       ON CONFLICT (request_key) DO NOTHING`,
      [entry.request_key, entry.scope_key, entry.job_id, entry.prompt],
    );
  }

  /** Entries created after `after` (all when null), oldest first: how a near-duplicate index catches up. */
  async listSince(sql: Sql, after: Date | null, limit: number): Promise<CacheEntry[]> {
    return sql.query<CacheEntry>(
      `SELECT request_key, scope_key, job_id, prompt, created_at FROM cache_entries
       WHERE created_at > coalesce($1::timestamptz, '-infinity') ORDER BY created_at LIMIT $2`,
      [after, limit],
    );
  }

  /** Keeps the `maxEntries` most recently used entries. */
  async evictBeyond(sql: Sql, maxEntries: number): Promise<number> {
    const rows = await sql.query(
      `DELETE FROM cache_entries WHERE request_key IN (
         SELECT request_key FROM cache_entries ORDER BY last_hit_at DESC OFFSET $1)
       RETURNING request_key`,
      [maxEntries],
    );
    return rows.length;
  }

  async count(sql: Sql): Promise<number> {
    const rows = await sql.query<{ count: number }>('SELECT count(*)::int AS count FROM cache_entries');
    return rows[0]?.count ?? 0;
  }

  /**
   * New asset rows for `toJobId` that point at the blobs of `fromJobId`'s images: no bytes are
   * copied. The earlier job's warnings come along: they are about these same images (a failed
   * quality check must not vanish because the answer came from the cache).
   */
  async copyAssets(sql: Sql, pairs: ReadonlyArray<{ from: string; to: string }>): Promise<void> {
    if (pairs.length === 0) return;
    await sql.query(
      `INSERT INTO assets (id, job_id, position, sha256, format, width, height, bytes, seed, provider, model, prompt,
         negative_prompt, template, template_version, brand, brand_version, quality)
       SELECT gen_random_uuid()::text, p.to_job, a.position, a.sha256, a.format, a.width, a.height, a.bytes, a.seed,
         a.provider, a.model, a.prompt, a.negative_prompt, a.template, a.template_version, a.brand, a.brand_version,
         a.quality
       FROM jsonb_to_recordset($1::jsonb) AS p(from_job uuid, to_job uuid)
       JOIN assets a ON a.job_id = p.from_job`,
      [JSON.stringify(pairs.map((pair) => ({ from_job: pair.from, to_job: pair.to })))],
    );
    await sql.query(
      `UPDATE jobs AS target SET warnings = source.warnings
       FROM jsonb_to_recordset($1::jsonb) AS p(from_job uuid, to_job uuid)
       JOIN jobs AS source ON source.id = p.from_job
       WHERE target.id = p.to_job`,
      [JSON.stringify(pairs.map((pair) => ({ from_job: pair.from, to_job: pair.to })))],
    );
  }
}
