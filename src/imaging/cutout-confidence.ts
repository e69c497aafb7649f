import type { BackdropModel } from './cutout-backdrop.ts';
import type { MaskAnalysis } from './cutout-mask.ts';

/**
 * How far a cut-out can be trusted, and why, from what the segmentation measured. `low` means the
 * cut-out must not be shown as a cut-out (the layout frames the photo instead, or the image fails
 * its check); `medium` is usable but worth a look; `high` needs no one.
 */
export interface CutoutConfidence {
  level: 'high' | 'medium' | 'low';
  /** 0..1: the product of the penalties below. */
  score: number;
  /** The reasons, in words a shop understands; for `high`, what made it clean. */
  reasons: string[];
}

export function judgeCutout(analysis: MaskAnalysis, model: BackdropModel): CutoutConfidence {
  const low: string[] = [];
  const medium: string[] = [];
  let score = 1;
  const percent = (value: number) => `${Math.round(value * 100)}%`;

  if (model.borderCovered > 0.45) {
    low.push(`no clear backdrop: ${percent(model.borderCovered)} of the photo's border is not plain`);
    score *= 0.3;
  } else if (model.borderCovered > 0.2) {
    medium.push(`the product or other things cover ${percent(model.borderCovered)} of the photo's border`);
    score *= 0.8;
  }
  if (model.noise > 4) {
    low.push(`the backdrop is textured (noise ΔE ${model.noise.toFixed(1)})`);
    score *= 0.4;
  }
  if (analysis.foreground < 0.01) {
    low.push(`almost nothing stands out from the backdrop (${percent(analysis.foreground)} of the photo)`);
    score *= 0.1;
  } else if (analysis.foreground > 0.9) {
    low.push(
      `the product seems to fill the whole photo (${percent(analysis.foreground)}): no backdrop to remove`,
    );
    score *= 0.3;
  }
  if (analysis.edgeContrast < 2.5) {
    low.push(
      `the outline is barely distinguishable from the backdrop (ΔE ${analysis.edgeContrast.toFixed(1)})`,
    );
    score *= 0.4;
  } else if (analysis.edgeContrast < 5) {
    medium.push(
      `faint outline (ΔE ${analysis.edgeContrast.toFixed(1)} against the backdrop): check the edge`,
    );
    score *= 0.85;
  }
  if (analysis.droppedPieces > 0) {
    const what = analysis.droppedPieces === 1 ? 'another object' : `${analysis.droppedPieces} other objects`;
    medium.push(`${what} in the photo (${percent(analysis.droppedArea)} of it) left out; the largest kept`);
    score *= analysis.droppedArea > 0.05 ? 0.6 : 0.85;
  }
  if (analysis.touchesFrame > 0.04) {
    medium.push(
      `the product runs off the photo's edge (${percent(analysis.touchesFrame)} of its outline): it is cropped`,
    );
    score *= 0.85;
  }
  const level = low.length > 0 ? 'low' : medium.length > 0 ? 'medium' : 'high';
  const reasons = [...low, ...medium];
  if (level === 'high') {
    reasons.push(`clear outline (ΔE ${analysis.edgeContrast.toFixed(0)} against the backdrop), one piece`);
    if (analysis.joinedPieces > 0) reasons.push('parts split by a backdrop-coloured band were joined');
    if (analysis.shadow > 0.002) reasons.push('the soft shadow was left out');
  }
  return { level, score: Math.round(score * 100) / 100, reasons };
}
