import type { Template } from './api.ts';
import type { CsvHead } from './csv-head.ts';
import { matchColumn } from './csv-head.ts';
import { type MessageId, paramLabel, t } from './i18n.ts';

/** Template param (or row option) → the CSV column it takes its values from ('' = none). */
export type Mapping = Record<string, string>;

/** Row options a column can fill besides the params; `sku` stands for the key column. */
const ROW_OPTIONS: ReadonlyArray<{ target: string; label: MessageId; also: string[] }> = [
  { target: 'sku', label: 'batch.key', also: ['id', 'key', 'code'] },
  { target: 'n', label: 'batch.n', also: [] },
  { target: 'seed', label: 'batch.seed', also: [] },
  { target: 'brand', label: 'batch.rowBrand', also: [] },
];

/** Every target matched to the column named like it, if any. */
export function autoMapping(template: Template, headers: readonly string[]): Mapping {
  const mapping: Mapping = {};
  const used = new Set<string>();
  for (const target of [
    ...template.params.map((param) => ({ target: param.name, also: [] })),
    ...ROW_OPTIONS,
  ]) {
    const column = matchColumn(target.target, headers, target.also);
    if (column && !used.has(column)) {
      mapping[target.target] = column;
      used.add(column);
    }
  }
  return mapping;
}

/** The API's `columns`: each header → its target, and '' for the headers left out (ignored). */
export function columnsField(mapping: Mapping, headers: readonly string[]): Record<string, string> {
  const targetOf = new Map(Object.entries(mapping).map(([target, column]) => [column, target]));
  return Object.fromEntries(headers.filter(Boolean).map((header) => [header, targetOf.get(header) ?? '']));
}

export function missingRequired(template: Template, mapping: Mapping): string[] {
  return template.params.filter((param) => param.required && !mapping[param.name]).map((param) => param.name);
}

interface Props {
  template: Template;
  head: CsvHead;
  mapping: Mapping;
  onChange(next: Mapping): void;
}

/** The mapping table (a select of the file's columns per template field) and the first rows as mapped. */
export function BatchMapping({ template, head, mapping, onChange }: Props) {
  const choose = (target: string, column: string) => {
    // A column fills one field: choosing it here takes it from wherever it was.
    const next = Object.fromEntries(Object.entries(mapping).filter(([, used]) => used !== column || !column));
    next[target] = column;
    onChange(next);
  };
  const select = (target: string, label: string) => (
    <select
      id={`map-${target}`}
      aria-label={label}
      value={mapping[target] ?? ''}
      onChange={(event) => choose(target, event.currentTarget.value)}
    >
      <option value="">{t('batch.column.none')}</option>
      {head.headers.filter(Boolean).map((header) => (
        <option key={header} value={header}>
          {header}
        </option>
      ))}
    </select>
  );
  const shown = [
    ...template.params.map((param) => ({
      target: param.name,
      label: paramLabel(param.name),
      required: param.required,
    })),
    ...ROW_OPTIONS.map((option) => ({ target: option.target, label: t(option.label), required: false })),
  ].filter((entry) => mapping[entry.target]);
  const missing = missingRequired(template, mapping);

  return (
    <>
      <table class="mapping">
        <caption class="hint">{t('batch.mappingHint')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('batch.field')}</th>
            <th scope="col">{t('batch.column')}</th>
          </tr>
        </thead>
        <tbody>
          {template.params.map((param) => (
            <tr key={param.name}>
              <th scope="row">
                <label for={`map-${param.name}`}>
                  {paramLabel(param.name)}
                  {param.required && <abbr title={t('batch.required')}> *</abbr>}
                  {/* The server's messages name params as they are: `title is required`. */}
                  {paramLabel(param.name) !== param.name && <code class="param-name">{param.name}</code>}
                </label>
              </th>
              <td>
                {select(
                  param.name,
                  param.required
                    ? `${paramLabel(param.name)} (${t('batch.required')})`
                    : paramLabel(param.name),
                )}
              </td>
            </tr>
          ))}
          <tr>
            <th scope="colgroup" colSpan={2} class="group">
              {t('batch.options')}
            </th>
          </tr>
          {ROW_OPTIONS.map((option) => (
            <tr key={option.target}>
              <th scope="row">
                <label for={`map-${option.target}`}>{t(option.label)}</label>
              </th>
              <td>{select(option.target, t(option.label))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {missing.length > 0 && (
        <p class="error" role="alert">
          {t('batch.unmappedRequired')}: {missing.map((name) => paramLabel(name)).join(', ')}
        </p>
      )}
      <div class="table-scroll">
        <table class="rows" aria-label={t('batch.previewRows')}>
          <caption>{t('batch.previewRows')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('batch.line')}</th>
              {shown.map((entry) => (
                <th key={entry.target} scope="col">
                  {entry.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {head.rows.map((row) => (
              <tr key={row.line}>
                <th scope="row">{row.line}</th>
                {shown.map((entry) => {
                  const value = (row.values[mapping[entry.target]!] ?? '').trim();
                  return value === '' && entry.required ? (
                    <td key={entry.target} class="missing">
                      {t('batch.missing')}
                    </td>
                  ) : (
                    <td key={entry.target}>{value}</td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
