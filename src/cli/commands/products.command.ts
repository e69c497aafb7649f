import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { purchaseInputSchema } from '../../domain/product.ts';
import type {
  ProductImportResult,
  ProductImportSource,
} from '../../services/products/product-import.service.ts';
import { CliError } from '../api-client.ts';
import { type GlobalOptions, resolveTarget, withLocalProcess } from '../context.ts';
import { runCommand } from '../program.ts';
import { IMAGE_TYPES, isFile } from './generate.command.ts';

/** `vitrine products import FILE` and `vitrine purchases add`: the assistant's catalog from the command line. */
export function registerProductsCommands(program: Command): void {
  const products = program.command('products').description('the products catalog of the shopper assistant');
  products
    .command('import')
    .argument(
      '<file>',
      'a CSV (sku, name, category, fit, size_chart, images, …) or JSON file of products; in JSON, images may be local files',
    )
    .description('create or replace products by SKU; invalid rows are listed by line and the rest stored')
    .option('--json', 'print the result as JSON')
    .action((file: string, options: { json?: boolean }, command: Command) =>
      runCommand(async () => {
        if (!isFile(file)) throw new CliError(`No file at ${file}`);
        const isJson = path.extname(file).toLowerCase() === '.json';
        const target = resolveTarget(command.optsWithGlobals<GlobalOptions>());
        let result: ProductImportResult;
        const rows = isJson ? jsonRows(await readFile(file, 'utf8')) : null;
        if (target.kind === 'remote') {
          if (rows) {
            await uploadLocalImages(rows, path.dirname(file), (bytes, type) =>
              target.client.uploadImage(bytes, type),
            );
            result = await target.client.request('POST', '/v1/products/import', { products: rows });
          } else {
            const form = new FormData();
            form.append('file', new Blob([await readFile(file)], { type: 'text/csv' }), path.basename(file));
            result = await target.client.requestForm('/v1/products/import', form);
          }
        } else {
          result = await withLocalProcess(target.config, [], async ({ container }) => {
            if (rows) {
              await uploadLocalImages(
                rows,
                path.dirname(file),
                async (bytes) => (await container.assets.upload(bytes)).id,
              );
            }
            const source: ProductImportSource = rows
              ? { kind: 'json', rows }
              : { kind: 'csv', bytes: createReadStream(file) };
            return container.productImports.import(source);
          });
        }
        if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else {
          process.stdout.write(
            `${result.total} products stored (${result.created} new, ${result.updated} replaced)\n`,
          );
          for (const error of result.errors)
            process.stdout.write(
              `  row ${error.row}${error.sku ? ` (${error.sku})` : ''}: ${error.message}\n`,
            );
          if (result.error_count > result.errors.length)
            process.stdout.write(`  … ${result.error_count - result.errors.length} more\n`);
        }
        return result.error_count > 0 ? 2 : 0;
      }),
    );

  program
    .command('purchases')
    .description('purchases of the shopper assistant’s customers')
    .command('add')
    .argument('<customer>', 'the customer id (created on their first purchase)')
    .requiredOption('--sku <sku>', 'a product of the catalog')
    .requiredOption('--size <size>', 'the size bought, as in its size chart')
    .option('--date <date>', 'when, e.g. 2026-11-02 (default: now)')
    .option('--feedback <text>', 'what they said after, e.g. "ran small" or "偏小"')
    .action(
      (
        customer: string,
        options: { sku: string; size: string; date?: string; feedback?: string },
        command: Command,
      ) =>
        runCommand(async () => {
          const body = {
            sku: options.sku,
            size: options.size,
            purchased_at: options.date,
            feedback: options.feedback ?? '',
          };
          const parsed = purchaseInputSchema.safeParse(body);
          if (!parsed.success)
            throw new CliError(
              parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('\n'),
            );
          const target = resolveTarget(command.optsWithGlobals<GlobalOptions>());
          const purchase =
            target.kind === 'remote'
              ? await target.client.request<{ id: string }>(
                  'POST',
                  `/v1/customers/${encodeURIComponent(customer)}/purchases`,
                  body,
                )
              : await withLocalProcess(target.config, [], ({ container }) =>
                  container.products.addPurchase(customer, parsed.data),
                );
          process.stdout.write(
            `recorded ${purchase.id}: ${customer} bought ${options.sku} in ${options.size.toUpperCase()}\n`,
          );
        }),
    );
}

/**
 * `images` entries of a JSON import that name local files (relative to the import file) are
 * uploaded as assets and replaced by their ids, so a catalog can be imported from a folder.
 */
async function uploadLocalImages(
  rows: unknown[],
  folder: string,
  upload: (bytes: Uint8Array, type: string) => Promise<string>,
): Promise<void> {
  for (const row of rows) {
    const images = (row as { images?: unknown })?.images;
    if (!Array.isArray(images)) continue;
    for (const [index, image] of images.entries()) {
      if (typeof image !== 'string' || /^https?:\/\//i.test(image)) continue;
      const local = path.resolve(folder, image);
      const type = IMAGE_TYPES[path.extname(local).toLowerCase()];
      if (!type || !isFile(local)) continue;
      images[index] = await upload(new Uint8Array(await readFile(local)), type);
    }
  }
}

function jsonRows(text: string): unknown[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CliError(`The file is not valid JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(data)) return data;
  const rows = (data as { products?: unknown })?.products;
  if (!Array.isArray(rows))
    throw new CliError('A JSON import is an array of products, or {"products": [...]}');
  return rows;
}
