import type { A1111ProviderEntry } from '../../config/providers.schema.ts';
import {
  abortError,
  checkHealthWithGet,
  decodeBase64Image,
  type FetchFunction,
  invalidResponse,
  joinUrl,
  type ProviderHttpOptions,
  type ProviderLabel,
  parseJsonBody,
  readText,
  sendRequest,
} from '../http.ts';
import { roundToMultiple } from '../sizes.ts';
import type { GeneratedImage, ImageCall, ImageProvider, ImageResult, ProviderHealth } from '../spec.ts';
import {
  a1111Error,
  generationAnswerSchema,
  parseGenerationInfo,
  progressAnswerSchema,
} from './a1111-api.ts';
import { a1111ServerStatus } from './a1111-status.ts';

/** The model name meaning "whatever checkpoint the server has loaded"; others are switched to per call. */
export const A1111_LOADED_MODEL = 'loaded-checkpoint';
const MAX_BATCH = 8;

export interface A1111ProviderOptions extends ProviderHttpOptions {
  /** How often `/sdapi/v1/progress` is polled while a call runs. */
  progressIntervalMs?: number;
}

/**
 * Automatic1111 / Forge started with `--api`. A batch of consecutive seeds is one request
 * (`seed` + `batch_size`: A1111 uses seed, seed+1, …); other seeds get a request each.
 * A1111 runs one generation at a time and its progress and interrupt are server-wide.
 */
export function createA1111Provider(
  entry: A1111ProviderEntry & { id: string },
  options: A1111ProviderOptions = {},
): ImageProvider {
  const models = entry.models ?? [A1111_LOADED_MODEL];
  const defaultModel = entry.default_model ?? models[0] ?? A1111_LOADED_MODEL;
  const headers: Record<string, string> = {};
  if (entry.username !== undefined && entry.password !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${entry.username}:${entry.password}`).toString('base64')}`;
  }
  const context: A1111Context = {
    fetchFunction: options.fetch ?? fetch,
    label: { providerId: entry.id, vendor: 'Automatic1111' },
    baseUrl: entry.url,
    headers,
    entry,
    progressIntervalMs: options.progressIntervalMs ?? 1000,
  };
  return {
    id: entry.id,
    kind: 'a1111',
    defaultModel,
    models,
    capabilities: {
      maxImagesPerCall: MAX_BATCH,
      seeds: true,
      negativePrompt: true,
      layouts: false,
      imageInput: true,
      formats: ['png'],
      maxSide: 2048,
    },
    generate: (call, signal) => generate(context, { ...call, model: call.model || defaultModel }, signal),
    checkHealth: (signal) => checkHealth(context, signal),
    backendStatus: async (signal) => [
      await a1111ServerStatus(context.fetchFunction, context.baseUrl, context.headers, signal),
    ],
  };
}

interface A1111Context {
  fetchFunction: FetchFunction;
  label: ProviderLabel;
  baseUrl: string;
  headers: Record<string, string>;
  entry: A1111ProviderEntry;
  progressIntervalMs: number;
}

/** Splits seeds into runs of consecutive values, each at most `max` long. */
export function consecutiveRuns(seeds: readonly number[], max: number): number[][] {
  const runs: number[][] = [];
  for (const seed of seeds) {
    const run = runs.at(-1);
    if (run && run.length < max && run.at(-1) === seed - 1) run.push(seed);
    else runs.push([seed]);
  }
  return runs;
}

async function generate(context: A1111Context, call: ImageCall, signal: AbortSignal): Promise<ImageResult> {
  const runs = consecutiveRuns(call.seeds, MAX_BATCH);
  const images: GeneratedImage[] = [];
  let model = call.model;
  for (const [index, run] of runs.entries()) {
    const report = (fraction: number) => call.onProgress?.(Math.min(1, (index + fraction) / runs.length));
    const answer = await runWithProgress(context, report, signal, (innerSignal) =>
      requestBatch(context, call, run, innerSignal),
    );
    images.push(...answer.images);
    model = answer.model ?? model;
  }
  call.onProgress?.(1);
  return { images, warnings: [], model };
}

