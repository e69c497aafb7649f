import { randomUUID } from 'node:crypto';
import type { NewAsset } from '../../db/asset.repository.ts';
import { AppError, isAppError, toJobError } from '../../domain/errors.ts';
import { type JobRecord, queuePriority, seedForImage } from '../../domain/job.ts';
import { fromProviderWarning } from '../../domain/job-warnings.ts';
import { roundUsd } from '../../domain/pricing.ts';
import { type ImageQuality, type JobWarning, qualityPassed } from '../../domain/quality.ts';
import { retryDelayMs } from '../../domain/retry.ts';
import { GENERATE_QUEUE, type QueuePayloads } from '../../queue/jobs.ts';
import { CatalogCache } from '../brands/catalog-cache.ts';
import type { ServiceDeps } from '../deps.ts';
import type { GenerationService } from './generation.service.ts';
import { imageQuality, prepareImage, qualityWarnings } from './image-quality.ts';
import { loadInputImage } from './input-images.ts';
import { knownOf } from './job-events.ts';
import { loadLayoutInputs } from './layout-inputs.ts';
import { generateOnProvider, generateWithFailover, type JobInputs } from './provider-calls.ts';
import type { RequestCacheService } from './request-cache.service.ts';

type Deps = Pick<
  ServiceDeps,
  | 'db'
  | 'jobs'
  | 'assets'
  | 'brands'
  | 'templates'
  | 'providers'
  | 'blobs'
  | 'queue'
  | 'events'
  | 'layoutScene'
  | 'limits'
  | 'logger'
> & {
  requestCache: Pick<RequestCacheService, 'record'>;
  /** This worker process, recorded on the jobs it runs. */
  workerId?: string;
  /** Each quality check's outcome, for the pass rate in /metrics. */
  onImageChecked?: (passed: boolean) => void;
};

const PROGRESS_WRITE_INTERVAL_MS = 250;
/** A provider's image above this is refused before decoding (a 64-megapixel ceiling). */
const MAX_PROVIDER_IMAGE_PIXELS = 8192 * 8192;

/**
 * Runs one queue delivery of a generation job: provider → checks → stored assets → job updated.
 * Retryable failures go back to the queue with backoff; the rest fail the job with their code.
 */
export class JobRunner {
  readonly #deps: Deps;
  readonly #generations: GenerationService;
  readonly #catalog: CatalogCache;
  readonly #lastProgressWrite = new Map<string, number>();
  /** For the worker heartbeat: the jobs running here now, and how many ran to an end. */
  readonly #active = new Set<string>();
  #finished = 0;

  constructor(deps: Deps, generations: GenerationService) {
    this.#deps = deps;
    this.#generations = generations;
    this.#catalog = new CatalogCache(deps);
  }

