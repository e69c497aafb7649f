import { isAppError } from '../../domain/errors.ts';
import type { JobRecord } from '../../domain/job.ts';
import type { ImageCall, ImageProvider, LayoutCall, ProviderWarning } from '../../providers/spec.ts';
import { BRAND_LOGO_IMAGE } from '../../render/layout-renderer.ts';
import { type SceneInit, sceneInit } from '../../render/scene-init.ts';
import type { ServiceDeps } from '../deps.ts';
import { routeGeneration } from './provider-router.ts';

/** Which way a `generated` background was made; recorded on the job and on each image's notes. */
export type BackgroundPath = 'masked_edit' | 'generated' | 'procedural';

export interface GeneratedBackground {
  bytes: Uint8Array;
  costUsd: number;
  note: ProviderWarning;
  /** Set when the model painted around the product of this design (a masked edit). */
  around?: { composition: string; arrangement: number };
}

type BackgroundDeps = Pick<ServiceDeps, 'providers' | 'logger' | 'layoutScene'>;

/**
 * A layout whose background is `generated` gets it from the image provider routing picks. When the
 * job has a product photo and that provider takes a mask (OpenAI edits, Stability inpaint, a ComfyUI
 * inpaint workflow), the scene is painted AROUND the product: the layout is laid out first, the
 * cut-out placed at its final rectangle in an init image, and a mask keeps it — so light and
 * shadow fit the product. The studio then draws the product's own cut-out pixels on top at the
 * same rectangle. Otherwise the backdrop comes from the prompt alone. With no image provider
 * configured, or when every one fails, the studio paints its procedural backdrop — a background
 * is decoration, not a reason to fail a job.
 */
export async function generateLayoutBackground(
  deps: BackgroundDeps,
  job: JobRecord,
  layout: LayoutCall,
  signal: AbortSignal,
): Promise<GeneratedBackground | null> {
  const wantsGenerated = layout.template.layout.layers.some(
    (layer) => layer.type === 'background' && layer.style === 'generated',
  );
  if (!wantsGenerated) return null;
  let route: ReturnType<typeof routeGeneration>;
  try {
    route = routeGeneration(deps.providers, {
      template: null,
      brand: layout.brand,
      priority: job.priority,
      n: 1,
      width: job.width,
      height: job.height,
    });
  } catch {
    return null;
  }
  // Routing fell through to the layout engine itself: no image model is configured.
  const candidates = [route, ...route.fallback].filter(
    (target) => !deps.providers.get(target.provider).capabilities.layouts,
  );
  if (candidates.length === 0) return null;
  let init: Promise<SceneInit | null> | undefined;
  for (const target of candidates) {
    const provider = deps.providers.get(target.provider);
    if (takesMask(provider)) {
      init ??= initFor(deps, job, layout);
      const scene = await init;
      if (scene) {
        const made = await attempt(
          deps,
          job,
          target,
          signal,
          maskedCall(job, layout, provider, target, scene),
        );
        if (made) return noted(made, target.provider, 'masked_edit', scene.design);
      }
    }
    const made = await attempt(deps, job, target, signal, promptCall(job, provider, target));
    if (made) return noted(made, target.provider, 'generated');
  }
  return null;
}

/** A provider that honours a mask edits with it whatever its generation model takes (Stability: inpaint). */
function takesMask(provider: ImageProvider): boolean {
  return provider.capabilities.inputMask === true;
}

/** The init image and mask, or null (no product photo, a framed photo, or a cut-out that failed). */
async function initFor(deps: BackgroundDeps, job: JobRecord, layout: LayoutCall): Promise<SceneInit | null> {
  try {
    return await (deps.layoutScene ?? sceneInit)({
      layout: layout.template.layout,
      brand: layout.brand,
      params: layout.params,
      images: layout.logo ? { ...layout.images, [BRAND_LOGO_IMAGE]: layout.logo } : layout.images,
      ...(layout.stylePack ? { stylePack: layout.stylePack } : {}),
      width: job.width,
      height: job.height,
      seed: 0,
    });
  } catch (error) {
    deps.logger.warn({ err: error, jobId: job.id }, 'laying out the product for a masked background failed');
    return null;
  }
}

/** Full strength: the model repaints everything the mask leaves to it. */
const MASKED_STRENGTH = 1;

function maskedCall(
  job: JobRecord,
  layout: LayoutCall,
  provider: ImageProvider,
  target: { model: string },
  scene: SceneInit,
): ImageCall {
  const { palette } = layout.brand;
  return {
    ...promptCall(job, provider, target),
    prompt:
      `${job.prompt}. Keep the product in the image exactly as it is; paint the scene around it ` +
      `with light and shadow that fit it, in the brand colours ${palette.primary}, ${palette.secondary} and ${palette.accent}.`,
    inputImage: { bytes: scene.image, strength: MASKED_STRENGTH, mask: scene.mask },
  };
}

function promptCall(job: JobRecord, provider: ImageProvider, target: { model: string }): ImageCall {
  return {
    prompt: job.prompt,
    negativePrompt: provider.capabilities.negativePrompt ? job.negative_prompt : '',
    model: target.model,
    width: job.width,
    height: job.height,
    format: 'png',
    seeds: [job.seed ?? 0],
    layout: null,
  };
}

interface Made {
  bytes: Uint8Array;
  costUsd: number;
  model: string;
}

/** One call; null when the provider failed (logged), so the next path or provider is tried. */
async function attempt(
  deps: BackgroundDeps,
  job: JobRecord,
  target: { provider: string; model: string },
  signal: AbortSignal,
  call: ImageCall,
): Promise<Made | null> {
  try {
    const result = await deps.providers.get(target.provider).generate(call, signal);
    const image = result.images[0];
    if (!image) return null;
    const listPrice = deps.providers.pricePerImage(target.provider, {
      model: result.model,
      width: job.width,
      height: job.height,
    });
    return { bytes: image.bytes, costUsd: result.costUsd ?? listPrice, model: result.model };
  } catch (error) {
    if (signal.aborted || (isAppError(error) && error.code === 'canceled')) throw error;
    deps.logger.warn(
      { err: error, jobId: job.id, provider: target.provider, masked: call.inputImage !== undefined },
      'background generation failed',
    );
    return null;
  }
}

function noted(
  made: Made,
  provider: string,
  path: Exclude<BackgroundPath, 'procedural'>,
  around?: GeneratedBackground['around'],
): GeneratedBackground {
  const how = path === 'masked_edit' ? ', painted around the product (masked edit)' : '';
  return {
    bytes: made.bytes,
    costUsd: made.costUsd,
    note: {
      type: 'note',
      topic: 'background_provider',
      message: `the generated background came from ${provider}/${made.model}${how}`,
      attention: false,
      data: { provider, model: made.model, background_path: path },
    },
    ...(around ? { around } : {}),
  };
}
