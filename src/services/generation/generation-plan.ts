import { randomInt } from 'node:crypto';
import type { Brand } from '../../domain/brand.ts';
import { AppError, type FieldIssue, invalidRequest, notFound } from '../../domain/errors.ts';
import { MAX_SEED, type Priority } from '../../domain/job.ts';
import { combineNegativePrompts, fillPromptPattern, styleFreePrompt } from '../../domain/prompt.ts';
import type { DesignOptions } from '../../domain/quality.ts';
import type { StylePackId } from '../../domain/style-packs.ts';
import { type StyleId, stylePreset } from '../../domain/style-presets.ts';
import type { ImageFormat, Template } from '../../domain/template.ts';
import { assertFetchableUrl, fetchableUrlIssue } from '../../net/url-guard.ts';
import type { ProviderCapabilities } from '../../providers/spec.ts';
import type { CatalogCache } from '../brands/catalog-cache.ts';
import type { ServiceDeps } from '../deps.ts';
import { type ResolvedTarget, routeGeneration } from './provider-router.ts';

/** A generation request as the API and CLI give it, after shape validation. */
export interface GenerationRequest {
  prompt?: string;
  template?: string;
  params?: Record<string, string>;
  brand?: string;
  n: number;
  width?: number;
  height?: number;
  format?: ImageFormat;
  provider?: string;
  model?: string;
  seed?: number;
  negative_prompt?: string;
  /** A style preset: its words join the prompt and its negative prompt. */
  style?: StyleId;
  priority: Priority;
  cache: 'exact' | 'similar' | 'off';
  /** The most the caller will pay for this job (USD); routing skips providers above it. */
  max_cost_usd?: number;
  /** The studio's style pack for this job; absent: the template's default pack. */
  style_pack?: StylePackId;
  /** 0..1: images scoring below are made again, then fail the job (docs/quality.md). */
  min_quality?: number;
  /** An uploaded asset the image model edits (a prompt, no template; providers with image input). */
  input_image?: string;
  /** An uploaded asset whose transparent pixels mark where the edit may paint (with `input_image`). */
  input_mask?: string;
  webhook_url?: string;
  metadata?: Record<string, unknown>;
}

/** Everything a job needs to run, resolved from the request, the template and the brand. */
export interface GenerationPlan {
  prompt: string;
  negativePrompt: string;
  template: Template | null;
  brand: Brand;
  params: Record<string, string>;
  providerId: string;
  model: string;
  /** Where the job may move when its provider is failing (from the routing rule). */
  fallback: ResolvedTarget[];
  estimatedCostUsd: number;
  width: number;
  height: number;
  format: ImageFormat;
  seed: number;
  /** The design options the job keeps (style pack, minimum quality). */
  options: DesignOptions;
}

/** The columns of a job that its plan decides (the rest come from the request or the batch). */
export function jobColumnsFromPlan(plan: GenerationPlan) {
  return {
    prompt: plan.prompt,
    negative_prompt: plan.negativePrompt,
    template: plan.template?.name ?? null,
    template_version: plan.template?.version ?? null,
    brand: plan.brand.slug,
    brand_version: plan.brand.version,
    provider: plan.providerId,
    model: plan.model,
    width: plan.width,
    height: plan.height,
    format: plan.format,
    params: plan.params,
    seed: plan.seed,
    fallback: plan.fallback,
    options: plan.options,
  };
}

/** The variables that configure an image model, named by the no-model error. */
export const IMAGE_MODEL_VARIABLES = [
  'OPENAI_API_KEY',
  'STABILITY_API_KEY',
  'BEDROCK_REGION',
  'COMFYUI_URL',
  'A1111_URL',
] as const;

/**
 * A prompt-only request with no image model configured: 422 naming what to set. The studio's
 * typographic card of the text is made only when asked for (`provider: "studio"`).
 */
