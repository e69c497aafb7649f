/** A tiny HTTP client for tests: JSON in, `{status, headers, body}` out, never throws on a status. */

/** Answers are read loosely in tests; assertions check their shape. */
// biome-ignore lint/suspicious/noExplicitAny: test code reads JSON answers without declaring each shape
export type Loose = any;

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: T;
  text: string;
}

export interface RequestOptions {
  key?: string | null;
  /** A value to send as JSON, or a string to send as it is (e.g. malformed JSON). */
  body?: unknown;
  headers?: Record<string, string>;
}

export class HttpClient {
  readonly baseUrl: string;
  readonly key: string | null;

  constructor(baseUrl: string, key: string | null = null) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.key = key;
  }

  /** The same server with another key (or none). */
  withKey(key: string | null): HttpClient {
    return new HttpClient(this.baseUrl, key);
  }

  get<T = Loose>(path: string, options: RequestOptions = {}) {
    return this.request<T>('GET', path, options);
  }
  post<T = Loose>(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request<T>('POST', path, { ...options, body });
  }
  patch<T = Loose>(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  put<T = Loose>(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request<T>('PUT', path, { ...options, body });
  }
  delete<T = Loose>(path: string, options: RequestOptions = {}) {
    return this.request<T>('DELETE', path, options);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const key = options.key === undefined ? this.key : options.key;
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (key) headers.authorization = `Bearer ${key}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(this.url(path), { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  /** Raw bytes of a GET (for images); `key: null` sends no key. */
  async bytes(path: string, options: { key?: string | null } = {}) {
    const key = options.key === undefined ? this.key : options.key;
    const response = await fetch(this.url(path), {
      headers: key ? { authorization: `Bearer ${key}` } : {},
    });
    return {
      status: response.status,
      headers: response.headers,
      bytes: new Uint8Array(await response.arrayBuffer()),
    };
  }

  url(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.baseUrl}${path}`;
  }
}
