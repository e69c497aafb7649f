import { randomUUID } from 'node:crypto';
import { AppError, isAppError, toJobError } from '../domain/errors.ts';
import { type AssetRecord, type JobRecord, queuePriority, seedForImage } from '../domain/job.ts';
import { roundUsd } from '../domain/pricing.ts';
import { retryDelayMs } from '../domain/retry.ts';
import type { GeneratedImage, LayoutCall, ProviderWarning } from '../providers/spec.ts';
import { GENERATE_QUEUE, type QueuePayloads } from '../queue/jobs.ts';
import { CatalogCache } from './catalog-cache.ts';
import type { ServiceDeps } from './deps.ts';
import { generateLayoutBackground } from './generated-background.ts';
import type { GenerationService } from './generation.service.ts';
import { prepareImage } from './image-quality.ts';
import { loadInputImage } from './input-images.ts';
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
  | 'limits'
  | 'logger'
> & {
  requestCache: Pick<RequestCacheService, 'record'>;
  /** Each quality check's outcome, for the pass rate in /metrics. */
  onImageChecked?: (passed: boolean) => void;
};

const PROGRESS_WRITE_INTERVAL_MS = 250;
/** How far an image model may move from the product photo it starts from (img2img, edits). */
const INPUT_IMAGE_STRENGTH = 0.6;
/** A provider's image above this is refused before decoding (a 64-megapixel ceiling). */
const MAX_PROVIDER_IMAGE_PIXELS = 8192 * 8192;

interface JobInputs {
  /** The template's layout call (for layout engines), or null for a plain prompt. */
  layout: LayoutCall | null;
  /** The first image param's bytes (e.g. `product_image`), for img2img models. */
  firstImage: Uint8Array | null;
}

interface Produced {
  images: GeneratedImage[];
  warnings: ProviderWarning[];
  costUsd: number;
  provider: string;
  model: string;
}

/**
 * Runs one queue delivery of a generation job: provider → checks → stored assets → job updated.
 * Retryable failures go back to the queue with backoff; the rest fail the job with their code.
 */
export class JobRunner {
  readonly #deps: Deps;
  readonly #generations: GenerationService;
  readonly #catalog: CatalogCache;
  readonly #lastProgressWrite = new Map<string, number>();

  constructor(deps: Deps, generations: GenerationService) {
    this.#deps = deps;
    this.#generations = generations;
    this.#catalog = new CatalogCache(deps);
  }

