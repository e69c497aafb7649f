import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { brandKitSchema } from '../domain/brand.ts';
import { routedProviderIds, routingSchema } from '../domain/routing.ts';
import { templateDefinitionSchema } from '../domain/template.ts';
import {
  type ProviderEntry,
  type ProviderLimits,
  providerEntrySchema,
  type ResolvedProviderEntry,
} from './providers.schema.ts';

/**
 * The one place that reads `process.env`. Everything else receives the typed `Config` built here
 * once at start; every problem is reported in one message so a user fixes them all in one go.
 */

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.url().optional());
const booleanFlag = z.preprocess(
  emptyToUndefined,
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default('false')
    .transform((value) => ['true', '1', 'yes'].includes(value)),
);
const integer = (fallback: number, min: number, max: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: `must be a whole number from ${min} to ${max}` })
      .int(`must be a whole number from ${min} to ${max}`)
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(fallback),
  );

/** A comma-separated list of web origins (CORS allow-lists); each entry must be a URL. */
const originList = (example: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(z.url(`each origin is a URL like ${example}`).transform((origin) => new URL(origin).origin)),
      ),
  );

const roleNames = ['api', 'worker'] as const;
export type Role = (typeof roleNames)[number];

const envSchema = z.object({
  VITRINE_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  PORT: integer(8080, 0, 65535),
  VITRINE_ROLES: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('api,worker')
      .transform((value) => value.split(',').map((role) => role.trim()))
      .pipe(z.array(z.enum(roleNames, { message: 'roles are api and/or worker' })).min(1)),
  ),
  VITRINE_DATABASE_SCHEMA: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,40}$/, 'lowercase letters, digits and _')
      .optional(),
  ),
  VITRINE_STORAGE: z.preprocess(emptyToUndefined, z.enum(['file', 's3']).default('file')),
  S3_BUCKET: optionalString,
  S3_PREFIX: optionalString,
  S3_ENDPOINT: optionalUrl,
  S3_FORCE_PATH_STYLE: booleanFlag,
  AWS_REGION: optionalString,
  AWS_ACCESS_KEY_ID: optionalString,
  AWS_SECRET_ACCESS_KEY: optionalString,
  AWS_SESSION_TOKEN: optionalString,
  VITRINE_ASSET_URLS: z.preprocess(
    emptyToUndefined,
    z
      .enum(['signed', 'presigned'], { message: 'signed (Vitrine-signed URLs) or presigned (S3)' })
      .default('signed'),
  ),
  VITRINE_S3_MULTIPART_MB: integer(16, 5, 5 * 1024),
  VITRINE_HEARTBEAT_SECONDS: integer(10, 1, 300),
  VITRINE_WORKER_STALE_SECONDS: integer(45, 2, 3600),
  VITRINE_PUBLIC_URL: optionalUrl,
  VITRINE_CONFIG: optionalString,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  STABILITY_API_KEY: optionalString,
  STABILITY_BASE_URL: optionalUrl,
  BEDROCK_REGION: optionalString,
  BEDROCK_ENDPOINT: optionalUrl,
  COMFYUI_URL: optionalUrl,
  A1111_URL: optionalUrl,
  VITRINE_CHAT_BASE_URL: optionalUrl,
  VITRINE_CHAT_API_KEY: optionalString,
  VITRINE_CHAT_MODEL: optionalString,
  VITRINE_CHAT_PROVIDER: z.preprocess(
    emptyToUndefined,
    z.enum(['openai', 'bedrock'], { message: 'openai (any OpenAI-compatible server) or bedrock' }).optional(),
  ),
  VITRINE_CHAT_TIMEOUT_MS: integer(30_000, 1000, 600_000),
  VITRINE_CHAT_MAX_CONCURRENCY: integer(4, 1, 256),
  VITRINE_CHAT_REQUESTS_PER_SECOND: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a positive number' }).positive().optional(),
  ),
  VITRINE_CHAT_PRICE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(
        /^\s*\d+(\.\d+)?\s*,\s*\d+(\.\d+)?\s*$/,
        'USD per million input and output tokens, e.g. "2.5,10"',
      )
      .transform((value) => {
        const [input, output] = value.split(',').map(Number);
        return { inputPerMillion: input ?? 0, outputPerMillion: output ?? 0 };
      })
      .optional(),
  ),
  VITRINE_EMBEDDING_MODEL: optionalString,
  VITRINE_ASSISTANT_ORIGINS: originList('https://shop.example.com'),
  VITRINE_ASSISTANT_MEMORY_TOKENS: integer(1500, 100, 100_000),
  VITRINE_ASSISTANT_CATALOG_IMAGES: integer(5000, 10, 1_000_000),
  VITRINE_ASSISTANT_WARM: booleanFlag,
  // Additions of ours (documented in docs/configuration.md).
  VITRINE_URL: optionalUrl,
  VITRINE_API_KEY: optionalString,
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  VITRINE_WORKER_CONCURRENCY: integer(4, 1, 64),
  VITRINE_JOB_MAX_ATTEMPTS: integer(4, 1, 20),
  VITRINE_QUALITY_RETRIES: integer(2, 0, 10),
  VITRINE_RENDER_PROCESSES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(32).optional()),
  VITRINE_MAX_INPUT_PIXELS: integer(40_000_000, 1_000_000, 500_000_000),
  /** An operator-supplied ONNX matting model (BiRefNet, U2-Net, IS-Net…); never downloaded. */
  VITRINE_MATTING_MODEL: z.preprocess(emptyToUndefined, z.string().min(1).optional()),
  VITRINE_ALLOW_PRIVATE_URLS: booleanFlag,
  VITRINE_PICKER_ORIGINS: originList('https://cms.example.com'),
  VITRINE_SIGNED_URL_TTL_SECONDS: integer(7 * 24 * 3600, 60, 365 * 24 * 3600),
  VITRINE_BATCH_UPLOAD_MAX_BYTES: integer(64 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  VITRINE_BATCH_WINDOW: integer(400, 1, 100_000),
  VITRINE_CACHE_MAX_ENTRIES: integer(100_000, 0, 100_000_000),
  VITRINE_CACHE_SIMILAR_THRESHOLD: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a number from 0.5 to 1' }).min(0.5).max(1).default(0.9),
  ),
  VITRINE_FFMPEG: z.preprocess(emptyToUndefined, z.string().default('ffmpeg')),
});

