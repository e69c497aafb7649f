import sharp from 'sharp';

/**
 * An edit mask in OpenAI's convention (a PNG whose transparent pixels are where the model may
 * paint) as the black-and-white mask inpainting APIs such as Stability's take: white = paint at full
 * strength, black = keep. Partial transparency becomes grey (partial strength).
 */
export async function inpaintMaskFromAlpha(openaiMask: Uint8Array): Promise<Uint8Array> {
  const alpha = await sharp(openaiMask).ensureAlpha().extractChannel('alpha').negate().png().toBuffer();
  return new Uint8Array(alpha);
}
