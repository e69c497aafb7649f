import { attentionWarnings, normalizeJobWarnings } from '../domain/job-warnings.ts';
import { STYLE_PACK_IDS, type StylePackId } from '../domain/style-packs.ts';
import { CliError } from './api-client.ts';

/** `--style-pack` and `--min-quality`, shared by generate, poster and batch. */
export interface DesignCliOptions {
  stylePack?: string;
  minQuality?: string;
}

export const STYLE_PACK_HELP = `style pack of the studio's designs: ${STYLE_PACK_IDS.join(', ')}`;
export const MIN_QUALITY_HELP =
  'minimum quality score 0–1 per image: lower ones are made again, then the job fails';

export function designOptions(options: DesignCliOptions): { style_pack?: StylePackId; min_quality?: number } {
  const stylePack = options.stylePack as StylePackId | undefined;
  if (stylePack && !STYLE_PACK_IDS.includes(stylePack)) {
    throw new CliError(`--style-pack takes one of ${STYLE_PACK_IDS.join(', ')}`);
  }
  const minQuality = options.minQuality === undefined ? undefined : Number(options.minQuality);
  if (minQuality !== undefined && !(Number.isFinite(minQuality) && minQuality >= 0 && minQuality <= 1)) {
    throw new CliError('--min-quality takes a number from 0 to 1, e.g. 0.7');
  }
  return {
    ...(stylePack ? { style_pack: stylePack } : {}),
    ...(minQuality !== undefined ? { min_quality: minQuality } : {}),
  };
}

interface ImageWithQuality {
  quality?: { score: number; checks: Array<{ name: string; passed: boolean; detail: string }> } | null;
}

/** "quality 0.86" or "quality 0.41, failed: text_fits" for one image. */
export function qualityText(image: ImageWithQuality): string {
  if (!image.quality) return 'quality –';
  const failed = image.quality.checks.filter((check) => !check.passed).map((check) => check.name);
  return `quality ${image.quality.score.toFixed(2)}${failed.length > 0 ? `, failed: ${failed.join(', ')}` : ''}`;
}

/** The job's warnings that ask for attention, one line each, for stderr. */
export function warningLines(warnings: readonly unknown[], indent = '  '): string[] {
  return attentionWarnings(normalizeJobWarnings(warnings)).map(
    (warning) => `${indent}warning ${warning.code}: ${warning.message}`,
  );
}
