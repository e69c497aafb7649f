import { z } from 'zod';
import type { BackendReport } from '../../domain/worker.ts';
import { bytesOrNull, displayUrl, getStatusJson, unreachableBackend } from '../backend-status.ts';
import { type FetchFunction, joinUrl } from '../http.ts';

/**
 * `GET /sdapi/v1/memory`: `cuda.system` is the device's free/used/total bytes (torch's
 * `mem_get_info`); without CUDA, `cuda` is `{error: "unavailable"}`.
 */
const memorySchema = z.object({
  cuda: z
    .object({
      system: z.object({ free: z.number(), used: z.number(), total: z.number() }).optional(),
      error: z.string().optional(),
    })
    .optional(),
});

/** `GET /sdapi/v1/progress`: the running task's jobs (`job_count`, `job_no`) in `state`. */
const progressSchema = z.object({
  state: z
    .object({ job: z.string().optional(), job_count: z.number().optional(), job_no: z.number().optional() })
    .optional(),
});

/**
 * One Automatic1111 server: GPU memory used and total from `/sdapi/v1/memory`; the GPU's name is
 * not in A1111's API (null). A1111 has no queue route: the depth is the jobs left of the task it
 * runs (`/sdapi/v1/progress`), 0 when idle. Never throws.
 */
export async function a1111ServerStatus(
  fetchFunction: FetchFunction,
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<BackendReport> {
  try {
    const [memory, progress] = await Promise.all([
      getStatusJson(fetchFunction, joinUrl(url, 'sdapi/v1/memory'), signal, headers).then((body) =>
        memorySchema.parse(body),
      ),
      getStatusJson(
        fetchFunction,
        joinUrl(url, 'sdapi/v1/progress?skip_current_image=true'),
        signal,
        headers,
      ).then((body) => progressSchema.parse(body)),
    ]);
    const cuda = memory.cuda?.system;
    const state = progress.state;
    const jobs = state?.job_count ?? 0;
    const running = jobs > 0 && (state?.job ?? '') !== '';
    return {
      url: displayUrl(url),
      ok: true,
      message: cuda ? null : `no CUDA device (${memory.cuda?.error ?? 'not reported'})`,
      gpu: cuda
        ? {
            name: null,
            memory_used_bytes: bytesOrNull(cuda.used),
            memory_total_bytes: bytesOrNull(cuda.total),
          }
        : null,
      queue_depth: running ? Math.max(1, jobs - (state?.job_no ?? 0)) : 0,
    };
  } catch (error) {
    return unreachableBackend(
      url,
      error instanceof z.ZodError ? new Error('unexpected status answer') : error,
    );
  }
}
