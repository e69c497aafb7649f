import { AppError, isAppError } from '../../domain/errors.ts';
import { type JobRecord, seedForImage } from '../../domain/job.ts';
import { roundUsd } from '../../domain/pricing.ts';
import { inspectProductPhoto } from '../../imaging/photo-intake.ts';
import type { GeneratedImage, LayoutCall, ProviderWarning } from '../../providers/spec.ts';
import type { ServiceDeps } from '../deps.ts';
import { generateLayoutBackground } from './generated-background.ts';
import { photoIntakeNotes } from './photo-intake-notes.ts';

/** The calls to image providers one job attempt makes: its provider, or the next of its chain. */

type CallDeps = Pick<ServiceDeps, 'providers' | 'events' | 'logger' | 'layoutScene'>;
/** Records the job's progress (0..1) between calls; throws `canceled` when the job was canceled. */
export type ReportProgress = (fraction: number) => Promise<void>;

/** How far an image model may move from the product photo it starts from (img2img, edits). */
const INPUT_IMAGE_STRENGTH = 0.6;
/** An edit asks for a change of the given image: the models' usual image-to-image strength. */
const EDIT_STRENGTH = 0.75;

export interface JobInputs {
  /** The template's layout call (for layout engines), or null for a plain prompt. */
  layout: LayoutCall | null;
  /** The first image param's bytes (e.g. `product_image`), for img2img models. */
  firstImage: Uint8Array | null;
  /** An edit's mask (transparent where the model may paint), with `firstImage`. */
  mask?: Uint8Array | null;
  /** The job is an edit of `firstImage` (`/v1/images/edits`): the model follows it fully. */
  edit?: boolean;
}

export interface Produced {
  images: GeneratedImage[];
  warnings: ProviderWarning[];
  costUsd: number;
  provider: string;
  model: string;
}

/**
 * Runs the job on its provider or, when that one is failing (open circuit, or unavailable on this
 * call), on the next of its fallback chain that is up — within this attempt, so a provider outage
 * costs the job no retry delay.
 */
export async function generateWithFailover(
  deps: CallDeps,
  job: JobRecord,
  inputs: JobInputs,
  signal: AbortSignal,
  reportProgress: ReportProgress,
): Promise<Produced> {
  const { providers } = deps;
  const chain = [{ provider: job.provider, model: job.model }, ...job.fallback].filter((target) =>
    providers.find(target.provider),
  );
  const notes: ProviderWarning[] = [];
  let lastError: unknown;
  for (const [index, target] of chain.entries()) {
    const provider = providers.get(target.provider);
    const isLast = index === chain.length - 1;
    if (!isLast && !provider.isAvailable()) {
      notes.push({
        type: 'note',
        topic: 'provider_skipped',
        message: `skipped ${target.provider}: its circuit is open`,
        attention: true,
        data: { provider: target.provider },
      });
      continue;
    }
    try {
      const produced = await generateOnProvider(deps, job, target, inputs, signal, reportProgress);
      return { ...produced, warnings: [...notes, ...produced.warnings] };
    } catch (error) {
      lastError = error;
      if (isLast || signal.aborted || !isAppError(error) || error.code !== 'provider_unavailable')
        throw error;
      notes.push({
        type: 'note',
        topic: 'provider_failover',
        message: `${target.provider} failed (${error.message}); moved on`,
        attention: true,
        data: { provider: target.provider },
      });
    }
  }
  throw lastError ?? new AppError('provider_unavailable', 'No provider of this job is configured anymore');
}

export async function generateOnProvider(
  deps: CallDeps,
  job: JobRecord,
  target: { provider: string; model: string },
  inputs: JobInputs,
  signal: AbortSignal,
  reportProgress: ReportProgress,
): Promise<Produced> {
  const { providers, events } = deps;
  const provider = providers.get(target.provider);
  const perCall = Math.max(1, provider.capabilities.maxImagesPerCall);
  const background =
    provider.capabilities.layouts && inputs.layout
      ? await generateLayoutBackground(deps, job, inputs.layout, signal)
      : null;
  const useLayout =
    provider.capabilities.layouts && inputs.layout
      ? {
          ...inputs.layout,
          ...(background ? { background: background.bytes } : {}),
          ...(background?.around ? { backgroundAround: background.around } : {}),
        }
      : null;
  const inputImage =
    !provider.capabilities.layouts &&
    (provider.capabilities.imageInput || (inputs.mask && provider.capabilities.inputMask)) &&
    inputs.firstImage
      ? {
          bytes: inputs.firstImage,
          strength: inputs.edit ? EDIT_STRENGTH : INPUT_IMAGE_STRENGTH,
          ...(inputs.mask && provider.capabilities.inputMask ? { mask: inputs.mask } : {}),
        }
      : undefined;
  const images: GeneratedImage[] = [];
  const warnings: ProviderWarning[] = background ? [background.note] : [];
  if (inputImage && !inputs.edit) warnings.push(...(await intakeOf(inputImage.bytes, job, target.provider)));
  if (inputImage && inputs.mask && !provider.capabilities.inputMask) {
    warnings.push({
      type: 'unsupported',
      feature: 'mask',
      details: `${target.provider} edits the whole image: it takes no mask`,
    });
  }
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
    if (images.length < job.n) await reportProgress(images.length / job.n);
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

/** The intake warnings of the product photo an image model starts from; none when it cannot be read. */
async function intakeOf(photo: Uint8Array, job: JobRecord, provider: string): Promise<ProviderWarning[]> {
  try {
    return photoIntakeNotes(await inspectProductPhoto(photo), job, provider);
  } catch {
    // The photo was decoded when it was loaded; an analysis that fails is no reason to fail the job.
    return [];
  }
}