  async run(payload: QueuePayloads['vitrine-generate'], queueSignal: AbortSignal): Promise<void> {
    const { db, jobs, events } = this.#deps;
    const job = await jobs.claimAttempt(db, payload.jobId, payload.attempt, this.#deps.workerId ?? null);
    if (!job) return; // canceled, finished, or a stale duplicate delivery
    this.#active.add(job.id);
    events.publish({ type: 'status', jobId: job.id, status: 'running', attempts: job.attempts });
    const controller = new AbortController();
    const untrack = this.#generations.trackRunning(job.id, controller);
    const signal = AbortSignal.any([controller.signal, queueSignal]);
    try {
      await this.#attempt(job, signal);
    } catch (error) {
      await this.#handleFailure(job, error);
    } finally {
      untrack();
      this.#lastProgressWrite.delete(job.id);
      this.#active.delete(job.id);
      this.#finished += 1;
    }
  }

  /** The jobs running in this process and how many attempts it ran to an end, for the heartbeat. */
  activity(): { runningJobIds: string[]; finishedJobs: number } {
    return { runningJobIds: [...this.#active], finishedJobs: this.#finished };
  }

  async #attempt(job: JobRecord, signal: AbortSignal): Promise<void> {
    const { db, jobs, assets, blobs, events, limits } = this.#deps;
    const inputs = await this.#inputsFor(job, signal);
    const produced = await generateWithFailover(this.#deps, job, inputs, signal, (fraction) =>
      this.#reportProgress(job, fraction),
    );
    const { images, warnings, provider, model } = produced;

    const records: NewAsset[] = [];
    const jobWarnings: JobWarning[] = warnings.map(fromProviderWarning);
    let resizedFrom: string | null = null;
    let costUsd = produced.costUsd;
    let qualityRetries = 0;
    const minQuality = job.options.min_quality;
    for (const [position, first] of images.entries()) {
      let image = first;
      let prepared = await prepareImage(job, image, MAX_PROVIDER_IMAGE_PIXELS);
      let quality = imageQuality(image.quality, prepared.check, minQuality);
      this.#deps.onImageChecked?.(qualityPassed(quality));
      // A blank, uniform or wrong-size image, or one under the request's minimum score, is made
      // again with a new seed (another design, for the studio), within the job's retry budget.
      while (mustRetry(prepared.check.ok, quality, minQuality) && qualityRetries < limits.qualityRetries) {
        qualityRetries++;
        const seed = seedForImage(job.seed ?? 0, job.n + qualityRetries - 1);
        jobWarnings.push({
          code: 'quality_retry',
          message: `image ${position + 1} failed its checks (${failedDetails(quality)}); made again with seed ${seed}`,
          image: position,
          level: 'info',
          data: { seed, score: quality.score },
        });
        await jobs.recordQualityRetries(db, job.id, job.attempts, qualityRetries);
        const again = await generateOnProvider(
          this.#deps,
          { ...job, n: 1, seed },
          { provider, model },
          inputs,
          signal,
          (fraction) => this.#reportProgress(job, fraction),
        );
        costUsd += again.costUsd;
        image = again.images[0]!;
        prepared = await prepareImage(job, image, MAX_PROVIDER_IMAGE_PIXELS);
        quality = imageQuality(image.quality, prepared.check, minQuality);
        this.#deps.onImageChecked?.(qualityPassed(quality));
      }
      const { bytes, check } = prepared;
      if (prepared.resizedFrom) resizedFrom = prepared.resizedFrom;
      const retried = qualityRetries > 0 ? ` (after ${qualityRetries} new seed(s))` : '';
      if (!check.ok) {
        throw new AppError(
          'image_invalid',
          `Image ${position + 1} failed its checks: ${check.problems.join('; ')}${retried}`,
          { retryable: false },
        );
      }
      if (minQuality !== undefined && quality.score < minQuality) {
        throw new AppError(
          'image_invalid',
          `Image ${position + 1} scored ${quality.score.toFixed(2)}, below min_quality ${minQuality}: ${failedDetails(quality)}${retried}`,
          { retryable: false, details: { image: position, quality } },
        );
      }
      jobWarnings.push(...qualityWarnings(quality, position));
      const sha256 = await blobs.put(bytes);
      records.push({
        id: randomUUID(),
        job_id: job.id,
        position,
        sha256,
        format: job.format,
        width: check.width,
        height: check.height,
        bytes: bytes.byteLength,
        seed: image.seed,
        provider,
        model,
        prompt: job.prompt,
        negative_prompt: job.negative_prompt,
        template: job.template,
        template_version: inputs.layout?.template.version ?? job.template_version,
        brand: job.brand,
        brand_version: inputs.layout?.brand.version ?? job.brand_version,
        quality,
      });
    }
    if (resizedFrom) {
      jobWarnings.push({
        code: 'resized',
        message: `${provider}/${model} produced ${resizedFrom}; cropped and resized to the asked ${job.width}×${job.height}`,
        level: 'info',
      });
    }
    signal.throwIfAborted();
    const outcome = { provider, model, costUsd: roundUsd(costUsd), warnings: jobWarnings };
    const finished = await db.transaction(async (tx) => {
      const succeeded = await jobs.markSucceeded(tx, job.id, job.attempts, outcome);
      // Canceled meanwhile, or this attempt was superseded: record nothing.
      if (succeeded) await assets.insertMany(tx, records);
      return succeeded;
    });
    if (!finished) return;
    events.publish({ type: 'done', jobId: job.id, status: 'succeeded', ...knownOf(job) });
    await this.#deps.requestCache.record(finished).catch((error: Error) => {
      this.#deps.logger.warn({ err: error, jobId: job.id }, 'could not record a job in the request cache');
    });
  }

