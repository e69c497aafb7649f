import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type ErrorCode, invalidRequest, isAppError } from '../../domain/errors.ts';
import type { AssetService } from '../../services/assets/asset.service.ts';
import type { CatalogService } from '../../services/brands/catalog.service.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import type { GenerationService } from '../../services/generation/generation.service.ts';
import type { GenerationRequest } from '../../services/generation/generation-plan.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { readMultipart } from '../multipart.ts';
import { ASSISTANT_MODEL } from './chat-completions.routes.ts';

interface Deps {
  generations: GenerationService;
  assets: AssetService;
  catalog: CatalogService;
  data: Pick<ServiceDeps, 'db' | 'assets' | 'blobs' | 'providers'>;
}

/** When this process started: the `created` of every listed model (they exist as long as it runs). */
const startedAt = Date.now();
const IMAGES_ENDPOINT = '/v1/images/generations';

/** OpenAI answers image requests synchronously; so do we, within this bound. */
const MAX_SYNC_WAIT_MS = 10 * 60_000;

/**
 * OpenAI's Images API body. Fields OpenAI has and Vitrine has no use for (style, moderation,
 * background, output_compression) are accepted and ignored, so existing clients work unchanged;
 * `brand`, `seed`, `negative_prompt`, `params` and `priority` are Vitrine's additions.
 */
export const OpenAIImageRequestSchema = z
  .object({
    prompt: z.string().min(1).max(32_000),
    model: z.string().min(1).optional(),
    n: z.number().int().min(1).max(10).default(1),
    size: z
      .string()
      .regex(/^(auto|\d{2,5}x\d{2,5})$/, 'must be "auto" or WIDTHxHEIGHT, e.g. 1024x1024')
      .default('auto'),
    response_format: z.enum(['b64_json', 'url']).default('b64_json'),
    output_format: z.enum(['png', 'jpeg', 'webp']).optional(),
    quality: z.string().optional(),
    user: z.string().max(200).optional(),
    brand: z.string().optional(),
    seed: z.number().int().min(0).max(4_294_967_294).optional(),
    negative_prompt: z.string().max(2000).optional(),
    params: z.record(z.string(), z.string()).optional(),
    priority: z.enum(['urgent', 'normal', 'batch']).default('urgent'),
  })
  .loose()
  .openapi('OpenAIImageRequest');

const OpenAIImageResponseSchema = z
  .object({
    created: z.number().int(),
    data: z.array(
      z.object({ b64_json: z.string().optional(), url: z.string().optional(), revised_prompt: z.string() }),
    ),
  })
  .openapi('OpenAIImageResponse');

const OpenAIErrorSchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string(),
      param: z.string().nullable(),
      code: z.string().nullable(),
    }),
  })
  .openapi('OpenAIError');

/** What both image routes answer, in OpenAI's shapes. */
const imageResponses = {
  200: {
    description: 'The images',
    content: { 'application/json': { schema: OpenAIImageResponseSchema } },
  },
  400: { description: 'Invalid request', content: { 'application/json': { schema: OpenAIErrorSchema } } },
  401: { description: 'No or bad key', content: { 'application/json': { schema: OpenAIErrorSchema } } },
  429: {
    description: 'Rate limited or over budget',
    content: { 'application/json': { schema: OpenAIErrorSchema } },
  },
} as const;

const OpenAIModelListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.object({
        id: z.string(),
        object: z.literal('model'),
        created: z.number().int(),
        owned_by: z.string(),
        vitrine: z
          .object({
            kind: z.enum(['provider_model', 'provider', 'template', 'assistant']),
            endpoint: z.string(),
          })
          .openapi({ description: "Vitrine's addition: what the id names and the route that takes it" }),
      }),
    ),
  })
  .openapi('OpenAIModelList');

