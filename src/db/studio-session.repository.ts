import type { ApiKeyRecord } from './api-key.repository.ts';
import type { Sql } from './client.ts';

const KEY_COLUMNS =
  'k.id, k.name, k.key_prefix, k.scopes, k.created_at, k.last_used_at, k.revoked_at, k.daily_budget_usd';

/** Studio sessions: a token hash mapped to the API key that signed in. */
export class StudioSessionRepository {
  async insert(sql: Sql, session: { tokenHash: string; apiKeyId: string; expiresAt: Date }): Promise<void> {
    await sql.query('INSERT INTO studio_sessions (token_hash, api_key_id, expires_at) VALUES ($1, $2, $3)', [
      session.tokenHash,
      session.apiKeyId,
      session.expiresAt,
    ]);
  }

  /** The key behind a live session; null when the session expired, or its key was revoked. */
  async findActiveKey(sql: Sql, tokenHash: string): Promise<ApiKeyRecord | null> {
    const rows = await sql.query<ApiKeyRecord>(
      `SELECT ${KEY_COLUMNS} FROM studio_sessions s JOIN api_keys k ON k.id = s.api_key_id
       WHERE s.token_hash = $1 AND s.expires_at > now() AND k.revoked_at IS NULL`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async delete(sql: Sql, tokenHash: string): Promise<void> {
    await sql.query('DELETE FROM studio_sessions WHERE token_hash = $1', [tokenHash]);
  }

  async deleteExpired(sql: Sql): Promise<void> {
    await sql.query('DELETE FROM studio_sessions WHERE expires_at <= now()');
  }
}