/** Runs `work` while polling progress; on abort, interrupts the server and rejects at once. */
async function runWithProgress<T>(
  context: A1111Context,
  report: (fraction: number) => void,
  signal: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const done = new AbortController();
  const workSignal = AbortSignal.any([signal, done.signal]);
  const onAbort = () => {
    void postInterrupt(context);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const poller = pollProgress(context, report, workSignal);
  try {
    return await work(workSignal);
  } finally {
    signal.removeEventListener('abort', onAbort);
    done.abort();
    await poller;
  }
}

async function pollProgress(context: A1111Context, report: (fraction: number) => void, signal: AbortSignal) {
  while (!signal.aborted) {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, context.progressIntervalMs);
      signal.addEventListener('abort', () => resolve(clearTimeout(timer)), { once: true });
    });
    if (signal.aborted) return;
    try {
      const response = await context.fetchFunction(
        joinUrl(context.baseUrl, 'sdapi/v1/progress?skip_current_image=true'),
        {
          headers: context.headers,
          signal,
        },
      );
      const parsed = progressAnswerSchema.safeParse(await response.json());
      if (parsed.success && parsed.data.progress > 0) report(parsed.data.progress);
    } catch {
      // Progress is best effort; the generation request itself reports failures.
    }
  }
}

/** Interrupt is server-wide in A1111: it stops whatever runs, which is our call while we wait on it. */
async function postInterrupt(context: A1111Context): Promise<void> {
  try {
    const response = await context.fetchFunction(joinUrl(context.baseUrl, 'sdapi/v1/interrupt'), {
      method: 'POST',
      headers: context.headers,
      signal: AbortSignal.timeout(5000),
    });
    await response.body?.cancel();
  } catch {
    // The server may be gone; the caller's abort stands either way.
  }
}

async function requestBatch(context: A1111Context, call: ImageCall, seeds: number[], signal: AbortSignal) {
  const { entry } = context;
  const body: Record<string, unknown> = {
    prompt: call.prompt,
    negative_prompt: call.negativePrompt,
    seed: seeds[0],
    batch_size: seeds.length,
    n_iter: 1,
    width: roundToMultiple(call.width, 8),
    height: roundToMultiple(call.height, 8),
    send_images: true,
    save_images: false,
  };
  if (entry.steps !== undefined) body.steps = entry.steps;
  if (entry.cfg_scale !== undefined) body.cfg_scale = entry.cfg_scale;
  if (entry.sampler_name !== undefined) body.sampler_name = entry.sampler_name;
  if (call.model !== A1111_LOADED_MODEL) body.override_settings = { sd_model_checkpoint: call.model };
  if (call.inputImage) {
    body.init_images = [Buffer.from(call.inputImage.bytes).toString('base64')];
    body.denoising_strength = call.inputImage.strength;
  }
  const route = call.inputImage ? 'sdapi/v1/img2img' : 'sdapi/v1/txt2img';
  const response = await sendRequest(context.fetchFunction, context.label, joinUrl(context.baseUrl, route), {
    method: 'POST',
    headers: { ...context.headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  const text = await readText(response, context.label, signal);
  if (signal.aborted) throw abortError(signal, 'The Automatic1111 call');
  if (!response.ok) throw a1111Error(context.label, response.status, response.headers, text);
  const answer = parseJsonBody(context.label, text, generationAnswerSchema);
  const info = parseGenerationInfo(answer.info);
  // With a batch, A1111 may put a grid image first; `index_of_first_image` says so.
  const batchImages = answer.images.slice(
    info.index_of_first_image ?? 0,
    (info.index_of_first_image ?? 0) + seeds.length,
  );
  if (batchImages.length < seeds.length) {
    throw invalidResponse(
      context.label,
      `Automatic1111 returned ${batchImages.length} of ${seeds.length} images`,
    );
  }
  const images: GeneratedImage[] = batchImages.map((base64, index) => ({
    ...decodeBase64Image(context.label, base64),
    seed: info.all_seeds?.[index] ?? seeds[index] ?? 0,
  }));
  const model = info.sd_model_name
    ? `${info.sd_model_name}${info.sd_model_hash ? ` [${info.sd_model_hash}]` : ''}`
    : undefined;
  return { images, model };
}

/** `GET /sdapi/v1/sd-models`: answers only with `--api`, and lists the checkpoints. */
function checkHealth(context: A1111Context, signal: AbortSignal): Promise<ProviderHealth> {
  return checkHealthWithGet({ ...context, url: joinUrl(context.baseUrl, 'sdapi/v1/sd-models') }, signal, {
    toError: a1111Error,
    describe: (text) => {
      const models = JSON.parse(text) as unknown;
      return `${Array.isArray(models) ? models.length : 0} checkpoints available`;
    },
  });
}