export function openAICompatRoutes(deps: Deps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.use('/models', requireScope('read'));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/models',
      tags: ['OpenAI-compatible'],
      summary: 'The model names this server takes, OpenAI Models API style',
      description:
        "`openai.models.list()` works: every configured provider's models as `provider/model`, each provider id, each template (all for `POST /v1/images/generations`), and `vitrine-assistant` for `POST /v1/chat/completions`.",
      responses: {
        200: {
          description: 'The models',
          content: { 'application/json': { schema: OpenAIModelListSchema } },
        },
        401: { description: 'No or bad key', content: { 'application/json': { schema: OpenAIErrorSchema } } },
      },
    }),
    async (c) => {
      const created = Math.floor(startedAt / 1000);
      const entry = (
        id: string,
        owner: string,
        kind: 'provider_model' | 'provider' | 'template' | 'assistant',
        endpoint: string,
      ) => ({ id, object: 'model' as const, created, owned_by: owner, vitrine: { kind, endpoint } });
      const providers = deps.data.providers;
      const data = [];
      for (const id of providers.ids()) {
        const provider = providers.get(id);
        data.push(entry(id, provider.kind, 'provider', IMAGES_ENDPOINT));
        for (const model of provider.models) {
          data.push(entry(`${id}/${model}`, provider.kind, 'provider_model', IMAGES_ENDPOINT));
        }
      }
      for (const template of await deps.catalog.listTemplates()) {
        data.push(entry(template.name, 'vitrine', 'template', IMAGES_ENDPOINT));
      }
      data.push(entry(ASSISTANT_MODEL, 'vitrine', 'assistant', '/v1/chat/completions'));
      return c.json({ object: 'list' as const, data }, 200);
    },
  );
  app.use('/images/generations', requireScope('generate'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/images/generations',
      tags: ['OpenAI-compatible'],
      summary: 'Create images, OpenAI Images API style',
      description:
        'Accepts an OpenAI `images.generate` body and answers in OpenAI shapes (errors included), so the official `openai` SDK can use Vitrine as its image backend (`baseURL: <vitrine>/v1`). `model` may be `provider/model`, a provider id, a model a provider offers, or a template name; unset = Vitrine routing. The job goes through the queue, brands and cost control like any other.',
      request: {
        body: { content: { 'application/json': { schema: OpenAIImageRequestSchema } }, required: true },
      },
      responses: imageResponses,
    }),
    async (c) => {
      const body = c.req.valid('json');
      const request = await toGenerationRequest(deps, body);
      return c.json(await createAndAnswer(c, deps, request, body.response_format), 200);
    },
    (result, c) => {
      if (result.success) return;
      const issue = result.error.issues[0];
      const param = issue?.path.join('.') || null;
      return c.json(
        {
          error: {
            message: `${param ?? 'body'}: ${issue?.message ?? 'invalid'}`,
            type: 'invalid_request_error',
            param,
            code: null,
          },
        },
        400,
      );
    },
  );
  app.use('/images/edits', requireScope('generate'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/images/edits',
      tags: ['OpenAI-compatible'],
      summary: 'Edit an image, OpenAI Images API style',
      description:
        "Accepts OpenAI's `images.edit` form (multipart: `image`, optional `mask` — transparent where the model may paint — `prompt`, `model`, `n`, `size`, `response_format`, `output_format`) and answers like `/v1/images/generations`. The image goes to an image model that takes an input image (OpenAI edits, Stability, ComfyUI, Automatic1111, Bedrock where the model does); the mask to those that honor one (OpenAI), others edit the whole image and the job says so. The layout engine `studio` cannot edit: 400 naming `model`. The uploads are stored as assets.",
      request: {
        body: {
          content: {
            'multipart/form-data': {
              schema: OpenAIEditFieldsSchema.extend({
                // Files: documented as binary strings, read and checked by the handler.
                image: z
                  .any()
                  .openapi({ type: 'string', format: 'binary', description: 'PNG, JPEG or WebP' }),
                mask: z.any().optional().openapi({
                  type: 'string',
                  format: 'binary',
                  description: 'PNG of the same size; transparent = edit here',
                }),
              }).openapi('OpenAIImageEditRequest'),
            },
          },
          required: true,
        },
      },
      responses: imageResponses,
    }),
    async (c) => {
      const { body, image, mask } = await readEditForm(c, deps);
      const request = await toGenerationRequest(deps, body);
      if (request.template) {
        throw invalidRequest(`The model '${body.model}' is a template: an edit needs an image model`, [
          { field: 'model', message: 'must be an image model that takes an input image' },
        ]);
      }
      return c.json(
        await createAndAnswer(
          c,
          deps,
          // An edit of this very upload: never an earlier job's images.
          { ...request, input_image: image, input_mask: mask, cache: 'off' },
          body.response_format,
        ),
        200,
      );
    },
  );
  return app;
}

/** Runs the request as a job, waits for it, and answers `{created, data}` in OpenAI's shape. */
async function createAndAnswer(
  c: Context<ApiEnv>,
  deps: Deps,
  request: GenerationRequest,
  responseFormat: 'b64_json' | 'url',
) {
  const { job } = await deps.generations.create(request, { apiKeyId: c.get('apiKey').id });
  const finished = await deps.generations.waitForFinish(job.id, MAX_SYNC_WAIT_MS, c.req.raw.signal);
  if (finished.status !== 'succeeded') {
    throw (
      (finished.error && new AppError(finished.error.code, finished.error.message)) ??
      new AppError('provider_unavailable', `The job did not finish in time; follow it at /v1/jobs/${job.id}`)
    );
  }
  const assets = await deps.data.assets.listForJobs(deps.data.db, [job.id]);
  const data = await Promise.all(
    assets.map(async (asset) => {
      if (responseFormat === 'url')
        return { url: deps.assets.signedUrl(asset.id), revised_prompt: finished.prompt };
      const { bytes } = await deps.assets.read(asset.id);
      return { b64_json: Buffer.from(bytes).toString('base64'), revised_prompt: finished.prompt };
    }),
  );
  c.header('x-request-id', c.get('requestId'));
  return { created: Math.floor(finished.created_at.getTime() / 1000), data };
}

