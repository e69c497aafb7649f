import type { JobRecord } from '../../domain/job.ts';
import type { ImageQuality, JobWarning, QualityCheck } from '../../domain/quality.ts';
import { checkGeneratedImage, convertImage, inspectImage } from '../../imaging/image.processor.ts';
import type { GeneratedImage } from '../../providers/spec.ts';

/**
 * A provider's image in the job's size and format, with the result of its quality checks.
 * `resizedFrom` names the provider's own size when it had to be cropped and scaled.
 */
export async function prepareImage(
  job: Pick<JobRecord, 'width' | 'height' | 'format'>,
  image: GeneratedImage,
  maxProviderPixels: number,
) {
  // Checked already where the pixels were, on exactly these bytes, in the job's size and format.
  const { check: made } = image;
  if (made && image.format === job.format && made.width === job.width && made.height === job.height) {
    return { bytes: image.bytes, check: made, resizedFrom: null };
  }
  const info = await inspectImage(image.bytes, maxProviderPixels);
  const exactSize = info.width === job.width && info.height === job.height;
  // Models render in their own sizes (1024×1536 for 1080×1920): crop to the asked aspect, then scale.
  const bytes =
    exactSize && image.format === job.format
      ? image.bytes
      : await convertImage(image.bytes, {
          format: job.format,
          ...(exactSize ? {} : { width: job.width, height: job.height, fit: 'cover' as const }),
        });
  const check = await checkGeneratedImage(bytes, { width: job.width, height: job.height });
  return { bytes, check, resizedFrom: exactSize ? null : `${info.width}×${info.height}` };
}

/**
 * The image's quality as stored: the provider's own (a layout engine scores its design), plus the
 * service's `image_valid` check (decodes, exact size, not one flat color) and, when the request set
 * one, `min_quality`. An image model's image has no design to score: valid means 1.
 */
export function imageQuality(
  provided: ImageQuality | undefined,
  check: { ok: boolean; problems: string[] },
  minQuality: number | undefined,
): ImageQuality {
  const valid: QualityCheck = {
    name: 'image_valid',
    passed: check.ok,
    detail: check.ok ? 'decodes, exact size, not one flat color' : check.problems.join('; '),
  };
  const base = provided ?? { score: check.ok ? 1 : 0, parts: { valid: check.ok ? 1 : 0 }, checks: [] };
  const score = check.ok ? base.score : 0;
  const checks = [...base.checks.filter((existing) => existing.name !== 'image_valid'), valid];
  if (minQuality !== undefined) {
    checks.push({
      name: 'min_quality',
      passed: score >= minQuality,
      detail: `score ${score.toFixed(2)}, the request's minimum ${minQuality.toFixed(2)}`,
    });
  }
  return { score, parts: base.parts, checks };
}

/**
 * One warning per failed check of one image, naming the image (1-based in the text). The code is
 * the check's name, except where the contract names the problem rather than the check.
 */
export function qualityWarnings(quality: ImageQuality, position: number): JobWarning[] {
  return quality.checks
    .filter((check) => !check.passed)
    .map((check) => ({
      code: WARNING_CODES[check.name] ?? check.name,
      message: `image ${position + 1}: ${check.detail}`,
      image: position,
      data: { check: check.name, score: quality.score },
    }));
}

/** `text_floor` fails when a text is below its role's floor: the warning says that. */
const WARNING_CODES: Readonly<Record<string, string>> = { text_floor: 'text_below_floor' };
