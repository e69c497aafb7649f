import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPglite } from './client.ts';
import { analyzeChangedTables } from './embedded-analyze.ts';

test('the embedded database analyzes the tables that changed, as autovacuum would', async () => {
  const db = await openPglite(undefined);
  try {
    await db.exec(`CREATE TABLE queue (name text, id int, state text, PRIMARY KEY (name, id));
      CREATE TABLE idle (x int)`);
    await db.exec(`INSERT INTO queue SELECT 'generate', g, 'completed' FROM generate_series(1, 2000) g`);
    const rowEstimates = async () =>
      Object.fromEntries(
        (
          await db.query<{ relname: string; reltuples: number }>(
            `SELECT relname, reltuples FROM pg_class WHERE relname IN ('queue', 'idle')`,
          )
        ).map((row) => [row.relname, row.reltuples]),
      );
    // -1: never analyzed; the planner guesses a table's rows, and its guesses led pg-boss's fetch
    // to scan every job the queue held.
    assert.deepEqual(await rowEstimates(), { queue: -1, idle: -1 });
    await db.query('SELECT pg_stat_force_next_flush()');
    await db.query('SELECT 1'); // the counters are flushed at the end of the next statement
    assert.deepEqual(await analyzeChangedTables(db), ['public.queue']);
    assert.deepEqual(await rowEstimates(), { queue: 2000, idle: -1 }, 'only the table that changed');
    assert.deepEqual(await analyzeChangedTables(db), [], 'nothing changed since: nothing to analyze');
  } finally {
    await db.close();
  }
});