/** Every variable the configuration reads (docs and deployment files are checked against it). */
export const ENVIRONMENT_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/** What `VITRINE_CONFIG` may hold. Unknown top-level keys are kept for sections later versions add. */
const configFileSchema = z
  .object({
    brands: z.record(z.string(), brandKitSchema).default({}),
    templates: z.record(z.string(), templateDefinitionSchema).default({}),
    providers: z.array(providerEntrySchema).default([]),
    routing: routingSchema.default({ rules: [] }),
  })
  .loose();

export interface Config {
  dataDir: string;
  database: { kind: 'pglite'; dir: string } | { kind: 'postgres'; url: string; schema?: string };
  host: string;
  port: number;
  roles: ReadonlySet<Role>;
  /**
   * Where assets live. `urls`: the asset URLs handed out answer with the bytes (`signed`, Vitrine's
   * own signature) or with a redirect to a short-lived S3 presigned URL (`presigned`, S3 only).
   */
  storage: { kind: 'file'; dir: string; urls: 'signed' } | { kind: 's3'; s3: S3Settings; urls: AssetUrlMode };
  /** The S3 settings whenever S3_BUCKET is set, also with file storage (`vitrine storage migrate`). */
  s3: S3Settings | undefined;
  /** Worker announcements: how often a worker reports, and after how long without one it counts as lost. */
  fleet: { heartbeatSeconds: number; workerStaleSeconds: number };
  publicUrl: string | undefined;
  serverUrl: string | undefined;
  /** The key the CLI sends with --server. */
  apiKey: string | undefined;
  logLevel: string;
  /** `renderProcesses` undefined: one per core, at most 4 (decided where the processes start). */
  worker: {
    concurrency: number;
    maxAttempts: number;
    renderProcesses: number | undefined;
    qualityRetries: number;
  };
  limits: { maxInputPixels: number; allowPrivateUrls: boolean; signedUrlTtlSeconds: number };
  /** Model files the operator supplies; without them the classical methods run. */
  vision: { mattingModel: string | undefined };
  /** Origins whose pages may call `/v1` from the browser (CORS), e.g. a CMS hosting <vitrine-picker>. */
  picker: { allowedOrigins: string[] };
  /** `uploadMaxBytes`: the largest `POST /v1/batches` body; `window`: unfinished jobs per batch. */
  batches: { uploadMaxBytes: number; window: number };
  /** The request cache: entries kept (least recently used out first), near-duplicate threshold. */
  cache: { maxEntries: number; similarThreshold: number };
  /** The ffmpeg that makes script slideshows: a path, or a name looked up on the PATH. */
  ffmpeg: string;
  file: z.infer<typeof configFileSchema>;
  /** The chat/vision model of the assistant and script analysis; null = none (offline answers). */
  chat: ChatModelConfig | null;
  /** Path of an operator-supplied ONNX image encoder (e.g. a CLIP vision tower); unset = none. */
  embeddingModel: string | undefined;
  /**
   * The shopper assistant: origins whose pages may call it (CORS, for <vitrine-assistant>), the
   * memory window in tokens, catalog images kept in memory, and whether to read them all at start.
   */
  assistant: { allowedOrigins: string[]; memoryTokens: number; catalogImages: number; warm: boolean };
  /**
   * Image providers besides the built-in studio engine: the config file's `providers:` entries,
   * plus one entry per vendor variable set (OPENAI_API_KEY, COMFYUI_URL, …) whose id no entry takes.
   */
  providers: ResolvedProviderEntry[];
}

