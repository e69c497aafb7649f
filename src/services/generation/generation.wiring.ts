import type { ServiceDeps } from '../deps.ts';
import { BudgetService } from './budget.service.ts';
import { GenerationService } from './generation.service.ts';
import { JobRunner } from './job-runner.service.ts';
import { RequestCacheService } from './request-cache.service.ts';

export interface GenerationCapability {
  requestCache: RequestCacheService;
  budget: BudgetService;
  generations: GenerationService;
  runner: JobRunner;
}

/** Jobs: the request cache, budgets, creating jobs and running them. */
export function wireGeneration(
  deps: ServiceDeps,
  options: {
    cache: { maxEntries: number; similarThreshold: number };
    onCacheLookup?: (kind: 'exact' | 'similar', hit: boolean) => void;
    onImageChecked?: (passed: boolean) => void;
    /** This process's worker id, recorded on the jobs it runs. */
    workerId?: string;
  },
): GenerationCapability {
  const requestCache = new RequestCacheService({
    ...deps,
    settings: options.cache,
    onLookup: options.onCacheLookup,
  });
  const budget = new BudgetService(deps);
  const generations = new GenerationService({ ...deps, requestCache, budget });
  const runner = new JobRunner(
    { ...deps, requestCache, onImageChecked: options.onImageChecked, workerId: options.workerId },
    generations,
  );
  return { requestCache, budget, generations, runner };
}
