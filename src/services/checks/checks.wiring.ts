import type { AssetService } from '../assets/asset.service.ts';
import type { ServiceDeps } from '../deps.ts';
import { ImageCheckService } from './image-check.service.ts';

export interface ChecksCapability {
  imageChecks: ImageCheckService;
}

/** Marketplace profiles run on any image (`POST /v1/checks`, `vitrine check`). */
export function wireChecks(deps: Pick<ServiceDeps, 'limits'>, assets: AssetService): ChecksCapability {
  return { imageChecks: new ImageCheckService({ assets, maxPixels: deps.limits.maxInputPixels }) };
}
