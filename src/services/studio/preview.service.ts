import { type BrandKit, brandKitSchema } from '../../domain/brand.ts';
import { AppError } from '../../domain/errors.ts';
import type { ImageQuality } from '../../domain/quality.ts';
import type { ServiceDeps } from '../deps.ts';
import { planGeneration } from '../generation/generation-plan.ts';
import { loadLayoutInputs } from '../generation/layout-inputs.ts';

type Deps = Pick<
  ServiceDeps,
  'db' | 'brands' | 'templates' | 'providers' | 'assets' | 'blobs' | 'limits' | 'logger'
>;

/** Changes to a brand kit that are not saved yet: the brand screen previews them as they are typed. */
export type BrandChanges = Partial<Omit<BrandKit, 'palette' | 'fonts'>> & {
  palette?: Partial<BrandKit['palette']>;
  fonts?: Partial<BrandKit['fonts']>;
};

export interface PreviewRequest {
  template: string;
  params?: Record<string, string>;
  brand?: string;
  brand_changes?: BrandChanges;
  width?: number;
  height?: number;
  seed?: number;
  /** The studio's style pack (festive, minimal, …); absent: the template's default. */
  style_pack?: string;
}

export interface Preview {
  bytes: Uint8Array;
  /** Failed quality checks and engine notes as the job would record them (text fit, contrast, cut-out). */
  notes: string[];
  /** The image's quality as the job would store it (without the service's own checks). */
  quality: ImageQuality | null;
}

/** The studio engine draws at most this many pixels for a preview; a larger template is scaled down. */
const MAX_PREVIEW_SIDE = 1600;

/**
 * One template drawn by the studio engine, right away and stored nowhere: no job, no queue, no
 * cost. The web studio shows it while a brand is edited or a CSV's columns are mapped.
 */
export class PreviewService {
  readonly #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  async render(request: PreviewRequest, signal: AbortSignal): Promise<Preview> {
    const plan = await planGeneration(this.#deps, {
      template: request.template,
      params: request.params,
      brand: request.brand,
      width: request.width,
      height: request.height,
      seed: request.seed,
      provider: 'studio',
      n: 1,
      priority: 'normal',
      cache: 'off',
    });
    if (!plan.template) throw new AppError('invalid_request', 'A preview needs a template');
    const changes = request.brand_changes ?? {};
    const brand = {
      ...plan.brand,
      ...brandKitSchema.parse({
        ...plan.brand,
        ...changes,
        palette: { ...plan.brand.palette, ...changes.palette },
        fonts: { ...plan.brand.fonts, ...changes.fonts },
      }),
    };
    const layout = await loadLayoutInputs(
      this.#deps,
      plan.template,
      brand,
      plan.params,
      signal,
      request.style_pack,
    );
    const scale = Math.min(1, MAX_PREVIEW_SIDE / Math.max(plan.width, plan.height));
    const result = await this.#deps.providers.get('studio').generate(
      {
        prompt: plan.prompt,
        negativePrompt: '',
        model: plan.model,
        width: Math.round(plan.width * scale),
        height: Math.round(plan.height * scale),
        format: 'png',
        seeds: [plan.seed],
        layout,
      },
      signal,
    );
    const image = result.images[0];
    if (!image) throw new AppError('internal', 'The studio engine drew no image');
    const failed = (image.quality?.checks ?? []).filter((check) => !check.passed);
    const notes = [
      ...failed.map((check) => `${check.name}: ${check.detail}`),
      ...result.warnings.flatMap((warning) => (warning.type === 'note' ? [warning.message] : [])),
    ];
    return { bytes: image.bytes, notes, quality: image.quality ?? null };
  }
}
