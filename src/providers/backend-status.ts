import type { BackendReport } from '../domain/worker.ts';
import type { FetchFunction } from './http.ts';

/** Helpers for the status routes of self-hosted GPU servers (ComfyUI, Automatic1111). */

/** A server URL as shown to operators: without user, password or trailing slash. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/+$/, '');
  } catch {
    return url;
  }
}

/** GETs JSON from a status route; rejects with a short reason (HTTP status, network error, bad JSON). */
export async function getStatusJson(
  fetchFunction: FetchFunction,
  url: string,
  signal: AbortSignal,
  headers: Record<string, string> = {},
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchFunction(url, { signal, headers: { accept: 'application/json', ...headers } });
  } catch (error) {
    const cause = (
      error as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }
    ).cause;
    const reason =
      cause?.code ??
      cause?.errors?.find((inner) => inner.code)?.code ??
      cause?.message ??
      (error as Error).message;
    throw new Error(signal.aborted ? 'no answer in time' : reason);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new Error(`HTTP ${response.status} from ${new URL(url).pathname}`);
  }
  try {
    return await response.json();
  } catch {
    throw new Error(`${new URL(url).pathname} did not answer JSON`);
  }
}

/** A report for a server that did not answer its status routes. */
export function unreachableBackend(url: string, error: unknown): BackendReport {
  return { url: displayUrl(url), ok: false, message: (error as Error).message, gpu: null, queue_depth: null };
}

/** A byte count from a status answer, or null when absent or not a number. */
export function bytesOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
}
