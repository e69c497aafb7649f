import type { PhotoIntake } from '../../imaging/cutout.ts';
import type { ProviderWarning } from '../../providers/spec.ts';

/** An image model working from a photo smaller than this share of the output enlarges it visibly. */
const MAX_UPSCALE = 1.5;
/** Share of the product's outline on the photo's edge from which it counts as cut off. */
const CROPPED_OUTLINE = 0.04;

/**
 * The intake warnings of a product photo an image model starts from (image-to-image): the same
 * codes as the studio engine's — `photo_too_small`, `photo_cropped`, `photo_several_objects`,
 * `photo_transparent` — so a shop hears about its photo whichever provider made the image.
 */
export function photoIntakeNotes(
  intake: PhotoIntake,
  output: { width: number; height: number },
  provider: string,
): ProviderWarning[] {
  const notes: ProviderWarning[] = [];
  const note = (topic: string, message: string, attention: boolean, data: Record<string, unknown> = {}) =>
    notes.push({ type: 'note', topic, message, attention, data: { provider, ...data } });
  if (intake.alreadyTransparent) {
    note(
      'photo_transparent',
      `the product photo has its own transparency; ${provider} receives it as it is`,
      false,
    );
  }
  const scale = Math.max(output.width / intake.width, output.height / intake.height);
  if (scale > MAX_UPSCALE) {
    const needed = Math.ceil(Math.max(intake.width, intake.height) * scale);
    note(
      'photo_too_small',
      `the product photo (${intake.width}×${intake.height}) is small for a ${output.width}×${output.height} image: ${provider} works from it enlarged ${scale.toFixed(1)}× and details will be soft; send one at least ${needed} px on its longer side`,
      true,
      { width: intake.width, height: intake.height, scale: Math.round(scale * 100) / 100 },
    );
  }
  if (intake.touchesFrame > CROPPED_OUTLINE) {
    note(
      'photo_cropped',
      `the product runs off the photo's edge (${Math.round(intake.touchesFrame * 100)}% of its outline): it was cropped when shot and the image will show it cut`,
      true,
      { touches_frame: Math.round(intake.touchesFrame * 1000) / 1000 },
    );
  }
  if (intake.otherObjects > 0) {
    note(
      'photo_several_objects',
      `the product photo shows ${intake.otherObjects + 1} separate objects; ${provider} works from all of them`,
      true,
      { objects: intake.otherObjects + 1 },
    );
  }
  return notes;
}
