import type { Sql } from './client.ts';

export interface UsageRow {
  day: string;
  api_key_id: string | null;
  /** The key's name, so screens can show it; null for jobs without a key or a deleted key. */
  api_key_name: string | null;
  provider: string;
  jobs: number;
  images: number;
  cost_usd: number;
}

/** Spend, derived from the jobs themselves: the ledger can never disagree with what ran. */
export class UsageRepository {
  /**
   * What a key has spent or committed today (UTC): the cost of its finished jobs, the estimate of
   * its unfinished ones, the estimated share of its batches' rows that have no job yet, and its
   * chat-model calls (the assistant, script analysis).
   */
  async committedToday(sql: Sql, apiKeyId: string): Promise<number> {
    const rows = await sql.query<{ jobs: number | null; pending: number | null; chat: number | null }>(
      `SELECT
         (SELECT sum(CASE WHEN status IN ('queued', 'running') THEN cost_estimate_usd ELSE cost_usd END)
          FROM jobs WHERE api_key_id = $1 AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
           AS jobs,
         (SELECT sum(b.cost_estimate_usd * (SELECT count(*) FROM batch_rows r WHERE r.batch_id = b.id AND r.job_id IS NULL)
                     / greatest(b.total, 1))
          FROM batches b WHERE b.api_key_id = $1 AND b.status IN ('queued', 'running')) AS pending,
         (SELECT sum(cost_usd) FROM chat_calls
          WHERE api_key_id = $1 AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
           AS chat`,
      [apiKeyId],
    );
    return Number(rows[0]?.jobs ?? 0) + Number(rows[0]?.pending ?? 0) + Number(rows[0]?.chat ?? 0);
  }

  /**
   * Succeeded jobs by UTC day of finishing, key and provider, between two days (inclusive); chat
   * calls that cost something join as rows whose provider is the chat model's id (`chat`), with no
   * jobs or images.
   */
  async ledger(sql: Sql, filter: { from: string; to: string; apiKeyId?: string }): Promise<UsageRow[]> {
    return sql.query<UsageRow>(
      `SELECT * FROM (
         SELECT to_char(date_trunc('day', j.finished_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, j.api_key_id,
           k.name AS api_key_name, j.provider,
           count(*)::int AS jobs, sum(j.n)::int AS images, sum(j.cost_usd)::double precision AS cost_usd
         FROM jobs j LEFT JOIN api_keys k ON k.id = j.api_key_id
         WHERE j.status = 'succeeded' AND j.finished_at >= $1::date AT TIME ZONE 'UTC'
           AND j.finished_at < ($2::date + 1) AT TIME ZONE 'UTC' AND ($3::text IS NULL OR j.api_key_id = $3)
         GROUP BY 1, 2, 3, 4
         UNION ALL
         SELECT to_char(date_trunc('day', c.created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, c.api_key_id,
           k.name AS api_key_name, c.model_id AS provider,
           0 AS jobs, 0 AS images, sum(c.cost_usd)::double precision AS cost_usd
         FROM chat_calls c LEFT JOIN api_keys k ON k.id = c.api_key_id
         WHERE c.cost_usd > 0 AND c.created_at >= $1::date AT TIME ZONE 'UTC'
           AND c.created_at < ($2::date + 1) AT TIME ZONE 'UTC' AND ($3::text IS NULL OR c.api_key_id = $3)
         GROUP BY 1, 2, 3, 4
       ) usage ORDER BY day, api_key_id, provider`,
      [filter.from, filter.to, filter.apiKeyId ?? null],
    );
  }

  /**
   * How the request cache did for jobs created between two days (inclusive): lookups are jobs that
   * asked the cache (cache not `off`, so they carry a cache key), hits are jobs served from it.
   */
  async cacheStats(
    sql: Sql,
    filter: { from: string; to: string; apiKeyId?: string },
  ): Promise<{ lookups: number; hits: number; exact_hits: number; similar_hits: number }> {
    const rows = await sql.query<{ lookups: number; exact_hits: number; similar_hits: number }>(
      `SELECT count(*) FILTER (WHERE cache_key IS NOT NULL OR cache <> 'miss')::int AS lookups,
         count(*) FILTER (WHERE cache = 'exact')::int AS exact_hits,
         count(*) FILTER (WHERE cache = 'similar')::int AS similar_hits
       FROM jobs
       WHERE created_at >= $1::date AT TIME ZONE 'UTC' AND created_at < ($2::date + 1) AT TIME ZONE 'UTC'
         AND ($3::text IS NULL OR api_key_id = $3)`,
      [filter.from, filter.to, filter.apiKeyId ?? null],
    );
    const row = rows[0] ?? { lookups: 0, exact_hits: 0, similar_hits: 0 };
    const exact = Number(row.exact_hits);
    const similar = Number(row.similar_hits);
    return { lookups: Number(row.lookups), hits: exact + similar, exact_hits: exact, similar_hits: similar };
  }
}
