import { isAppError } from '../../domain/errors.ts';
import type { JobRecord } from '../../domain/job.ts';
import type { LayoutCall, ProviderWarning } from '../../providers/spec.ts';
import type { ServiceDeps } from '../deps.ts';
import { routeGeneration } from './provider-router.ts';

export interface GeneratedBackground {
  bytes: Uint8Array;
  costUsd: number;
  note: ProviderWarning;
}

/**
 * A layout whose background is `generated` gets it from the image provider routing picks for a
 * plain prompt (the job's prompt, from the template's pattern): the studio draws the layout over
 * it. With no image provider configured, or when the one picked fails, the studio paints its
 * procedural backdrop instead — a background is decoration, not a reason to fail a job.
 */
export async function generateLayoutBackground(
  deps: Pick<ServiceDeps, 'providers' | 'logger'>,
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
  for (const target of candidates) {
    const provider = deps.providers.get(target.provider);
    try {
      const result = await provider.generate(
        {
          prompt: job.prompt,
          negativePrompt: provider.capabilities.negativePrompt ? job.negative_prompt : '',
          model: target.model,
          width: job.width,
          height: job.height,
          format: 'png',
          seeds: [job.seed ?? 0],
          layout: null,
        },
        signal,
      );
      const image = result.images[0];
      if (!image) continue;
      const listPrice = deps.providers.pricePerImage(target.provider, {
        model: result.model,
        width: job.width,
        height: job.height,
      });
      return {
        bytes: image.bytes,
        costUsd: result.costUsd ?? listPrice,
        note: {
          type: 'note',
          topic: 'background_provider',
          message: `the generated background came from ${target.provider}/${result.model}`,
          attention: false,
          data: { provider: target.provider, model: result.model },
        },
      };
    } catch (error) {
      if (signal.aborted || (isAppError(error) && error.code === 'canceled')) throw error;
      deps.logger.warn(
        { err: error, jobId: job.id, provider: target.provider },
        'background generation failed',
      );
    }
  }
  return null;
}
