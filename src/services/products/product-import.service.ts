import type { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { type ProductInput, productInputSchema } from '../../domain/product.ts';
import { openCsv } from '../batches/batch-csv-reader.ts';
import type { ProductService } from './product.service.ts';
import { productFromCsvFields } from './product-rows.ts';

/** Rows as JSON objects, or a CSV file's bytes as they arrive. */
export type ProductImportSource =
  | { kind: 'json'; rows: readonly unknown[] }
  | { kind: 'csv'; bytes: AsyncIterable<Uint8Array> };

export interface ProductRowError {
  /** JSON: the position in `products` (1 = first); CSV: the spreadsheet line (the header is 1). */
  row: number;
  sku: string | null;
  field: string | null;
  message: string;
}

export interface ProductImportResult {
  total: number;
  created: number;
  updated: number;
  error_count: number;
  errors: ProductRowError[];
}

export const MAX_IMPORT_ROWS = 20_000;
const MAX_REPORTED_ERRORS = 500;
const ROWS_PER_TRANSACTION = 200;

/**
 * `POST /v1/products/import`, with the batch import's habits: rows are read as they stream in,
 * each checked by the same schema as `POST /v1/products`; valid rows are stored (created or replaced
 * by SKU) a page at a time, invalid ones reported by row with the field; a file with no valid row is
 * a 422 that stores nothing. A SKU twice in one file is an error on its second row.
 */
export class ProductImportService {
  readonly #products: Pick<ProductService, 'upsertMany' | 'imageIssue'>;

  constructor(products: Pick<ProductService, 'upsertMany' | 'imageIssue'>) {
    this.#products = products;
  }

  async import(source: ProductImportSource): Promise<ProductImportResult> {
    const result: ProductImportResult = { total: 0, created: 0, updated: 0, error_count: 0, errors: [] };
    const seen = new Map<string, number>();
    let page: ProductInput[] = [];
    const flush = async () => {
      if (page.length === 0) return;
      const counts = await this.#products.upsertMany(page);
      result.created += counts.created;
      result.updated += counts.updated;
      page = [];
    };
    const report = (error: ProductRowError) => {
      result.error_count += 1;
      if (result.errors.length < MAX_REPORTED_ERRORS) result.errors.push(error);
    };
    let rows = 0;
    for await (const { row, fields } of readRows(source)) {
      rows += 1;
      if (rows > MAX_IMPORT_ROWS) {
        throw new AppError(
          'payload_too_large',
          `An import holds at most ${MAX_IMPORT_ROWS} products; split the file`,
        );
      }
      const sku =
        typeof (fields as { sku?: unknown })?.sku === 'string'
          ? (fields as { sku: string }).sku.trim()
          : null;
      const parsed = productInputSchema.safeParse(fields);
      if (!parsed.success) {
        for (const issue of firstIssues(parsed.error)) report({ row, sku, ...issue });
        continue;
      }
      const imageIssue = this.#products.imageIssue(parsed.data.images);
      if (imageIssue) {
        report({ row, sku, field: imageIssue.field, message: `${imageIssue.field}: ${imageIssue.message}` });
        continue;
      }
      const earlier = seen.get(parsed.data.sku);
      if (earlier !== undefined) {
        report({
          row,
          sku: parsed.data.sku,
          field: 'sku',
          message: `SKU '${parsed.data.sku}' is also on row ${earlier}`,
        });
        continue;
      }
      seen.set(parsed.data.sku, row);
      result.total += 1;
      page.push(parsed.data);
      if (page.length >= ROWS_PER_TRANSACTION) await flush();
    }
    if (result.total === 0 && page.length === 0) {
      const first = result.errors.slice(0, 5).map((error) => `row ${error.row}: ${error.message}`);
      throw new AppError(
        'unprocessable',
        rows === 0
          ? 'The import holds no products'
          : `No product of the import is valid; nothing was stored (${first.join('; ')})`,
        { details: { errors: result.errors, error_count: result.error_count } },
      );
    }
    await flush();
    return result;
  }
}

async function* readRows(source: ProductImportSource): AsyncGenerator<{ row: number; fields: unknown }> {
  if (source.kind === 'json') {
    for (const [index, row] of source.rows.entries()) yield { row: index + 1, fields: row };
    return;
  }
  const csv = await openCsv(source.bytes);
  if (!csv.headers.some((header) => /^(sku|货号|商品编号|款号)$/i.test(header))) {
    throw new AppError('invalid_request', 'The CSV file needs a sku column (货号), and name (名称)', {
      details: { issues: [{ field: 'line 1', message: `columns are ${csv.headers.join(', ')}` }] },
    });
  }
  for await (const record of csv.records)
    yield { row: record.line, fields: productFromCsvFields(record.fields) };
}

function firstIssues(error: z.ZodError): Array<{ field: string | null; message: string }> {
  return error.issues.slice(0, 3).map((issue) => {
    const field = issue.path.map(String).join('.') || null;
    const message =
      issue.code === 'unrecognized_keys'
        ? `${issue.keys.join(', ')}: not a known field`
        : `${field ?? 'row'}: ${issue.message}`;
    return { field, message };
  });
}
