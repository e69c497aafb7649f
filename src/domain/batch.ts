import type { JobStatus, Priority } from './job.ts';
import type { DesignOptions } from './quality.ts';

export const batchStatuses = ['importing', 'queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export type BatchStatus = (typeof batchStatuses)[number];

/** A row the import refused: `row` is the spreadsheet line (the header is line 1) or the JSON position. */
export interface BatchRowError {
  row: number;
  /** The row's key (its SKU) when it has one, so reports and the manifest can name it. */
  key?: string | null;
  message: string;
}

export interface BatchRecord {
  id: string;
  status: BatchStatus;
  api_key_id: string | null;
  template: string;
  brand: string;
  n: number;
  provider: string | null;
  model: string | null;
  priority: Priority;
  cache: 'exact' | 'similar' | 'off';
  webhook_url: string | null;
  /** Where each succeeded row is published: `shopify` or destination ids (see /v1/destinations). */
  destinations: string[];
  key_column: string | null;
  total: number;
  errors: BatchRowError[];
  error_count: number;
  cost_estimate_usd: number;
  idempotency_key: string | null;
  request_hash: string | null;
  /** Set for the render of a live-stream script: its rows are grouped by segment. */
  script_id: string | null;
  /** Design options every row's job gets (style pack, minimum quality). */
  options: DesignOptions;
  created_at: Date;
  finished_at: Date | null;
}

/** One valid imported row, before or after it became a job. */
export interface BatchRow {
  position: number;
  line: number;
  row_key: string | null;
  /** The stem of the row's file names, unique in the batch (see batch-files.ts); null on old rows. */
  file_stem?: string | null;
  params: Record<string, string>;
  n: number | null;
  seed: number | null;
  brand: string | null;
  /** A row's own template and size (a script's visuals differ per row); absent: the batch's. */
  template?: string | null;
  width?: number | null;
  height?: number | null;
  /** The style pack to render the row in (style_pack of the generation). */
  style_pack?: string | null;
  /** The group the row belongs to (a script segment): its folder in the zip, a manifest column. */
  group_name?: string | null;
}

export interface BatchCounts {
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  canceled: number;
}

/** Columns of a CSV (or keys of a JSON row) that are not template params. */
export const ROW_OPTION_COLUMNS = ['n', 'seed', 'brand'] as const;
/** Tried in order when the request names no `key_column`. */
export const DEFAULT_KEY_COLUMNS = ['sku', 'id'] as const;

/** The key column: the one asked for, else `sku` or `id` when the file has it, else none. */
export function chooseKeyColumn(headers: readonly string[], asked: string | undefined): string | null {
  if (asked) return asked;
  return DEFAULT_KEY_COLUMNS.find((name) => headers.includes(name)) ?? null;
}

/**
 * Counts of a batch from its jobs' statuses: rows without a job yet are queued (or canceled once
 * the batch was canceled). Derived in SQL each time, so they are exact under any concurrency.
 */
export function batchCounts(
  byStatus: Partial<Record<JobStatus, number>>,
  rowsWithoutJob: number,
  batchStatus: BatchStatus,
): BatchCounts {
  const pendingAs = batchStatus === 'canceled' ? 'canceled' : 'queued';
  const counts: BatchCounts = {
    queued: byStatus.queued ?? 0,
    running: byStatus.running ?? 0,
    succeeded: byStatus.succeeded ?? 0,
    failed: byStatus.failed ?? 0,
    canceled: byStatus.canceled ?? 0,
  };
  counts[pendingAs] += rowsWithoutJob;
  return counts;
}

/** The status a batch ends with once none of its rows is waiting or running. */
export function finalBatchStatus(counts: BatchCounts, canceled: boolean): BatchStatus {
  if (canceled) return 'canceled';
  return counts.failed > 0 ? 'failed' : 'succeeded';
}

export function isBatchFinished(status: BatchStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'canceled';
}

/** A file name from a row's key: letters, digits, `-`, `_` and `.` kept; anything else becomes `_`. */
export function fileStemForKey(key: string | null, line: number): string {
  const cleaned = (key ?? '')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^\.+/, '');
  return cleaned.slice(0, 120) || `row-${line}`;
}
