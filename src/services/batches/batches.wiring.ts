import type { AssetService } from '../assets/asset.service.ts';
import type { ServiceDeps } from '../deps.ts';
import type { GenerationCapability } from '../generation/generation.wiring.ts';
import { BatchService } from './batch.service.ts';
import { BatchExportService, type RowPublication } from './batch-export.service.ts';
import { BatchFanoutService } from './batch-fanout.service.ts';
import { BatchImportService } from './batch-import.service.ts';

export interface BatchesCapability {
  batches: BatchService;
  batchImports: BatchImportService;
  batchExports: BatchExportService;
}

/** Batches: import, fan-out into jobs, progress, exports. */
export function wireBatches(
  deps: ServiceDeps,
  parts: {
    generation: GenerationCapability;
    assets: AssetService;
    window: number;
    /** Asset URLs as presigned S3 URLs: finished batches' zips are stored and handed out the same way. */
    presignedUrls?: boolean;
    /** Checks a batch's publish destinations (the integrations capability). */
    destinations?: { resolve(idsOrNames: readonly string[]): Promise<string[]> };
    /** Each row's publications, for the manifest's `published` column. */
    publications?: (jobIds: readonly string[]) => Promise<RowPublication[]>;
  },
): BatchesCapability {
  const { generation, assets } = parts;
  const fanout = new BatchFanoutService({
    ...deps,
    requestCache: generation.requestCache,
    batchLimits: { window: parts.window },
  });
  const batches = new BatchService(deps, generation.generations, fanout);
  // Every finished job (here, or relayed from another process) may refill or end its batch.
  deps.events.subscribe('*', (event) => {
    if (event.type !== 'done' || event.batchId === null) return;
    batches.onJobFinished(event.jobId, event.batchId).catch((error: Error) => {
      deps.logger.warn({ err: error, jobId: event.jobId }, 'could not update the batch of a finished job');
    });
  });
  return {
    batches,
    batchImports: new BatchImportService({
      ...deps,
      budget: generation.budget,
      destinations: parts.destinations,
    }),
    batchExports: new BatchExportService(deps, assets, {
      presigned: parts.presignedUrls,
      publications: parts.publications,
    }),
  };
}
