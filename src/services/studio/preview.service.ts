import { type BrandKit, brandKitSchema } from '../../domain/brand.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import type { ImageQuality } from '../../domain/quality.ts';
import { type SampleLanguage, sampleParams } from '../../domain/template-samples.ts';
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
/** Thumbnails kept in memory (a few kB each): the gallery's templates × packs × brands × languages. */
const THUMBNAIL_CACHE_SIZE = 400;

export interface ThumbnailRequest {
  template: string;
  brand?: string;
  style_pack?: string;
  language: SampleLanguage;
  /** The longer side in pixels. */
  size: number;
}

/**
 * One template drawn by the studio engine, right away and stored nowhere: no job, no queue, no
 * cost. The web studio shows it while a brand is edited or a CSV's columns are mapped.
 */
export class PreviewService {
  readonly #deps: Deps;
  /** Least recently used first; keyed by the template's and the brand's versions, so edits show. */
  readonly #thumbnails = new Map<string, Uint8Array>();

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  /**
   * A template drawn small with sample texts in `language`, for the studio's gallery: the same
   * engine as a preview, remembered until the template or the brand changes.
   */
  async thumbnail(request: ThumbnailRequest, signal: AbortSignal): Promise<Uint8Array> {
    const { db } = this.#deps;
    const [template, brand] = await Promise.all([
      this.#deps.templates.find(db, request.template),
      this.#deps.brands.find(db, request.brand ?? 'default'),
    ]);
    if (!template) throw notFound('Template', request.template);
    if (!brand) throw notFound('Brand', request.brand ?? 'default');
    const key = JSON.stringify([
      template.name,
      template.version,
      brand.slug,
      brand.version,
      request.style_pack ?? '',
      request.language,
      request.size,
    ]);
    const cached = this.#thumbnails.get(key);
    if (cached) {
      this.#thumbnails.delete(key);
      this.#thumbnails.set(key, cached);
      return cached;
    }
    const scale = request.size / Math.max(template.width, template.height);
    const preview = await this.render(
      {
        template: template.name,
        brand: brand.slug,
        params: sampleParams(template.name, template.params, request.language),
        width: Math.max(64, Math.round(template.width * scale)),
        height: Math.max(64, Math.round(template.height * scale)),
        seed: 1,
        style_pack: request.style_pack,
      },
      signal,
    );
    this.#thumbnails.set(key, preview.bytes);
    if (this.#thumbnails.size > THUMBNAIL_CACHE_SIZE) {
      this.#thumbnails.delete(this.#thumbnails.keys().next().value!);
    }
    return preview.bytes;
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
