/** The Batches screen's calls that are not JSON in and out: the CSV upload and the preview image. */
import { ApiError, SESSION_ENDED_EVENT } from './api.ts';

export type BatchStatus = 'importing' | 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';
export const ROW_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

export interface Batch {
  id: string;
  status: BatchStatus;
  template: string;
  brand: string;
  key_column: string | null;
  /** Where succeeded rows are published (destination ids, or `shopify`). */
  destinations?: string[];
  total: number;
  counts: Record<RowStatus, number>;
  cost_estimate_usd: number;
  cost_usd: number;
  errors: Array<{ row: number; message: string }>;
  error_count: number;
  created_at: string;
  finished_at: string | null;
}

export function isBatchFinished(status: BatchStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'canceled';
}

/** An API refusal with the fields it names (`details.issues`), shown one per line. */
export class BatchApiError extends ApiError {
  readonly issues: Array<{ field: string; message: string }>;

  constructor(status: number, code: string, message: string, issues: BatchApiError['issues']) {
    super(status, code, message);
    this.issues = issues;
  }
}

async function send(path: string, init: RequestInit): Promise<Response> {
  const response = await fetch(path, {
    ...init,
    credentials: 'same-origin',
    headers: { 'X-Vitrine-Studio': '1', ...(init.headers ?? {}) },
  });
  if (response.ok) return response;
  if (response.status === 401) dispatchEvent(new Event(SESSION_ENDED_EVENT));
  const payload = (await response.json().catch(() => null)) as {
    error?: { code: string; message: string; details?: { issues?: BatchApiError['issues'] } };
  } | null;
  const error = payload?.error;
  throw new BatchApiError(
    response.status,
    error?.code ?? 'internal',
    error?.message ?? response.statusText,
    error?.details?.issues ?? [],
  );
}

export interface BatchUpload {
  template: string;
  brand?: string;
  provider?: string;
  /** CSV header → template param or row option; headers mapped to '' are ignored. */
  columns: Record<string, string>;
  file: File;
}

/** The upload as a multipart form: the file streams to the server, the mapping goes as JSON text. */
function batchForm(upload: BatchUpload): FormData {
  const form = new FormData();
  form.set('template', upload.template);
  if (upload.brand) form.set('brand', upload.brand);
  if (upload.provider) form.set('provider', upload.provider);
  form.set('columns', JSON.stringify(upload.columns));
  form.set('file', upload.file, upload.file.name);
  return form;
}

/** `POST /v1/batches`. */
export async function uploadBatch(upload: BatchUpload): Promise<Batch> {
  const response = await send('/v1/batches', { method: 'POST', body: batchForm(upload) });
  return (await response.json()) as Batch;
}

/** What a batch would cost and which rows it would refuse, read from the whole file; nothing is stored. */
export interface BatchEstimate {
  cost_usd: number;
  images: number;
  provider: string;
  model: string;
  rows: number;
  invalid_rows: number;
  errors: Array<{ row: number; message: string }>;
}

/** `POST /v1/estimate` with the same form as the upload. */
export async function estimateBatch(upload: BatchUpload, signal: AbortSignal): Promise<BatchEstimate> {
  const response = await send('/v1/estimate', { method: 'POST', body: batchForm(upload), signal });
  return (await response.json()) as BatchEstimate;
}

/** `POST /v1/previews`: the studio engine draws the template at once; the PNG comes back as a blob. */
export async function previewImage(
  body: { template: string; params: Record<string, string>; brand?: string },
  signal: AbortSignal,
): Promise<Blob> {
  const response = await send('/v1/previews', {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
    signal,
  });
  return response.blob();
}
