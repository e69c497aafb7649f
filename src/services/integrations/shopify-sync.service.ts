import { randomUUID } from 'node:crypto';
import type { ShopifyRepository, ShopifySyncRecord } from '../../db/shopify.repository.ts';
import { isBatchFinished } from '../../domain/batch.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import {
  numericId,
  type ProductInputs,
  productFingerprint,
} from '../../integrations/shopify/shopify-product.ts';
import { SHOPIFY_SYNC_QUEUE } from '../../queue/jobs.ts';
import type { BatchService } from '../batches/batch.service.ts';
import type { BatchImportService } from '../batches/batch-import.service.ts';
import type { ServiceDeps } from '../deps.ts';
import type { PublishService } from './publish.service.ts';
import type { ShopifyConnectionService } from './shopify-connection.service.ts';
import { loadTemplates, paramsForProduct } from './shopify-render.ts';

type Deps = Pick<ServiceDeps, 'db' | 'templates' | 'queue' | 'logger'> & { shopify: ShopifyRepository };

/** Products per catalog page: 40 × 21 points + 2 = 842, under Shopify's 1,000-point query limit. */
const PAGE_SIZE = 40;
const CATALOG = /* GraphQL */ `query Catalog($first: Int!, $after: String) {
  products(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id title productType
      variants(first: 1) { nodes { price sku } }
      media(first: 5) { nodes { id mediaContentType preview { image { url } } } }
    }
  }
}`;
const CATALOG_COST = 2 + PAGE_SIZE * 21;
const ROWS_PAGE = 500;

interface CatalogProduct {
  id: string;
  title: string;
  productType: string;
  variants: { nodes: Array<{ price: string; sku: string | null }> };
  media: {
    nodes: Array<{ id: string; mediaContentType: string; preview: { image: { url: string } | null } | null }>;
  };
}

/** A sync as the API shows it: listing progress, then its batches and what they published. */
export interface SyncState {
  sync: ShopifySyncRecord;
  batches: Array<{
    id: string;
    template: string;
    status: string;
    total: number;
    done: number;
    failed: number;
  }>;
  published: { succeeded: number; failed: number; pending: number };
}

/**
 * `vitrine shopify sync`: lists the whole catalog through the Admin API (honouring the throttle),
 * claims every product whose inputs changed since its last render or whose last render or attach
 * failed (all with `force`), and renders
 * them as one batch per connected template whose rows publish to the shop. Runs as a queue job.
 */
export class ShopifySyncService {
  readonly #deps: Deps;
  readonly #connection: ShopifyConnectionService;
  readonly #imports: Pick<BatchImportService, 'create'>;
  readonly #batches: Pick<BatchService, 'state'>;
  readonly #publish: Pick<PublishService, 'summaryForBatch'>;

  constructor(
    deps: Deps,
    parts: {
      connection: ShopifyConnectionService;
      imports: Pick<BatchImportService, 'create'>;
      batches: Pick<BatchService, 'state'>;
      publish: Pick<PublishService, 'summaryForBatch'>;
    },
  ) {
    this.#deps = deps;
    this.#connection = parts.connection;
    this.#imports = parts.imports;
    this.#batches = parts.batches;
    this.#publish = parts.publish;
  }