  async #reportProgress(job: JobRecord, fraction: number): Promise<void> {
    const { db, jobs, events } = this.#deps;
    const progress = Math.min(0.99, fraction);
    events.publish({ type: 'progress', jobId: job.id, progress });
    const last = this.#lastProgressWrite.get(job.id) ?? 0;
    if (Date.now() - last < PROGRESS_WRITE_INTERVAL_MS) return;
    this.#lastProgressWrite.set(job.id, Date.now());
    // A cancel from another process shows up here as a row that is no longer running.
    const stillRunning = await jobs.updateProgress(db, job.id, job.attempts, progress);
    if (!stillRunning) throw new AppError('canceled', 'The job was canceled', { retryable: false });
  }

  async #inputsFor(job: JobRecord, signal: AbortSignal): Promise<JobInputs> {
    if (!job.template) {
      // An edit: the uploaded image (and mask) go to the image model as they are.
      const { input_image: image, input_mask: mask } = job.options;
      if (!image) return { layout: null, firstImage: null };
      const [bytes, maskBytes] = await Promise.all([
        loadInputImage(this.#deps, image, signal),
        mask ? loadInputImage(this.#deps, mask, signal) : null,
      ]);
      return { layout: null, firstImage: bytes, mask: maskBytes, edit: true };
    }
    const [template, brand] = await Promise.all([
      this.#catalog.template(job.template, job.template_version),
      this.#catalog.brand(job.brand, job.brand_version),
    ]);
    if (!template) throw new AppError('not_found', `Template '${job.template}' no longer exists`);
    if (!brand) throw new AppError('not_found', `Brand '${job.brand}' no longer exists`);
    const layout = await loadLayoutInputs(
      this.#deps,
      template,
      brand,
      job.params,
      signal,
      job.options.style_pack,
    );
    return { layout, firstImage: Object.values(layout.images)[0] ?? null };
  }

  async #handleFailure(job: JobRecord, error: unknown): Promise<void> {
    const { db, jobs, queue, events, limits, logger } = this.#deps;
    const current = await jobs.findById(db, job.id);
    if (current?.status !== 'running' || current.attempts !== job.attempts) return; // canceled meanwhile
    const jobError = toJobError(error);
    const retryable = isAppError(error) && error.retryable && job.attempts < limits.maxAttempts;
    if (!isAppError(error)) logger.warn({ err: error, jobId: job.id }, 'job attempt crashed');
    if (retryable) {
      const delayMs = retryDelayMs(job.attempts, {
        baseMs: limits.retryBaseMs,
        maxMs: limits.retryMaxMs,
        retryAfterMs: error.retryAfterMs,
      });
      const queueJobId = randomUUID();
      const requeued = await db.transaction(async (tx) => {
        const marked = await jobs.markRetrying(tx, job.id, job.attempts, jobError, queueJobId);
        if (marked) {
          await queue.send(
            GENERATE_QUEUE,
            { jobId: job.id, attempt: job.attempts + 1 },
            { id: queueJobId, priority: queuePriority(job.priority), startAfterMs: delayMs, sql: tx },
          );
        }
        return marked;
      });
      if (requeued) {
        logger.info(
          { jobId: job.id, attempt: job.attempts, delayMs, code: jobError.code },
          'job attempt will retry',
        );
        events.publish({ type: 'status', jobId: job.id, status: 'queued', attempts: job.attempts });
      }
      return;
    }
    const failed = await jobs.markFailed(db, job.id, job.attempts, jobError);
    if (failed) events.publish({ type: 'done', jobId: job.id, status: 'failed', ...knownOf(job) });
  }
}

/** Another seed is worth it for an invalid image, or one under the asked minimum score. */
function mustRetry(valid: boolean, quality: ImageQuality, minQuality: number | undefined): boolean {
  return !valid || (minQuality !== undefined && quality.score < minQuality);
}

function failedDetails(quality: ImageQuality): string {
  const failed = quality.checks.filter((check) => !check.passed);
  return failed.length > 0
    ? failed.map((check) => check.detail).join('; ')
    : `score ${quality.score.toFixed(2)}`;
}
