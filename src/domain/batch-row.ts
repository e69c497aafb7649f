import { MAX_SEED } from './job.ts';
import type { Template } from './template.ts';

const URL_PATTERN = /^https?:\/\//i;

/** A row's values once checked: template params, its options, and its key. */
export interface CheckedRow {
  params: Record<string, string>;
  n: number | null;
  seed: number | null;
  brand: string | null;
  key: string | null;
  /** Image params that name an asset id (not a URL): the caller checks they exist. */
  assetIds: string[];
}

/**
 * The columns a batch accepts: the template's params, `n`, `seed`, `brand`, and the key column.
 * Returns the unknown ones and the required params that have no column, for a file-level error.
 */
export function checkColumns(
  headers: readonly string[],
  template: Template,
  keyColumn: string | null,
): { unknown: string[]; missingRequired: string[]; missingKey: boolean } {
  const known = new Set([...template.params.map((param) => param.name), 'n', 'seed', 'brand']);
  if (keyColumn) known.add(keyColumn);
  return {
    unknown: headers.filter((name) => name !== '' && !known.has(name)),
    missingRequired: template.params
      .filter((param) => param.required && !headers.includes(param.name))
      .map((param) => param.name),
    missingKey: keyColumn !== null && !headers.includes(keyColumn),
  };
}

/** The row's key as written (trimmed), for naming an invalid row; null without one. */
export function rowKey(fields: Readonly<Record<string, unknown>>, keyColumn: string | null): string | null {
  const key = keyColumn ? text(fields[keyColumn]) : null;
  return key && !key.includes('\u0000') ? key.slice(0, 200) : null;
}

/** Checks one row against the template; the problems come back as one readable message. */
export function checkRow(
  fields: Readonly<Record<string, unknown>>,
  template: Template,
  keyColumn: string | null,
): { ok: true; row: CheckedRow } | { ok: false; message: string } {
  const problems: string[] = [];
  const params: Record<string, string> = {};
  const assetIds: string[] = [];
  for (const param of template.params) {
    const raw = fields[param.name];
    const value = raw === undefined || raw === null ? '' : String(raw).trim();
    if (!value) {
      if (param.required) problems.push(`${param.name} is required`);
      continue;
    }
    if (value.includes('\u0000')) {
      problems.push(`${param.name} contains a NUL character`);
      continue;
    }
    if (value.length > param.max_length) {
      problems.push(`${param.name} must be at most ${param.max_length} characters (has ${value.length})`);
      continue;
    }
    if (param.kind === 'image' && !URL_PATTERN.test(value)) assetIds.push(value);
    params[param.name] = value;
  }
  const n = wholeNumber(fields.n, 'n', 1, 10, problems);
  const seed = wholeNumber(fields.seed, 'seed', 0, MAX_SEED, problems);
  const brandText = text(fields.brand);
  const key = keyColumn ? text(fields[keyColumn]) : null;
  if (keyColumn && !key) problems.push(`${keyColumn} is empty`);
  for (const [name, value] of [
    [keyColumn, key],
    ['brand', brandText],
  ] as const) {
    if (name && value?.includes('\u0000')) problems.push(`${name} contains a NUL character`);
  }
  if (problems.length > 0) return { ok: false, message: problems.join('; ') };
  return { ok: true, row: { params, n, seed, brand: brandText, key, assetIds } };
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = String(value).trim();
  return trimmed === '' ? null : trimmed;
}

function wholeNumber(
  value: unknown,
  name: string,
  min: number,
  max: number,
  problems: string[],
): number | null {
  const raw = text(value);
  if (raw === null) return null;
  const number = Number(raw);
  if (!Number.isInteger(number) || number < min || number > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got '${raw.slice(0, 40)}')`);
    return null;
  }
  return number;
}
