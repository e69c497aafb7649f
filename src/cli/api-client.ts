/** A small client of Vitrine's HTTP API, for CLI commands run with --server. */
export class ApiClient {
  readonly baseUrl: string;
  readonly #key: string | undefined;

  constructor(baseUrl: string, key: string | undefined) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#key = key;
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    if (!this.#key)
      throw new CliError('An API key is needed with --server: pass --key or set VITRINE_API_KEY');
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new CliError(`Cannot reach the Vitrine server at ${this.baseUrl}: ${(error as Error).message}`);
    }
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const error = data?.error;
      const issues = (error?.details?.issues ?? []) as Array<{ field: string; message: string }>;
      throw new CliError(
        `${error?.message ?? `HTTP ${response.status}`}${issues.map((i) => `\n  ${i.field}: ${i.message}`).join('')}`,
      );
    }
    return data as T;
  }

  /** POSTs a multipart form (a CSV upload); errors as `request`. */
  async requestForm<T>(path: string, form: FormData): Promise<T> {
    if (!this.#key)
      throw new CliError('An API key is needed with --server: pass --key or set VITRINE_API_KEY');
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.#key}` },
      body: form,
    }).catch((error: Error) => {
      throw new CliError(`Cannot reach the Vitrine server at ${this.baseUrl}: ${error.message}`);
    });
    const data = (await response.json().catch(() => null)) as
      | (T & { error?: never })
      | { error?: { message: string; details?: { issues?: Array<{ field: string; message: string }> } } }
      | null;
    if (!response.ok) {
      const error = (
        data as {
          error?: { message: string; details?: { issues?: Array<{ field: string; message: string }> } };
        } | null
      )?.error;
      const issues = error?.details?.issues ?? [];
      throw new CliError(
        `${error?.message ?? `HTTP ${response.status}`}${issues.map((i) => `\n  ${i.field}: ${i.message}`).join('')}`,
      );
    }
    return data as T;
  }

  /**
   * Follows a job's server-sent events until `done` (returning the finished job) or until
   * `timeoutMs` passes (returning the job as it is then).
   */
  async followJob<Job>(
    id: string,
    timeoutMs: number,
    onEvent: (event: string, data: Record<string, unknown>) => void,
  ): Promise<Job> {
    const path = `/v1/jobs/${encodeURIComponent(id)}`;
    try {
      const response = await fetch(`${this.baseUrl}${path}/events`, {
        headers: { authorization: `Bearer ${this.#key}`, accept: 'text/event-stream' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok || !response.body) return this.request<Job>('GET', path);
      let buffer = '';
      for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: ?(.*)$/m.exec(block)?.[1] ?? 'message';
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trimStart())
            .join('\n');
          if (event === 'done') return JSON.parse(data) as Job;
          if (data) onEvent(event, JSON.parse(data) as Record<string, unknown>);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'TimeoutError') throw error;
    }
    return this.request<Job>('GET', path);
  }

  /** Uploads an image file's bytes; returns the new asset id. */
  async uploadImage(bytes: Uint8Array, contentType: string): Promise<string> {
    if (!this.#key)
      throw new CliError('An API key is needed with --server: pass --key or set VITRINE_API_KEY');
    const response = await fetch(`${this.baseUrl}/v1/assets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.#key}`, 'content-type': contentType },
      body: bytes,
    }).catch((error: Error) => {
      throw new CliError(`Cannot reach the Vitrine server at ${this.baseUrl}: ${error.message}`);
    });
    const data = (await response.json().catch(() => null)) as {
      id?: string;
      error?: { message: string };
    } | null;
    if (!response.ok || !data?.id)
      throw new CliError(`Upload failed: ${data?.error?.message ?? `HTTP ${response.status}`}`);
    return data.id;
  }

  /** GETs an API path that answers bytes (a CSV, a video); an error answer's message is thrown. */
  async getBytes(path: string): Promise<Uint8Array> {
    if (!this.#key)
      throw new CliError('An API key is needed with --server: pass --key or set VITRINE_API_KEY');
    const response = await fetch(`${this.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${this.#key}` },
    }).catch((error: Error) => {
      throw new CliError(`Cannot reach the Vitrine server at ${this.baseUrl}: ${error.message}`);
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (!response.ok) {
      let message = `HTTP ${response.status}`;
      try {
        message = (JSON.parse(new TextDecoder().decode(bytes)) as { error: { message: string } }).error
          .message;
      } catch {}
      throw new CliError(message, 2);
    }
    return bytes;
  }

  async download(url: string): Promise<Uint8Array> {
    const response = await fetch(url);
    if (!response.ok) throw new CliError(`Downloading ${url} answered HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }
}

/** An error whose message is for the user as it stands (no stack trace); exit code 1 unless given. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