export type AssetUrlMode = 'signed' | 'presigned';

/** An S3-compatible bucket: AWS, MinIO, R2, OSS, COS… (see docs/configuration.md#s3). */
export interface S3Settings {
  bucket: string;
  /** Key prefix, empty or ending in `/`. */
  prefix: string;
  region: string;
  /** For S3-compatible services; absent for AWS itself. */
  endpoint: string | undefined;
  forcePathStyle: boolean;
  /** Static keys; absent: the AWS SDK's default chain (profile, container or instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
  /** Objects larger than this go up as multipart uploads. */
  multipartThresholdBytes: number;
}

/** How hard Vitrine may push the chat model, and what its tokens cost when the price table lacks it. */
interface ChatModelCommon {
  id: 'chat';
  model: string;
  limits: ProviderLimits;
  /** USD per million tokens from VITRINE_CHAT_PRICE; unset = the built-in price table. */
  price?: { inputPerMillion: number; outputPerMillion: number };
}

export type ChatModelConfig =
  | (ChatModelCommon & { kind: 'openai'; baseUrl: string | undefined; apiKey: string | undefined })
  | (ChatModelCommon & {
      kind: 'bedrock';
      region: string;
      endpoint: string | undefined;
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    });

export const DEFAULT_OPENAI_CHAT_MODEL = 'gpt-4o-mini';
export const DEFAULT_BEDROCK_CHAT_MODEL = 'amazon.nova-lite-v1:0';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Parses the environment once. `overrides` are command-line flags that stand in for variables
 * (e.g. `--port` for PORT); `environment` defaults to the process environment.
 */
