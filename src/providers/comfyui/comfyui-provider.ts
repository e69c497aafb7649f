import { randomUUID } from 'node:crypto';
import type { ComfyUIProviderEntry } from '../../config/providers.schema.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import {
  abortError,
  connectionError,
  invalidResponse,
  joinUrl,
  type ProviderHttpOptions,
  raceAbort,
} from '../http.ts';
import { roundToMultiple } from '../sizes.ts';
import type { GeneratedImage, ImageCall, ImageProvider, ImageResult } from '../spec.ts';
import { executionError, historyFailure, type ImageRef, outputImagesOf } from './comfyui-api.ts';
import {
  type ComfyContext,
  cancelPrompt,
  checkServers,
  downloadImage,
  fetchHistory,
  pollHistory,
  type ServerCall,
  submitPrompt,
  uploadImage,
} from './comfyui-client.ts';
import { ComfyEvents, type PromptOutcome } from './comfyui-events.ts';
import { comfyServerStatus } from './comfyui-status.ts';
import { ComfyServerPool } from './server-pool.ts';
import {
  fillWorkflow,
  loadWorkflowTemplate,
  type WorkflowParameter,
  type WorkflowTemplate,
} from './workflow-template.ts';

const DEFAULT_MODEL = 'comfyui-workflow';
/** Images per call: one prompt per seed, run back to back on one server. */
const MAX_IMAGES_PER_CALL = 4;

export interface ComfyUIProviderOptions extends ProviderHttpOptions {
  /** How often `/history/{id}` is polled after the websocket dropped. */
  historyPollIntervalMs?: number;
  /** How long a server that refused connections is skipped. */
  serverCooldownMs?: number;
}

/**
 * ComfyUI servers (one or several GPUs) driven through workflow templates. Per seed: queue the
 * filled workflow (`POST /prompt`), follow the websocket for progress and the end, then read
 * `/history` and `/view`. Templates are loaded and validated when the provider is built.
 */
export function createComfyUIProvider(
  entry: ComfyUIProviderEntry & { id: string },
  options: ComfyUIProviderOptions = {},
): ImageProvider {
  const urls = entry.urls ?? (entry.url ? [entry.url] : []);
  const models = entry.models ?? [DEFAULT_MODEL];
  const context: ComfyContext = {
    fetchFunction: options.fetch ?? fetch,
    label: { providerId: entry.id, vendor: 'ComfyUI' },
    pool: new ComfyServerPool(urls, { cooldownMs: options.serverCooldownMs }),
    textTemplate: loadWorkflowTemplate(entry.workflow ?? 'builtin:text-to-image'),
    imageTemplate: loadWorkflowTemplate(entry.image_workflow ?? 'builtin:image-to-image', {
      needsInputImage: true,
    }),
    inpaintTemplate: loadWorkflowTemplate(entry.inpaint_workflow ?? 'builtin:inpaint', {
      needsInputImage: true,
      needsInputMask: true,
    }),
    entry,
    historyPollIntervalMs: options.historyPollIntervalMs ?? 1000,
  };
  return {
    id: entry.id,
    kind: 'comfyui',
    defaultModel: entry.default_model ?? models[0] ?? DEFAULT_MODEL,
    models,
    capabilities: {
      maxImagesPerCall: MAX_IMAGES_PER_CALL,
      seeds: true,
      negativePrompt: true,
      layouts: false,
      imageInput: true,
      inputMask: true,
      formats: ['png'],
      maxSide: 4096,
    },
    generate: (call, signal) => generate(context, call, signal),
    checkHealth: (signal) => checkServers(context, signal),
    backendStatus: (signal) =>
      Promise.all(context.pool.urls.map((url) => comfyServerStatus(context.fetchFunction, url, signal))),
  };
}

