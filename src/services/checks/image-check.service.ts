import { AppError } from '../../domain/errors.ts';
import {
  evaluateProfile,
  isMarketplaceProfileId,
  MARKETPLACE_PROFILES,
  type MarketplaceProfileId,
  marketplaceProfileIds,
} from '../../domain/marketplace-profiles.ts';
import type { QualityCheck } from '../../domain/quality.ts';
import { inspectImage } from '../../imaging/image.processor.ts';
import { measureImage } from '../../imaging/marketplace-measure.ts';
import type { AssetService } from '../assets/asset.service.ts';

/** The answer of `POST /v1/checks` and `vitrine check`. */
export interface ImageCheckResult {
  profile: MarketplaceProfileId;
  title: string;
  description: string;
  passed: boolean;
  checks: QualityCheck[];
  measured: {
    width: number;
    height: number;
    border_white: number;
    product_fill: number;
    objects: number;
  };
  /** What the profile asks that pixels alone cannot show, said rather than passed silently. */
  not_checked: string[];
}

/** Runs a marketplace profile on any image: a shop checks its own photos before uploading them. */
export async function checkImageBytes(
  bytes: Uint8Array,
  profile: string,
  maxPixels: number,
): Promise<ImageCheckResult> {
  if (!isMarketplaceProfileId(profile)) {
    throw new AppError(
      'invalid_request',
      `Unknown profile '${profile}'; one of ${marketplaceProfileIds.join(', ')}`,
      { details: { field: 'profile' } },
    );
  }
  await inspectImage(bytes, maxPixels);
  const rules = MARKETPLACE_PROFILES[profile];
  const measured = await measureImage(bytes, maxPixels);
  const checks = evaluateProfile(rules, measured);
  const notChecked: string[] = [];
  if (rules.noText)
    notChecked.push('text, logos and badges printed on the product itself (look at them yourself)');
  if (rules.safeBands)
    notChecked.push('text inside the covered top and bottom bands (checked on Vitrine layouts only)');
  return {
    profile,
    title: rules.title,
    description: rules.description,
    passed: checks.every((check) => check.passed),
    checks,
    measured: {
      width: measured.width,
      height: measured.height,
      border_white: Math.round(measured.borderWhite * 1000) / 1000,
      product_fill: measured.content
        ? Math.round(Math.max(measured.content.w, measured.content.h) * 1000) / 1000
        : 0,
      objects: measured.objects.length,
    },
    not_checked: notChecked,
  };
}

export class ImageCheckService {
  readonly #assets: AssetService;
  readonly #maxPixels: number;

  constructor(deps: { assets: AssetService; maxPixels: number }) {
    this.#assets = deps.assets;
    this.#maxPixels = deps.maxPixels;
  }

  /** An uploaded photo (bytes) or a stored asset (generated or uploaded) against a profile. */
  async check(input: { bytes?: Uint8Array; assetId?: string; profile: string }): Promise<ImageCheckResult> {
    let bytes = input.bytes;
    if (!bytes && input.assetId) bytes = (await this.#assets.read(input.assetId)).bytes;
    if (!bytes) {
      throw new AppError('invalid_request', 'Send an image (multipart field `image`) or an `asset_id`', {
        details: { field: 'image' },
      });
    }
    return checkImageBytes(bytes, input.profile, this.#maxPixels);
  }
}