export function loadConfig(
  overrides: Record<string, string | undefined> = {},
  environment: Record<string, string | undefined> = process.env,
): Config {
  const source = {
    ...environment,
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
  const problems: string[] = [];
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
  }
  const env = parsed.success ? parsed.data : undefined;
  const file = readConfigFile(source.VITRINE_CONFIG, problems);
  const s3 = env ? s3SettingsFrom(env, problems) : undefined;
  if (!env && source.VITRINE_STORAGE === 's3' && !source.S3_BUCKET) problems.push(S3_BUCKET_MISSING);
  if (!env || problems.length > 0) throw new ConfigError(problems);

  const dataDir = path.resolve(env.VITRINE_DATA_DIR);
  const config: Config = {
    dataDir,
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL, schema: env.VITRINE_DATABASE_SCHEMA }
      : { kind: 'pglite', dir: path.join(dataDir, 'db') },
    host: env.HOST,
    port: env.PORT,
    roles: new Set(env.VITRINE_ROLES),
    storage:
      env.VITRINE_STORAGE === 's3' && s3
        ? { kind: 's3', s3, urls: env.VITRINE_ASSET_URLS }
        : { kind: 'file', dir: path.join(dataDir, 'assets'), urls: 'signed' },
    s3,
    fleet: {
      heartbeatSeconds: env.VITRINE_HEARTBEAT_SECONDS,
      workerStaleSeconds: env.VITRINE_WORKER_STALE_SECONDS,
    },
    publicUrl: env.VITRINE_PUBLIC_URL?.replace(/\/+$/, ''),
    serverUrl: env.VITRINE_URL?.replace(/\/+$/, ''),
    apiKey: env.VITRINE_API_KEY,
    logLevel: env.LOG_LEVEL,
    worker: {
      concurrency: env.VITRINE_WORKER_CONCURRENCY,
      maxAttempts: env.VITRINE_JOB_MAX_ATTEMPTS,
      renderProcesses: env.VITRINE_RENDER_PROCESSES,
      qualityRetries: env.VITRINE_QUALITY_RETRIES,
    },
    limits: {
      maxInputPixels: env.VITRINE_MAX_INPUT_PIXELS,
      allowPrivateUrls: env.VITRINE_ALLOW_PRIVATE_URLS,
      signedUrlTtlSeconds: env.VITRINE_SIGNED_URL_TTL_SECONDS,
    },
    vision: {
      mattingModel: env.VITRINE_MATTING_MODEL ? path.resolve(env.VITRINE_MATTING_MODEL) : undefined,
    },
    picker: { allowedOrigins: env.VITRINE_PICKER_ORIGINS },
    batches: { uploadMaxBytes: env.VITRINE_BATCH_UPLOAD_MAX_BYTES, window: env.VITRINE_BATCH_WINDOW },
    cache: {
      maxEntries: env.VITRINE_CACHE_MAX_ENTRIES,
      similarThreshold: env.VITRINE_CACHE_SIMILAR_THRESHOLD,
    },
    ffmpeg: env.VITRINE_FFMPEG,
    file,
    chat: resolveChatModel(env, problems),
    embeddingModel: env.VITRINE_EMBEDDING_MODEL,
    assistant: {
      allowedOrigins: env.VITRINE_ASSISTANT_ORIGINS,
      memoryTokens: env.VITRINE_ASSISTANT_MEMORY_TOKENS,
      catalogImages: env.VITRINE_ASSISTANT_CATALOG_IMAGES,
      warm: env.VITRINE_ASSISTANT_WARM,
    },
    providers: resolveProviders(file.providers, env, problems),
  };
  if (config.fleet.workerStaleSeconds < 2 * config.fleet.heartbeatSeconds)
    problems.push(
      `VITRINE_WORKER_STALE_SECONDS: must be at least twice VITRINE_HEARTBEAT_SECONDS (${config.fleet.heartbeatSeconds})`,
    );
  const known = new Set(['studio', ...config.providers.map((entry) => entry.id)]);
  for (const id of routedProviderIds(file.routing)) {
    if (!known.has(id))
      problems.push(
        `VITRINE_CONFIG: routing names provider '${id}', which is not configured (${[...known].join(', ')})`,
      );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const S3_BUCKET_MISSING = 'S3_BUCKET: required when VITRINE_STORAGE=s3 (the bucket that holds the images)';

/**
 * The S3 settings, or undefined when S3_BUCKET is not set. Every missing piece is named: a bucket
 * for VITRINE_STORAGE=s3, a region unless an endpoint is given (S3-compatible services mostly
 * ignore it), both halves of a static key pair.
 */
function s3SettingsFrom(env: z.infer<typeof envSchema>, problems: string[]): S3Settings | undefined {
  const wanted = env.VITRINE_STORAGE === 's3';
  if (wanted && !env.S3_BUCKET) problems.push(S3_BUCKET_MISSING);
  if (env.VITRINE_ASSET_URLS === 'presigned' && !wanted)
    problems.push('VITRINE_ASSET_URLS: presigned needs VITRINE_STORAGE=s3');
  if (!env.S3_BUCKET) return undefined;
  const region = env.AWS_REGION ?? (env.S3_ENDPOINT ? 'us-east-1' : undefined);
  if (!region)
    problems.push(
      "AWS_REGION: required for S3 on AWS (the bucket's region, e.g. eu-central-1); S3-compatible services take S3_ENDPOINT instead",
    );
  if (env.AWS_ACCESS_KEY_ID && !env.AWS_SECRET_ACCESS_KEY)
    problems.push('AWS_SECRET_ACCESS_KEY: required with AWS_ACCESS_KEY_ID');
  if (env.AWS_SECRET_ACCESS_KEY && !env.AWS_ACCESS_KEY_ID)
    problems.push('AWS_ACCESS_KEY_ID: required with AWS_SECRET_ACCESS_KEY');
  const prefix = (env.S3_PREFIX ?? '').replace(/^\/+/, '');
  return {
    bucket: env.S3_BUCKET,
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
    region: region ?? '',
    endpoint: env.S3_ENDPOINT?.replace(/\/+$/, ''),
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    credentials:
      env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
        ? {
            accessKeyId: env.AWS_ACCESS_KEY_ID,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          }
        : undefined,
    multipartThresholdBytes: env.VITRINE_S3_MULTIPART_MB * 1024 * 1024,
  };
}

/**
 * The chat model from VITRINE_CHAT_*: Bedrock Converse when VITRINE_CHAT_PROVIDER=bedrock (region
 * from BEDROCK_REGION), else any OpenAI-compatible server once a base URL, key or model is given.
 */
function resolveChatModel(env: z.infer<typeof envSchema>, problems: string[]): ChatModelConfig | null {
  const common = {
    id: 'chat' as const,
    limits: {
      max_concurrency: env.VITRINE_CHAT_MAX_CONCURRENCY,
      timeout_ms: env.VITRINE_CHAT_TIMEOUT_MS,
      requests_per_second: env.VITRINE_CHAT_REQUESTS_PER_SECOND,
    },
    price: env.VITRINE_CHAT_PRICE,
  };
  if (env.VITRINE_CHAT_PROVIDER === 'bedrock') {
    if (!env.BEDROCK_REGION) {
      problems.push('BEDROCK_REGION: required when VITRINE_CHAT_PROVIDER=bedrock (e.g. us-east-1)');
      return null;
    }
    return {
      ...common,
      kind: 'bedrock',
      model: env.VITRINE_CHAT_MODEL ?? DEFAULT_BEDROCK_CHAT_MODEL,
      region: env.BEDROCK_REGION,
      endpoint: env.BEDROCK_ENDPOINT,
      credentials:
        env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
          ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY }
          : undefined,
    };
  }
  const asked =
    env.VITRINE_CHAT_PROVIDER === 'openai' ||
    env.VITRINE_CHAT_BASE_URL !== undefined ||
    env.VITRINE_CHAT_API_KEY !== undefined ||
    env.VITRINE_CHAT_MODEL !== undefined;
  if (!asked) return null;
  if (env.VITRINE_CHAT_BASE_URL && !env.VITRINE_CHAT_MODEL) {
    problems.push(
      "VITRINE_CHAT_MODEL: required with VITRINE_CHAT_BASE_URL (the server's model name, e.g. qwen-vl-max)",
    );
    return null;
  }
  if (!env.VITRINE_CHAT_BASE_URL && !env.VITRINE_CHAT_API_KEY) {
    problems.push(
      'VITRINE_CHAT_API_KEY: required for api.openai.com (or set VITRINE_CHAT_BASE_URL to another server)',
    );
    return null;
  }
  return {
    ...common,
    kind: 'openai',
    model: env.VITRINE_CHAT_MODEL ?? DEFAULT_OPENAI_CHAT_MODEL,
    baseUrl: env.VITRINE_CHAT_BASE_URL,
    apiKey: env.VITRINE_CHAT_API_KEY,
  };
}

