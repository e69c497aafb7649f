import type { ImageQuality, QualityCheck } from '../domain/quality.ts';
import { MIN_TEXT_CONTRAST } from './colors.ts';
import { codePointLabel } from './font-coverage.ts';
import type { RenderedText } from './text-layers.ts';

/** What every render checks of its texts; recorded on the job as the `layout_checks` note. */
export interface LayoutChecks {
  ok: boolean;
  /** One sentence per failed check, naming the layer's param. */
  problems: string[];
  /** The lowest text contrast on the image (null when it has no text). */
  min_contrast: number | null;
  /** How many texts needed a scrim (over a photo) to stay legible. */
  scrims: number;
  texts: Array<{
    param: string;
    role: string;
    font_size: number;
    floor: number;
    lines: number;
    contrast: number;
    inside: boolean;
  }>;
  /** Texts that did not fit whole at their floor: drawn at the floor, cut with an ellipsis. */
  below_floor: Array<{ param: string; characters: number; needed_size: number; floor: number }>;
  /** Characters no bundled font has a glyph for (left out of the drawing). */
  missing_glyphs: Array<{ param: string; character: string; code_point: string }>;
}

const px = (value: number) => `${Math.round(value)} px`;

/**
 * Checks the texts as drawn: each inside its box and the canvas, nothing cut with an ellipsis
 * (text never shrinks below its role's floor: a text that needs less fails `text_floor`), every
 * character with a glyph, and a contrast of at least 4.5:1 against the pixels under it.
 */
export function checkTexts(texts: readonly RenderedText[]): LayoutChecks {
  const problems: string[] = [];
  const belowFloor: LayoutChecks['below_floor'] = [];
  const missing: LayoutChecks['missing_glyphs'] = [];
  for (const text of texts) {
    if (text.overflow) {
      const needed = text.neededSize ?? 0;
      belowFloor.push({
        param: text.param,
        characters: text.characters,
        needed_size: Math.floor(needed * 10) / 10,
        floor: Math.round(text.floor * 10) / 10,
      });
      problems.push(
        `${text.param}: too long for its box at its floor (${px(text.floor)}); ${text.characters} characters need ${needed > 0 ? px(Math.floor(needed)) : 'less than 1 px'}; cut with …`,
      );
    } else if (!text.inside) problems.push(`${text.param}: a line runs outside its box`);
    if (text.contrast < MIN_TEXT_CONTRAST) {
      problems.push(`${text.param}: contrast ${text.contrast.toFixed(2)}:1 is below ${MIN_TEXT_CONTRAST}:1`);
    }
    for (const character of text.missingGlyphs) {
      const codePoint = codePointLabel(character.codePointAt(0)!);
      missing.push({ param: text.param, character, code_point: codePoint });
      problems.push(`${text.param}: ${codePoint} ${character} has no glyph in the bundled fonts; left out`);
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
      role: text.role,
      font_size: Math.round(text.fontSize * 10) / 10,
      floor: Math.round(text.floor * 10) / 10,
      lines: text.lines.length,
      contrast: Math.round(text.contrast * 100) / 100,
      inside: text.inside,
    })),
    below_floor: belowFloor,
    missing_glyphs: missing,
  };
}

/**
 * The checks as a quality record: `text_fits`, `text_floor`, `contrast` and `emoji_glyphs`, the
 * score the mean of the fit, floor, contrast and glyph parts (docs/quality.md).
 */
export function qualityFromChecks(checks: LayoutChecks): ImageQuality {
  const fits = checks.texts.every((text) => text.inside) && checks.below_floor.length === 0;
  const floorOk = checks.below_floor.length === 0;
  const glyphsOk = checks.missing_glyphs.length === 0;
  const contrastOk = checks.min_contrast === null || checks.min_contrast >= MIN_TEXT_CONTRAST;
  const parts = {
    fit: fits ? 1 : 0,
    floor: floorOk ? 1 : 0,
    contrast: checks.min_contrast === null ? 1 : Math.min(1, checks.min_contrast / MIN_TEXT_CONTRAST),
    glyphs: glyphsOk ? 1 : 0,
  };
  const values = Object.values(parts);
  const outside = checks.texts.filter((text) => !text.inside).map((text) => text.param);
  const smallest = [...checks.texts].sort((a, b) => a.font_size / a.floor - b.font_size / b.floor)[0];
  const result: QualityCheck[] = [
    {
      name: 'text_fits',
      passed: fits,
      detail: fits
        ? 'every text inside its box'
        : [
            ...checks.below_floor.map((text) => `${text.param}: cut with … at its floor`),
            ...outside
              .filter((param) => !checks.below_floor.some((text) => text.param === param))
              .map((param) => `${param}: a line runs outside its box`),
          ].join('; '),
    },
    {
      name: 'text_floor',
      passed: floorOk,
      detail: floorOk
        ? smallest
          ? `every text at or above its floor (closest: ${smallest.param} ${px(smallest.font_size)}, floor ${px(smallest.floor)})`
          : 'no text'
        : checks.below_floor
            .map(
              (text) =>
                `${text.param}: ${text.characters} characters need ${text.needed_size > 0 ? px(Math.floor(text.needed_size)) : 'less than 1 px'}, floor ${px(text.floor)}`,
            )
            .join('; '),
    },
    {
      name: 'contrast',
      passed: contrastOk,
      detail: contrastOk
        ? `lowest text contrast ${checks.min_contrast ?? '–'}:1 (at least ${MIN_TEXT_CONTRAST}:1)`
        : checks.texts
            .filter((text) => text.contrast < MIN_TEXT_CONTRAST)
            .map((text) => `${text.param}: contrast ${text.contrast}:1, below ${MIN_TEXT_CONTRAST}:1`)
            .join('; '),
    },
    {
      name: 'emoji_glyphs',
      passed: glyphsOk,
      detail: glyphsOk
        ? 'every character has a glyph'
        : checks.missing_glyphs
            .map((glyph) => `${glyph.param}: ${glyph.code_point} ${glyph.character} has no glyph; left out`)
            .join('; '),
    },
  ];
  return {
    score: Math.round((values.reduce((sum, value) => sum + value, 0) / values.length) * 1000) / 1000,
    parts,
    checks: result,
  };
}
