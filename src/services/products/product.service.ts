import { randomUUID } from 'node:crypto';
import type { CustomerRepository, ProductRepository } from '../../db/product.repository.ts';
import { AppError, type FieldIssue, invalidRequest, notFound } from '../../domain/errors.ts';
import {
  type Customer,
  type CustomerProfile,
  type Product,
  type ProductInput,
  type ProductPatch,
  type Purchase,
  type PurchaseInput,
  productInputSchema,
} from '../../domain/product.ts';
import { fetchableUrlIssue } from '../../net/url-guard.ts';
import type { ServiceDeps } from '../deps.ts';
import { matchProducts, type ProductMatch } from './product-match.ts';

type Deps = Pick<ServiceDeps, 'db'> & {
  products: ProductRepository;
  customers: CustomerRepository;
  /** Image URLs on private addresses are refused when they are given, not when they are fetched. */
  allowPrivateUrls: boolean;
};

export interface ProductPage {
  data: Product[];
  next_cursor: string | null;
}

/**
 * The products catalog (SKU, size chart, fit…), customers and their purchases. Other capabilities
 * (the assistant, live scripts) use it through these methods, never through its repositories.
 */
export class ProductService {
  readonly #deps: Deps;
  /** SKU, name and category of every product, for `lookup`; dropped on every write. */
  #names: Promise<Array<{ sku: string; name: string; category: string }>> | null = null;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  async list(filter: {
    query?: string;
    category?: string;
    limit?: number;
    cursor?: string;
  }): Promise<ProductPage> {
    const limit = filter.limit ?? 50;
    const rows = await this.#deps.products.list(this.#deps.db, {
      query: filter.query?.trim() || undefined,
      category: filter.category,
      afterSku: filter.cursor ? decodeCursor(filter.cursor) : undefined,
      limit: limit + 1,
    });
    const data = rows.slice(0, limit);
    return { data, next_cursor: rows.length > limit ? encodeCursor(data.at(-1)!.sku) : null };
  }

  find(sku: string): Promise<Product | null> {
    return this.#deps.products.find(this.#deps.db, sku);
  }

  findMany(skus: readonly string[]): Promise<Product[]> {
    return this.#deps.products.findMany(this.#deps.db, skus);
  }

  async get(sku: string): Promise<Product> {
    const product = await this.find(sku);
    if (!product) throw notFound('Product', sku);
    return product;
  }

  /** The first image URL of a product that may not be fetched (a private address), as an issue. */
  imageIssue(images: readonly string[] | undefined): FieldIssue | null {
    for (const [index, image] of (images ?? []).entries()) {
      if (!/^https?:\/\//i.test(image)) continue;
      const issue = fetchableUrlIssue(image, `images.${index}`, this.#deps.allowPrivateUrls);
      if (issue) return issue;
    }
    return null;
  }

  #assertImages(images: readonly string[] | undefined): void {
    const issue = this.imageIssue(images);
    if (issue) throw invalidRequest(`${issue.field}: ${issue.message}`, [issue]);
  }

  async create(input: ProductInput): Promise<Product> {
    this.#assertImages(input.images);
    const created = await this.#deps.products.insert(this.#deps.db, input);
    if (!created) {
      throw new AppError(
        'conflict',
        `A product with SKU '${input.sku}' exists; PATCH it or import with upsert`,
        {
          details: { sku: input.sku },
        },
      );
    }
    this.#names = null;
    return created;
  }

  /** Applies the given fields; the merged product is checked as a whole. */
  async update(sku: string, patch: ProductPatch): Promise<Product> {
    this.#assertImages(patch.images);
    const current = await this.get(sku);
    const merged = productInputSchema.parse({ ...toInput(current), ...patch, sku });
    const updated = await this.#deps.products.replace(this.#deps.db, merged);
    if (!updated) throw notFound('Product', sku);
    this.#names = null;
    return updated;
  }

  /** Creates or replaces by SKU (the import path). */
  async upsert(input: ProductInput): Promise<{ product: Product; created: boolean }> {
    this.#assertImages(input.images);
    const result = await this.#deps.products.upsert(this.#deps.db, input);
    this.#names = null;
    return result;
  }

  /** Creates or replaces several products in one transaction; how many of each. */
  async upsertMany(inputs: readonly ProductInput[]): Promise<{ created: number; updated: number }> {
    for (const input of inputs) this.#assertImages(input.images);
    const counts = await this.#deps.db.transaction(async (tx) => {
      let created = 0;
      for (const input of inputs) {
        if ((await this.#deps.products.upsert(tx, input)).created) created += 1;
      }
      return { created, updated: inputs.length - created };
    });
    this.#names = null;
    return counts;
  }

  async delete(sku: string): Promise<void> {
    if (!(await this.#deps.products.delete(this.#deps.db, sku))) throw notFound('Product', sku);
    this.#names = null;
  }

  count(): Promise<number> {
    return this.#deps.products.count(this.#deps.db);
  }

  /**
   * Products named in free text ("我们这款纯棉T恤 TS-2024-001 …"): an SKU written out, a product
   * name contained in the text, or a name close to it (character bigrams). Best first.
   */
  async lookup(text: string, options: { limit?: number; minScore?: number } = {}): Promise<ProductMatch[]> {
    return matchProducts(await this.names(), text, options);
  }

  /** SKU, name and category of every product, SKU order; cached until the next write. */
  async names(): Promise<Array<{ sku: string; name: string; category: string }>> {
    this.#names ??= this.#deps.products.listNames(this.#deps.db);
    return this.#names.catch((error: unknown) => {
      this.#names = null;
      throw error;
    });
  }

  async customer(id: string): Promise<Customer> {
    const customer = await this.#deps.customers.find(this.#deps.db, id);
    if (!customer) throw notFound('Customer', id);
    return customer;
  }

  findCustomer(id: string): Promise<Customer | null> {
    return this.#deps.customers.find(this.#deps.db, id);
  }

  saveCustomer(id: string, profile: CustomerProfile): Promise<Customer> {
    return this.#deps.customers.upsert(this.#deps.db, id, profile);
  }

  /** Newest first; 404 for a customer Vitrine has never heard of. */
  async purchases(customerId: string): Promise<Purchase[]> {
    await this.customer(customerId);
    return this.#deps.customers.listPurchases(this.#deps.db, customerId);
  }

  /** Newest first, of a customer just found (`findCustomer`): without looking them up again. */
  purchasesOf(customer: Pick<Customer, 'id'>): Promise<Purchase[]> {
    return this.#deps.customers.listPurchases(this.#deps.db, customer.id);
  }

  /** Records a purchase of a catalog product; the customer is created on their first purchase. */
  async addPurchase(customerId: string, input: PurchaseInput): Promise<Purchase> {
    const product = await this.get(input.sku);
    const sizes = Object.keys(product.size_chart);
    if (sizes.length > 0 && !sizes.includes(input.size)) {
      throw new AppError(
        'invalid_request',
        `Size '${input.size}' is not in the size chart of '${input.sku}' (${sizes.join(', ')})`,
        { details: { issues: [{ field: 'size', message: `must be one of ${sizes.join(', ')}` }] } },
      );
    }
    return this.#deps.db.transaction(async (tx) => {
      await this.#deps.customers.upsert(tx, customerId);
      return this.#deps.customers.insertPurchase(tx, randomUUID(), customerId, input);
    });
  }

  async deletePurchase(customerId: string, purchaseId: string): Promise<void> {
    if (!(await this.#deps.customers.deletePurchase(this.#deps.db, customerId, purchaseId))) {
      throw notFound('Purchase', purchaseId);
    }
  }
}

export function toInput(product: Product): ProductInput {
  const { version: _version, created_at: _created, updated_at: _updated, ...input } = product;
  return input;
}

function encodeCursor(sku: string): string {
  return Buffer.from(sku).toString('base64url');
}

function decodeCursor(cursor: string): string {
  const sku = Buffer.from(cursor, 'base64url').toString();
  if (!sku || !/^[\w.-]+$/.test(sku)) throw new AppError('invalid_request', 'The cursor is not valid');
  return sku;
}
