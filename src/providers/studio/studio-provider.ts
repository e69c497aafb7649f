import { AppError } from '../../domain/errors.ts';
import { layoutSchema } from '../../domain/layout.ts';
import { type ChosenCandidate, chooseCandidates, expandCandidates } from '../../render/candidates.ts';
import { ensureFontsRegistered } from '../../render/fonts.ts';
import { BRAND_LOGO_IMAGE, type RenderLayoutInput, type RenderReport } from '../../render/layout-renderer.ts';
import { finalQuality, scoreLayout } from '../../render/layout-score.ts';
import { RenderPool } from '../../render/render-pool.ts';
import type { SceneInit } from '../../render/scene-init.ts';
import type {
  GeneratedImage,
  ImageCall,
  ImageProvider,
  ImageResult,
  ProviderCapabilities,
  ProviderHealth,
  ProviderWarning,
} from '../spec.ts';
import { photoIntakeNotes } from './photo-intake-notes.ts';
import { studioImageChecks } from './studio-checks.ts';

export const STUDIO_MODEL = 'studio-layout-v1';

const CAPABILITIES: ProviderCapabilities = {
  maxImagesPerCall: 4,
  seeds: true,
  negativePrompt: false,
  layouts: true,
  imageInput: true,
  formats: ['png', 'jpeg', 'webp'],
  maxSide: 4096,
};

/** Lossy formats at 90: visually clean edges on text, still a fraction of the PNG size. */
const LOSSY_QUALITY = 90;

/**
 * The built-in `studio` provider: renders a template's layout offline with @napi-rs/canvas.
 * No network, no model, no cost; the seed picks a deterministic design variant.
 */
export function createStudioProvider(
  options: {
    renderProcesses?: number;
    /** An ONNX matting model for product cut-outs (VITRINE_MATTING_MODEL); absent, the classical cut-out. */
    mattingModel?: string;
    /**
     * `false` takes the layout's candidates in order instead of scoring them (docs/quality.md):
     * for tests that show what the scorer changes, and for comparison.
     */
    scorer?: boolean;
  } = {},
): ImageProvider & {
  /** Starts a render process ahead of the first job (a worker calls it when it starts). */
  warm(): void;
  /**
   * The init image and mask of a background an image model paints around the layout's product
   * (render/scene-init.ts), made in a render process with this studio's cut-out (and matting model).
   */
  sceneInit(input: RenderLayoutInput): Promise<SceneInit | null>;
  close(): Promise<void>;
} {
  const pool = new RenderPool({ processes: options.renderProcesses ?? 0 });
  return {
    id: 'studio',
    kind: 'studio',
    defaultModel: STUDIO_MODEL,
    models: [STUDIO_MODEL],
    capabilities: CAPABILITIES,
    generate: (call, signal) => generate(pool, call, signal, options),
    checkHealth,
    warm: () => pool.warm(),
    sceneInit: (input) =>
      pool.sceneInit(options.mattingModel ? { ...input, mattingModel: options.mattingModel } : input),
    close: () => pool.close(),
  };
}

async function generate(
  pool: RenderPool,
  call: ImageCall,
  signal: AbortSignal,
  options: { mattingModel?: string; scorer?: boolean },
): Promise<ImageResult> {
  const { mattingModel } = options;
  const layoutCall = call.layout;
  if (!layoutCall)
    throw new AppError('invalid_request', 'The studio provider renders templates; give a template');
  validateCall(call);
  // Stored templates are validated already; parsing again applies defaults to hand-built layouts.
  const parsed = layoutSchema.safeParse(layoutCall.template.layout);
  if (!parsed.success) {
    throw new AppError('invalid_request', `Template '${layoutCall.template.name}' has an invalid layout`, {
      details: {
        issues: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })),
      },
    });
  }

  const warnings: ProviderWarning[] = [];
  if (call.negativePrompt.trim() !== '') {
    warnings.push({
      type: 'unsupported',
      feature: 'negative_prompt',
      details: 'The studio renders layouts; a negative prompt has nothing to steer',
    });
  }

  const images: GeneratedImage[] = [];
  const reports: RenderReport[] = [];
  const request: RenderLayoutInput = {
    layout: parsed.data,
    brand: layoutCall.brand,
    params: layoutCall.params,
    images: layoutCall.logo
      ? { ...layoutCall.images, [BRAND_LOGO_IMAGE]: layoutCall.logo }
      : layoutCall.images,
    background: layoutCall.background,
    ...(layoutCall.backgroundAround ? { backgroundAroundProduct: true } : {}),
    ...(layoutCall.stylePack ? { stylePack: layoutCall.stylePack } : {}),
    width: call.width,
    height: call.height,
    seed: 0,
    ...(mattingModel ? { mattingModel } : {}),
  };
  // Every candidate design is laid out and scored; each image draws the one chosen for it.
  const chosen = designsFor(
    request,
    call.seeds.length,
    options.scorer !== false,
    layoutCall.backgroundAround,
  );
  for (const [index, seed] of call.seeds.entries()) {
    throwIfAborted(signal);
    const design = chosen[index]!;
    const { bytes, report, check } = await pool.render({
      input: { ...design.input, seed },
      format: call.format,
      quality: LOSSY_QUALITY,
    });
    const checks = await studioImageChecks(layoutCall.template.name, parsed.data, bytes, report);
    const quality = finalQuality(design.scored, report);
    images.push({
      bytes,
      format: call.format,
      seed,
      quality: { ...quality, checks: [...quality.checks, ...checks] },
      check,
    });
    reports.push(report);
    call.onProgress?.((index + 1) / call.seeds.length);
  }
  warnings.push(designNote(chosen, options.scorer !== false));
  const path = layoutCall.backgroundAround ? 'masked_edit' : 'generated';
  warnings.push(...reportNotes(reports, call.seeds, path), ...photoIntakeNotes(reports[0]));
  throwIfAborted(signal);
  return { images, warnings, model: STUDIO_MODEL, costUsd: 0 };
}

