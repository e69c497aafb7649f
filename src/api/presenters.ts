import type { ApiKeyRecord } from '../db/api-key.repository.ts';
import type { AssetRecord, JobRecord } from '../domain/job.ts';
import { normalizeJobWarnings } from '../domain/job-warnings.ts';
import type { AssetService } from '../services/assets/asset.service.ts';
import type { BatchState } from '../services/batches/batch.service.ts';

/** Wire shapes: what the API answers, built from records. */

export function presentJob(
  job: JobRecord,
  assets: readonly AssetRecord[],
  signer: Pick<AssetService, 'signedUrl'>,
) {
  return {
    id: job.id,
    status: job.status,
    batch_id: job.batch_id,
    prompt: job.prompt,
    negative_prompt: job.negative_prompt,
    template: job.template,
    template_version: job.template_version,
    brand: job.brand,
    brand_version: job.brand_version,
    provider: job.provider,
    model: job.model,
    n: job.n,
    width: job.width,
    height: job.height,
    format: job.format,
    priority: job.priority,
    params: job.params,
    seed: job.seed,
    attempts: job.attempts,
    progress: job.progress,
    cache: job.cache,
    cost_usd: job.cost_usd,
    error: job.status === 'succeeded' ? null : job.error,
    warnings: normalizeJobWarnings(job.warnings),
    options: job.options ?? {},
    metadata: job.metadata,
    images: assets.map((asset) => ({
      id: asset.id,
      url: signer.signedUrl(asset.id),
      width: asset.width,
      height: asset.height,
      format: asset.format,
      bytes: asset.bytes,
      seed: asset.seed,
      quality: asset.quality ?? null,
    })),
    created_at: job.created_at.toISOString(),
    started_at: job.started_at?.toISOString() ?? null,
    finished_at: job.finished_at?.toISOString() ?? null,
  };
}

export function presentApiKey(record: ApiKeyRecord) {
  return {
    id: record.id,
    name: record.name,
    key_prefix: record.key_prefix,
    scopes: record.scopes,
    created_at: record.created_at.toISOString(),
    last_used_at: record.last_used_at?.toISOString() ?? null,
    revoked_at: record.revoked_at?.toISOString() ?? null,
    daily_budget_usd: record.daily_budget_usd,
  };
}

export function presentBatch(state: BatchState) {
  const { batch, counts, costUsd, quality } = state;
  return {
    id: batch.id,
    status: batch.status,
    template: batch.template,
    brand: batch.brand,
    priority: batch.priority,
    key_column: batch.key_column,
    destinations: batch.destinations,
    total: batch.total,
    counts,
    cost_estimate_usd: batch.cost_estimate_usd,
    cost_usd: costUsd,
    quality: { checked: quality.checked, passed: quality.passed, pass_rate: quality.passRate },
    errors: batch.errors,
    error_count: batch.error_count,
    script_id: batch.script_id ?? null,
    created_at: batch.created_at.toISOString(),
    finished_at: batch.finished_at?.toISOString() ?? null,
  };
}
