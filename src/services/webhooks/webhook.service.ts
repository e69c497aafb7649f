import { randomBytes, randomUUID } from 'node:crypto';
import type { DeliveryRecord, WebhookEventType, WebhookRecord } from '../../db/webhook.repository.ts';
import { invalidRequest, notFound } from '../../domain/errors.ts';
import { retryDelayMs } from '../../domain/retry.ts';
import { sharedSafeFetch } from '../../net/safe-fetch.ts';
import { WEBHOOK_QUEUE } from '../../queue/jobs.ts';
import type { ServiceDeps } from '../deps.ts';
import { sendWebhook } from './webhook-sender.ts';

type Deps = Pick<ServiceDeps, 'db' | 'webhooks' | 'settings' | 'queue' | 'limits' | 'logger'>;

/** Attempts of one delivery: 1 s, 2 s, 4 s … capped at an hour between them, about 14 hours in all. */
const MAX_ATTEMPTS = 20;
const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 3_600_000;
const REQUEST_SECRET_SETTING = 'webhook_request_secret';

/**
 * Signed outgoing webhooks: endpoints registered through `/v1/webhooks` (each with its secret) and
 * a request's own `webhook_url` (signed with the server's request secret). Each delivery is a row
 * and a durable queue job, retried with backoff until a 2xx (or `MAX_ATTEMPTS`), and can be replayed.
 */
export class WebhookService {
  readonly #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  /** The secret is in this answer only. */
  async create(input: { url: string; events: readonly WebhookEventType[]; description?: string }) {
    await this.#checkEndpoint(input.url);
    return this.#deps.webhooks.insert(this.#deps.db, {
      id: `wh_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
      url: input.url,
      secret: `whsec_${randomBytes(24).toString('base64url')}`,
      events: [...new Set(input.events)],
      description: input.description ?? '',
    });
  }

  list(): Promise<WebhookRecord[]> {
    return this.#deps.webhooks.list(this.#deps.db);
  }

  async get(id: string): Promise<WebhookRecord> {
    const found = await this.#deps.webhooks.findById(this.#deps.db, id);
    if (!found) throw notFound('Webhook', id);
    return found;
  }

  async update(
    id: string,
    changes: { url?: string; events?: readonly WebhookEventType[]; description?: string },
  ) {
    if (changes.url !== undefined) await this.#checkEndpoint(changes.url);
    const updated = await this.#deps.webhooks.update(this.#deps.db, id, changes);
    if (!updated) throw notFound('Webhook', id);
    return updated;
  }

  /**
   * An endpoint on a private address (given literally, or a name that resolves to one) is refused
   * now, not left to fail every delivery. Deliveries check again when they connect.
   */
  async #checkEndpoint(url: string): Promise<void> {
    const problem = await sharedSafeFetch(this.#deps.limits.allowPrivateUrls).checkDestination(url);
    if (problem)
      throw invalidRequest(`url: refused: ${problem}`, [{ field: 'url', message: `refused: ${problem}` }]);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.#deps.webhooks.delete(this.#deps.db, id))) throw notFound('Webhook', id);
  }

  async deliveries(webhookId: string, limit: number): Promise<DeliveryRecord[]> {
    await this.get(webhookId);
    return this.#deps.webhooks.listDeliveries(this.#deps.db, webhookId, limit);
  }

  /** The secret that signs deliveries to a request's own `webhook_url`. */
  requestSecret(): Promise<string> {
    return this.#deps.settings.getOrCreate(
      this.#deps.db,
      REQUEST_SECRET_SETTING,
      `whsec_${randomBytes(24).toString('base64url')}`,
    );
  }

  /** Queues `{type, data}` for every endpoint subscribed to `type`, and for the request's own URL. */
  async emit(type: WebhookEventType, data: unknown, requestUrl: string | null): Promise<void> {
    const { db, webhooks } = this.#deps;
    const body = JSON.stringify({ type, data });
    const targets = (await webhooks.listFor(db, type)).map((webhook) => ({
      webhook_id: webhook.id,
      url: webhook.url,
    }));
    if (requestUrl) targets.push({ webhook_id: null as never, url: requestUrl });
    if (targets.length === 0) return;
    await this.#enqueue(
      targets.map((target) => ({ id: randomUUID(), ...target, event_type: type, body, replay_of: null })),
    );
  }

  /** Sends a delivery's body again, as a new delivery (signed anew). */
  async replay(deliveryId: string): Promise<DeliveryRecord> {
    const { db, webhooks } = this.#deps;
    const original = await webhooks.findDelivery(db, deliveryId);
    if (!original) throw notFound('Webhook delivery', deliveryId);
    const id = randomUUID();
    await this.#enqueue([{ ...original, id, replay_of: original.id }]);
    return (await webhooks.findDelivery(db, id))!;
  }

  /** The queue handler: one attempt; a failure comes back through the queue after a backoff. */
  async deliver(deliveryId: string): Promise<void> {
    const { db, webhooks, queue, limits, logger } = this.#deps;
    const delivery = await webhooks.findDelivery(db, deliveryId);
    if (delivery?.status !== 'pending') return;
    const webhook = delivery.webhook_id ? await webhooks.findById(db, delivery.webhook_id) : null;
    if (delivery.webhook_id && !webhook) return;
    const secret = webhook ? webhook.secret : await this.requestSecret();
    const outcome = await sendWebhook(delivery, secret, { allowPrivateUrls: limits.allowPrivateUrls });
    const attempt = delivery.attempts + 1;
    // A refused destination (a private address) will not become allowed by waiting.
    const final = outcome.ok || outcome.refused || attempt >= MAX_ATTEMPTS;
    const recorded = await webhooks.recordAttempt(db, deliveryId, { ...outcome, final });
    if (!recorded || final) {
      if (!outcome.ok)
        logger.warn({ deliveryId, url: delivery.url, error: outcome.error }, 'webhook delivery gave up');
      return;
    }
    await queue.send(
      WEBHOOK_QUEUE,
      { deliveryId },
      { priority: 0, startAfterMs: retryDelayMs(attempt, { baseMs: RETRY_BASE_MS, maxMs: RETRY_MAX_MS }) },
    );
  }

  async #enqueue(
    deliveries: ReadonlyArray<
      Pick<DeliveryRecord, 'id' | 'webhook_id' | 'url' | 'event_type' | 'body' | 'replay_of'>
    >,
  ): Promise<void> {
    const { db, webhooks, queue } = this.#deps;
    await db.transaction(async (tx) => {
      await webhooks.insertDeliveries(tx, deliveries);
      await queue.sendMany(
        WEBHOOK_QUEUE,
        deliveries.map((delivery) => ({
          id: randomUUID(),
          payload: { deliveryId: delivery.id },
          priority: 0,
        })),
        { sql: tx },
      );
    });
    queue.wake(WEBHOOK_QUEUE);
  }
}
