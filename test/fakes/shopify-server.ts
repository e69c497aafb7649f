import { createHash, createHmac, randomUUID } from 'node:crypto';
import {
  type DocumentNode,
  execute,
  type GraphQLError,
  Kind,
  type OperationDefinitionNode,
  parse,
  validate,
} from 'graphql';
import { type FakeContext, FakeHttpServer, makePng, type RecordedFile, sendJson } from './fake-http.ts';
import { requestedQueryCost, shopifySchema } from './shopify-schema.ts';
import { buildResolvers, type FakeMedia, type FakeProduct, productPayload } from './shopify-state.ts';

export type { FakeMedia, FakeProduct } from './shopify-state.ts';

/** A failure the next matching request gets, once. */
export type ShopifyFault = 'graphql_5xx' | 'graphql_throttled' | 'upload_503' | 'upload_403' | 'media_failed';

export interface ShopifyDelivery {
  topic: string;
  webhookId: string;
  eventId: string;
  productId: number;
  status: number;
  body: string;
}

export interface FakeShopifyOptions {
  shop?: string;
  accessToken?: string;
  apiVersion?: string;
  currencyCode?: string;
  /** The cost bucket: Shopify Standard is 1,000 points restored at 100 points/s. */
  maximumAvailable?: number;
  restoreRate?: number;
  /** Status reads a new media goes through before READY (UPLOADED → PROCESSING → … → READY). */
  processingReads?: number;
  now?: () => number;
}

/**
 * A loopback Shopify shop, faithful to the Admin GraphQL API (2025-10) for what Vitrine uses:
 * requests are parsed and validated against the real schema subset (`shopify-schema.ts`); each is
 * priced with Shopify's cost model and charged to a leaky bucket, answering `THROTTLED` with the
 * `extensions.cost` block when empty; staged uploads go to a signed POST target that checks the
 * policy fields and answers like Google Cloud Storage; new media are processed asynchronously
 * (UPLOADED → PROCESSING → READY); and the shop sends signed `products/create` / `products/update`
 * webhooks to a connected app, including the update that follows a media change.
 */
export class FakeShopifyServer extends FakeHttpServer {
  readonly shop: string;
  readonly accessToken: string;
  readonly apiVersion: string;
  readonly currencyCode: string;
  readonly products = new Map<number, FakeProduct>();
  readonly media = new Map<string, FakeMedia>();
  readonly uploads = new Map<string, RecordedFile & { key: string }>();
  readonly deliveries: ShopifyDelivery[] = [];
  /** Every GraphQL call: the operation, its variables, and what it cost. */
  readonly graphqlCalls: Array<{
    query: string;
    variables: Record<string, unknown>;
    cost: number;
    throttled: boolean;
  }> = [];
  readonly bucket: { maximumAvailable: number; restoreRate: number; currentlyAvailable: number; at: number };
  readonly #faults: ShopifyFault[] = [];
  readonly #now: () => number;
  readonly #processingReads: number;
  readonly #signingKey = randomUUID();
  #nextId = 632910392;
  #app: { url: string; secret: string } | null = null;
  #pendingDeliveries = new Set<Promise<void>>();

