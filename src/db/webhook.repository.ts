import type { Sql } from './client.ts';

export const webhookEventTypes = [
  'job.succeeded',
  'job.failed',
  'batch.finished',
  'assistant.handoff',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export interface WebhookRecord {
  id: string;
  url: string;
  secret: string;
  events: WebhookEventType[];
  description: string;
  created_at: Date;
  updated_at: Date;
}

export interface DeliveryRecord {
  id: string;
  webhook_id: string | null;
  url: string;
  event_type: WebhookEventType;
  body: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  replay_of: string | null;
  created_at: Date;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
}

const WEBHOOK_COLUMNS = 'id, url, secret, events, description, created_at, updated_at';
const DELIVERY_COLUMNS = `id, webhook_id, url, event_type, body, status, attempts, last_status_code, last_error,
  replay_of, created_at, last_attempt_at, delivered_at`;

export class WebhookRepository {
  async insert(sql: Sql, webhook: Omit<WebhookRecord, 'created_at' | 'updated_at'>): Promise<WebhookRecord> {
    const rows = await sql.query<WebhookRecord>(
      `INSERT INTO webhooks (id, url, secret, events, description) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${WEBHOOK_COLUMNS}`,
      [webhook.id, webhook.url, webhook.secret, webhook.events, webhook.description],
    );
    return rows[0]!;
  }

  async list(sql: Sql): Promise<WebhookRecord[]> {
    return sql.query<WebhookRecord>(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks ORDER BY created_at, id`);
  }

  async listFor(sql: Sql, event: WebhookEventType): Promise<WebhookRecord[]> {
    return sql.query<WebhookRecord>(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE $1 = ANY(events)`, [
      event,
    ]);
  }

  async findById(sql: Sql, id: string): Promise<WebhookRecord | null> {
    const rows = await sql.query<WebhookRecord>(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  async update(
    sql: Sql,
    id: string,
    changes: { url?: string; events?: readonly WebhookEventType[]; description?: string },
  ): Promise<WebhookRecord | null> {
    const rows = await sql.query<WebhookRecord>(
      `UPDATE webhooks SET url = coalesce($2, url), events = coalesce($3, events),
         description = coalesce($4, description), updated_at = now()
       WHERE id = $1 RETURNING ${WEBHOOK_COLUMNS}`,
      [id, changes.url ?? null, changes.events ?? null, changes.description ?? null],
    );
    return rows[0] ?? null;
  }

  async delete(sql: Sql, id: string): Promise<boolean> {
    const rows = await sql.query('DELETE FROM webhooks WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  }

  async insertDeliveries(
    sql: Sql,
    deliveries: ReadonlyArray<
      Pick<DeliveryRecord, 'id' | 'webhook_id' | 'url' | 'event_type' | 'body' | 'replay_of'>
    >,
  ): Promise<void> {
    if (deliveries.length === 0) return;
    await sql.query(
      `INSERT INTO webhook_deliveries (id, webhook_id, url, event_type, body, status, replay_of)
       SELECT d.id, d.webhook_id, d.url, d.event_type, d.body, 'pending', d.replay_of
       FROM jsonb_to_recordset($1::jsonb) AS d(id uuid, webhook_id text, url text, event_type text, body text, replay_of uuid)`,
      [JSON.stringify(deliveries)],
    );
  }

  async findDelivery(sql: Sql, id: string): Promise<DeliveryRecord | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const rows = await sql.query<DeliveryRecord>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async listDeliveries(sql: Sql, webhookId: string, limit: number): Promise<DeliveryRecord[]> {
    return sql.query<DeliveryRecord>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
      [webhookId, limit],
    );
  }

  /** Records one attempt; `final` ends the delivery as succeeded or failed, else it stays pending. */
  async recordAttempt(
    sql: Sql,
    id: string,
    outcome: { ok: boolean; final: boolean; statusCode: number | null; error: string | null },
  ): Promise<DeliveryRecord | null> {
    const rows = await sql.query<DeliveryRecord>(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = now(), last_status_code = $2,
         last_error = $3, status = CASE WHEN $4 THEN 'succeeded' WHEN $5 THEN 'failed' ELSE 'pending' END,
         delivered_at = CASE WHEN $4 THEN now() END
       WHERE id = $1 AND status = 'pending' RETURNING ${DELIVERY_COLUMNS}`,
      [id, outcome.statusCode, outcome.error, outcome.ok, outcome.final],
    );
    return rows[0] ?? null;
  }
}