/**
 * The render reports as notes on the job: the background used and the cut-out, once. Each image's
 * checks travel with the image as its `quality`; the job runner turns failed ones into warnings.
 */
export function reportNotes(
  reports: readonly RenderReport[],
  _seeds: readonly number[],
  providerPath: 'masked_edit' | 'generated' = 'generated',
): ProviderWarning[] {
  const notes: ProviderWarning[] = [];
  const first = reports[0];
  if (first?.background) {
    notes.push({
      type: 'note',
      topic: 'background',
      message:
        first.background === 'provider'
          ? `the background was ${providerPath === 'masked_edit' ? 'painted by an image provider around the product (masked edit)' : 'generated by an image provider'}${first.cutout ? '; the product was composited over it from the cut-out, its pixels untouched' : ''}`
          : 'no image provider filled the generated background: a procedural backdrop was used',
      attention: false,
      data: {
        source: first.background,
        background_path: first.background === 'provider' ? providerPath : 'procedural',
        ...(first.cutout ? { product: first.cutout.cut ? 'composited_cutout' : 'framed_photo' } : {}),
      },
    });
  }
  if (first?.cutout) {
    const framed = first.cutout.cut ? '' : '; the photo is shown framed instead of cut out';
    notes.push({
      type: 'note',
      topic: 'cutout',
      message: `product cut-out: ${first.cutout.note}${framed}`,
      attention: first.cutout.confidence.level !== 'high',
      data: {
        needs_review: first.cutout.needsReview,
        method: first.cutout.method,
        cut: first.cutout.cut,
        code: first.cutout.confidence.level === 'low' ? 'cutout_low_confidence' : undefined,
        confidence: first.cutout.confidence,
        foreground: Math.round(first.cutout.foreground * 1000) / 1000,
      },
    });
  }
  return notes;
}

/**
 * The designs of the images: scored as usual, or — when the background was painted around one
 * design's product — that design for every image, since the scene holds the product's place.
 */
function designsFor(
  request: RenderLayoutInput,
  n: number,
  scorer: boolean,
  around: { composition: string; arrangement: number } | undefined,
): ChosenCandidate[] {
  const chosen = chooseCandidates(request, n, { scorer });
  if (!around) return chosen;
  const pinned = expandCandidates(request).find(
    (candidate) =>
      candidate.composition === around.composition && candidate.arrangement === around.arrangement,
  );
  if (!pinned) return chosen;
  const scored = scoreLayout(pinned.input);
  return chosen.map((design) => ({ ...pinned, scored, of: design.of }));
}

/** Which design each image drew, quietly: the studio and the API can show it beside the score. */
function designNote(chosen: readonly ChosenCandidate[], scorer: boolean): ProviderWarning {
  const of = chosen[0]?.of ?? 1;
  const designs = chosen.map((design) => ({
    composition: design.composition,
    arrangement: design.arrangement,
    layout_score: design.scored.score,
  }));
  const described = designs
    .map((d, index) => `image ${index + 1}: ${d.composition}, palette ${d.arrangement + 1}`)
    .join('; ');
  return {
    type: 'note',
    topic: 'design',
    message: scorer
      ? `${of} candidate design(s) scored per image; ${described}`
      : `scorer off: candidates taken in order; ${described}`,
    attention: false,
    data: { candidates: of, scorer, designs },
  };
}

function validateCall(call: ImageCall) {
  const problems: string[] = [];
  if (call.model !== '' && call.model !== STUDIO_MODEL) problems.push(`unknown model '${call.model}'`);
  if (call.seeds.length === 0) problems.push('no seeds: nothing to render');
  if (call.seeds.length > CAPABILITIES.maxImagesPerCall) {
    problems.push(`${call.seeds.length} images asked, at most ${CAPABILITIES.maxImagesPerCall} per call`);
  }
  for (const [name, side] of [
    ['width', call.width],
    ['height', call.height],
  ] as const) {
    if (!Number.isInteger(side) || side < 16 || side > CAPABILITIES.maxSide) {
      problems.push(`${name} ${side} is outside 16..${CAPABILITIES.maxSide}`);
    }
  }
  if (problems.length > 0)
    throw new AppError('invalid_request', `Studio cannot render this call: ${problems.join('; ')}`);
}

function throwIfAborted(signal: AbortSignal) {
  if (signal.aborted) {
    throw new AppError('canceled', 'The studio render was canceled', {
      retryable: false,
      cause: signal.reason,
    });
  }
}

async function checkHealth(_signal: AbortSignal): Promise<ProviderHealth> {
  const checkedAt = new Date().toISOString();
  try {
    const fonts = ensureFontsRegistered();
    return { ok: true, message: `${fonts.family}: ${fonts.files} font files registered`, checkedAt };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `Fonts could not be registered: ${reason}`, checkedAt };
  }
}
