import type { ServiceDeps } from '../deps.ts';
import type { GenerationService } from '../generation/generation.service.ts';
import { PosterService } from './poster.service.ts';
import { PreviewService } from './preview.service.ts';

export interface StudioCapability {
  posters: PosterService;
  previews: PreviewService;
}

/** The studio engine's use cases: posters from a brief, previews without a job. */
export function wireStudio(deps: ServiceDeps, generations: GenerationService): StudioCapability {
  return { posters: new PosterService(deps, generations), previews: new PreviewService(deps) };
}