/** The text fields of an edit, as OpenAI's multipart form sends them. */
const OpenAIEditFieldsSchema = z.object({
  prompt: z.string().min(1).max(32_000),
  model: z.string().min(1).optional(),
  n: z.coerce.number().int().min(1).max(10).default(1),
  size: z
    .string()
    .regex(/^(auto|\d{2,5}x\d{2,5})$/, 'must be "auto" or WIDTHxHEIGHT, e.g. 1024x1024')
    .default('auto'),
  response_format: z.enum(['b64_json', 'url']).default('b64_json'),
  output_format: z.enum(['png', 'jpeg', 'webp']).optional(),
  user: z.string().max(200).optional(),
  brand: z.string().optional(),
  seed: z.coerce.number().int().min(0).max(4_294_967_294).optional(),
  negative_prompt: z.string().max(2000).optional(),
  priority: z.enum(['urgent', 'normal', 'batch']).default('urgent'),
});

/** The edit's form: its files stored as assets, its fields checked (400 naming the field). */
async function readEditForm(c: Context<ApiEnv>, deps: Deps) {
  if (!(c.req.header('content-type') ?? '').startsWith('multipart/form-data')) {
    throw new AppError(
      'unsupported_media_type',
      'Send the edit as multipart/form-data: the image as `image`, optionally a `mask`, and the fields',
    );
  }
  const form = await readMultipart(c);
  const fileOf = (...names: string[]) => {
    for (const name of names) {
      const value = form.get(name);
      if (value && typeof value !== 'string') return value;
    }
    return null;
  };
  const image = fileOf('image', 'image[]');
  if (!image)
    throw invalidRequest('Attach the image to edit as `image`', [{ field: 'image', message: 'is required' }]);
  const mask = fileOf('mask');
  const fields: Record<string, string> = {};
  for (const [name, value] of form.entries()) if (typeof value === 'string') fields[name] = value;
  const parsed = OpenAIEditFieldsSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'body';
    throw invalidRequest(`${field}: ${issue.message}`, [{ field, message: issue.message }]);
  }
  const stored = async (file: File, field: string) => {
    try {
      return (await deps.assets.upload(new Uint8Array(await file.arrayBuffer()))).id;
    } catch (error) {
      if (isAppError(error) && error.code === 'image_invalid')
        throw invalidRequest(`${field}: ${error.message}`, [{ field, message: error.message }]);
      throw error;
    }
  };
  return {
    body: parsed.data,
    image: await stored(image, 'image'),
    mask: mask ? await stored(mask, 'mask') : undefined,
  };
}

/** `model` names, in order: `provider/model`, a provider, a template, a model some provider offers. */
async function toGenerationRequest(
  deps: Deps,
  body: Pick<
    z.infer<typeof OpenAIImageRequestSchema>,
    | 'prompt'
    | 'model'
    | 'n'
    | 'size'
    | 'output_format'
    | 'brand'
    | 'seed'
    | 'negative_prompt'
    | 'priority'
    | 'user'
  > & { params?: Record<string, string> },
): Promise<GenerationRequest> {
  const [width, height] = body.size === 'auto' ? [undefined, undefined] : body.size.split('x').map(Number);
  const request: GenerationRequest = {
    prompt: body.prompt,
    n: body.n,
    width,
    height,
    format: body.output_format,
    brand: body.brand,
    seed: body.seed,
    negative_prompt: body.negative_prompt,
    priority: body.priority,
    // Only a request with a seed can repeat an earlier one; then the cache answers it for free.
    cache: 'exact',
    metadata: { api: 'openai-images', ...(body.user ? { user: body.user } : {}) },
  };
  const model = body.model;
  if (!model) return request;
  const providers = deps.data.providers;
  const slash = model.indexOf('/');
  if (slash > 0 && providers.find(model.slice(0, slash))) {
    return { ...request, provider: model.slice(0, slash), model: model.slice(slash + 1) };
  }
  if (providers.find(model)) return { ...request, provider: model };
  const template = await deps.catalog.getTemplate(model).catch(() => null);
  if (template) {
    const firstText = template.params.find((param) => param.kind !== 'image');
    const params = { ...(firstText ? { [firstText.name]: body.prompt } : {}), ...(body.params ?? {}) };
    return { ...request, prompt: undefined, template: template.name, params };
  }
  if (providers.ids().some((id) => providers.get(id).models.includes(model))) return { ...request, model };
  const unconfigured = unconfiguredProvider(model, providers.ids());
  if (unconfigured) {
    const message = `The model '${model}' runs on the ${unconfigured.kind} provider, which is not configured on this server: set ${unconfigured.env}`;
    throw invalidRequest(message, [
      { field: 'model', message: `provider ${unconfigured.kind} is not configured` },
    ]);
  }
  throw invalidRequest(`The model '${model}' does not exist`, [
    {
      field: 'model',
      message: `use provider/model, a provider (${providers.ids().join(', ')}), or a template name`,
    },
  ]);
}