/** The providers the vendor variables enable, as config entries (the file may refine them by id). */
function providersFromEnvironment(env: z.infer<typeof envSchema>): ProviderEntry[] {
  const entries: ProviderEntry[] = [];
  const limits = { max_concurrency: 4, timeout_ms: 180_000 };
  if (env.OPENAI_API_KEY)
    entries.push({ kind: 'openai', api_key: env.OPENAI_API_KEY, base_url: env.OPENAI_BASE_URL, limits });
  if (env.STABILITY_API_KEY)
    entries.push({
      kind: 'stability',
      api_key: env.STABILITY_API_KEY,
      base_url: env.STABILITY_BASE_URL,
      limits,
    });
  if (env.BEDROCK_REGION)
    entries.push({
      kind: 'bedrock',
      region: env.BEDROCK_REGION,
      endpoint: env.BEDROCK_ENDPOINT,
      access_key_id: env.AWS_ACCESS_KEY_ID,
      secret_access_key: env.AWS_SECRET_ACCESS_KEY,
      limits,
    });
  if (env.COMFYUI_URL) entries.push({ kind: 'comfyui', url: env.COMFYUI_URL, limits });
  if (env.A1111_URL) entries.push({ kind: 'a1111', url: env.A1111_URL, limits });
  return entries;
}

