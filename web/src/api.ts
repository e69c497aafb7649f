/** The studio's calls to the Vitrine API: same origin, the session cookie, the CSRF header. */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Fired on window when an API call answers 401: the session is gone. */
export const SESSION_ENDED_EVENT = 'vitrine:session-ended';

export interface KeyInfo {
  id: string;
  name: string;
  key_prefix: string;
  scopes: string[];
}

export interface TemplateParam {
  name: string;
  kind: 'text' | 'image';
  required: boolean;
  max_length?: number;
}

export interface Template {
  name: string;
  version?: number;
  description?: string;
  width: number;
  height: number;
  params: TemplateParam[];
}

export interface Brand {
  slug: string;
  name?: string;
  version?: number;
}

/** A design pack from `GET /v1/style-packs`, named and described in both interface languages. */
export interface StylePack {
  id: string;
  name: { en: string; zh: string };
  description: { en: string; zh: string };
  swatches?: string[];
}

export interface Provider {
  id: string;
  available?: boolean;
  capabilities?: { layouts?: boolean };
}

export interface JobImage {
  id: string;
  url: string;
  width: number;
  height: number;
  seed: number;
  /** The image's quality score and checks (docs/quality.md); null for older images. */
  quality?: ImageQuality | null;
}

export interface ImageQuality {
  score: number;
  parts: Record<string, number>;
  checks: Array<{ name: string; passed: boolean; detail: string }>;
}

export interface JobWarning {
  code: string;
  message: string;
  image?: number;
  level?: 'warning' | 'info';
  data?: Record<string, unknown>;
}

export interface Job {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';
  n: number;
  progress: number;
  provider: string | null;
  cost_usd: number | null;
  seed: number | null;
  error: { code: string; message: string } | null;
  images: JobImage[];
  warnings?: JobWarning[];
}

export interface Estimate {
  cost_usd: number;
  images: number;
  provider: string;
  model: string;
}

/** The body of POST /v1/generations and /v1/estimate, as the studio builds it. */
export interface GenerationRequest {
  template?: string;
  params?: Record<string, string>;
  prompt?: string;
  brand?: string;
  style?: string;
  n: number;
  width?: number;
  height?: number;
  provider?: string;
  seed?: number;
  style_pack?: string;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'X-Vitrine-Studio': '1' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return readAnswer<T>(response, path);
}

/** The JSON answer, or an ApiError carrying the API's error code and message. */
async function readAnswer<T>(response: Response, path: string): Promise<T> {
  if (response.status === 204) return undefined as T;
  const payload = (await response.json().catch(() => null)) as {
    error?: { code: string; message: string };
  } | null;
  if (!response.ok) {
    // A 401 on an API call means the session ended (expired, signed out elsewhere, key revoked):
    // the app goes back to sign-in and returns here after. Sign-in's own answers are not that.
    if (response.status === 401 && path.startsWith('/v1/')) dispatchEvent(new Event(SESSION_ENDED_EVENT));
    const error = payload?.error;
    throw new ApiError(response.status, error?.code ?? 'internal', error?.message ?? response.statusText);
  }
  return payload as T;
}

/** Who is signed in, or null: the server answers 200 either way so a signed-out load logs no error. */
export async function currentSession(): Promise<KeyInfo | null> {
  const body = await request<{ key: KeyInfo | null }>('GET', '/session');
  return body.key;
}

export function signIn(key: string): Promise<{ key: KeyInfo }> {
  return request('POST', '/login', { key });
}

export function signOut(): Promise<void> {
  return request('POST', '/logout');
}

export interface UploadedAsset {
  id: string;
  url: string;
  width: number;
  height: number;
}

/** Uploads an image file (a product photo, a logo) as an asset; its id goes into image params. */
export async function uploadImage(file: File): Promise<UploadedAsset> {
  const response = await fetch('/v1/assets', {
    method: 'POST',
    headers: { 'X-Vitrine-Studio': '1', 'Content-Type': file.type || 'application/octet-stream' },
    credentials: 'same-origin',
    body: file,
  });
  return readAnswer<UploadedAsset>(response, '/v1/assets');
}
