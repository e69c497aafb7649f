import type { Sql } from './client.ts';

export interface SlackIntegrationRecord {
  /** Sealed: the incoming-webhook URL is itself the secret. */
  webhook_url: string;
  events: string[];
  created_at: Date;
  updated_at: Date;
}

export interface SlackMessageRecord {
  id: string;
  event_type: string;
  body: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
}

const MESSAGE =
  'id, event_type, body, status, attempts, last_status_code, last_error, created_at, last_attempt_at, delivered_at';

/** The Slack integration, its messages (never the URL), and the once-a-day budget warnings. */
export class SlackRepository {
  async get(sql: Sql): Promise<SlackIntegrationRecord | null> {
    const rows = await sql.query<SlackIntegrationRecord>(
      'SELECT webhook_url, events, created_at, updated_at FROM slack_integrations WHERE id = 1',
    );
    return rows[0] ?? null;
  }

  async save(sql: Sql, webhookUrl: string, events: readonly string[]): Promise<SlackIntegrationRecord> {
    const rows = await sql.query<SlackIntegrationRecord>(
      `INSERT INTO slack_integrations (id, webhook_url, events) VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET webhook_url = EXCLUDED.webhook_url, events = EXCLUDED.events, updated_at = now()
       RETURNING webhook_url, events, created_at, updated_at`,
      [webhookUrl, events],
    );
    return rows[0]!;
  }

  async delete(sql: Sql): Promise<boolean> {
    return (await sql.query('DELETE FROM slack_integrations WHERE id = 1 RETURNING id')).length > 0;
  }

  async insertMessage(
    sql: Sql,
    message: Pick<SlackMessageRecord, 'id' | 'event_type' | 'body'>,
  ): Promise<void> {
    await sql.query(
      `INSERT INTO slack_messages (id, event_type, body, status) VALUES ($1, $2, $3, 'pending')`,
      [message.id, message.event_type, message.body],
    );
  }

  async findMessage(sql: Sql, id: string): Promise<SlackMessageRecord | null> {
    const rows = await sql.query<SlackMessageRecord>(`SELECT ${MESSAGE} FROM slack_messages WHERE id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  async listMessages(sql: Sql, limit: number): Promise<SlackMessageRecord[]> {
    return sql.query<SlackMessageRecord>(
      `SELECT ${MESSAGE} FROM slack_messages ORDER BY created_at DESC, id LIMIT $1`,
      [limit],
    );
  }

  async recordAttempt(
    sql: Sql,
    id: string,
    outcome: { ok: boolean; final: boolean; statusCode: number | null; error: string | null },
  ): Promise<SlackMessageRecord | null> {
    const rows = await sql.query<SlackMessageRecord>(
      `UPDATE slack_messages SET attempts = attempts + 1, last_attempt_at = now(), last_status_code = $2, last_error = $3,
         status = CASE WHEN $4 THEN 'succeeded' WHEN $5 THEN 'failed' ELSE 'pending' END,
         delivered_at = CASE WHEN $4 THEN now() END
       WHERE id = $1 AND status = 'pending' RETURNING ${MESSAGE}`,
      [id, outcome.statusCode, outcome.error, outcome.ok, outcome.final && !outcome.ok],
    );
    return rows[0] ?? null;
  }

  /** True the first time for a key and UTC day. */
  async claimBudgetWarning(sql: Sql, apiKeyId: string, day: string): Promise<boolean> {
    const rows = await sql.query(
      'INSERT INTO budget_warnings (api_key_id, day) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING api_key_id',
      [apiKeyId, day],
    );
    return rows.length > 0;
  }
}
