import type { RenderReport } from '../../render/layout-renderer.ts';
import type { ProviderWarning } from '../spec.ts';

/** Enlarged more than this, a product photo looks soft in the image. */
const MAX_UPSCALE = 1.5;

/**
 * What a shop should hear about the product photo it sent: too small for the output, cropped at
 * the photo's edge, several objects, or already transparent (used as it is).
 */
export function photoIntakeNotes(report: RenderReport | undefined): ProviderWarning[] {
  const cutout = report?.cutout;
  if (!cutout) return [];
  const { intake } = cutout;
  const notes: ProviderWarning[] = [];
  const note = (topic: string, message: string, attention: boolean, data: Record<string, unknown> = {}) =>
    notes.push({ type: 'note', topic, message, attention, data });
  if (intake.alreadyTransparent) {
    note(
      'photo_transparent',
      'the product photo has its own transparency: used as it is, not cut again',
      false,
    );
  }
  const scale = report?.productScale ?? null;
  if (scale !== null && scale > MAX_UPSCALE) {
    const needed = Math.ceil(Math.max(intake.width, intake.height) * scale);
    note(
      'photo_too_small',
      `the product photo (${intake.width}×${intake.height}) is enlarged ${scale.toFixed(1)}× to fill its place and will look soft; send one at least ${needed} px on its longer side`,
      true,
      { width: intake.width, height: intake.height, scale: Math.round(scale * 100) / 100 },
    );
  }
  if (intake.touchesFrame > 0.04) {
    note(
      'photo_cropped',
      `the product runs off the photo's edge (${Math.round(intake.touchesFrame * 100)}% of its outline): it was cropped when shot and will show a straight cut`,
      true,
      { touches_frame: Math.round(intake.touchesFrame * 1000) / 1000 },
    );
  }
  if (intake.otherObjects > 0) {
    note(
      'photo_several_objects',
      `the product photo shows ${intake.otherObjects + 1} separate objects; only the largest is used`,
      true,
      { objects: intake.otherObjects + 1 },
    );
  }
  return notes;
}
