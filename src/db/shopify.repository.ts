import type { Sql } from './client.ts';

export interface ShopifyConnectionRecord {
  shop: string;
  /** Sealed (see SecretBox). */
  access_token: string;
  webhook_secret: string;
  api_version: string;
  templates: string[];
  brand: string | null;
  admin_base_url: string | null;
  currency_code: string | null;
  created_at: Date;
  updated_at: Date;
}

export type ShopifyEventOutcome = 'queued' | 'rendering' | 'unchanged' | 'ignored' | 'failed';

export interface ShopifyEventRecord {
  webhook_id: string;
  event_key: string | null;
  topic: string;
  shop: string;
  product_id: string | null;
  payload: unknown;
  outcome: ShopifyEventOutcome;
  detail: string | null;
  job_ids: string[];
  received_at: Date;
  handled_at: Date | null;
}

export interface ShopifyProductRecord {
  product_id: string;
  fingerprint: string | null;
  title: string;
  price: string | null;
  product_type: string;
  image_url: string | null;
  attached_media: string[];
  sync_id: string | null;
  last_error: string | null;
  updated_at: Date;
}

export interface ShopifySyncRecord {
  id: string;
  status: 'listing' | 'rendering' | 'succeeded' | 'failed';
  force: boolean;
  listed: number;
  claimed: number;
  batch_ids: string[];
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

const CONNECTION = `shop, access_token, webhook_secret, api_version, templates, brand, admin_base_url, currency_code,
  created_at, updated_at`;
const EVENT =
  'webhook_id, event_key, topic, shop, product_id, payload, outcome, detail, job_ids, received_at, handled_at';
const PRODUCT = `product_id, fingerprint, title, price, product_type, image_url, attached_media, sync_id, last_error, updated_at`;
const SYNC = 'id, status, force, listed, claimed, batch_ids, error, created_at, finished_at';

/** The Shopify connection, the webhook events received, the products rendered and the syncs. */
export class ShopifyRepository {
  async getConnection(sql: Sql): Promise<ShopifyConnectionRecord | null> {
    const rows = await sql.query<ShopifyConnectionRecord>(
      `SELECT ${CONNECTION} FROM shopify_connections WHERE id = 1`,
    );
    return rows[0] ?? null;
  }

  async saveConnection(
    sql: Sql,
    record: Omit<ShopifyConnectionRecord, 'created_at' | 'updated_at'>,
  ): Promise<ShopifyConnectionRecord> {
    const rows = await sql.query<ShopifyConnectionRecord>(
      `INSERT INTO shopify_connections (id, shop, access_token, webhook_secret, api_version, templates, brand, admin_base_url, currency_code)
       VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET shop = EXCLUDED.shop, access_token = EXCLUDED.access_token,
         webhook_secret = EXCLUDED.webhook_secret, api_version = EXCLUDED.api_version, templates = EXCLUDED.templates,
         brand = EXCLUDED.brand, admin_base_url = EXCLUDED.admin_base_url, currency_code = EXCLUDED.currency_code,
         updated_at = now()
       RETURNING ${CONNECTION}`,
      [
        record.shop,
        record.access_token,
        record.webhook_secret,
        record.api_version,
        record.templates,
        record.brand,
        record.admin_base_url,
        record.currency_code,
      ],
    );
    return rows[0]!;
  }

  async deleteConnection(sql: Sql): Promise<boolean> {
    return (await sql.query('DELETE FROM shopify_connections WHERE id = 1 RETURNING id')).length > 0;
  }

  /** False when this delivery (webhook id) or this event (event id + topic) was received before. */
  async insertEvent(
    sql: Sql,
    event: Pick<
      ShopifyEventRecord,
      'webhook_id' | 'event_key' | 'topic' | 'shop' | 'product_id' | 'payload' | 'outcome' | 'detail'
    >,
  ): Promise<boolean> {
    const rows = await sql.query(
      `INSERT INTO shopify_webhook_events (webhook_id, event_key, topic, shop, product_id, payload, outcome, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING webhook_id`,
      [
        event.webhook_id,
        event.event_key,
        event.topic,
        event.shop,
        event.product_id,
        JSON.stringify(event.payload),
        event.outcome,
        event.detail,
      ],
    );
    return rows.length > 0;
  }

  async findEvent(sql: Sql, webhookId: string): Promise<ShopifyEventRecord | null> {
    const rows = await sql.query<ShopifyEventRecord>(
      `SELECT ${EVENT} FROM shopify_webhook_events WHERE webhook_id = $1`,
      [webhookId],
    );
    return rows[0] ?? null;
  }

  async finishEvent(
    sql: Sql,
    webhookId: string,
    outcome: ShopifyEventOutcome,
    detail: string | null,
    jobIds: readonly string[] = [],
  ): Promise<void> {
    await sql.query(
      `UPDATE shopify_webhook_events SET outcome = $2, detail = $3, job_ids = $4, handled_at = now() WHERE webhook_id = $1`,
      [webhookId, outcome, detail, jobIds],
    );
  }

