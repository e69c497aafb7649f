import type { Layout } from '../../domain/layout.ts';
import {
  evaluateProfile,
  MARKETPLACE_PROFILES,
  type MarketplaceProfileId,
  TEMPLATE_PROFILES,
} from '../../domain/marketplace-profiles.ts';
import type { QualityCheck } from '../../domain/quality.ts';
import { measureImage } from '../../imaging/marketplace-measure.ts';
import type { RenderReport } from '../../render/layout-renderer.ts';

/**
 * The studio's own checks of a rendered image: the product cut-out (never a doubtful one shown as
 * cut) and the marketplace profile the template is tied to (domain/marketplace-profiles.ts).
 */
export async function studioImageChecks(
  templateName: string,
  layout: Layout,
  bytes: Uint8Array,
  report: RenderReport,
): Promise<QualityCheck[]> {
  const checks: QualityCheck[] = [];
  if (report.cutout) checks.push(cutoutCheck(report.cutout));
  const profile: MarketplaceProfileId | undefined = TEMPLATE_PROFILES[templateName];
  if (profile)
    checks.push(...evaluateProfile(MARKETPLACE_PROFILES[profile], await measureImage(bytes), layout));
  return checks;
}

export function cutoutCheck(cutout: NonNullable<RenderReport['cutout']>): QualityCheck {
  const { level, reasons } = cutout.confidence;
  if (!cutout.cut) {
    return {
      name: 'product_cutout',
      passed: false,
      detail: `the cut-out could not be trusted (${reasons.join('; ')}): the photo is shown framed instead`,
    };
  }
  return {
    name: 'product_cutout',
    passed: level !== 'low',
    detail: `${cutout.method}, ${level} confidence: ${reasons.join('; ')}`,
  };
}
