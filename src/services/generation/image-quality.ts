import type { JobRecord } from '../../domain/job.ts';
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
