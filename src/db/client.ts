import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { fromPglite, type Db as QueueDb } from 'pg-boss';
import { PgliteSession } from './pglite-session.ts';

/**
 * One SQL dialect, two engines: the embedded PGlite (default, one process) and a real PostgreSQL
 * server through a `pg` pool (DATABASE_URL). Repositories see only `Sql`.
 */
export interface Sql {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** The same connection as pg-boss sees it, so a queue insert can join the surrounding transaction. */
  readonly queueDb: QueueDb;
}

export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction; it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  /** Runs multi-statement SQL text (migrations). */
  exec(text: string): Promise<void>;
  /**
   * Notifications between processes sharing a PostgreSQL server (LISTEN/NOTIFY); absent for the
   * embedded database, which one process holds alone.
   */
  readonly notifications?: {
    notify(channel: string, payload: string): Promise<void>;
    /** Listens on a dedicated connection; returns the function that stops listening. */
    listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  };
  /** How pg-boss reaches the database: a PGlite adapter, or its own pool for PostgreSQL. */
  readonly queueConnection: { db: QueueDb } | { connectionString: string; schema?: string };
  /** The embedded database's WebAssembly memory in bytes (it lives in this process); absent otherwise. */
  embeddedMemoryBytes?(): number;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** For PostgreSQL: the schema that holds Vitrine's tables (tests give each run its own). */
  schema?: string;
}

/**
 * PostgreSQL's own defaults size the embedded database for a server: 128 MB of shared buffers
 * grew its WebAssembly memory to 189 MB in the spine benchmark. One process's queue and job rows
 * need a fraction of that, and the file system caches the rest; the memory is reserved at start and
 * never given back, so it is kept small here (see docs/benchmarks.md, "Where the memory goes").
 */
const EMBEDDED_SETTINGS = ['-c', 'shared_buffers=16MB'];

export async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS],
  });
  const session = new PgliteSession(pglite);
  // pg-boss reaches the same session through its PGlite adapter, given an object with PGlite's
  // query/exec shapes, so its statements are prepared once too and join our transactions.
  const rootQueueDb = fromPglite({
    query: async (text: string, params?: unknown[]) => ({ rows: await session.query(text, params) }),
    exec: (text: string) => session.exec(text),
    listen: (channel: string, callback: (payload: string) => void) => pglite.listen(channel, callback),
  } as unknown as PGlite);
  const sqlOf = (client: Pick<PgliteSession, 'query'>, queueDb: QueueDb): Sql => ({
    query: <Row>(text: string, params: readonly unknown[] = []) => client.query<Row>(text, params),
    queueDb,
  });
  const root = sqlOf(session, rootQueueDb);
  return {
    kind: 'pglite',
    ...root,
    transaction: (work) =>
      session.transaction((tx) =>
        work(
          sqlOf(
            tx,
            fromPglite({
              query: async (text: string, params?: unknown[]) => ({ rows: await tx.query(text, params) }),
              exec: (text: string) => tx.exec(text),
            } as unknown as PGlite),
          ),
        ),
      ),
    async exec(text) {
      await session.exec(text);
    },
    queueConnection: { db: rootQueueDb },
    embeddedMemoryBytes: () => (pglite as unknown as PgliteInternals).mod.wasmMemory.buffer.byteLength,
    async close() {
      if (!pglite.closed) await pglite.close();
    },
  };
}

/** PGlite's Emscripten module, which its typings leave out. */
interface PgliteInternals {
  mod: { wasmMemory: { buffer: ArrayBufferLike } };
}

// int8 (bigint) columns hold seeds and counts that fit a double; parse them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export async function openPostgres(url: string, options: DatabaseOptions = {}): Promise<Database> {
  const schema = options.schema;
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  if (schema) {
    const client = await pool.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    } finally {
      client.release();
    }
  }
  const sqlOf = (client: pg.Pool | pg.PoolClient): Sql => ({
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const result = await client.query(text, params as unknown[]);
      return result.rows as Row[];
    },
    queueDb: {
      async executeSql(text: string, values?: unknown[]) {
        return client.query(text, values);
      },
    },
  });
  return {
    kind: 'postgres',
    ...sqlOf(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(sqlOf(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(text) {
      await pool.query(text);
    },
    queueConnection: { connectionString: url, ...(schema ? { schema: `${schema}_queue` } : {}) },
    notifications: {
      async notify(channel, payload) {
        await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
      },
      async listen(channel, onPayload) {
        const client = new pg.Client({ connectionString: url });
        client.on('error', () => {
          // A lost listener only delays cross-process events; pollers still see the database.
        });
        await client.connect();
        client.on('notification', (message) => {
          if (message.channel === channel && message.payload) onPayload(message.payload);
        });
        await client.query(`LISTEN ${quoteIdentifier(channel)}`);
        return () => client.end();
      },
    },
    close: () => pool.end(),
  };
}

export function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe SQL identifier: ${name}`);
  return `"${name}"`;
}

/** Readiness: the database answers a trivial query. */
export async function pingDatabase(sql: Sql): Promise<void> {
  await sql.query('SELECT 1');
}
