import type { ImageQuality } from '../domain/quality.ts';
import { MIN_TEXT_CONTRAST } from './colors.ts';
import type { RenderedText } from './text-layers.ts';

/** What every render checks of its texts; recorded on the job as the `layout_checks` note. */
export interface LayoutChecks {
  ok: boolean;
  /** One sentence per failed check, naming the layer's param. */
  problems: string[];
  /** The lowest text contrast on the image (null when it has no text). */
  min_contrast: number | null;
  /** How many texts needed a scrim to stay legible. */
  scrims: number;
  texts: Array<{ param: string; font_size: number; lines: number; contrast: number; inside: boolean }>;
}

/**
 * Checks the texts as drawn: each inside its box and the canvas, nothing cut with an ellipsis,
 * and a contrast of at least 4.5:1 against the pixels under it.
 */
export function checkTexts(texts: readonly RenderedText[]): LayoutChecks {
  const problems: string[] = [];
  for (const text of texts) {
    if (text.overflow)
      problems.push(`${text.param}: too long for its box even at the smallest size; cut with …`);
    else if (!text.inside) problems.push(`${text.param}: a line runs outside its box`);
    if (text.contrast < MIN_TEXT_CONTRAST) {
      problems.push(`${text.param}: contrast ${text.contrast.toFixed(2)}:1 is below ${MIN_TEXT_CONTRAST}:1`);
    }
  }
  const contrasts = texts.map((text) => text.contrast);
  return {
    ok: problems.length === 0,
    problems,
    min_contrast: contrasts.length > 0 ? Math.round(Math.min(...contrasts) * 100) / 100 : null,
    scrims: texts.filter((text) => text.scrim).length,
    texts: texts.map((text) => ({
      param: text.param,
      font_size: Math.round(text.fontSize * 10) / 10,
      lines: text.lines.length,
      contrast: Math.round(text.contrast * 100) / 100,
      inside: text.inside,
    })),
  };
}

/** The checks as a quality record: `text_fits` and `contrast`, scored by the share that passed. */
export function qualityFromChecks(checks: LayoutChecks): ImageQuality {
  const fits =
    checks.texts.every((text) => text.inside) && !checks.problems.some((p) => p.includes('cut with'));
  const contrastOk = checks.min_contrast === null || checks.min_contrast >= MIN_TEXT_CONTRAST;
  const parts = {
    fit: fits ? 1 : 0,
    contrast: checks.min_contrast === null ? 1 : Math.min(1, checks.min_contrast / MIN_TEXT_CONTRAST),
  };
  return {
    score: Math.round(((parts.fit + parts.contrast) / 2) * 1000) / 1000,
    parts,
    checks: [
      {
        name: 'text_fits',
        passed: fits,
        detail: fits
          ? 'every text inside its box'
          : checks.problems.filter((problem) => !problem.includes('contrast')).join('; '),
      },
      {
        name: 'contrast',
        passed: contrastOk,
        detail: `lowest text contrast ${checks.min_contrast ?? '–'}:1 (at least ${MIN_TEXT_CONTRAST}:1)`,
      },
    ],
  };
}
