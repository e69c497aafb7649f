import { AppError } from '../../domain/errors.ts';
import { layoutSchema } from '../../domain/layout.ts';
import { ensureFontsRegistered } from '../../render/fonts.ts';
import { RenderPool } from '../../render/render-pool.ts';
import type {
  GeneratedImage,
  ImageCall,
  ImageProvider,
  ImageResult,
  ProviderCapabilities,
  ProviderHealth,
  ProviderWarning,
} from '../spec.ts';

export const STUDIO_MODEL = 'studio-layout-v1';

const CAPABILITIES: ProviderCapabilities = {
  maxImagesPerCall: 4,
  seeds: true,
  negativePrompt: false,
  layouts: true,
  imageInput: true,
  formats: ['png', 'jpeg', 'webp'],
  maxSide: 4096,
};

/** Lossy formats at 90: visually clean edges on text, still a fraction of the PNG size. */
const LOSSY_QUALITY = 90;

/**
 * The built-in `studio` provider: renders a template's layout offline with @napi-rs/canvas.
 * No network, no model, no cost; the seed picks a deterministic design variant.
 */
export function createStudioProvider(options: { renderProcesses?: number } = {}): ImageProvider & {
  close(): Promise<void>;
} {
  const pool = new RenderPool({ processes: options.renderProcesses ?? 0 });
  return {
    id: 'studio',
    kind: 'studio',
    defaultModel: STUDIO_MODEL,
    models: [STUDIO_MODEL],
    capabilities: CAPABILITIES,
    generate: (call, signal) => generate(pool, call, signal),
    checkHealth,
    close: () => pool.close(),
  };
}

async function generate(pool: RenderPool, call: ImageCall, signal: AbortSignal): Promise<ImageResult> {
  const layoutCall = call.layout;
  if (!layoutCall)
    throw new AppError('invalid_request', 'The studio provider renders templates; give a template');
  validateCall(call);
  // Stored templates are validated already; parsing again applies defaults to hand-built layouts.
  const parsed = layoutSchema.safeParse(layoutCall.template.layout);
  if (!parsed.success) {
    throw new AppError('invalid_request', `Template '${layoutCall.template.name}' has an invalid layout`, {
      details: {
        issues: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })),
      },
    });
  }

  const warnings: ProviderWarning[] = [];
  if (call.negativePrompt.trim() !== '') {
    warnings.push({
      type: 'unsupported',
      feature: 'negative_prompt',
      details: 'The studio renders layouts; a negative prompt has nothing to steer',
    });
  }

  const images: GeneratedImage[] = [];
  for (const [index, seed] of call.seeds.entries()) {
    throwIfAborted(signal);
    const bytes = await pool.render({
      input: {
        layout: parsed.data,
        brand: layoutCall.brand,
        params: layoutCall.params,
        images: layoutCall.images,
        width: call.width,
        height: call.height,
        seed,
      },
      format: call.format,
      quality: LOSSY_QUALITY,
    });
    images.push({ bytes, format: call.format, seed });
    call.onProgress?.((index + 1) / call.seeds.length);
  }
  throwIfAborted(signal);
  return { images, warnings, model: STUDIO_MODEL, costUsd: 0 };
}

function validateCall(call: ImageCall) {
  const problems: string[] = [];
  if (call.model !== '' && call.model !== STUDIO_MODEL) problems.push(`unknown model '${call.model}'`);
  if (call.seeds.length === 0) problems.push('no seeds: nothing to render');
  if (call.seeds.length > CAPABILITIES.maxImagesPerCall) {
    problems.push(`${call.seeds.length} images asked, at most ${CAPABILITIES.maxImagesPerCall} per call`);
  }
  for (const [name, side] of [
    ['width', call.width],
    ['height', call.height],
  ] as const) {
    if (!Number.isInteger(side) || side < 16 || side > CAPABILITIES.maxSide) {
      problems.push(`${name} ${side} is outside 16..${CAPABILITIES.maxSide}`);
    }
  }
  if (problems.length > 0)
    throw new AppError('invalid_request', `Studio cannot render this call: ${problems.join('; ')}`);
}

function throwIfAborted(signal: AbortSignal) {
  if (signal.aborted) {
    throw new AppError('canceled', 'The studio render was canceled', {
      retryable: false,
      cause: signal.reason,
    });
  }
}

async function checkHealth(_signal: AbortSignal): Promise<ProviderHealth> {
  const checkedAt = new Date().toISOString();
  try {
    const fonts = ensureFontsRegistered();
    return { ok: true, message: `${fonts.family}: ${fonts.files} font files registered`, checkedAt };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `Fonts could not be registered: ${reason}`, checkedAt };
  }
}
