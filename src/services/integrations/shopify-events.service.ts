import type { PublicationRepository } from '../../db/publication.repository.ts';
import type { ShopifyEventRecord, ShopifyRepository } from '../../db/shopify.repository.ts';
import { AppError, invalidRequest } from '../../domain/errors.ts';
import {
  inputsFromPayload,
  numericId,
  type ProductInputs,
  ProductPayloadSchema,
  productFingerprint,
  verifyShopifyHmac,
} from '../../integrations/shopify/shopify-product.ts';
import { SHOPIFY_EVENT_QUEUE } from '../../queue/jobs.ts';
import type { ServiceDeps } from '../deps.ts';
import type { GenerationService } from '../generation/generation.service.ts';
import type { OpenShopifyConnection, ShopifyConnectionService } from './shopify-connection.service.ts';
import { loadTemplates, paramsForProduct } from './shopify-render.ts';

type Deps = Pick<ServiceDeps, 'db' | 'templates' | 'queue' | 'logger'> & {
  shopify: ShopifyRepository;
  publications: PublicationRepository;
};

/** The headers Shopify sends with a webhook. */
export interface ShopifyWebhookHeaders {
  topic?: string;
  hmac?: string;
  shopDomain?: string;
  webhookId?: string;
  eventId?: string;
}

export const PRODUCT_TOPICS = new Set(['products/create', 'products/update']);
/** While Vitrine's own attach to the product is in flight, an event about it waits this long, this often. */
const DEFER_MS = 2000;
const MAX_DEFERRALS = 60;

/**
 * Shopify webhooks: `receive` verifies the HMAC on the raw body before anything else, records the
 * delivery once (by webhook id, and by event id + topic) and queues the work — all well within
 * Shopify's 5 s. `handle` (the queue job) renders the connected templates for a product whose
 * inputs changed, and does nothing for one whose inputs did not: that is how the update Shopify
 * sends after Vitrine's own media never starts a second render.
 */
export class ShopifyEventsService {
  readonly #deps: Deps;
  readonly #connection: ShopifyConnectionService;
  readonly #generations: Pick<GenerationService, 'create'>;

  constructor(
    deps: Deps,
    connection: ShopifyConnectionService,
    generations: Pick<GenerationService, 'create'>,
  ) {
    this.#deps = deps;
    this.#connection = connection;
    this.#generations = generations;
  }

