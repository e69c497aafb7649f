import type { Sql } from './client.ts';

/**
 * PGlite runs PostgreSQL in single-user mode: there is no autovacuum daemon, so no table is ever
 * analyzed and the planner keeps guessing from an empty database. pg-boss's fetch then joined its
 * chosen job to every job the queue still held (a scan of all jobs kept, seven days' worth) instead
 * of one primary-key lookup, a cost that grew with every job run (docs/benchmarks.md, "The spine").
 * This does autovacuum's ANALYZE half, with its default thresholds: a table is analyzed once 50
 * rows plus 10% of it changed since it last was.
 */
export async function analyzeChangedTables(sql: Sql): Promise<string[]> {
  const stale = await sql.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables
     WHERE n_mod_since_analyze >= ${ANALYZE_THRESHOLD} + ${ANALYZE_SCALE_FACTOR} * n_live_tup
     ORDER BY n_mod_since_analyze DESC`,
  );
  for (const { name } of stale) await sql.query(`ANALYZE ${name}`);
  return stale.map((row) => row.name);
}

const ANALYZE_THRESHOLD = 50;
const ANALYZE_SCALE_FACTOR = 0.1;

/** How often the embedded database looks for tables to analyze: the statistics query is cheap. */
export const ANALYZE_INTERVAL_MS = 10_000;
