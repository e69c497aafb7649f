/**
 * The picker's calls to Vitrine. With a token (a page on another origin) it is a bearer credential
 * and no cookie goes; without one (a page served by Vitrine itself) the studio's session cookie
 * and its CSRF header do the work.
 */

export interface PickerConnection {
  /** Vitrine's origin, e.g. https://vitrine.example.com */
  server: string;
  token: string | null;
}

export interface PickerTemplate {
  name: string;
  width: number;
  height: number;
  params: Array<{ name: string; kind: 'text' | 'image'; required: boolean; max_length?: number }>;
}

export interface PickerJobImage {
  id: string;
  url: string;
  width: number;
  height: number;
  /** The image's quality check (the studio's engine scores every layout it draws); null if none. */
  quality?: {
    score: number;
    checks: Array<{ name: string; passed: boolean; detail: string }>;
  } | null;
}

export interface PickerJob {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';
  progress: number;
  error: { code: string; message: string } | null;
  images: PickerJobImage[];
  warnings?: Array<{ code: string; message: string; image?: number; level?: 'warning' | 'info' }>;
}

export class PickerApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function pickerRequest<T>(
  connection: PickerConnection,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = connection.token
    ? { Authorization: `Bearer ${connection.token}` }
    : { 'X-Vitrine-Studio': '1' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(new URL(path, connection.server), {
    method,
    headers,
    credentials: connection.token ? 'omit' : 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!response.ok) {
    throw new PickerApiError(response.status, payload?.error?.message ?? response.statusText);
  }
  return payload as T;
}

const POLL_MS = 400;

/**
 * Follows a job until it ends. Polling rather than the SSE stream: EventSource cannot send the
 * Authorization header a picker token needs, and a job of a few images ends within seconds.
 */
export async function waitForJob(
  connection: PickerConnection,
  jobId: string,
  onUpdate: (job: PickerJob) => void,
  signal: AbortSignal,
): Promise<PickerJob> {
  for (;;) {
    const job = await pickerRequest<PickerJob>(connection, 'GET', `/v1/jobs/${encodeURIComponent(jobId)}`);
    if (signal.aborted) throw new DOMException('The picker was closed', 'AbortError');
    onUpdate(job);
    if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'canceled') return job;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
