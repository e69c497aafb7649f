import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { brandKitSchema } from '../domain/brand.ts';
import { routedProviderIds, routingSchema } from '../domain/routing.ts';
import { templateDefinitionSchema } from '../domain/template.ts';
import { type ProviderEntry, providerEntrySchema, type ResolvedProviderEntry } from './providers.schema.ts';

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
  VITRINE_ALLOW_PRIVATE_URLS: booleanFlag,
  VITRINE_PICKER_ORIGINS: z.preprocess(
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
        z.array(
          z
            .url('each origin is a URL like https://cms.example.com')
            .transform((origin) => new URL(origin).origin),
        ),
      ),
  ),
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
  storage: { kind: 'file'; dir: string } | { kind: 's3'; bucket: string; prefix: string };
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
  /** Origins whose pages may call `/v1` from the browser (CORS), e.g. a CMS hosting <vitrine-picker>. */
  picker: { allowedOrigins: string[] };
  /** `uploadMaxBytes`: the largest `POST /v1/batches` body; `window`: unfinished jobs per batch. */
  batches: { uploadMaxBytes: number; window: number };
  /** The request cache: entries kept (least recently used out first), near-duplicate threshold. */
  cache: { maxEntries: number; similarThreshold: number };
  /** The ffmpeg that makes script slideshows: a path, or a name looked up on the PATH. */
  ffmpeg: string;
  file: z.infer<typeof configFileSchema>;
  /**
   * Image providers besides the built-in studio engine: the config file's `providers:` entries,
   * plus one entry per vendor variable set (OPENAI_API_KEY, COMFYUI_URL, …) whose id no entry takes.
   */
  providers: ResolvedProviderEntry[];
}

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
  if (source.VITRINE_STORAGE === 's3' && !source.S3_BUCKET)
    problems.push('S3_BUCKET: required when VITRINE_STORAGE=s3');
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
      env.VITRINE_STORAGE === 's3'
        ? { kind: 's3', bucket: env.S3_BUCKET ?? '', prefix: env.S3_PREFIX ?? '' }
        : { kind: 'file', dir: path.join(dataDir, 'assets') },
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
    picker: { allowedOrigins: env.VITRINE_PICKER_ORIGINS },
    batches: { uploadMaxBytes: env.VITRINE_BATCH_UPLOAD_MAX_BYTES, window: env.VITRINE_BATCH_WINDOW },
    cache: {
      maxEntries: env.VITRINE_CACHE_MAX_ENTRIES,
      similarThreshold: env.VITRINE_CACHE_SIMILAR_THRESHOLD,
    },
    ffmpeg: env.VITRINE_FFMPEG,
    file,
    providers: resolveProviders(file.providers, env, problems),
  };
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