  async listEvents(sql: Sql, limit: number): Promise<ShopifyEventRecord[]> {
    return sql.query<ShopifyEventRecord>(
      `SELECT ${EVENT} FROM shopify_webhook_events ORDER BY received_at DESC, webhook_id LIMIT $1`,
      [limit],
    );
  }

  /**
   * Claims a product for rendering from these inputs: true when its fingerprint changed (or
   * `force`; or, with `retryFailed`, its last render or attach failed), atomically, so two events
   * about one product render it once. Webhooks never retry failures by themselves: the update
   * Shopify sends after a failed attach would otherwise start the same failure again, forever.
   */
  async claimProduct(
    sql: Sql,
    product: Pick<
      ShopifyProductRecord,
      'product_id' | 'fingerprint' | 'title' | 'price' | 'product_type' | 'image_url' | 'sync_id'
    >,
    options: { force?: boolean; retryFailed?: boolean } = {},
  ): Promise<boolean> {
    const rows = await sql.query(
      `INSERT INTO shopify_products (product_id, fingerprint, title, price, product_type, image_url, sync_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (product_id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, title = EXCLUDED.title,
         price = EXCLUDED.price, product_type = EXCLUDED.product_type, image_url = EXCLUDED.image_url,
         sync_id = EXCLUDED.sync_id, last_error = NULL, updated_at = now()
       WHERE shopify_products.fingerprint IS DISTINCT FROM EXCLUDED.fingerprint OR $8
         OR ($9 AND shopify_products.last_error IS NOT NULL)
       RETURNING product_id`,
      [
        product.product_id,
        product.fingerprint,
        product.title,
        product.price,
        product.product_type,
        product.image_url,
        product.sync_id,
        options.force ?? false,
        options.retryFailed ?? false,
      ],
    );
    return rows.length > 0;
  }

  async findProduct(sql: Sql, productId: string): Promise<ShopifyProductRecord | null> {
    const rows = await sql.query<ShopifyProductRecord>(
      `SELECT ${PRODUCT} FROM shopify_products WHERE product_id = $1`,
      [productId],
    );
    return rows[0] ?? null;
  }

  async addAttachedMedia(sql: Sql, productId: string, mediaIds: readonly string[]): Promise<void> {
    await sql.query(
      `UPDATE shopify_products SET attached_media = attached_media || $2::text[], updated_at = now() WHERE product_id = $1`,
      [productId, mediaIds],
    );
  }

  /** A render or attach that failed for good: the next sync (or a real change) tries again. */
  async markFailed(sql: Sql, productId: string, error: string): Promise<void> {
    await sql.query(`UPDATE shopify_products SET last_error = $2, updated_at = now() WHERE product_id = $1`, [
      productId,
      error,
    ]);
  }

  async listClaimed(sql: Sql, syncId: string, after: string, limit: number): Promise<ShopifyProductRecord[]> {
    return sql.query<ShopifyProductRecord>(
      `SELECT ${PRODUCT} FROM shopify_products WHERE sync_id = $1 AND product_id > $2 ORDER BY product_id LIMIT $3`,
      [syncId, after, limit],
    );
  }

  async insertSync(sql: Sql, id: string, force: boolean): Promise<ShopifySyncRecord> {
    const rows = await sql.query<ShopifySyncRecord>(
      `INSERT INTO shopify_syncs (id, status, force) VALUES ($1, 'listing', $2) RETURNING ${SYNC}`,
      [id, force],
    );
    return rows[0]!;
  }

  async findSync(sql: Sql, id: string): Promise<ShopifySyncRecord | null> {
    const rows = await sql.query<ShopifySyncRecord>(`SELECT ${SYNC} FROM shopify_syncs WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async updateSync(
    sql: Sql,
    id: string,
    changes: Partial<Pick<ShopifySyncRecord, 'status' | 'listed' | 'claimed' | 'batch_ids' | 'error'>>,
  ): Promise<ShopifySyncRecord | null> {
    const rows = await sql.query<ShopifySyncRecord>(
      `UPDATE shopify_syncs SET status = coalesce($2, status), listed = coalesce($3, listed), claimed = coalesce($4, claimed),
         batch_ids = coalesce($5, batch_ids), error = coalesce($6, error),
         finished_at = CASE WHEN coalesce($2, status) IN ('succeeded', 'failed') THEN coalesce(finished_at, now()) END
       WHERE id = $1 RETURNING ${SYNC}`,
      [
        id,
        changes.status ?? null,
        changes.listed ?? null,
        changes.claimed ?? null,
        changes.batch_ids ?? null,
        changes.error ?? null,
      ],
    );
    return rows[0] ?? null;
  }
}