async function generate(context: ComfyContext, call: ImageCall, signal: AbortSignal): Promise<ImageResult> {
  const lease = context.pool.acquire();
  let connectionFailed = false;
  let events: ComfyEvents | undefined;
  try {
    const clientId = randomUUID();
    const wsUrl = `${joinUrl(lease.url, 'ws').replace(/^http/, 'ws')}?clientId=${clientId}`;
    try {
      events = await ComfyEvents.open(wsUrl, signal);
    } catch (error) {
      if (signal.aborted) throw abortError(signal, 'The ComfyUI call');
      connectionFailed = true;
      throw connectionError(context.label, error, lease.url);
    }
    const server: ServerCall = { context, url: lease.url, events, clientId };
    const mask = call.inputImage?.mask;
    const template = mask
      ? context.inpaintTemplate
      : call.inputImage
        ? context.imageTemplate
        : context.textTemplate;
    const inputImageName = call.inputImage
      ? await uploadImage(server, call.inputImage.bytes, signal)
      : undefined;
    // The mask goes up as it is (transparent = paint): LoadImageMask reads its alpha channel as 1 − alpha.
    const inputMaskName = mask ? await uploadImage(server, mask, signal) : undefined;
    const images: GeneratedImage[] = [];
    let requestId: string | undefined;
    for (const [index, seed] of call.seeds.entries()) {
      const values = parameterValues(context.entry, call, seed, inputImageName, inputMaskName);
      const report = (value: number, max: number) =>
        call.onProgress?.(Math.min(1, (index + (max > 0 ? value / max : 0)) / call.seeds.length));
      const { refs, promptId } = await runPrompt(
        server,
        template,
        fillWorkflow(template, values),
        signal,
        report,
      );
      requestId ??= promptId;
      for (const ref of refs) images.push({ ...(await downloadImage(server, ref, signal)), seed });
    }
    // ComfyUI has no request id; the prompt id is what its logs and history are keyed by.
    return { images, warnings: [], model: call.model || DEFAULT_MODEL, requestId };
  } catch (error) {
    if (
      isAppError(error) &&
      error.code === 'provider_unavailable' &&
      (error.details as { network?: string })?.network
    ) {
      connectionFailed = true;
    }
    throw error;
  } finally {
    events?.close();
    lease.release({ connectionFailed });
  }
}

function parameterValues(
  entry: ComfyUIProviderEntry,
  call: ImageCall,
  seed: number,
  inputImage: string | undefined,
  inputMask: string | undefined,
) {
  const values: Partial<Record<WorkflowParameter, string | number>> = {
    prompt: call.prompt,
    negative_prompt: call.negativePrompt,
    seed,
    // Latents are 1/8 of the pixels: sides must be multiples of 8.
    width: roundToMultiple(call.width, 8),
    height: roundToMultiple(call.height, 8),
    batch_size: 1,
    steps: entry.steps,
    cfg: entry.cfg,
    checkpoint: entry.checkpoint,
  };
  if (inputImage !== undefined && call.inputImage) {
    values.input_image = inputImage;
    values.denoise = call.inputImage.strength;
  }
  if (inputMask !== undefined) values.input_mask = inputMask;
  return values;
}

async function runPrompt(
  server: ServerCall,
  template: WorkflowTemplate,
  workflow: unknown,
  signal: AbortSignal,
  onProgress: (value: number, max: number) => void,
): Promise<{ refs: ImageRef[]; promptId: string }> {
  // The submission is not tied to `signal`: if the caller aborts meanwhile, the prompt is queued
  // anyway, and must then be deleted from the queue once its id is known.
  const submission = submitPrompt(server, template, workflow);
  let promptId: string;
  try {
    promptId = await raceAbort(submission, signal, 'The ComfyUI call');
  } catch (error) {
    if (signal.aborted)
      submission.then(
        (id) => cancelPrompt(server, id, false),
        () => {},
      );
    throw error;
  }
  let outcome: PromptOutcome;
  try {
    outcome = await server.events.waitForOutcome(promptId, signal, onProgress);
  } catch {
    void cancelPrompt(server, promptId, server.events.hasStarted(promptId));
    throw abortError(signal, 'The ComfyUI call');
  }
  let entry = outcome.kind === 'lost' ? undefined : await fetchHistory(server, promptId, signal);
  if (outcome.kind === 'lost') {
    // The websocket dropped: the prompt may still be running; poll its history instead.
    entry = await pollHistory(server, promptId, signal);
    outcome = historyFailure(entry) ?? { kind: 'success' };
  }
  if (outcome.kind === 'error') throw executionError(server.context.label, outcome, template);
  if (outcome.kind === 'interrupted') {
    throw new AppError('canceled', 'The ComfyUI prompt was interrupted on the server', { retryable: false });
  }
  if (!entry) throw invalidResponse(server.context.label, `ComfyUI has no history for prompt ${promptId}`);
  const refs = outputImagesOf(entry, template.output_node);
  if (refs.length === 0)
    throw invalidResponse(server.context.label, `ComfyUI prompt ${promptId} produced no output image`);
  return { refs, promptId };
}
