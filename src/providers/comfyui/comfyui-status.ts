import { z } from 'zod';
import type { BackendReport } from '../../domain/worker.ts';
import { bytesOrNull, displayUrl, getStatusJson, unreachableBackend } from '../backend-status.ts';
import { type FetchFunction, joinUrl } from '../http.ts';

/** `GET /system_stats`: the devices ComfyUI runs on (minimal: what a heartbeat shows). */
const systemStatsSchema = z.object({
  devices: z
    .array(
      z.object({
        name: z.string().optional(),
        type: z.string().optional(),
        vram_total: z.number().optional(),
        vram_free: z.number().optional(),
      }),
    )
    .default([]),
});

/** `GET /queue`: prompts running and waiting, each an array `[number, prompt_id, prompt, extra, outputs]`. */
const queueSchema = z.object({
  queue_running: z.array(z.unknown()).default([]),
  queue_pending: z.array(z.unknown()).default([]),
});

/**
 * One ComfyUI server's GPU (the first device: name, VRAM used and total) and queue depth (running
 * plus pending prompts). Never throws: a server that does not answer is reported as such.
 */
export async function comfyServerStatus(
  fetchFunction: FetchFunction,
  url: string,
  signal: AbortSignal,
): Promise<BackendReport> {
  try {
    const [stats, queue] = await Promise.all([
      getStatusJson(fetchFunction, joinUrl(url, 'system_stats'), signal).then((body) =>
        systemStatsSchema.parse(body),
      ),
      getStatusJson(fetchFunction, joinUrl(url, 'queue'), signal).then((body) => queueSchema.parse(body)),
    ]);
    const device = stats.devices[0];
    const total = bytesOrNull(device?.vram_total);
    const free = bytesOrNull(device?.vram_free);
    return {
      url: displayUrl(url),
      ok: true,
      message: null,
      gpu: device
        ? {
            name: device.name ?? null,
            memory_total_bytes: total,
            memory_used_bytes: total !== null && free !== null ? Math.max(0, total - free) : null,
          }
        : null,
      queue_depth: queue.queue_running.length + queue.queue_pending.length,
    };
  } catch (error) {
    return unreachableBackend(
      url,
      error instanceof z.ZodError ? new Error('unexpected status answer') : error,
    );
  }
}
