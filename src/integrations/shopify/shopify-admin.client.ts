import { outboundFetch } from '../outbound-fetch.ts';
import { excerpt, PublishError, retryAfterMs } from '../publish-error.ts';
import { CostBucket, type ThrottleStatus } from './shopify-throttle.ts';

export interface ShopifyAdminConfig {
  shop: string;
  /** `https://{shop}` unless a proxy or a test stands in for Shopify. */
  adminBaseUrl: string;
  apiVersion: string;
  accessToken: string;
  allowPrivateUrls: boolean;
}

export interface GraphqlOptions {
  /** The expected cost in points, so the call waits for the bucket before sending. */
  cost: number;
  signal?: AbortSignal;
}

interface GraphqlAnswer<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }> | string;
  extensions?: {
    cost?: { requestedQueryCost?: number; actualQueryCost?: number | null; throttleStatus?: ThrottleStatus };
  };
}

const TIMEOUT_MS = 30_000;
/** THROTTLED answers waited out in-process before the call gives up as retryable. */
const MAX_THROTTLED_WAITS = 8;
/** A 429 (Shopify's REST-style limit, also seen at the edge) waited out in-process at most this often. */
const MAX_429_WAITS = 3;

/** Cost buckets per shop, shared by every client of this process. */
const buckets = new Map<string, CostBucket>();

export function bucketFor(shop: string): CostBucket {
  let bucket = buckets.get(shop);
  if (!bucket) {
    bucket = new CostBucket();
    buckets.set(shop, bucket);
  }
  return bucket;
}

/**
 * The Admin GraphQL API of one shop (`POST /admin/api/{version}/graphql.json` with
 * `X-Shopify-Access-Token`). Honours the cost-based throttle: waits for the bucket before sending,
 * learns its level from every answer's `extensions.cost.throttleStatus`, and on `THROTTLED` waits
 * for the points the request needs, then sends it again. Errors become PublishErrors:
 * `shopify_unauthorized` (401/403), `shopify_unavailable` (5xx, network: retryable),
 * `shopify_throttled` (still throttled after waiting: retryable), `shopify_graphql_error`.
 */
export class ShopifyAdminClient {
  readonly #config: ShopifyAdminConfig;
  readonly #bucket: CostBucket;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    config: ShopifyAdminConfig,
    options: { bucket?: CostBucket; sleep?: (ms: number, signal?: AbortSignal) => Promise<void> } = {},
  ) {
    this.#config = config;
    this.#bucket = options.bucket ?? bucketFor(config.shop);
    this.#sleep =
      options.sleep ??
      ((ms, signal) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, ms);
          signal?.addEventListener(
            'abort',
            () => {
              clearTimeout(timer);
              reject(signal.reason);
            },
            { once: true },
          );
        }));
  }

  get endpoint(): string {
    return `${this.#config.adminBaseUrl.replace(/\/+$/, '')}/admin/api/${this.#config.apiVersion}/graphql.json`;
  }

  async graphql<T>(query: string, variables: Record<string, unknown>, options: GraphqlOptions): Promise<T> {
    let throttledWaits = 0;
    let rateLimitedWaits = 0;
    for (;;) {
      await this.#bucket.reserve(options.cost, options.signal);
      const response = await outboundFetch(
        this.endpoint,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'x-shopify-access-token': this.#config.accessToken,
            'user-agent': 'Vitrine-Shopify/1',
          },
          body: JSON.stringify({ query, variables }),
        },
        {
          allowPrivateUrls: this.#config.allowPrivateUrls,
          timeoutMs: TIMEOUT_MS,
          signal: options.signal,
          errorPrefix: 'shopify',
        },
      );
      const text = await response.text();
      if (response.status === 429) {
        const wait = retryAfterMs(response.headers.get('retry-after')) ?? 2000;
        if (++rateLimitedWaits > MAX_429_WAITS)
          throw new PublishError('shopify_throttled', 'Shopify kept answering 429 Too Many Requests', {
            retryable: true,
            statusCode: 429,
            retryAfterMs: wait,
            bodyExcerpt: excerpt(text),
          });
        await this.#sleep(wait, options.signal);
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        throw new PublishError(
          'shopify_unauthorized',
          `Shopify refused the access token (HTTP ${response.status})`,
          {
            retryable: false,
            statusCode: response.status,
            bodyExcerpt: excerpt(text),
          },
        );
      }
      if (response.status >= 500) {
        throw new PublishError('shopify_unavailable', `Shopify answered HTTP ${response.status}`, {
          retryable: true,
          statusCode: response.status,
          bodyExcerpt: excerpt(text),
        });
      }
      if (response.status !== 200) {
        throw new PublishError(
          'shopify_graphql_error',
          `Shopify answered HTTP ${response.status} at ${this.endpoint}`,
          {
            retryable: false,
            statusCode: response.status,
            bodyExcerpt: excerpt(text),
          },
        );
      }
      let answer: GraphqlAnswer<T>;
      try {
        answer = JSON.parse(text) as GraphqlAnswer<T>;
      } catch {
        throw new PublishError('shopify_unavailable', 'Shopify answered something that is not JSON', {
          retryable: true,
          statusCode: 200,
          bodyExcerpt: excerpt(text),
        });
      }
      const cost = answer.extensions?.cost;
      if (cost?.throttleStatus) this.#bucket.observe(cost.throttleStatus);
      const errors = Array.isArray(answer.errors)
        ? answer.errors
        : answer.errors
          ? [{ message: answer.errors }]
          : [];
      if (errors.some((error) => error.extensions?.code === 'THROTTLED')) {
        const status = cost?.throttleStatus;
        const wait = status
          ? this.#bucket.throttledWaitMs(cost?.requestedQueryCost ?? options.cost, status)
          : 1000;
        if (++throttledWaits > MAX_THROTTLED_WAITS)
          throw new PublishError('shopify_throttled', 'Shopify kept throttling the request', {
            retryable: true,
            statusCode: 200,
            retryAfterMs: wait,
          });
        await this.#sleep(wait, options.signal);
        continue;
      }
      if (errors.length > 0 || answer.data === undefined) {
        throw new PublishError(
          'shopify_graphql_error',
          `Shopify refused the request: ${errors.map((error) => error.message).join('; ') || 'no data'}`,
          { retryable: false, statusCode: 200, bodyExcerpt: excerpt(text) },
        );
      }
      return answer.data;
    }
  }
}

/** `userErrors` of a mutation payload as one PublishError (not retryable: the input is wrong). */
export function assertNoUserErrors(
  what: string,
  userErrors: ReadonlyArray<{ field?: string[] | null; message: string }> | undefined,
): void {
  if (!userErrors || userErrors.length === 0) return;
  const text = userErrors
    .map((error) => (error.field?.length ? `${error.field.join('.')}: ${error.message}` : error.message))
    .join('; ');
  throw new PublishError('shopify_user_error', `${what}: ${text}`, { retryable: false, statusCode: 200 });
}
