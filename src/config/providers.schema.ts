import { z } from 'zod';

/**
 * The `providers:` section of `VITRINE_CONFIG`, and the entries the vendor environment variables
 * (OPENAI_API_KEY, COMFYUI_URL, …) stand for. Several providers of one kind are allowed (one
 * ComfyUI per GPU, two OpenAI-compatible gateways); each has a unique `id`.
 */

const idPattern = /^[a-z][a-z0-9_-]{0,40}$/;

/** How hard Vitrine may push one provider; shared by every worker of this process. */
export const providerLimitsSchema = z
  .object({
    /** Token bucket refill rate; unset = no rate limit of ours (the provider's 429s still slow us down). */
    requests_per_second: z.number().positive().optional(),
    /** Calls in flight at once. */
    max_concurrency: z.number().int().min(1).max(256).default(4),
    /** One call's deadline; past it the call is aborted and retried as provider_unavailable. */
    timeout_ms: z.number().int().min(100).max(3_600_000).default(180_000),
  })
  .strict();

export type ProviderLimits = z.infer<typeof providerLimitsSchema>;

/**
 * Price of one image: `default` applies to every model/size/quality not listed; `models` maps a
 * model to a flat price or to prices by `<width>x<height>` / `<quality>` / `<width>x<height>:<quality>`.
 */
export const providerPricesSchema = z
  .object({
    default: z.number().min(0).optional(),
    models: z
      .record(z.string(), z.union([z.number().min(0), z.record(z.string(), z.number().min(0))]))
      .default({}),
  })
  .strict();

export type ProviderPrices = z.infer<typeof providerPricesSchema>;

const common = {
  id: z.string().regex(idPattern, 'lowercase letters, digits, _ and -; starts with a letter').optional(),
  /** Models this provider may be asked for; the first is the default unless `default_model` says. */
  models: z.array(z.string().min(1)).min(1).optional(),
  default_model: z.string().min(1).optional(),
  limits: providerLimitsSchema.default({ max_concurrency: 4, timeout_ms: 180_000 }),
  prices: providerPricesSchema.optional(),
};

export const openaiProviderSchema = z
  .object({
    kind: z.literal('openai'),
    ...common,
    api_key: z.string().min(1),
    base_url: z.url().optional(),
    /** Sent as `OpenAI-Organization` when set. */
    organization: z.string().optional(),
    /** `quality` sent with each request (gpt-image: auto|high|medium|low). */
    quality: z.string().optional(),
  })
  .strict();

export const stabilityProviderSchema = z
  .object({
    kind: z.literal('stability'),
    ...common,
    api_key: z.string().min(1),
    base_url: z.url().optional(),
    style_preset: z.string().optional(),
    /**
     * How images come back: raw bytes (`accept: image/*`, the default, smaller) or base64 in JSON
     * (`accept: application/json`, for gateways that only relay JSON).
     */
    response_format: z.enum(['image', 'json']).optional(),
  })
  .strict();

export const bedrockProviderSchema = z
  .object({
    kind: z.literal('bedrock'),
    ...common,
    region: z.string().min(1),
    /** A custom endpoint (VPC endpoint, or a local test server). */
    endpoint: z.url().optional(),
    /** Static credentials; unset = the AWS SDK's default chain (env, profile, instance role). */
    access_key_id: z.string().optional(),
    secret_access_key: z.string().optional(),
    session_token: z.string().optional(),
    /** `cfgScale` sent to Titan Image and Nova Canvas (1.1–10); unset = the model's default. */
    cfg_scale: z.number().min(1.1).max(10).optional(),
  })
  .strict();

export const comfyuiProviderSchema = z
  .object({
    kind: z.literal('comfyui'),
    ...common,
    /** One server, or several (one per GPU) sharing the load. */
    url: z.url().optional(),
    urls: z.array(z.url()).min(1).optional(),
    /**
     * Path of a workflow template (JSON): ComfyUI API-format workflow plus a map of named
     * parameters onto node inputs. Unset = the built-in text-to-image workflow.
     */
    workflow: z.string().optional(),
    /** Workflow template used when the job has an input image. */
    image_workflow: z.string().optional(),
    /** Workflow template used when the input image comes with a mask (paint only where transparent). */
    inpaint_workflow: z.string().optional(),
    /** Checkpoint file name filled into the `checkpoint` parameter. */
    checkpoint: z.string().optional(),
    steps: z.number().int().min(1).max(200).optional(),
    cfg: z.number().min(0).max(50).optional(),
  })
  .strict()
  .refine((entry) => entry.url || entry.urls, { message: 'url or urls is required', path: ['url'] });

export const a1111ProviderSchema = z
  .object({
    kind: z.literal('a1111'),
    ...common,
    url: z.url(),
    steps: z.number().int().min(1).max(200).optional(),
    cfg_scale: z.number().min(0).max(50).optional(),
    sampler_name: z.string().optional(),
    /** Basic auth (`--api-auth user:pass`), when the server was started with it. */
    username: z.string().optional(),
    password: z.string().optional(),
  })
  .strict();

export const providerEntrySchema = z.discriminatedUnion('kind', [
  openaiProviderSchema,
  stabilityProviderSchema,
  bedrockProviderSchema,
  comfyuiProviderSchema,
  a1111ProviderSchema,
]);

export type ProviderEntry = z.infer<typeof providerEntrySchema>;
export type ProviderKind = ProviderEntry['kind'];
export type OpenAIProviderEntry = z.infer<typeof openaiProviderSchema>;
export type StabilityProviderEntry = z.infer<typeof stabilityProviderSchema>;
export type BedrockProviderEntry = z.infer<typeof bedrockProviderSchema>;
export type ComfyUIProviderEntry = z.infer<typeof comfyuiProviderSchema>;
export type A1111ProviderEntry = z.infer<typeof a1111ProviderSchema>;

/** A configured provider: its entry with the id resolved (the kind, unless the entry names one). */
export type ResolvedProviderEntry = ProviderEntry & { id: string };
