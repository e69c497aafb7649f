import { DEFAULT_KEY_COLUMNS, ROW_OPTION_COLUMNS } from './batch.ts';
import type { FieldIssue } from './errors.ts';
import type { Template } from './template.ts';

/** `columns` of a batch request: a file header → the template param (or row option) it fills. */
export type ColumnMapping = Readonly<Record<string, string>>;

/** How the file's headers become the names the rows are checked with, once a mapping is given. */
export interface MappedColumns {
  /** The names the rows are read by: a mapped header's target, an unmapped known name as is. */
  headers: string[];
  /** File header → the name its values are read as; headers left out are ignored. */
  rename: ReadonlyMap<string, string>;
  /** Problems of the mapping, each naming `columns.<header>`. */
  issues: FieldIssue[];
}

/**
 * Applies a column mapping to a file's headers. A mapped header is read as its target (a template
 * param, `n`, `seed`, `brand` or the key column); an unmapped header keeps its name when it is one of
 * those (and no mapped header took that name), and is ignored otherwise, so a spreadsheet's extra
 * columns need no cleaning up. An empty target ignores the header on purpose.
 */
export function mapColumns(
  headers: readonly string[],
  mapping: ColumnMapping,
  template: Template,
  keyColumn: string | undefined,
): MappedColumns {
  const params = template.params.map((param) => param.name);
  const known = new Set<string>([
    ...params,
    ...ROW_OPTION_COLUMNS,
    ...(keyColumn ? [keyColumn] : DEFAULT_KEY_COLUMNS),
  ]);
  const issues: FieldIssue[] = [];
  const rename = new Map<string, string>();
  const takenBy = new Map<string, string>();
  for (const [header, target] of Object.entries(mapping)) {
    const field = `columns.${header}`;
    if (!headers.includes(header)) {
      issues.push({ field, message: 'names no column of the file' });
      continue;
    }
    if (target === '') continue;
    if (!known.has(target)) {
      issues.push({
        field,
        message: `'${target}' is not a param of template ${template.name} (its params: ${params.join(', ')}; also n, seed, brand and the key column)`,
      });
      continue;
    }
    const earlier = takenBy.get(target);
    if (earlier !== undefined) {
      issues.push({ field, message: `maps to '${target}', as column '${earlier}' does` });
      continue;
    }
    takenBy.set(target, header);
    rename.set(header, target);
  }
  for (const header of headers) {
    if (Object.hasOwn(mapping, header) || !known.has(header) || takenBy.has(header)) continue;
    rename.set(header, header);
  }
  return { headers: [...rename.values()], rename, issues };
}

/** A row's fields under the mapped names. */
export function renameFields(
  fields: Readonly<Record<string, unknown>>,
  rename: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const renamed: Record<string, unknown> = {};
  for (const [header, target] of rename) if (Object.hasOwn(fields, header)) renamed[target] = fields[header];
  return renamed;
}
