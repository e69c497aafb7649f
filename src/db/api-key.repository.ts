import type { Sql } from './client.ts';

export const apiKeyScopes = ['generate', 'read', 'admin'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export interface ApiKeyRecord {
  id: string;
  name: string;
  key_prefix: string;
  scopes: ApiKeyScope[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  /** The most this key's jobs may cost per UTC day; null: no limit. */
  daily_budget_usd: number | null;
}

const COLUMNS = 'id, name, key_prefix, scopes, created_at, last_used_at, revoked_at, daily_budget_usd';
// Any constant works; it only has to be the same for every Vitrine process on one database.
const BOOTSTRAP_LOCK_KEY = 7_412_904;

export class ApiKeyRepository {
  async insert(
    sql: Sql,
    key: {
      id: string;
      name: string;
      keyHash: string;
      keyPrefix: string;
      scopes: readonly ApiKeyScope[];
      dailyBudgetUsd?: number | null;
    },
  ): Promise<ApiKeyRecord> {
    const rows = await sql.query<ApiKeyRecord>(
      `INSERT INTO api_keys (id, name, key_hash, key_prefix, scopes, daily_budget_usd) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${COLUMNS}`,
      [key.id, key.name, key.keyHash, key.keyPrefix, key.scopes, key.dailyBudgetUsd ?? null],
    );
    return rows[0]!;
  }

  async findActiveByHash(sql: Sql, keyHash: string): Promise<ApiKeyRecord | null> {
    const rows = await sql.query<ApiKeyRecord>(
      `SELECT ${COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [keyHash],
    );
    return rows[0] ?? null;
  }

  /** Serializes first-start key creation across processes, until the transaction ends. */
  async lockForBootstrap(tx: Sql): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
  }

  async findById(sql: Sql, id: string): Promise<ApiKeyRecord | null> {
    const rows = await sql.query<ApiKeyRecord>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async list(sql: Sql): Promise<ApiKeyRecord[]> {
    return sql.query<ApiKeyRecord>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`);
  }

  async countActive(sql: Sql): Promise<number> {
    const rows = await sql.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM api_keys WHERE revoked_at IS NULL',
    );
    return rows[0]?.count ?? 0;
  }

  /** `daily_budget_usd`: undefined keeps it, null removes it. */
  async update(
    sql: Sql,
    id: string,
    changes: { name?: string; scopes?: readonly ApiKeyScope[]; daily_budget_usd?: number | null },
  ) {
    const rows = await sql.query<ApiKeyRecord>(
      `UPDATE api_keys SET name = coalesce($2, name), scopes = coalesce($3, scopes),
         daily_budget_usd = CASE WHEN $4 THEN $5 ELSE daily_budget_usd END
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        changes.name ?? null,
        changes.scopes ?? null,
        changes.daily_budget_usd !== undefined,
        changes.daily_budget_usd ?? null,
      ],
    );
    return rows[0] ?? null;
  }

  async revoke(sql: Sql, id: string): Promise<ApiKeyRecord | null> {
    const rows = await sql.query<ApiKeyRecord>(
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Recorded at most once a minute per key, so authentication stays a read on the hot path. */
  async touchLastUsed(sql: Sql, id: string): Promise<void> {
    await sql.query(
      `UPDATE api_keys SET last_used_at = now()
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }
}
