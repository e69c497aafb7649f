import { randomUUID } from 'node:crypto';
import type { ComfyUIProviderEntry } from '../../config/providers.schema.ts';
import {
  type FetchFunction,
  invalidResponse,
  joinUrl,
  type ProviderLabel,
  parseJsonBody,
  raceAbort,
  readBytes,
  readText,
  sendRequest,
  sniffImageFormat,
} from '../http.ts';
import type { ProviderHealth } from '../spec.ts';
import {
  historyAnswerSchema,
  type ImageRef,
  promptAnswerSchema,
  promptError,
  uploadAnswerSchema,
} from './comfyui-api.ts';
import type { ComfyEvents } from './comfyui-events.ts';
import type { ComfyServerPool } from './server-pool.ts';
import type { WorkflowTemplate } from './workflow-template.ts';

/** The HTTP side of ComfyUI: queueing, history, outputs, uploads, cancel and health, per server. */

export interface ComfyContext {
  fetchFunction: FetchFunction;
  label: ProviderLabel;
  pool: ComfyServerPool;
  textTemplate: WorkflowTemplate;
  imageTemplate: WorkflowTemplate;
  inpaintTemplate: WorkflowTemplate;
  entry: ComfyUIProviderEntry;
  historyPollIntervalMs: number;
}

/** One call's server: its URL and the websocket opened for the call. */
export interface ServerCall {
  context: ComfyContext;
  url: string;
  events: ComfyEvents;
  clientId: string;
}

export async function submitPrompt(
  server: ServerCall,
  template: WorkflowTemplate,
  workflow: unknown,
): Promise<string> {
  const { context } = server;
  const signal = AbortSignal.timeout(30_000);
  const response = await sendRequest(context.fetchFunction, context.label, joinUrl(server.url, 'prompt'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: workflow, client_id: server.clientId }),
    signal,
  });
  const text = await readText(response, context.label, signal);
  if (!response.ok) throw promptError(context.label, response.status, response.headers, text, template);
  return parseJsonBody(context.label, text, promptAnswerSchema).prompt_id;
}

export async function fetchHistory(server: ServerCall, promptId: string, signal: AbortSignal) {
  const { context } = server;
  const response = await sendRequest(
    context.fetchFunction,
    context.label,
    joinUrl(server.url, `history/${promptId}`),
    { signal },
  );
  const text = await readText(response, context.label, signal);
  if (!response.ok)
    throw promptError(context.label, response.status, response.headers, text, context.textTemplate);
  return parseJsonBody(context.label, text, historyAnswerSchema)[promptId];
}

export async function pollHistory(server: ServerCall, promptId: string, signal: AbortSignal) {
  for (;;) {
    const entry = await fetchHistory(server, promptId, signal);
    if (entry && (entry.status?.completed !== false || entry.status.status_str === 'error')) return entry;
    await raceAbort(
      new Promise((resolve) => setTimeout(resolve, server.context.historyPollIntervalMs)),
      signal,
      'The ComfyUI call',
    ).catch((error: unknown) => {
      void cancelPrompt(server, promptId, true);
      throw error;
    });
  }
}

/** Dequeues a pending prompt, or interrupts exactly this prompt when it runs (never another client's). */
export async function cancelPrompt(server: ServerCall, promptId: string, started: boolean): Promise<void> {
  const { context } = server;
  const [path, body] = started ? ['interrupt', { prompt_id: promptId }] : ['queue', { delete: [promptId] }];
  try {
    const response = await context.fetchFunction(joinUrl(server.url, path), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    await response.body?.cancel();
  } catch {
    // Best effort: the server may be gone, and the caller's abort stands either way.
  }
}

export async function uploadImage(
  server: ServerCall,
  bytes: Uint8Array,
  signal: AbortSignal,
): Promise<string> {
  const { context } = server;
  const form = new FormData();
  form.append('image', new Blob([bytes], { type: 'image/png' }), `vitrine-${randomUUID()}.png`);
  form.append('type', 'input');
  form.append('overwrite', 'true');
  const response = await sendRequest(
    context.fetchFunction,
    context.label,
    joinUrl(server.url, 'upload/image'),
    {
      method: 'POST',
      body: form,
      signal,
    },
  );
  const text = await readText(response, context.label, signal);
  if (!response.ok)
    throw promptError(context.label, response.status, response.headers, text, context.imageTemplate);
  const answer = parseJsonBody(context.label, text, uploadAnswerSchema);
  return answer.subfolder ? `${answer.subfolder}/${answer.name}` : answer.name;
}

export async function downloadImage(server: ServerCall, ref: ImageRef, signal: AbortSignal) {
  const { context } = server;
  const query = new URLSearchParams({ filename: ref.filename, subfolder: ref.subfolder, type: ref.type });
  const response = await sendRequest(
    context.fetchFunction,
    context.label,
    `${joinUrl(server.url, 'view')}?${query}`,
    { signal },
  );
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw invalidResponse(
      context.label,
      `ComfyUI could not serve output ${ref.filename} (HTTP ${response.status})`,
    );
  }
  const bytes = await readBytes(response, context.label, signal);
  const format = sniffImageFormat(bytes);
  if (!format)
    throw invalidResponse(context.label, `ComfyUI output ${ref.filename} is not an image we can read`);
  return { bytes, format };
}

/** `GET /system_stats` on every server; healthy while at least one answers. */
export async function checkServers(context: ComfyContext, signal: AbortSignal): Promise<ProviderHealth> {
  const results = await Promise.all(
    context.pool.urls.map(async (url) => {
      try {
        const response = await sendRequest(
          context.fetchFunction,
          context.label,
          joinUrl(url, 'system_stats'),
          { signal },
        );
        if (!response.ok) {
          await response.body?.cancel().catch(() => {});
          return { ok: false, text: `${url}: HTTP ${response.status}` };
        }
        const stats = (await response.json()) as { devices?: { name?: string }[] };
        return { ok: true, text: `${url}: ok (${stats.devices?.[0]?.name ?? 'no device listed'})` };
      } catch (error) {
        return { ok: false, text: `${url}: ${(error as Error).message}` };
      }
    }),
  );
  return {
    ok: results.some((result) => result.ok),
    message: results.map((result) => result.text).join('; '),
    checkedAt: new Date().toISOString(),
  };
}
