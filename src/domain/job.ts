import type { ErrorCode } from './errors.ts';
import type { DesignOptions, ImageQuality } from './quality.ts';
import type { ImageFormat } from './template.ts';

export const jobStatuses = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export type JobStatus = (typeof jobStatuses)[number];
export const priorities = ['urgent', 'normal', 'batch'] as const;
export type Priority = (typeof priorities)[number];
export type CacheOutcome = 'miss' | 'exact' | 'similar';

const FINISHED: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'canceled']);
export function isFinished(status: JobStatus): boolean {
  return FINISHED.has(status);
}

/** Queue priority: a larger number is fetched first (pg-boss orders by priority descending). */
export function queuePriority(priority: Priority): number {
  return { urgent: 20, normal: 10, batch: 0 }[priority];
}

export interface JobRecord {
  id: string;
  status: JobStatus;
  batch_id: string | null;
  api_key_id: string | null;
  prompt: string;
  negative_prompt: string;
  template: string | null;
  template_version: number | null;
  brand: string;
  brand_version: number;
  provider: string;
  model: string;
  n: number;
  width: number;
  height: number;
  format: ImageFormat;
  priority: Priority;
  params: Record<string, string>;
  seed: number | null;
  attempts: number;
  progress: number;
  cache: CacheOutcome;
  cost_usd: number;
  error: { code: ErrorCode; message: string } | null;
  /** JobWarning entries; rows written before issue 11 may hold older shapes (see job-warnings.ts). */
  warnings: unknown[];
  metadata: Record<string, unknown>;
  /** The request's design options (style pack, minimum quality). */
  options: DesignOptions;
  webhook_url: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  /** The hash of the normalized request (the exact-cache key); null when the cache is off. */
  cache_key: string | null;
  queue_job_id: string | null;
  /** Where the job may move when its provider is failing, in order (from its routing rule). */
  fallback: { provider: string; model: string }[];
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface AssetRecord {
  id: string;
  job_id: string | null;
  position: number | null;
  sha256: string;
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
  seed: number | null;
  provider: string | null;
  model: string | null;
  prompt: string | null;
  negative_prompt: string | null;
  template: string | null;
  template_version: number | null;
  brand: string | null;
  brand_version: number | null;
  /** The image's quality as it was made; null for images made before quality was recorded. */
  quality: ImageQuality | null;
  created_at: Date;
}

/** Seeds are 32-bit unsigned so every provider (Stability caps at 4294967294) accepts them. */
export const MAX_SEED = 4_294_967_294;

/** Seed of image `index` of a job: consecutive from the job's seed, wrapping within range. */
export function seedForImage(jobSeed: number, index: number): number {
  return (jobSeed + index) % (MAX_SEED + 1);
}