  constructor(options: FakeShopifyOptions = {}) {
    super((context) => this.#route(context));
    this.shop = options.shop ?? 'vitrine-test.myshopify.com';
    this.accessToken = options.accessToken ?? 'shpat_test_token';
    this.apiVersion = options.apiVersion ?? '2025-10';
    this.currencyCode = options.currencyCode ?? 'USD';
    this.#now = options.now ?? Date.now;
    this.#processingReads = options.processingReads ?? 2;
    const maximumAvailable = options.maximumAvailable ?? 1000;
    this.bucket = {
      maximumAvailable,
      restoreRate: options.restoreRate ?? 100,
      currentlyAvailable: maximumAvailable,
      at: this.#now(),
    };
  }

  /** The app's webhook subscription: where products/* topics go, signed with the app's secret. */
  connectApp(app: { url: string; secret: string } | null): void {
    this.#app = app;
  }

  fail(...faults: ShopifyFault[]): void {
    this.#faults.push(...faults);
  }

  /** A merchant adds a product in the admin: it is stored, and `products/create` is sent. */
  async createProduct(input: {
    title: string;
    productType?: string;
    price?: string;
    sku?: string;
    image?: boolean;
    sendUpdateToo?: boolean;
  }): Promise<FakeProduct> {
    const product = this.addProduct(input);
    await this.deliver('products/create', product);
    // Shopify often follows a create with an update of the same product.
    if (input.sendUpdateToo) await this.deliver('products/update', product);
    return product;
  }

  /** Stores a product without sending anything (a catalog that exists before the app). */
  addProduct(input: {
    title: string;
    productType?: string;
    price?: string;
    sku?: string;
    image?: boolean;
  }): FakeProduct {
    const id = this.#nextId++;
    const product: FakeProduct = {
      id,
      title: input.title,
      productType: input.productType ?? 'Mugs',
      vendor: 'Vitrine Test',
      handle: input.title.toLowerCase().replaceAll(/[^a-z0-9]+/g, '-'),
      status: 'ACTIVE',
      updatedAt: new Date(this.#now()).toISOString(),
      variants: [
        {
          id: id * 10 + 1,
          title: 'Default Title',
          sku: input.sku ?? `SKU-${id}`,
          price: input.price ?? '19.99',
        },
      ],
      mediaIds: [],
    };
    this.products.set(id, product);
    if (input.image !== false) {
      const media = this.#newMedia({
        alt: input.title,
        status: 'READY',
        bytes: makePng(64, 64, 90),
        mimeType: 'image/png',
      });
      product.mediaIds.push(media.id);
    }
    return product;
  }

