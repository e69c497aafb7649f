import type { ShopifyConnectionRecord, ShopifyRepository } from '../../db/shopify.repository.ts';
import { AppError, invalidRequest } from '../../domain/errors.ts';
import { isPublishError } from '../../integrations/publish-error.ts';
import { ShopifyAdminClient } from '../../integrations/shopify/shopify-admin.client.ts';
import type { ServiceDeps } from '../deps.ts';
import type { SecretBox } from './secret-box.ts';

type Deps = Pick<ServiceDeps, 'db' | 'templates' | 'brands' | 'limits'> & {
  shopify: ShopifyRepository;
  secrets: SecretBox;
};

/** The Admin API version Vitrine is written and tested against. */
export const DEFAULT_SHOPIFY_API_VERSION = '2025-10';

export interface ShopifyConnectionInput {
  shop: string;
  access_token: string;
  webhook_secret: string;
  api_version?: string;
  templates: string[];
  brand?: string | null;
  admin_base_url?: string | null;
}

/** The connection with its secrets opened, for the code that talks to Shopify. */
export interface OpenShopifyConnection {
  shop: string;
  apiVersion: string;
  templates: string[];
  brand: string | null;
  currencyCode: string | null;
  webhookSecret: string;
  client: ShopifyAdminClient;
}

const SHOP_QUERY = 'query Shop { shop { name myshopifyDomain currencyCode } }';

/** `PUT/GET/DELETE /v1/integrations/shopify`: the one connected shop, secrets sealed at rest. */
export class ShopifyConnectionService {
  readonly #deps: Deps;
  #cached: { key: string; open: OpenShopifyConnection } | null = null;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  /**
   * Checks every field (templates and brand exist; the token works: `shop { currencyCode }` is
   * asked of the shop, and its currency kept to format prices), then stores the connection.
   */
  async put(input: ShopifyConnectionInput): Promise<ShopifyConnectionRecord> {
    const { db, templates, brands, secrets, shopify } = this.#deps;
    const issues: Array<{ field: string; message: string }> = [];
    for (const [index, name] of input.templates.entries()) {
      if (!(await templates.find(db, name)))
        issues.push({ field: `templates.${index}`, message: `No template '${name}'` });
    }
    if (input.brand && !(await brands.find(db, input.brand)))
      issues.push({ field: 'brand', message: `No brand '${input.brand}'` });
    if (issues.length > 0) throw invalidRequest('The Shopify connection names what does not exist', issues);
    const apiVersion = input.api_version ?? DEFAULT_SHOPIFY_API_VERSION;
    const adminBaseUrl = input.admin_base_url ?? `https://${input.shop}`;
    const client = new ShopifyAdminClient({
      shop: input.shop,
      adminBaseUrl,
      apiVersion,
      accessToken: input.access_token,
      allowPrivateUrls: this.#deps.limits.allowPrivateUrls,
    });
    let currencyCode: string;
    try {
      const answer = await client.graphql<{ shop: { currencyCode: string } }>(SHOP_QUERY, {}, { cost: 1 });
      currencyCode = answer.shop.currencyCode;
    } catch (error) {
      if (!isPublishError(error)) throw error;
      const field = error.code === 'shopify_unauthorized' ? 'access_token' : 'shop';
      throw new AppError('unprocessable', `Could not use the shop: ${error.message}`, {
        details: { issues: [{ field, message: error.message }], code: error.code },
      });
    }
    this.#cached = null;
    return shopify.saveConnection(db, {
      shop: input.shop,
      access_token: secrets.seal(input.access_token, 'shopify.access_token'),
      webhook_secret: secrets.seal(input.webhook_secret, 'shopify.webhook_secret'),
      api_version: apiVersion,
      templates: input.templates,
      brand: input.brand ?? null,
      admin_base_url: input.admin_base_url ?? null,
      currency_code: currencyCode,
    });
  }

  get(): Promise<ShopifyConnectionRecord | null> {
    return this.#deps.shopify.getConnection(this.#deps.db);
  }

  async delete(): Promise<boolean> {
    this.#cached = null;
    return this.#deps.shopify.deleteConnection(this.#deps.db);
  }

  /** The connection, secrets opened; null when no shop is connected. Cached until it changes. */
  async open(): Promise<OpenShopifyConnection | null> {
    const record = await this.get();
    if (!record) return null;
    const key = record.updated_at.toISOString();
    if (this.#cached?.key === key) return this.#cached.open;
    const { secrets, limits } = this.#deps;
    const open: OpenShopifyConnection = {
      shop: record.shop,
      apiVersion: record.api_version,
      templates: record.templates,
      brand: record.brand,
      currencyCode: record.currency_code,
      webhookSecret: secrets.open(record.webhook_secret, 'shopify.webhook_secret'),
      client: new ShopifyAdminClient({
        shop: record.shop,
        adminBaseUrl: record.admin_base_url ?? `https://${record.shop}`,
        apiVersion: record.api_version,
        accessToken: secrets.open(record.access_token, 'shopify.access_token'),
        allowPrivateUrls: limits.allowPrivateUrls,
      }),
    };
    this.#cached = { key, open };
    return open;
  }
}

/** The connection as the API shows it: never its secrets. */
export function presentShopifyConnection(record: ShopifyConnectionRecord) {
  return {
    shop: record.shop,
    api_version: record.api_version,
    templates: record.templates,
    brand: record.brand,
    admin_base_url: record.admin_base_url ?? `https://${record.shop}`,
    currency_code: record.currency_code,
    webhook_url_path: '/v1/integrations/shopify/webhooks',
    created_at: record.created_at.toISOString(),
    updated_at: record.updated_at.toISOString(),
  };
}