  async start(options: { force: boolean }): Promise<SyncState> {
    if (!(await this.#connection.get()))
      throw new AppError('conflict', 'No Shopify shop is connected (PUT /v1/integrations/shopify)');
    const { db, shopify, queue } = this.#deps;
    const id = `sync_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    await db.transaction(async (tx) => {
      await shopify.insertSync(tx, id, options.force);
      await queue.send(SHOPIFY_SYNC_QUEUE, { syncId: id }, { priority: 0, sql: tx });
    });
    queue.wake(SHOPIFY_SYNC_QUEUE);
    return this.state(id);
  }

  /** The queue handler. A sync cut off while listing lists again (claims are idempotent). */
  async run(syncId: string, signal?: AbortSignal): Promise<void> {
    const { db, shopify } = this.#deps;
    const sync = await shopify.findSync(db, syncId);
    if (sync?.status !== 'listing') return;
    try {
      const connection = await this.#connection.open();
      if (!connection) throw new Error('No Shopify shop is connected any more');
      const templates = await loadTemplates(this.#deps, connection.templates);
      let after: string | null = null;
      let listed = 0;
      let claimed = 0;
      do {
        const page: {
          products: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: CatalogProduct[] };
        } = await connection.client.graphql(
          CATALOG,
          { first: PAGE_SIZE, after },
          { cost: CATALOG_COST, signal },
        );
        for (const product of page.products.nodes) {
          const known = await shopify.findProduct(db, product.id);
          const inputs = inputsFromCatalog(product, new Set((known?.attached_media ?? []).map(numericId)));
          const won = await shopify.claimProduct(
            db,
            {
              product_id: inputs.productId,
              fingerprint: productFingerprint(inputs, connection),
              title: inputs.title,
              price: inputs.price,
              product_type: inputs.productType,
              image_url: inputs.imageUrl,
              sync_id: syncId,
            },
            { force: sync.force, retryFailed: true },
          );
          if (won) claimed++;
        }
        listed += page.products.nodes.length;
        await shopify.updateSync(db, syncId, { listed, claimed });
        after = page.products.pageInfo.hasNextPage ? page.products.pageInfo.endCursor : null;
      } while (after);

      const batchIds: string[] = [];
      if (claimed > 0) {
        for (const template of templates) {
          const rows = await this.#rows(syncId, template, connection.currencyCode);
          const { batch } = await this.#imports.create(
            {
              template: template.name,
              brand: connection.brand ?? undefined,
              n: 1,
              priority: 'batch',
              cache: 'exact',
              key_column: 'product_id',
              destinations: ['shopify'],
            },
            { kind: 'json', rows },
            { apiKeyId: null },
          );
          batchIds.push(batch.id);
        }
      }
      await shopify.updateSync(db, syncId, {
        status: batchIds.length > 0 ? 'rendering' : 'succeeded',
        batch_ids: batchIds,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      this.#deps.logger.warn({ err: error, syncId }, 'shopify sync failed');
      await shopify.updateSync(db, syncId, {
        status: 'failed',
        error: (error as Error).message.slice(0, 500),
      });
    }
  }

  async state(id: string): Promise<SyncState> {
    const { db, shopify } = this.#deps;
    let sync = await shopify.findSync(db, id);
    if (!sync) throw notFound('Shopify sync', id);
    const batches: SyncState['batches'] = [];
    const published = { succeeded: 0, failed: 0, pending: 0 };
    let allFinished = true;
    for (const batchId of sync.batch_ids) {
      const state = await this.#batches.state(batchId);
      const { succeeded, failed, canceled } = state.counts;
      batches.push({
        id: batchId,
        template: state.batch.template,
        status: state.batch.status,
        total: state.batch.total,
        done: succeeded + failed + canceled,
        failed,
      });
      if (!isBatchFinished(state.batch.status)) allFinished = false;
      const summary = (await this.#publish.summaryForBatch(batchId)).shopify;
      if (summary) {
        published.succeeded += summary.succeeded;
        published.failed += summary.failed;
        published.pending += summary.pending;
      }
    }
    if (sync.status === 'rendering' && allFinished && published.pending === 0) {
      // Rows that failed to render are in the batches' counts; every succeeded row must be attached.
      const succeededRows = batches.reduce((sum, batch) => sum + batch.done - batch.failed, 0);
      if (published.succeeded + published.failed >= succeededRows) {
        const ok = published.failed === 0 && batches.every((batch) => batch.failed === 0);
        sync = (await shopify.updateSync(db, id, { status: ok ? 'succeeded' : 'failed' })) ?? sync;
      }
    }
    return { sync, batches, published };
  }

  async #rows(syncId: string, template: Parameters<typeof paramsForProduct>[0], currencyCode: string | null) {
    const rows: Array<Record<string, string>> = [];
    let after = '';
    for (;;) {
      const page = await this.#deps.shopify.listClaimed(this.#deps.db, syncId, after, ROWS_PAGE);
      for (const product of page) {
        const inputs: ProductInputs = {
          productId: product.product_id,
          title: product.title,
          price: product.price,
          sku: null,
          productType: product.product_type,
          imageId: null,
          imageUrl: product.image_url,
        };
        rows.push({ product_id: product.product_id, ...paramsForProduct(template, inputs, currencyCode) });
      }
      if (page.length < ROWS_PAGE) return rows;
      after = page.at(-1)!.product_id;
    }
  }
}

/** The same inputs a webhook gives, from the catalog listing (own photo: first media not Vitrine's). */
function inputsFromCatalog(product: CatalogProduct, attached: ReadonlySet<string>): ProductInputs {
  const own = product.media.nodes.find(
    (media) =>
      media.mediaContentType === 'IMAGE' && !attached.has(numericId(media.id)) && media.preview?.image,
  );
  const variant = product.variants.nodes[0];
  return {
    productId: product.id,
    title: product.title,
    price: variant?.price ?? null,
    sku: variant?.sku ?? null,
    productType: product.productType,
    imageId: own ? numericId(own.id) : null,
    imageUrl: own?.preview?.image?.url ?? null,
  };
}
