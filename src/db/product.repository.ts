import type {
  Customer,
  CustomerProfile,
  Product,
  ProductInput,
  Purchase,
  PurchaseInput,
} from '../domain/product.ts';
import type { Sql } from './client.ts';

const PRODUCT_COLUMNS = `sku, name, category, attributes, images, size_chart, fit, notes, price, currency, stock,
  version, created_at, updated_at`;
const CUSTOMER_COLUMNS = 'id, name, usual_size, measurements, height_cm, weight_kg, created_at, updated_at';
const PURCHASE_COLUMNS = 'id, customer_id, sku, size, purchased_at, feedback, created_at';

function productParams(product: ProductInput): unknown[] {
  return [
    product.sku,
    product.name,
    product.category,
    JSON.stringify(product.attributes),
    JSON.stringify(product.images),
    JSON.stringify(product.size_chart),
    product.fit,
    product.notes,
    product.price,
    product.currency,
    product.stock,
  ];
}

/** Products of the assistant's catalog, keyed by SKU; every change raises the version. */
export class ProductRepository {
  /** Inserts or replaces by SKU; `created` says which. */
  async upsert(sql: Sql, product: ProductInput): Promise<{ product: Product; created: boolean }> {
    const rows = await sql.query<Product & { inserted: boolean }>(
      `INSERT INTO products (sku, name, category, attributes, images, size_chart, fit, notes, price, currency, stock)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, category = EXCLUDED.category,
         attributes = EXCLUDED.attributes, images = EXCLUDED.images, size_chart = EXCLUDED.size_chart,
         fit = EXCLUDED.fit, notes = EXCLUDED.notes, price = EXCLUDED.price, currency = EXCLUDED.currency,
         stock = EXCLUDED.stock, version = products.version + 1, updated_at = now()
       RETURNING ${PRODUCT_COLUMNS}, (xmax = 0) AS inserted`,
      productParams(product),
    );
    const { inserted, ...row } = rows[0]!;
    return { product: row, created: inserted };
  }

  /** Inserts; null when the SKU is taken. */
  async insert(sql: Sql, product: ProductInput): Promise<Product | null> {
    const rows = await sql.query<Product>(
      `INSERT INTO products (sku, name, category, attributes, images, size_chart, fit, notes, price, currency, stock)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (sku) DO NOTHING RETURNING ${PRODUCT_COLUMNS}`,
      productParams(product),
    );
    return rows[0] ?? null;
  }

  /** Replaces the whole record (the service merges a patch first); null when absent. */
  async replace(sql: Sql, product: ProductInput): Promise<Product | null> {
    const rows = await sql.query<Product>(
      `UPDATE products SET name = $2, category = $3, attributes = $4, images = $5, size_chart = $6, fit = $7,
         notes = $8, price = $9, currency = $10, stock = $11, version = version + 1, updated_at = now()
       WHERE sku = $1 RETURNING ${PRODUCT_COLUMNS}`,
      productParams(product),
    );
    return rows[0] ?? null;
  }

  async find(sql: Sql, sku: string): Promise<Product | null> {
    const rows = await sql.query<Product>(`SELECT ${PRODUCT_COLUMNS} FROM products WHERE sku = $1`, [sku]);
    return rows[0] ?? null;
  }

  async findMany(sql: Sql, skus: readonly string[]): Promise<Product[]> {
    if (skus.length === 0) return [];
    return sql.query<Product>(`SELECT ${PRODUCT_COLUMNS} FROM products WHERE sku = ANY($1::text[])`, [skus]);
  }

  async delete(sql: Sql, sku: string): Promise<boolean> {
    const rows = await sql.query('DELETE FROM products WHERE sku = $1 RETURNING sku', [sku]);
    return rows.length > 0;
  }

  /** A page in SKU order after `afterSku`; `query` matches SKU or name (case-insensitive, anywhere). */
  async list(
    sql: Sql,
    filter: { query?: string; category?: string; afterSku?: string; limit: number },
  ): Promise<Product[]> {
    const pattern = filter.query ? `%${filter.query.replace(/[\\%_]/g, (char) => `\\${char}`)}%` : null;
    return sql.query<Product>(
      `SELECT ${PRODUCT_COLUMNS} FROM products
       WHERE ($1::text IS NULL OR sku ILIKE $1 OR name ILIKE $1)
         AND ($2::text IS NULL OR category = $2)
         AND ($3::text IS NULL OR sku > $3)
       ORDER BY sku LIMIT $4`,
      [pattern, filter.category ?? null, filter.afterSku ?? null, filter.limit],
    );
  }

  /** Every product's SKU and name, for matching names in free text (the catalog is small next to memory). */
  async listNames(sql: Sql): Promise<Array<{ sku: string; name: string; category: string }>> {
    return sql.query('SELECT sku, name, category FROM products ORDER BY sku');
  }

  async count(sql: Sql): Promise<number> {
    const rows = await sql.query<{ count: number }>('SELECT count(*)::int AS count FROM products');
    return Number(rows[0]?.count ?? 0);
  }
}

/** Customers (shoppers) and their purchases. */
export class CustomerRepository {
  async find(sql: Sql, id: string): Promise<Customer | null> {
    const rows = await sql.query<Customer>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Creates the customer when new; applies the given profile fields either way. */
  async upsert(sql: Sql, id: string, profile: CustomerProfile = {}): Promise<Customer> {
    const rows = await sql.query<Customer>(
      `INSERT INTO customers (id, name, usual_size, measurements, height_cm, weight_kg)
       VALUES ($1, coalesce($2, ''), $3, coalesce($4::jsonb, '{}'), $5, $6)
       ON CONFLICT (id) DO UPDATE SET
         name = coalesce($2, customers.name),
         usual_size = CASE WHEN $7 THEN $3 ELSE customers.usual_size END,
         measurements = coalesce($4::jsonb, customers.measurements),
         height_cm = CASE WHEN $8 THEN $5 ELSE customers.height_cm END,
         weight_kg = CASE WHEN $9 THEN $6 ELSE customers.weight_kg END,
         updated_at = now()
       RETURNING ${CUSTOMER_COLUMNS}`,
      [
        id,
        profile.name ?? null,
        profile.usual_size ?? null,
        profile.measurements ? JSON.stringify(profile.measurements) : null,
        profile.height_cm ?? null,
        profile.weight_kg ?? null,
        profile.usual_size !== undefined,
        profile.height_cm !== undefined,
        profile.weight_kg !== undefined,
      ],
    );
    return rows[0]!;
  }

  async insertPurchase(sql: Sql, id: string, customerId: string, purchase: PurchaseInput): Promise<Purchase> {
    const rows = await sql.query<Purchase>(
      `INSERT INTO purchases (id, customer_id, sku, size, purchased_at, feedback) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${PURCHASE_COLUMNS}`,
      [id, customerId, purchase.sku, purchase.size, purchase.purchased_at, purchase.feedback],
    );
    return rows[0]!;
  }

  /** Newest first. */
  async listPurchases(sql: Sql, customerId: string, limit = 200): Promise<Purchase[]> {
    return sql.query<Purchase>(
      `SELECT ${PURCHASE_COLUMNS} FROM purchases WHERE customer_id = $1
       ORDER BY purchased_at DESC, created_at DESC LIMIT $2`,
      [customerId, limit],
    );
  }

  async deletePurchase(sql: Sql, customerId: string, purchaseId: string): Promise<boolean> {
    const rows = await sql.query('DELETE FROM purchases WHERE customer_id = $1 AND id = $2 RETURNING id', [
      customerId,
      purchaseId,
    ]);
    return rows.length > 0;
  }
}