function resolveProviders(
  fileEntries: readonly ProviderEntry[],
  env: z.infer<typeof envSchema>,
  problems: string[],
): ResolvedProviderEntry[] {
  const resolved: ResolvedProviderEntry[] = [];
  const seen = new Set<string>(['studio']);
  for (const [index, entry] of fileEntries.entries()) {
    const id = entry.id ?? entry.kind;
    if (seen.has(id)) {
      problems.push(
        `VITRINE_CONFIG: providers.${index}.id: '${id}' is used twice (give each provider its own id)`,
      );
      continue;
    }
    seen.add(id);
    resolved.push({ ...entry, id });
  }
  for (const entry of providersFromEnvironment(env)) {
    if (!seen.has(entry.kind)) resolved.push({ ...entry, id: entry.kind });
  }
  return resolved;
}

function readConfigFile(filePath: string | undefined, problems: string[]): z.infer<typeof configFileSchema> {
  const empty = { brands: {}, templates: {}, providers: [], routing: { rules: [] } };
  if (!filePath) return empty;
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    problems.push(
      `VITRINE_CONFIG: cannot read ${filePath} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
    return empty;
  }
  let data: unknown;
  try {
    data = /\.json$/i.test(filePath) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    problems.push(`VITRINE_CONFIG: ${filePath} is not valid JSON/YAML: ${(error as Error).message}`);
    return empty;
  }
  const parsed = configFileSchema.safeParse(data ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`VITRINE_CONFIG ${filePath}: ${issue.path.join('.')}: ${issue.message}`);
    }
    return empty;
  }
  return parsed.data;
}