export function noImageModel(): AppError {
  return new AppError(
    'unprocessable',
    `No image model is configured, so a prompt cannot be turned into an image. Set one of ${IMAGE_MODEL_VARIABLES.join(', ')} (or providers in VITRINE_CONFIG) and restart; or ask for the studio's typographic card of the text with provider "studio", or use a template.`,
    {
      details: {
        reason: 'no_image_model',
        variables: [...IMAGE_MODEL_VARIABLES, 'VITRINE_CONFIG'],
        issues: [
          {
            field: 'prompt',
            message: 'needs an image model; or set provider to "studio" for a typographic card',
          },
        ],
      },
    },
  );
}

/** Used when the studio engine is asked for a plain prompt: the prompt becomes the card's title. */
export const PROMPT_CARD_TEMPLATE = 'text_card';
const MAX_PIXELS_PER_IMAGE = 4096 * 4096;
const URL_PATTERN = /^https?:\/\//i;

export async function planGeneration(
  deps: Pick<ServiceDeps, 'db' | 'brands' | 'templates' | 'providers' | 'assets' | 'limits'> & {
    /** Current templates and brands held in memory (brands/catalog-cache.ts); absent, both are read. */
    catalog?: Pick<CatalogCache, 'current'>;
  },
  request: GenerationRequest,
): Promise<GenerationPlan> {
  if (!request.prompt?.trim() && !request.template) {
    throw invalidRequest('Give a prompt or a template', [
      { field: 'prompt', message: 'prompt or template is required' },
    ]);
  }
  assertFetchableUrl(request.webhook_url, 'webhook_url', deps.limits.allowPrivateUrls);
  const brandSlug = request.brand ?? 'default';
  let templateName = request.template;
  const current = deps.catalog
    ? await deps.catalog.current(templateName ?? null, brandSlug)
    : {
        brand: await deps.brands.find(deps.db, brandSlug),
        template: templateName ? await deps.templates.find(deps.db, templateName) : null,
      };
  const { brand } = current;
  if (!brand) throw notFound('Brand', brandSlug);
  let { template } = current;
  if (templateName && !template) throw notFound('Template', templateName);
  const route = routeGeneration(deps.providers, {
    provider: request.provider,
    model: request.model,
    template: templateName ?? null,
    brand,
    priority: request.priority,
    n: request.n,
    width: request.width ?? template?.width ?? 1024,
    height: request.height ?? template?.height ?? 1024,
    maxCostUsd: request.max_cost_usd,
  });
  const providerId = route.provider;
  const provider = deps.providers.get(providerId);

  if (request.input_image) await checkEditInputs(deps, request, providerId, provider.capabilities);

  let params = { ...(request.params ?? {}) };
  if (!templateName && provider.capabilities.layouts && route.reason === 'default') {
    // No pretending: a prompt is not printed as a headline unless the caller asks for the card.
    throw noImageModel();
  }
  if (!templateName && provider.capabilities.layouts) {
    templateName = PROMPT_CARD_TEMPLATE;
    params = { title: request.prompt?.trim() ?? '' };
    template = await deps.templates.find(deps.db, templateName);
    if (!template) throw notFound('Template', templateName);
  }
  if (template) await validateParams(deps, template, params);

  const width = request.width ?? template?.width ?? 1024;
  const height = request.height ?? template?.height ?? 1024;
  const sizeIssues: FieldIssue[] = [];
  for (const [field, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    // Image models' answers are cropped and scaled to the asked size; a layout engine draws it.
    if (provider.capabilities.layouts && value > provider.capabilities.maxSide) {
      sizeIssues.push({
        field,
        message: `at most ${provider.capabilities.maxSide} for provider ${providerId}`,
      });
    }
  }
  if (width * height > MAX_PIXELS_PER_IMAGE) {
    sizeIssues.push({
      field: 'width',
      message: `width × height must be at most ${MAX_PIXELS_PER_IMAGE} pixels`,
    });
  }
  if (sizeIssues.length > 0) throw invalidRequest('The asked size is not possible', sizeIssues);

  const userPrompt = request.prompt?.trim() ?? '';
  const style = request.style ? stylePreset(request.style) : null;
  const prompt = [
    template
      ? [fillPromptPattern(template.prompt_pattern, params, brand), request.template ? userPrompt : '']
          .filter(Boolean)
          .join(', ')
      : styleFreePrompt(userPrompt, brand),
    style?.prompt,
  ]
    .filter(Boolean)
    .join(', ');
  return {
    prompt,
    negativePrompt: combineNegativePrompts(
      template?.negative_prompt,
      brand.negative_prompt,
      style?.negative,
      request.negative_prompt,
    ),
    template,
    brand,
    params,
    providerId,
    model: route.model,
    fallback: route.fallback,
    estimatedCostUsd: route.estimatedCostUsd,
    width,
    height,
    format: request.format ?? template?.format ?? 'png',
    seed: request.seed ?? randomInt(0, MAX_SEED + 1),
    options: {
      ...(request.style_pack ? { style_pack: request.style_pack } : {}),
      ...(request.min_quality !== undefined ? { min_quality: request.min_quality } : {}),
      ...(request.input_image ? { input_image: request.input_image } : {}),
      ...(request.input_mask ? { input_mask: request.input_mask } : {}),
    },
  };
}

/**
 * An edit (`input_image`): a prompt for an image model that takes an input image, both assets
 * stored. A layout engine or a text-to-image-only model cannot edit: 422 naming who can.
 */
async function checkEditInputs(
  deps: Pick<ServiceDeps, 'db' | 'assets' | 'providers'>,
  request: GenerationRequest,
  providerId: string,
  capabilities: ProviderCapabilities,
): Promise<void> {
  if (request.template) {
    throw invalidRequest('An edit takes a prompt, not a template', [
      { field: 'template', message: 'not allowed with input_image' },
    ]);
  }
  for (const [field, id] of [
    ['image', request.input_image],
    ['mask', request.input_mask],
  ] as const) {
    if (id && !(await deps.assets.findById(deps.db, id))) {
      throw new AppError('not_found', `Asset '${id}' was not found (${field})`, {
        details: { issues: [{ field, message: 'is not a stored asset' }] },
      });
    }
  }
  const canEdit = capabilities.imageInput || (request.input_mask !== undefined && capabilities.inputMask);
  if (!canEdit || capabilities.layouts) {
    const able = deps.providers.ids().filter((id) => {
      const other = deps.providers.get(id).capabilities;
      return other.imageInput && !other.layouts;
    });
    throw new AppError(
      'unprocessable',
      `Provider '${providerId}' cannot edit an image; ${able.length > 0 ? `use ${able.join(', ')}` : 'configure an image model that takes an input image (OpenAI, Stability, ComfyUI, Automatic1111)'}`,
      { details: { issues: [{ field: 'model', message: 'needs a provider that takes an input image' }] } },
    );
  }
}

async function validateParams(
  deps: Pick<ServiceDeps, 'db' | 'assets' | 'limits'>,
  template: Template,
  params: Record<string, string>,
): Promise<void> {
  const issues: FieldIssue[] = [];
  const known = new Map(template.params.map((param) => [param.name, param]));
  for (const name of Object.keys(params)) {
    if (!known.has(name)) {
      issues.push({ field: `params.${name}`, message: `not a param of template ${template.name}` });
    }
  }
  for (const param of template.params) {
    const value = params[param.name]?.trim() ?? '';
    if (!value) {
      if (param.required) issues.push({ field: `params.${param.name}`, message: 'is required' });
      delete params[param.name];
      continue;
    }
    params[param.name] = value;
    if (value.length > param.max_length) {
      issues.push({
        field: `params.${param.name}`,
        message: `must be at most ${param.max_length} characters`,
      });
    }
    if (param.kind === 'image' && URL_PATTERN.test(value)) {
      const issue = fetchableUrlIssue(value, `params.${param.name}`, deps.limits.allowPrivateUrls);
      if (issue) issues.push(issue);
    } else if (param.kind === 'image') {
      const asset = await deps.assets.findById(deps.db, value);
      if (!asset)
        issues.push({ field: `params.${param.name}`, message: 'must be an asset id or an http(s) URL' });
    }
  }
  if (issues.length > 0) {
    const listed = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
    throw invalidRequest(`Invalid params for template ${template.name}: ${listed}`, issues);
  }
}
