/**
 * Quality is data (architecture, second wave): every image carries a score and the checks behind
 * it, and a job carries the warnings a person should see. The API shows them as
 * `images[].quality` and `warnings`; the CLI, batch manifests, webhooks and the studio show the
 * same values. A check that cannot fail is a defect.
 */

/** One named check of one image. `passed: false` means the image is not fit to publish as it is. */
export interface QualityCheck {
  /** Stable machine name: `text_fits`, `contrast`, `emoji_glyphs`, `cutout_whole`, `amazon_main`… */
  name: string;
  passed: boolean;
  /** What was measured, in words a shop's designer understands ("headline 18 px, floor 41 px"). */
  detail: string;
}

/** The quality of one image: a 0..1 score, the parts it is made of, and the checks. */
export interface ImageQuality {
  /** 0..1, higher is better; how it is computed is documented in docs/quality.md. */
  score: number;
  /** The named components of the score (0..1 each), e.g. `{overlap: 1, readability: 0.8}`. */
  parts: Record<string, number>;
  checks: QualityCheck[];
}

/** A warning on a job, shown wherever the job is shown. */
export interface JobWarning {
  /** Stable machine name, e.g. `text_below_floor`, `cutout_low_confidence`, `no_image_model`. */
  code: string;
  message: string;
  /** The image (0-based position in the job) the warning is about, when it is about one. */
  image?: number;
}

/** Whether every check passed. */
export function qualityPassed(quality: ImageQuality): boolean {
  return quality.checks.every((check) => check.passed);
}