/** Models and provider names of the backends Vitrine knows, and what turns each on. */
const PROVIDER_KINDS: ReadonlyArray<{ kind: string; env: string; models: RegExp }> = [
  {
    kind: 'openai',
    env: 'OPENAI_API_KEY (and OPENAI_BASE_URL for a gateway)',
    models: /^(gpt-image-|dall-e-)/i,
  },
  { kind: 'stability', env: 'STABILITY_API_KEY', models: /^(sd3|stable-|core$|ultra$)/i },
  { kind: 'bedrock', env: 'BEDROCK_REGION and AWS credentials', models: /^(amazon\.|stability\.)/i },
  { kind: 'comfyui', env: 'COMFYUI_URL', models: /^$/ },
  { kind: 'a1111', env: 'A1111_URL', models: /^$/ },
];

/** The known provider a model name points to (`gpt-image-1`, `openai/gpt-image-1`) when it is not configured. */
function unconfiguredProvider(model: string, configured: readonly string[]) {
  const slash = model.indexOf('/');
  const named = slash > 0 ? model.slice(0, slash).toLowerCase() : null;
  const kind = PROVIDER_KINDS.find((entry) =>
    named ? entry.kind === named : entry.kind === model.toLowerCase() || entry.models.test(model),
  );
  if (!kind || configured.includes(kind.kind)) return null;
  return kind;
}

const OPENAI_ERROR: Record<ErrorCode, { status: ContentfulStatusCode; type: string; code: string | null }> = {
  invalid_request: { status: 400, type: 'invalid_request_error', code: null },
  not_found: { status: 404, type: 'invalid_request_error', code: 'model_not_found' },
  conflict: { status: 409, type: 'invalid_request_error', code: null },
  unauthorized: { status: 401, type: 'invalid_request_error', code: 'invalid_api_key' },
  forbidden: { status: 403, type: 'invalid_request_error', code: 'insufficient_permissions' },
  payload_too_large: { status: 413, type: 'invalid_request_error', code: null },
  unsupported_media_type: { status: 415, type: 'invalid_request_error', code: null },
  unprocessable: { status: 400, type: 'invalid_request_error', code: null },
  image_invalid: { status: 400, type: 'invalid_request_error', code: 'invalid_image' },
  rate_limited: { status: 429, type: 'requests', code: 'rate_limit_exceeded' },
  provider_unavailable: { status: 503, type: 'server_error', code: null },
  provider_rejected: { status: 400, type: 'image_generation_user_error', code: 'moderation_blocked' },
  provider_response_invalid: { status: 502, type: 'server_error', code: null },
  quota_exceeded: { status: 429, type: 'insufficient_quota', code: 'insufficient_quota' },
  budget_exceeded: { status: 429, type: 'insufficient_quota', code: 'insufficient_quota' },
  storage_failed: { status: 500, type: 'server_error', code: null },
  canceled: { status: 409, type: 'invalid_request_error', code: null },
  unavailable: { status: 503, type: 'server_error', code: null },
  internal: { status: 500, type: 'server_error', code: null },
};

/** Whether an error on this path must be answered in OpenAI's shape (the SDK parses it). */
export function isOpenAICompatPath(path: string): boolean {
  return (
    path === '/v1/images/generations' ||
    path === '/v1/images/edits' ||
    path === '/v1/chat/completions' ||
    path === '/v1/models'
  );
}

/** `{"error": {message, type, param, code}}` with OpenAI's status for the same situation. */
export function openAIErrorResponse(c: Context, error: unknown, requestId: string) {
  const known = isAppError(error) ? error : null;
  const mapping = OPENAI_ERROR[known?.code ?? 'internal'];
  const issues = (known?.details as { issues?: { field: string }[] } | undefined)?.issues;
  if (known?.code === 'rate_limited' && known.retryAfterMs)
    c.header('retry-after', String(Math.ceil(known.retryAfterMs / 1000)));
  c.header('x-request-id', requestId);
  const message = known ? known.message : `Internal error; quote request id ${requestId} when reporting it`;
  return c.json(
    { error: { message, type: mapping.type, param: issues?.[0]?.field ?? null, code: mapping.code } },
    mapping.status,
  );
}