  async receive(
    rawBody: Uint8Array,
    headers: ShopifyWebhookHeaders,
  ): Promise<{ duplicate: boolean; outcome: ShopifyEventRecord['outcome'] }> {
    const connection = await this.#connection.open();
    if (!connection)
      throw new AppError('unauthorized', 'No Shopify shop is connected (PUT /v1/integrations/shopify)');
    if (!verifyShopifyHmac(rawBody, headers.hmac, connection.webhookSecret))
      throw new AppError('unauthorized', 'X-Shopify-Hmac-Sha256 is missing or does not match the body');
    if (!headers.webhookId || !headers.topic)
      throw invalidRequest('A Shopify webhook carries X-Shopify-Webhook-Id and X-Shopify-Topic', [
        { field: headers.webhookId ? 'X-Shopify-Topic' : 'X-Shopify-Webhook-Id', message: 'missing' },
      ]);
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(rawBody).toString('utf8'));
    } catch {
      throw invalidRequest('The webhook body is not JSON');
    }
    const wanted = PRODUCT_TOPICS.has(headers.topic);
    const ourShop = !headers.shopDomain || headers.shopDomain === connection.shop;
    const outcome = wanted && ourShop ? 'queued' : 'ignored';
    const detail = !ourShop
      ? `from ${headers.shopDomain}, not the connected shop`
      : wanted
        ? null
        : `topic ${headers.topic} is not handled`;
    const productId =
      typeof (payload as { admin_graphql_api_id?: unknown })?.admin_graphql_api_id === 'string'
        ? (payload as { admin_graphql_api_id: string }).admin_graphql_api_id
        : null;
    const { db, shopify, queue } = this.#deps;
    const accepted = await db.transaction(async (tx) => {
      const inserted = await shopify.insertEvent(tx, {
        webhook_id: headers.webhookId!,
        event_key: headers.eventId ? `${headers.eventId}:${headers.topic}` : null,
        topic: headers.topic!,
        shop: headers.shopDomain ?? connection.shop,
        product_id: productId,
        payload,
        outcome,
        detail,
      });
      if (inserted && outcome === 'queued')
        await queue.send(
          SHOPIFY_EVENT_QUEUE,
          { webhookId: headers.webhookId!, deferrals: 0 },
          { priority: 1, sql: tx },
        );
      return inserted;
    });
    if (accepted && outcome === 'queued') queue.wake(SHOPIFY_EVENT_QUEUE);
    return { duplicate: !accepted, outcome };
  }

  listEvents(limit: number): Promise<ShopifyEventRecord[]> {
    return this.#deps.shopify.listEvents(this.#deps.db, limit);
  }

  /** The queue handler of one accepted event. */
  async handle(payload: { webhookId: string; deferrals: number }): Promise<void> {
    const { db, shopify, publications, queue } = this.#deps;
    const event = await shopify.findEvent(db, payload.webhookId);
    if (event?.outcome !== 'queued') return;
    const connection = await this.#connection.open();
    if (!connection)
      return shopify.finishEvent(db, event.webhook_id, 'failed', 'No Shopify shop is connected any more');
    const parsed = ProductPayloadSchema.safeParse(event.payload);
    if (!parsed.success)
      return shopify.finishEvent(
        db,
        event.webhook_id,
        'failed',
        `Not a product payload: ${parsed.error.issues[0]?.message}`,
      );
    const productGid = parsed.data.admin_graphql_api_id ?? `gid://shopify/Product/${parsed.data.id}`;
    // Vitrine is attaching images to this product right now: the event may be the echo of that
    // attach, so it waits until the attach has recorded which media are Vitrine's.
    if (payload.deferrals < MAX_DEFERRALS && (await publications.hasPendingFor(db, 'shopify', productGid))) {
      await queue.send(
        SHOPIFY_EVENT_QUEUE,
        { webhookId: payload.webhookId, deferrals: payload.deferrals + 1 },
        { priority: 1, startAfterMs: DEFER_MS },
      );
      return;
    }
    const known = await shopify.findProduct(db, productGid);
    const inputs = inputsFromPayload(parsed.data, new Set((known?.attached_media ?? []).map(numericId)));
    const fingerprint = productFingerprint(inputs, connection);
    const claimed = await shopify.claimProduct(db, {
      product_id: inputs.productId,
      fingerprint,
      title: inputs.title,
      price: inputs.price,
      product_type: inputs.productType,
      image_url: inputs.imageUrl,
      sync_id: null,
    });
    if (!claimed) {
      return shopify.finishEvent(
        db,
        event.webhook_id,
        'unchanged',
        'Nothing Vitrine draws from changed since its last render',
      );
    }
    try {
      const jobIds = await this.render(connection, inputs, {
        priority: 'normal',
        source: `webhook:${event.webhook_id}`,
      });
      await shopify.finishEvent(db, event.webhook_id, 'rendering', null, jobIds);
    } catch (error) {
      const message = (error as Error).message;
      await shopify.markFailed(db, inputs.productId, message);
      await shopify.finishEvent(db, event.webhook_id, 'failed', message);
    }
  }

  /** One job per connected template; each job, once it succeeds, is attached to the product. */
  async render(
    connection: OpenShopifyConnection,
    inputs: ProductInputs,
    options: { priority: 'normal' | 'batch'; source: string },
  ): Promise<string[]> {
    const templates = await loadTemplates(this.#deps, connection.templates);
    const jobIds: string[] = [];
    for (const template of templates) {
      const { job } = await this.#generations.create(
        {
          template: template.name,
          params: paramsForProduct(template, inputs, connection.currencyCode),
          brand: connection.brand ?? undefined,
          n: 1,
          priority: options.priority,
          cache: 'exact',
          metadata: { shopify_product_id: inputs.productId, shopify_source: options.source },
        },
        { apiKeyId: null },
      );
      jobIds.push(job.id);
    }
    return jobIds;
  }
}
