/**
 * The same-item verdict from the visual signals (services/assistant/visual-match.ts). Thresholds
 * were calibrated on a split of the repo's evaluation set the benchmark never shows (designs
 * 101–116: `node bench/assistant/calibrate.ts`): the same design keeps tens to hundreds of RANSAC
 * inliers inside its outline under rotation, crop, blur, dim or warm light, JPEG q45 and busy
 * backgrounds, another design of the same cut a handful (it matches on the outline); the same
 * item's colours are explained by one light (ΔE ≤ 6.4 left), another colourway's are not (≥ 15).
 */

export type SameItemVerdict = 'same' | 'other_color' | 'different' | 'unsure';

export interface SameItemSignals {
  /** RANSAC inliers of the ORB matches. */
  inliers: number;
  /**
   * Of those, the ones inside the catalog image's outline (the design's own marks; another design
   * of the same cut matches on the outline alone). The design evidence when given, else `inliers`.
   */
  interiorInliers?: number;
  /**
   * What one light leaves unexplained of the product's colours where it lands in the photo (CIELAB
   * ΔE, 0 = all explained; see vision/light-fit.ts); null when too little of it is in view.
   */
  residual: number | null;
  /** Cosine similarity of learned embeddings, when an operator-supplied encoder is configured. */
  embedding?: number | null;
}

export const SAME_ITEM_THRESHOLDS = {
  /** Interior inliers at or above: the same physical design. */
  designInliers: 24,
  /** Below: another design. Between the two: unsure. */
  differentBelow: 20,
  /** At or below (ΔE): the same colour under some light; above: another colourway. */
  colourResidual: 11,
  /** An embedding this close lifts an unsure ORB result to `same` (only with a configured encoder). */
  embeddingSame: 0.92,
} as const;

export interface SameItemJudgement {
  verdict: SameItemVerdict;
  /** How much the photo looks like the reference, 0–1 (design × colour agreement). */
  score: number;
  /** How sure the verdict is, 0–1; below 0.5 a person should look. */
  confidence: number;
}

const clamp = (value: number) => Math.min(1, Math.max(0, value));
const round = (value: number) => Math.round(value * 100) / 100;

export function judgeSameItem(
  signals: SameItemSignals,
  thresholds = SAME_ITEM_THRESHOLDS,
): SameItemJudgement {
  const { residual } = signals;
  const inliers = signals.interiorInliers ?? signals.inliers;
  const design = clamp((inliers - thresholds.differentBelow) / 40);
  if (inliers >= thresholds.designInliers) {
    if (residual !== null && residual > thresholds.colourResidual) {
      const margin = clamp((residual - thresholds.colourResidual) / thresholds.colourResidual);
      return {
        verdict: 'other_color',
        score: round(design * 0.5),
        confidence: round(0.6 + 0.39 * margin * design),
      };
    }
    // Colour out of view (a close crop): the design matches, the colour is taken on trust.
    const colourAgreement = residual === null ? 0.8 : 1 - clamp(residual / (2 * thresholds.colourResidual));
    return {
      verdict: 'same',
      score: round(design * (0.35 + 0.65 * colourAgreement)),
      confidence: round(residual === null ? 0.6 : 0.6 + 0.39 * design * colourAgreement),
    };
  }
  if (
    signals.embedding != null &&
    signals.embedding >= thresholds.embeddingSame &&
    inliers >= thresholds.differentBelow
  ) {
    return { verdict: 'same', score: round(signals.embedding * 0.8), confidence: 0.6 };
  }
  if (inliers < thresholds.differentBelow) {
    return {
      verdict: 'different',
      score: round(inliers / 100),
      confidence: round(
        0.6 + 0.39 * clamp((thresholds.differentBelow - inliers) / thresholds.differentBelow),
      ),
    };
  }
  return { verdict: 'unsure', score: round(design * 0.6), confidence: 0.3 };
}