  async updateProduct(
    id: number,
    changes: Partial<Pick<FakeProduct, 'title' | 'productType'>>,
  ): Promise<void> {
    const product = this.products.get(id)!;
    Object.assign(product, changes, { updatedAt: new Date(this.#now()).toISOString() });
    await this.deliver('products/update', product);
  }

  /** Sends a webhook (signed like Shopify) to the connected app; resolves when it answered. */
  async deliver(
    topic: string,
    product: FakeProduct,
    options: { webhookId?: string; eventId?: string } = {},
  ): Promise<ShopifyDelivery | null> {
    if (!this.#app) return null;
    const body = JSON.stringify(productPayload(this, product));
    const webhookId = options.webhookId ?? randomUUID();
    const eventId = options.eventId ?? String(this.#nextId++);
    const response = await fetch(this.#app.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': topic,
        'x-shopify-hmac-sha256': signShopifyWebhook(this.#app.secret, body),
        'x-shopify-shop-domain': this.shop,
        'x-shopify-api-version': this.apiVersion,
        'x-shopify-webhook-id': webhookId,
        'x-shopify-event-id': eventId,
        'x-shopify-triggered-at': new Date(this.#now()).toISOString(),
      },
      body,
    });
    await response.body?.cancel();
    const delivery = { topic, webhookId, eventId, productId: product.id, status: response.status, body };
    this.deliveries.push(delivery);
    return delivery;
  }

  /** Resolves once every webhook the shop started sending on its own has been answered. */
  async settled(): Promise<void> {
    while (this.#pendingDeliveries.size > 0) await Promise.all([...this.#pendingDeliveries]);
  }

  mediaOf(productId: number): FakeMedia[] {
    return (this.products.get(productId)?.mediaIds ?? []).map((id) => this.media.get(id)!);
  }

  get graphqlUrl(): string {
    return `${this.url}/admin/api/${this.apiVersion}/graphql.json`;
  }

  /** The bucket refilled up to now, as Shopify reports it in `throttleStatus`. */
  throttleStatus() {
    const now = this.#now();
    const bucket = this.bucket;
    bucket.currentlyAvailable = Math.min(
      bucket.maximumAvailable,
      bucket.currentlyAvailable + ((now - bucket.at) / 1000) * bucket.restoreRate,
    );
    bucket.at = now;
    return {
      maximumAvailable: bucket.maximumAvailable,
      currentlyAvailable: Math.floor(bucket.currentlyAvailable),
      restoreRate: bucket.restoreRate,
    };
  }

  #takeFault(...kinds: ShopifyFault[]): ShopifyFault | undefined {
    const index = this.#faults.findIndex((fault) => kinds.includes(fault));
    return index === -1 ? undefined : this.#faults.splice(index, 1)[0];
  }

  #newMedia(input: {
    alt: string | null;
    status: FakeMedia['status'];
    bytes: Uint8Array | null;
    mimeType: string;
    failed?: boolean;
  }): FakeMedia {
    const numeric = this.#nextId++;
    const media: FakeMedia = {
      id: `gid://shopify/MediaImage/${numeric}`,
      numericId: numeric,
      alt: input.alt,
      status: input.status,
      reads: 0,
      bytes: input.bytes,
      mimeType: input.mimeType,
      failAtReady: input.failed ?? false,
      createdAt: new Date(this.#now()).toISOString(),
      productId: null,
    };
    this.media.set(media.id, media);
    return media;
  }

  async #route(context: FakeContext) {
    const { request, res } = context;
    if (request.method === 'POST' && request.path === `/admin/api/${this.apiVersion}/graphql.json`)
      return this.#graphql(context);
    if (request.method === 'POST' && request.path === '/staged-uploads/') return this.#stagedUpload(context);
    if (request.method === 'GET' && request.path.startsWith('/cdn/')) {
      const media = this.media.get(
        `gid://shopify/MediaImage/${request.path.split('/').pop()?.split('.')[0]}`,
      );
      if (!media?.bytes) return sendJson(res, 404, { errors: 'Not Found' });
      res.writeHead(200, { 'content-type': media.mimeType });
      return res.end(media.bytes);
    }
    sendJson(res, 404, { errors: 'Not Found' });
  }

  async #graphql(context: FakeContext) {
    const { request, res } = context;
    if (request.headers['x-shopify-access-token'] !== this.accessToken) {
      return sendJson(res, 401, {
        errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      });
    }
    if (this.#takeFault('graphql_5xx')) return sendJson(res, 502, { errors: 'Bad Gateway' });
    const body = (request.json ?? {}) as { query?: string; variables?: Record<string, unknown> };
    let document: DocumentNode;
    try {
      document = parse(body.query ?? '');
    } catch (error) {
      return sendJson(res, 200, { errors: [{ message: (error as GraphQLError).message }] });
    }
    const problems = validate(shopifySchema, document);
    if (problems.length > 0) {
      return sendJson(res, 200, {
        errors: problems.map((problem) => ({
          message: problem.message,
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        })),
      });
    }
    const operation = document.definitions.find(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    )!;
    const variables = body.variables ?? {};
    const cost = requestedQueryCost(document, operation, variables);
    const status = this.throttleStatus();
    const forced = this.#takeFault('graphql_throttled');
    if (cost > this.bucket.maximumAvailable) {
      return sendJson(res, 200, {
        errors: [
          {
            message: `Query cost is ${cost}, which exceeds the single query max cost limit (${this.bucket.maximumAvailable}).`,
            extensions: { code: 'MAX_COST_EXCEEDED', cost, maxCost: this.bucket.maximumAvailable },
          },
        ],
      });
    }
    if (forced || cost > status.currentlyAvailable) {
      this.graphqlCalls.push({ query: body.query ?? '', variables, cost, throttled: true });
      return sendJson(res, 200, {
        errors: [
          {
            message: 'Throttled',
            extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
          },
        ],
        extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: status } },
      });
    }
    this.bucket.currentlyAvailable -= cost;
    this.graphqlCalls.push({ query: body.query ?? '', variables, cost, throttled: false });
    const result = await execute({
      schema: shopifySchema,
      document,
      rootValue: buildResolvers(this, {
        newMedia: (input) => this.#newMedia(input),
        stagedTarget: (input) => this.#stagedTarget(input),
        mediaRead: (media) => this.#onMediaRead(media),
        takeMediaFailure: () => Boolean(this.#takeFault('media_failed')),
      }),
      variableValues: variables,
    });
    sendJson(res, 200, {
      ...result,
      extensions: {
        cost: { requestedQueryCost: cost, actualQueryCost: cost, throttleStatus: this.throttleStatus() },
      },
    });
  }

  /** A target like Google Cloud Storage's signed POST policy, as Shopify hands out for IMAGE. */
  #stagedTarget(input: { filename: string; mimeType: string }) {
    const key = `tmp/73041363218/products/${randomUUID()}/${input.filename}`;
    const policy = Buffer.from(
      JSON.stringify({
        conditions: [{ key }, { 'Content-Type': input.mimeType }],
        expiration: new Date(this.#now() + 3600_000).toISOString(),
      }),
    ).toString('base64');
    const parameters = [
      { name: 'Content-Type', value: input.mimeType },
      { name: 'success_action_status', value: '201' },
      { name: 'acl', value: 'private' },
      { name: 'key', value: key },
      { name: 'x-goog-date', value: '20261203T000000Z' },
      {
        name: 'x-goog-credential',
        value: 'merchant-assets@shopify-tiers.iam.gserviceaccount.com/20261203/auto/storage/goog4_request',
      },
      { name: 'x-goog-algorithm', value: 'GOOG4-RSA-SHA256' },
      {
        name: 'x-goog-signature',
        value: createHmac('sha256', this.#signingKey).update(policy).digest('hex'),
      },
      { name: 'policy', value: policy },
    ];
    return {
      url: `${this.url}/staged-uploads/`,
      resourceUrl: `${this.url}/staged-uploads/${key}`,
      parameters,
    };
  }

  /** The staged target: multipart POST, every policy field as given, `file` last (GCS rules). */
  #stagedUpload(context: FakeContext) {
    const { request, res } = context;
    const xmlError = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/xml; charset=UTF-8' });
      res.end(
        `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
      );
    };
    const fault = this.#takeFault('upload_503', 'upload_403');
    if (fault === 'upload_503')
      return xmlError(503, 'ServiceUnavailable', 'We encountered an internal error. Please try again.');
    if (fault === 'upload_403') return xmlError(403, 'AccessDenied', 'Invalid argument.');
    const form = request.form;
    if (!form) return xmlError(400, 'InvalidArgument', 'POST requires a multipart/form-data body.');
    const names = Object.keys(form);
    if (names.at(-1) !== 'file')
      return xmlError(400, 'InvalidArgument', 'The file field must be the last field of the form.');
    const policy = String(form.policy ?? '');
    const signature = createHmac('sha256', this.#signingKey).update(policy).digest('hex');
    if (form['x-goog-signature'] !== signature)
      return xmlError(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    const conditions = JSON.parse(Buffer.from(policy, 'base64').toString()) as {
      conditions: Array<Record<string, string>>;
    };
    for (const condition of conditions.conditions) {
      for (const [name, value] of Object.entries(condition)) {
        if (form[name] !== value)
          return xmlError(
            403,
            'AccessDenied',
            `Invalid according to Policy: Policy Condition failed: ["eq", "$${name}", "${value}"]`,
          );
      }
    }
    const file = form.file as RecordedFile;
    if (typeof file === 'string' || file.bytes.length === 0)
      return xmlError(400, 'InvalidArgument', 'Empty file.');
    const key = String(form.key);
    this.uploads.set(key, { ...file, key });
    res.writeHead(201, {
      'content-type': 'application/xml; charset=UTF-8',
      etag: `"${createHash('md5').update(file.bytes).digest('hex')}"`,
    });
    res.end(
      `<?xml version='1.0' encoding='UTF-8'?><PostResponse><Location>${this.url}/staged-uploads/${key}</Location><Bucket>shopify-staged-uploads</Bucket><Key>${key}</Key></PostResponse>`,
    );
  }

  /** Each status read moves a new media one step; when a product's new media are all READY, Shopify sends products/update. */
  #onMediaRead(media: FakeMedia): void {
    if (media.status === 'READY' || media.status === 'FAILED') return;
    media.reads += 1;
    if (media.reads < this.#processingReads) {
      media.status = 'PROCESSING';
      return;
    }
    media.status = media.failAtReady ? 'FAILED' : 'READY';
    const product = media.productId === null ? undefined : this.products.get(media.productId);
    if (!product) return;
    const waiting = product.mediaIds.some((id) => {
      const status = this.media.get(id)?.status;
      return status === 'UPLOADED' || status === 'PROCESSING';
    });
    if (!waiting) {
      product.updatedAt = new Date(this.#now()).toISOString();
      const sending = this.deliver('products/update', product)
        .then(() => {})
        .catch(() => {})
        .finally(() => this.#pendingDeliveries.delete(sending));
      this.#pendingDeliveries.add(sending);
    }
  }
}

/** Shopify's webhook signature: base64 of HMAC-SHA256 over the raw body with the app's secret. */
export function signShopifyWebhook(secret: string, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}
