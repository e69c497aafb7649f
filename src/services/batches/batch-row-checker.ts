import { type BatchRow, type BatchRowError, chooseKeyColumn } from '../../domain/batch.ts';
import { mapColumns, renameFields } from '../../domain/batch-columns.ts';
import { BatchFileNamer } from '../../domain/batch-files.ts';
import { checkColumns, checkRow, rowKey } from '../../domain/batch-row.ts';
import { AppError, invalidRequest } from '../../domain/errors.ts';
import type { Template } from '../../domain/template.ts';
import { fetchableUrlProblem } from '../../net/url-guard.ts';
import type { ServiceDeps } from '../deps.ts';
import { eventLoopYielder } from '../event-loop.ts';
import { openCsv } from './batch-csv-reader.ts';
import type { BatchRequest, BatchSource } from './batch-import.service.ts';

type Deps = Pick<ServiceDeps, 'db' | 'brands' | 'assets' | 'limits'>;

export const MAX_BATCH_ROWS = 100_000;
/** Invalid rows kept on the batch; `error_count` has them all. */
const MAX_REPORTED_ERRORS = 1000;
const ROWS_PER_INSERT = 250;

/** A batch's rows, whatever their source: the header (or JSON keys) and the records with their line. */
export interface ImportedRows {
  headers: string[];
  records: AsyncIterable<{ line: number; fields: Record<string, unknown>; fieldCount: number | null }>;
}

/** Checks every row; valid ones go to `store` a page at a time, invalid ones are reported. */
export async function checkBatchRows(
  deps: Deps,
  rows: ImportedRows,
  template: Template,
  request: BatchRequest,
  store: (page: BatchRow[]) => Promise<void>,
) {
  const { db } = deps;
  const mapped = request.columns
    ? mapColumns(rows.headers, request.columns, template, request.key_column)
    : null;
  if (mapped && mapped.issues.length > 0) {
    throw invalidRequest(
      `The column mapping does not fit the file and template ${template.name}: ${mapped.issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}`,
      mapped.issues,
    );
  }
  const headers = mapped?.headers ?? rows.headers;
  const keyColumn = chooseKeyColumn(headers, request.key_column);
  const columns = checkColumns(headers, template, keyColumn);
  const fileProblems = [
    ...columns.unknown.map((name) => ({
      field: name,
      message: `is not a param of template ${template.name}`,
    })),
    ...columns.missingRequired.map((name) =>
      mapped
        ? { field: 'columns', message: `maps no column to the required param ${name}` }
        : { field: name, message: 'is a required param; add the column' },
    ),
    ...(columns.missingKey && keyColumn ? [{ field: keyColumn, message: 'key_column names no column' }] : []),
  ];
  if (fileProblems.length > 0) {
    throw new AppError(
      'invalid_request',
      `The columns do not fit template ${template.name} (its params: ${template.params.map((p) => p.name).join(', ')}; also n, seed, brand and a key column)`,
      { details: { issues: fileProblems } },
    );
  }
  const errors: BatchRowError[] = [];
  let errorCount = 0;
  const reject = (row: number, message: string, key: string | null) => {
    errorCount++;
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(key ? { row, key, message } : { row, message });
  };
  const firstLineOfKey = new Map<string, number>();
  const knownBrands = new Map<string, boolean>();
  const knownAssets = new Map<string, boolean>();
  const fileNames = new BatchFileNamer();
  let page: BatchRow[] = [];
  let total = 0;
  let images = 0;
  const yieldTurn = eventLoopYielder();
  for await (const record of rows.records) {
    await yieldTurn();
    if (total + errorCount >= MAX_BATCH_ROWS) {
      throw new AppError('payload_too_large', `A batch has at most ${MAX_BATCH_ROWS} rows`);
    }
    const fields = mapped ? renameFields(record.fields, mapped.rename) : record.fields;
    const key = rowKey(fields, keyColumn);
    if (record.fieldCount !== null && record.fieldCount !== rows.headers.length) {
      reject(record.line, `has ${record.fieldCount} fields; the header has ${rows.headers.length}`, key);
      continue;
    }
    const checked = checkRow(fields, template, keyColumn);
    if (!checked.ok) {
      reject(record.line, checked.message, key);
      continue;
    }
    const row = checked.row;
    const badUrl = firstUnfetchableUrl(template, row.params, deps.limits.allowPrivateUrls);
    if (badUrl) {
      reject(record.line, badUrl, key);
      continue;
    }
    if (row.key !== null) {
      const first = firstLineOfKey.get(row.key);
      if (first !== undefined) {
        reject(record.line, `duplicate ${keyColumn} '${row.key}' (first on row ${first})`, key);
        continue;
      }
      firstLineOfKey.set(row.key, record.line);
    }
    if (row.brand && !(await exists(knownBrands, row.brand, (slug) => deps.brands.find(db, slug)))) {
      reject(record.line, `brand '${row.brand}' does not exist`, key);
      continue;
    }
    const missingAsset = await firstMissingAsset(deps, knownAssets, row.assetIds);
    if (missingAsset) {
      reject(record.line, `'${missingAsset}' is neither an http(s) URL nor an asset id`, key);
      continue;
    }
    total++;
    images += row.n ?? request.n;
    page.push({
      position: total,
      line: record.line,
      row_key: row.key,
      file_stem: fileNames.assign(row.key, record.line, row.n ?? request.n),
      params: row.params,
      n: row.n,
      seed: row.seed,
      brand: row.brand,
    });
    if (page.length >= ROWS_PER_INSERT) {
      await store(page);
      page = [];
    }
  }
  if (page.length > 0) await store(page);
  return { total, images, errors, errorCount, keyColumn };
}

/** An image param given as a URL that may not be fetched (not http(s), or a private address). */
function firstUnfetchableUrl(
  template: Template,
  params: Readonly<Record<string, string>>,
  allowPrivate: boolean,
): string | null {
  for (const param of template.params) {
    const value = params[param.name];
    if (param.kind !== 'image' || !value || !/^[a-z][a-z0-9+.-]*:/i.test(value)) continue;
    const problem = fetchableUrlProblem(value, allowPrivate);
    if (problem) return `${param.name} ${problem}`;
  }
  return null;
}

async function exists(known: Map<string, boolean>, id: string, find: (id: string) => Promise<unknown>) {
  let found = known.get(id);
  if (found === undefined) {
    found = (await find(id)) !== null;
    known.set(id, found);
  }
  return found;
}

async function firstMissingAsset(
  deps: Deps,
  known: Map<string, boolean>,
  ids: readonly string[],
): Promise<string | null> {
  for (const id of ids) {
    if (!(await exists(known, id, (assetId) => deps.assets.findById(deps.db, assetId)))) return id;
  }
  return null;
}

/** The rows of either source, with spreadsheet lines for CSV and 1-based positions for JSON. */
export async function openRows(source: BatchSource): Promise<ImportedRows> {
  if (source.kind === 'csv') {
    const file = await openCsv(source.bytes);
    return { headers: file.headers, records: file.records };
  }
  const headers = [...new Set(source.rows.flatMap((row) => Object.keys(row)))];
  return {
    headers,
    records: (async function* () {
      for (const [index, fields] of source.rows.entries())
        yield { line: index + 1, fields, fieldCount: null };
    })(),
  };
}
