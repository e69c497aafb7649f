import type { ApiKeyRecord } from './api-key.repository.ts';
import type { Sql } from './client.ts';

const KEY_COLUMNS =
  'k.id, k.name, k.key_prefix, k.scopes, k.created_at, k.last_used_at, k.revoked_at, k.daily_budget_usd';

export interface PickerTokenOwner {
  key: ApiKeyRecord;
  allowedOrigin: string | null;
}

/** Picker tokens: a token hash mapped to the API key that minted it, until it expires. */
export class PickerTokenRepository {
  async insert(
    sql: Sql,
    token: { tokenHash: string; apiKeyId: string; allowedOrigin: string | null; expiresAt: Date },
  ): Promise<void> {
    await sql.query(
      `INSERT INTO picker_tokens (token_hash, api_key_id, allowed_origin, expires_at)
       VALUES ($1, $2, $3, $4)`,
      [token.tokenHash, token.apiKeyId, token.allowedOrigin, token.expiresAt],
    );
  }

  /** The key behind a live token; null when the token expired or its key was revoked. */
  async findActive(sql: Sql, tokenHash: string): Promise<PickerTokenOwner | null> {
    const rows = await sql.query<ApiKeyRecord & { allowed_origin: string | null }>(
      `SELECT ${KEY_COLUMNS}, t.allowed_origin FROM picker_tokens t JOIN api_keys k ON k.id = t.api_key_id
       WHERE t.token_hash = $1 AND t.expires_at > now() AND k.revoked_at IS NULL`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return null;
    const { allowed_origin, ...key } = row;
    return { key, allowedOrigin: allowed_origin };
  }

  async deleteExpired(sql: Sql): Promise<void> {
    await sql.query('DELETE FROM picker_tokens WHERE expires_at <= now()');
  }
}