  async run(payload: QueuePayloads['vitrine-generate'], queueSignal: AbortSignal): Promise<void> {
    const { db, jobs, events } = this.#deps;
    const job = await jobs.claimAttempt(db, payload.jobId, payload.attempt);
    if (!job) return; // canceled, finished, or a stale duplicate delivery
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
    }
  }

  async #attempt(job: JobRecord, signal: AbortSignal): Promise<void> {
    const { db, jobs, assets, blobs, events, limits } = this.#deps;
    const inputs = await this.#inputsFor(job, signal);
    const produced = await this.#generateWithFailover(job, inputs, signal);
    const { images, warnings, provider, model } = produced;

    const records: Omit<AssetRecord, 'created_at'>[] = [];
    let resizedFrom: string | null = null;
    let costUsd = produced.costUsd;
    let qualityRetries = 0;
    for (const [position, first] of images.entries()) {
      let image = first;
      let prepared = await prepareImage(job, image, MAX_PROVIDER_IMAGE_PIXELS);
      this.#deps.onImageChecked?.(prepared.check.ok);
      // A blank, uniform or wrong-size image is made again with a new seed, within the job's budget.
      while (!prepared.check.ok && qualityRetries < limits.qualityRetries) {
        qualityRetries++;
        const seed = seedForImage(job.seed ?? 0, job.n + qualityRetries - 1);
        warnings.push({
          type: 'other',
          message: `image ${position + 1} failed its checks (${prepared.check.problems.join('; ')}); made again with seed ${seed}`,
        });
        await jobs.recordQualityRetries(db, job.id, job.attempts, qualityRetries);
        const again = await this.#generate({ ...job, n: 1, seed }, { provider, model }, inputs, signal);
        costUsd += again.costUsd;
        image = again.images[0]!;
        prepared = await prepareImage(job, image, MAX_PROVIDER_IMAGE_PIXELS);
        this.#deps.onImageChecked?.(prepared.check.ok);
      }
      const { bytes, check } = prepared;
      if (prepared.resizedFrom) resizedFrom = prepared.resizedFrom;
      if (!check.ok) {
        throw new AppError(
          'image_invalid',
          `Image ${position + 1} failed its checks: ${check.problems.join('; ')}${qualityRetries > 0 ? ` (after ${qualityRetries} new seed(s))` : ''}`,
          { retryable: false },
        );
      }
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
      });
    }
    if (resizedFrom) {
      warnings.push({
        type: 'other',
        message: `${provider}/${model} produced ${resizedFrom}; cropped and resized to the asked ${job.width}×${job.height}`,
      });
    }
    signal.throwIfAborted();
    const outcome = { provider, model, costUsd: roundUsd(costUsd), warnings };
    const finished = await db.transaction(async (tx) => {
      const succeeded = await jobs.markSucceeded(tx, job.id, job.attempts, outcome);
      // Canceled meanwhile, or this attempt was superseded: record nothing.
      if (succeeded) await assets.insertMany(tx, records);
      return succeeded;
    });
    if (!finished) return;
    events.publish({ type: 'done', jobId: job.id, status: 'succeeded' });
    await this.#deps.requestCache.record(finished).catch((error: Error) => {
      this.#deps.logger.warn({ err: error, jobId: job.id }, 'could not record a job in the request cache');
    });
  }

  /**
   * Runs the job on its provider or, when that one is failing (open circuit, or unavailable on this
   * call), on the next of its fallback chain that is up — within this attempt, so a provider outage
   * costs the job no retry delay.
   */
  async #generateWithFailover(job: JobRecord, inputs: JobInputs, signal: AbortSignal): Promise<Produced> {
    const { providers } = this.#deps;
    const chain = [{ provider: job.provider, model: job.model }, ...job.fallback].filter((target) =>
      providers.find(target.provider),
    );
    const notes: ProviderWarning[] = [];
    let lastError: unknown;
    for (const [index, target] of chain.entries()) {
      const provider = providers.get(target.provider);
      const isLast = index === chain.length - 1;
      if (!isLast && !provider.isAvailable()) {
        notes.push({ type: 'other', message: `skipped ${target.provider}: its circuit is open` });
        continue;
      }
      try {
        const produced = await this.#generate(job, target, inputs, signal);
        return { ...produced, warnings: [...notes, ...produced.warnings] };
      } catch (error) {
        lastError = error;
        if (isLast || signal.aborted || !isAppError(error) || error.code !== 'provider_unavailable')
          throw error;
        notes.push({ type: 'other', message: `${target.provider} failed (${error.message}); moved on` });
      }
    }
    throw lastError ?? new AppError('provider_unavailable', 'No provider of this job is configured anymore');
  }

  async #generate(
    job: JobRecord,
    target: { provider: string; model: string },
    inputs: JobInputs,
    signal: AbortSignal,
  ): Promise<Produced> {
    const { providers, events } = this.#deps;
    const provider = providers.get(target.provider);
    const perCall = Math.max(1, provider.capabilities.maxImagesPerCall);
    const background =
      provider.capabilities.layouts && inputs.layout
        ? await generateLayoutBackground(this.#deps, job, inputs.layout, signal)
        : null;
    const useLayout =
      provider.capabilities.layouts && inputs.layout
        ? { ...inputs.layout, ...(background ? { background: background.bytes } : {}) }
        : null;
    const inputImage =
      !provider.capabilities.layouts && provider.capabilities.imageInput && inputs.firstImage
        ? { bytes: inputs.firstImage, strength: INPUT_IMAGE_STRENGTH }
        : undefined;
    const images: GeneratedImage[] = [];
    const warnings: ProviderWarning[] = background ? [background.note] : [];
    let reportedCost = 0;
    let everyCallReportedCost = true;
    let model = target.model;
    for (let first = 0; first < job.n; first += perCall) {
      signal.throwIfAborted();
      const count = Math.min(perCall, job.n - first);
      const result = await provider.generate(
        {
          prompt: job.prompt,
          // Recorded on the job either way; a layout engine has nothing to steer with it.
          negativePrompt: provider.capabilities.negativePrompt ? job.negative_prompt : '',
          model: target.model,
          width: job.width,
          height: job.height,
          format: job.format,
          seeds: Array.from({ length: count }, (_, index) => seedForImage(job.seed ?? 0, first + index)),
          layout: useLayout,
          ...(inputImage ? { inputImage } : {}),
          onProgress: (fraction) => {
            events.publish({ type: 'progress', jobId: job.id, progress: (first + fraction * count) / job.n });
          },
        },
        signal,
      );
      images.push(...result.images);
      warnings.push(...result.warnings);
      if (result.costUsd === undefined) everyCallReportedCost = false;
      reportedCost += result.costUsd ?? 0;
      model = result.model;
      // The last step's progress is the success below; writing it first would be a wasted query.
      if (images.length < job.n) await this.#reportProgress(job, images.length / job.n);
    }
    const listPrice = providers.pricePerImage(target.provider, {
      model,
      width: job.width,
      height: job.height,
    });
    // What the provider says it charged wins over our price list.
    const costUsd = roundUsd(
      (everyCallReportedCost ? reportedCost : listPrice * images.length) + (background?.costUsd ?? 0),
    );
    return { images, warnings, costUsd, provider: target.provider, model };
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
    if (!job.template) return { layout: null, firstImage: null };
    const [template, brand] = await Promise.all([
      this.#catalog.template(job.template, job.template_version),
      this.#catalog.brand(job.brand, job.brand_version),
    ]);
    if (!template) throw new AppError('not_found', `Template '${job.template}' no longer exists`);
    if (!brand) throw new AppError('not_found', `Brand '${job.brand}' no longer exists`);
    const params: Record<string, string> = {};
    const images: Record<string, Uint8Array> = {};
    for (const param of template.params) {
      const value = job.params[param.name];
      if (!value) continue;
      if (param.kind === 'image') images[param.name] = await loadInputImage(this.#deps, value, signal);
      else params[param.name] = value;
    }
    const layout = { template, brand, params, images, logo: await this.#brandLogo(brand, signal) };
    return { layout, firstImage: Object.values(images)[0] ?? null };
  }

  /** The brand's logo for `logo` layers; a logo that is gone is left out rather than failing the job. */
  async #brandLogo(brand: { slug: string; logo_asset_id: string | null }, signal: AbortSignal) {
    if (!brand.logo_asset_id) return undefined;
    try {
      return await loadInputImage(this.#deps, brand.logo_asset_id, signal);
    } catch (error) {
      if (isAppError(error) && error.retryable) throw error;
      this.#deps.logger.warn(
        { err: error, brand: brand.slug },
        'the brand logo could not be loaded; drawn without it',
      );
      return undefined;
    }
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
    if (failed) events.publish({ type: 'done', jobId: job.id, status: 'failed' });
  }
}
