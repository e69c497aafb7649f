import type { ImageFormat } from './template.ts';

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

/**
 * The service's own check of a generated image (`image_valid`): it decodes, has exactly the asked
 * size, and is not one flat color. `width`, `height` and `format` are read from the file.
 */
export interface ImageCheck {
  ok: boolean;
  width: number;
  height: number;
  format: ImageFormat | null;
  problems: string[];
}

/** A warning on a job, shown wherever the job is shown. */
export interface JobWarning {
  /** Stable machine name, e.g. `text_below_floor`, `cutout_low_confidence`, `no_image_model`. */
  code: string;
  message: string;
  /** The image (0-based position in the job) the warning is about, when it is about one. */
  image?: number;
  /**
   * `warning` (the default) asks a person to look; `info` records what the engine decided (which
   * background was used, how a product was cut out) and is shown quietly.
   */
  level?: 'warning' | 'info';
  /** Measurements behind the message, for programs (the check's numbers, the seed, the method). */
  data?: Record<string, unknown>;
}

/** What a request may ask of the design: a style pack and a minimum quality score. */
export interface DesignOptions {
  /** A style pack id (`festive`, `minimal`, …); absent: the template's default pack. */
  style_pack?: string;
  /** 0..1: an image scoring below fails its `min_quality` check (see docs/quality.md). */
  min_quality?: number;
  /** An asset the image model edits (`POST /v1/images/edits`): a prompt-only job's input image. */
  input_image?: string;
  /** An asset whose transparent pixels are where the edit may paint (with `input_image`). */
  input_mask?: string;
}

/** The smallest score of a set of images, or null when none has a quality. */
export function lowestScore(qualities: ReadonlyArray<ImageQuality | null | undefined>): number | null {
  const scores = qualities.flatMap((quality) => (quality ? [quality.score] : []));
  return scores.length > 0 ? Math.min(...scores) : null;
}

/** Whether every check passed. */
export function qualityPassed(quality: ImageQuality): boolean {
  return quality.checks.every((check) => check.passed);
}
