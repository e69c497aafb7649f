import { z } from 'zod';
import type { ImageFormat } from '../../domain/template.ts';
import { fitFreeSize, nearestAspectRatio, type Size } from '../sizes.ts';
import type { ImageCall } from '../spec.ts';

/**
 * InvokeModel bodies per model family on Bedrock, and their minimal answer schemas. Pure: the
 * provider sends them through the AWS SDK.
 */

export type BedrockFamily = 'stability' | 'titan' | 'nova';

export function familyOf(modelId: string): BedrockFamily {
  // Cross-region inference profiles prefix the id: "us.amazon.nova-canvas-v1:0".
  const bare = modelId.replace(/^(us|eu|apac|global)\./, '');
  if (bare.startsWith('stability.')) return 'stability';
  if (bare.startsWith('amazon.titan-image')) return 'titan';
  return 'nova';
}

export interface FamilyRules {
  maxImagesPerCall: number;
  maxSeed: number;
  formats: readonly ImageFormat[];
  acceptsInputImage: boolean;
}

export function rulesForFamily(family: BedrockFamily, modelId = ''): FamilyRules {
  if (family === 'stability') {
    return {
      maxImagesPerCall: 1,
      maxSeed: 4_294_967_294,
      formats: ['png', 'jpeg'],
      acceptsInputImage: modelId.includes('sd3'),
    };
  }
  // Titan and Nova draw up to 5 images per request, all from the one seed.
  return {
    maxImagesPerCall: 5,
    maxSeed: family === 'nova' ? 858_993_459 : 2_147_483_646,
    formats: ['png'],
    acceptsInputImage: false,
  };
}

/** Nova Canvas: sides 320–4096 in steps of 16, ratio within 1:4..4:1, under 4.19 MP. */
export const NOVA_SIZE_BOUNDS = { minSide: 320, maxSide: 4096, maxPixels: 4_194_304, step: 16, maxRatio: 4 };
/** Titan Image v2: its documented sizes are multiples of 64 between 320 and 1408, about 1 MP at most. */
export const TITAN_SIZE_BOUNDS = {
  minSide: 384,
  maxSide: 1408,
  maxPixels: 1_048_576,
  step: 64,
  maxRatio: 2.5,
};

/** Aspect ratios of Stability models on Bedrock (the same list as Stability's own API). */
export const BEDROCK_STABILITY_RATIOS = ['16:9', '1:1', '21:9', '2:3', '3:2', '4:5', '5:4', '9:16', '9:21'];

export function bedrockSizeFor(family: BedrockFamily, asked: Size): Size {
  return fitFreeSize(asked, family === 'titan' ? TITAN_SIZE_BOUNDS : NOVA_SIZE_BOUNDS);
}

/** The body of one InvokeModel call asking for `count` images starting at `seed`. */
export function buildBedrockBody(
  modelId: string,
  call: ImageCall,
  request: { seed: number; count: number; format: ImageFormat; cfgScale?: number },
): Record<string, unknown> {
  const family = familyOf(modelId);
  const seed = request.seed % (rulesForFamily(family).maxSeed + 1);
  const negative = call.negativePrompt.trim();
  if (family === 'stability') {
    const body: Record<string, unknown> = { prompt: call.prompt };
    if (modelId.includes('sd3')) body.mode = call.inputImage ? 'image-to-image' : 'text-to-image';
    if (call.inputImage) {
      body.image = Buffer.from(call.inputImage.bytes).toString('base64');
      body.strength = call.inputImage.strength;
    } else {
      body.aspect_ratio = nearestAspectRatio(call, BEDROCK_STABILITY_RATIOS);
    }
    body.output_format = request.format;
    body.seed = seed;
    if (negative !== '') body.negative_prompt = negative;
    return body;
  }
  const size = bedrockSizeFor(family, call);
  const textToImageParams: Record<string, unknown> = { text: call.prompt };
  // Both models reject an empty negativeText, so it is sent only when there is one.
  if (negative !== '') textToImageParams.negativeText = negative;
  const imageGenerationConfig: Record<string, unknown> = {
    numberOfImages: request.count,
    width: size.width,
    height: size.height,
    seed,
  };
  if (request.cfgScale !== undefined) imageGenerationConfig.cfgScale = request.cfgScale;
  return { taskType: 'TEXT_IMAGE', textToImageParams, imageGenerationConfig };
}

export const stabilityAnswerSchema = z.object({
  seeds: z.array(z.union([z.number(), z.string()])).optional(),
  finish_reasons: z.array(z.string().nullable()).optional(),
  images: z.array(z.string()).optional(),
});

export const titanNovaAnswerSchema = z.object({
  images: z.array(z.string()).optional(),
  error: z.string().nullish(),
});
