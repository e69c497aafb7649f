import { invalidRequest, notFound } from '../../domain/errors.ts';
import type { Priority } from '../../domain/job.ts';
import { type Offer, parseOffer } from '../../domain/offer.ts';
import {
  choosePosterTemplate,
  DEFAULT_POSTER_SIZE,
  type PosterMode,
  posterParams,
} from '../../domain/poster.ts';
import type { StylePackId } from '../../domain/style-packs.ts';
import type { ImageFormat } from '../../domain/template.ts';
import { assertFetchableUrl } from '../../net/url-guard.ts';
import type { ServiceDeps } from '../deps.ts';
import type { Caller, CreatedJob, GenerationService } from '../generation/generation.service.ts';
import type { GenerationRequest } from '../generation/generation-plan.ts';

type Deps = Pick<ServiceDeps, 'db' | 'templates' | 'limits'>;

/** A poster as `POST /v1/posters` and `vitrine poster` give it. */
export interface PosterRequest {
  brief: string;
  brand?: string;
  width?: number;
  height?: number;
  /** A template to fill (template-driven); without it the layout is chosen for the size (text-driven). */
  template?: string;
  product_asset_id?: string;
  product_image_url?: string;
  format?: ImageFormat;
  seed?: number;
  priority?: Priority;
  webhook_url?: string;
  metadata?: Record<string, unknown>;
  /** Variants: different designs of the same brief. */
  n?: number;
  style_pack?: StylePackId;
  min_quality?: number;
}

export interface PosterPlan {
  mode: PosterMode;
  offer: Offer;
  generation: GenerationRequest;
}

/** The engine that lays out posters: the studio, whatever provider the brand prefers for photos. */
const POSTER_PROVIDER = 'studio';

/**
 * Posters from a brief: reads the offer, picks or fills a template, and queues the render as an
 * ordinary job through the generation service, with the parsed offer in the job's metadata.
 */
export class PosterService {
  readonly #deps: Deps;
  readonly #generations: GenerationService;

  constructor(deps: Deps, generations: GenerationService) {
    this.#deps = deps;
    this.#generations = generations;
  }

  async plan(request: PosterRequest): Promise<PosterPlan> {
    const brief = request.brief.trim();
    if (!brief) throw invalidRequest('The brief is empty', [{ field: 'brief', message: 'is required' }]);
    if (request.product_asset_id && request.product_image_url) {
      throw invalidRequest('Give the product photo once', [
        { field: 'product_image_url', message: 'give product_asset_id or product_image_url, not both' },
      ]);
    }
    assertFetchableUrl(request.product_image_url, 'product_image_url', this.#deps.limits.allowPrivateUrls);
    assertFetchableUrl(request.webhook_url, 'webhook_url', this.#deps.limits.allowPrivateUrls);
    if ((request.width === undefined) !== (request.height === undefined)) {
      throw invalidRequest('Give both width and height, or neither', [
        { field: request.width === undefined ? 'width' : 'height', message: 'is required with the other' },
      ]);
    }
    const offer = parseOffer(brief);
    const mode: PosterMode = request.template ? 'template' : 'text';
    let size = request.width && request.height ? { width: request.width, height: request.height } : null;
    let templateName = request.template;
    const product = request.product_asset_id ?? request.product_image_url;
    if (!templateName) {
      size ??= { ...DEFAULT_POSTER_SIZE };
      templateName = choosePosterTemplate(size.width, size.height, offer, Boolean(product));
    }
    const template = await this.#deps.templates.find(this.#deps.db, templateName);
    if (!template) throw notFound('Template', templateName);
    const names = template.params.map((param) => param.name);
    const params = posterParams(offer, names, brief);
    if (product) {
      if (!names.includes('product_image')) {
        throw invalidRequest(`Template '${templateName}' has no product photo`, [
          { field: 'template', message: 'choose a template with a product_image param' },
        ]);
      }
      params.product_image = product;
    }
    return {
      mode,
      offer,
      generation: {
        template: templateName,
        params,
        brand: request.brand,
        n: request.n ?? 1,
        width: size?.width,
        height: size?.height,
        format: request.format,
        provider: POSTER_PROVIDER,
        seed: request.seed,
        priority: request.priority ?? 'urgent',
        cache: 'exact',
        webhook_url: request.webhook_url,
        style_pack: request.style_pack,
        min_quality: request.min_quality,
        metadata: { ...request.metadata, poster: { brief, mode, offer } },
      },
    };
  }

  async create(
    request: PosterRequest,
    caller: Caller,
    idempotencyKey?: string,
  ): Promise<CreatedJob & PosterPlan> {
    const plan = await this.plan(request);
    const created = await this.#generations.create(plan.generation, caller, idempotencyKey);
    return { ...created, ...plan };
  }
}
