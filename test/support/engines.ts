import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Config, loadConfig } from '../../src/config/env.ts';
import { quoteIdentifier } from '../../src/db/client.ts';

export type EngineName = 'pglite' | 'postgres';

export interface Engine {
  name: EngineName;
  /** False, or the reason the suite of this engine is skipped (for `describe(..., { skip })`). */
  skip: false | string;
}

const POSTGRES_URL = process.env.DATABASE_URL;

/** Every suite that supports both databases runs once per engine: `for (const engine of engines) describe(...)`. */
export const engines: readonly Engine[] = [
  { name: 'pglite', skip: false },
  {
    name: 'postgres',
    skip: POSTGRES_URL
      ? false
      : 'DATABASE_URL is not set: set it (e.g. postgres://postgres@127.0.0.1:5432/test) to run the PostgreSQL variant',
  },
];

/** A schema name no other test run uses: `t_<random>`. */
export function uniqueSchemaName(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

export function postgresUrl(): string {
  if (!POSTGRES_URL) throw new Error('DATABASE_URL is not set');
  return POSTGRES_URL;
}

export interface TestConfig {
  config: Config;
  /** For PostgreSQL: the schema holding Vitrine's tables (pg-boss uses `<schema>_queue`). */
  schema: string | null;
  /** Drops what the config created on the server (PostgreSQL schemas); call after the process stopped. */
  dispose(): Promise<void>;
}

/**
 * A Config for `engine` that never reads `process.env`: the embedded database under `dataDir`,
 * or PostgreSQL (DATABASE_URL) in a schema of its own. `env` adds or overrides variables.
 */
export function buildConfig(
  engine: EngineName,
  dataDir: string,
  env: Record<string, string | undefined> = {},
): TestConfig {
  const base: Record<string, string | undefined> = {
    VITRINE_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
  };
  if (engine === 'pglite') {
    return { config: loadConfig({}, { ...base, ...env }), schema: null, dispose: async () => {} };
  }
  const schema = uniqueSchemaName();
  const config = loadConfig(
    {},
    { ...base, DATABASE_URL: postgresUrl(), VITRINE_DATABASE_SCHEMA: schema, ...env },
  );
  return { config, schema, dispose: () => dropSchemas(schema) };
}

/** Removes a test schema and its queue schema. */
export async function dropSchemas(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(`${schema}_queue`)} CASCADE`);
  } finally {
    await client.end();
  }
}
