/** The Brands screen's calls: brand kits, fonts, logo upload and the live preview (PNG, not JSON). */
import { ApiError, type ImageQuality, request, SESSION_ENDED_EVENT } from './api.ts';

export const PALETTE_KEYS = ['primary', 'secondary', 'accent', 'background', 'text'] as const;
export type PaletteKey = (typeof PALETTE_KEYS)[number];

/** The editable part of a brand, as `PATCH /v1/brands/{slug}` takes it. */
export interface BrandKit {
  name: string;
  palette: Record<PaletteKey, string>;
  fonts: { heading: string; body: string };
  mood_words: string[];
  lighting: string;
  composition: string;
  negative_prompt: string;
  logo_asset_id: string | null;
}

export interface BrandRecord extends BrandKit {
  slug: string;
  version: number;
  builtin: boolean;
}

/** Unsaved edits: only the fields that differ from the saved brand, palette color by color. */
export type BrandChanges = Partial<Omit<BrandKit, 'palette' | 'fonts'>> & {
  palette?: Partial<BrandKit['palette']>;
  fonts?: Partial<BrandKit['fonts']>;
};

export interface FieldIssue {
  field: string;
  message: string;
}

/** An API error that names the fields it is about (`error.details.issues`). */
export class FieldError extends ApiError {
  readonly issues: FieldIssue[];

  constructor(status: number, code: string, message: string, issues: FieldIssue[]) {
    super(status, code, message);
    this.issues = issues;
  }
}

/** The same slug rule as the API (BRAND_SLUG_PATTERN). */
export const BRAND_SLUG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

const STUDIO_HEADER = { 'X-Vitrine-Studio': '1' };

async function send(
  method: string,
  path: string,
  init: { body?: BodyInit; type?: string },
): Promise<Response> {
  const headers: Record<string, string> = { ...STUDIO_HEADER };
  if (init.type) headers['Content-Type'] = init.type;
  const response = await fetch(path, { method, headers, credentials: 'same-origin', body: init.body });
  if (response.ok) return response;
  if (response.status === 401) dispatchEvent(new Event(SESSION_ENDED_EVENT));
  const payload = (await response.json().catch(() => null)) as {
    error?: { code: string; message: string; details?: { issues?: FieldIssue[] } };
  } | null;
  const error = payload?.error;
  throw new FieldError(
    response.status,
    error?.code ?? 'internal',
    error?.message ?? response.statusText,
    error?.details?.issues ?? [],
  );
}

export async function sendJson<T>(method: string, path: string, body: unknown): Promise<T> {
  const response = await send(method, path, { body: JSON.stringify(body), type: 'application/json' });
  return (await response.json()) as T;
}

export function listBrands(): Promise<BrandRecord[]> {
  return request<{ data: BrandRecord[] }>('GET', '/v1/brands').then((answer) => answer.data);
}

export function listFonts(): Promise<string[]> {
  return request<{ data: Array<{ family: string }> }>('GET', '/v1/fonts').then((answer) =>
    answer.data.map((font) => font.family),
  );
}

/** Uploads an image file as it is; the answer's id is what `logo_asset_id` takes. */
export async function uploadImage(file: File): Promise<{ id: string; url: string }> {
  const response = await send('POST', '/v1/assets', { body: file, type: file.type || 'image/png' });
  return (await response.json()) as { id: string; url: string };
}

export interface PreviewImage {
  blob: Blob;
  /** Failed checks and engine notes (text fit, contrast, cut-out…), from the `Vitrine-Notes` header. */
  notes: string[];
  /** The score and every check, passed or not, from the `Vitrine-Quality` header. */
  quality: ImageQuality | null;
}

/** A header holding URI-encoded JSON, or the fallback when it is absent or unreadable (it is advice). */
function jsonHeader<T>(response: Response, name: string, fallback: T): T {
  const value = response.headers.get(name);
  if (!value) return fallback;
  try {
    return JSON.parse(decodeURIComponent(value)) as T;
  } catch {
    return fallback;
  }
}

export async function renderPreview(
  body: { template: string; params: Record<string, string>; brand: string; brand_changes: BrandChanges },
  signal: AbortSignal,
): Promise<PreviewImage> {
  const headers = { ...STUDIO_HEADER, 'Content-Type': 'application/json' };
  const response = await fetch('/v1/previews', {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) {
    if (response.status === 401) dispatchEvent(new Event(SESSION_ENDED_EVENT));
    const payload = (await response.json().catch(() => null)) as { error?: { message: string } } | null;
    throw new ApiError(response.status, 'preview', payload?.error?.message ?? response.statusText);
  }
  return {
    blob: await response.blob(),
    notes: jsonHeader<string[]>(response, 'Vitrine-Notes', []),
    quality: jsonHeader<ImageQuality | null>(response, 'Vitrine-Quality', null),
  };
}

/** What differs between the saved kit and the draft, in the shape of a PATCH body. */
export function changesBetween(saved: BrandKit, draft: BrandKit): BrandChanges {
  const changes: BrandChanges = {};
  const palette = Object.fromEntries(
    PALETTE_KEYS.filter((key) => saved.palette[key] !== draft.palette[key]).map((key) => [
      key,
      draft.palette[key],
    ]),
  );
  if (Object.keys(palette).length) changes.palette = palette;
  const fonts: BrandChanges['fonts'] = {};
  if (saved.fonts.heading !== draft.fonts.heading) fonts.heading = draft.fonts.heading;
  if (saved.fonts.body !== draft.fonts.body) fonts.body = draft.fonts.body;
  if (Object.keys(fonts).length) changes.fonts = fonts;
  if (saved.mood_words.join('\u0000') !== draft.mood_words.join('\u0000'))
    changes.mood_words = draft.mood_words;
  for (const key of ['name', 'lighting', 'composition', 'negative_prompt', 'logo_asset_id'] as const) {
    if (saved[key] !== draft[key]) (changes as Record<string, unknown>)[key] = draft[key];
  }
  return changes;
}

export function kitOf(brand: BrandRecord): BrandKit {
  return {
    name: brand.name,
    palette: { ...brand.palette },
    fonts: { ...brand.fonts },
    mood_words: [...brand.mood_words],
    lighting: brand.lighting,
    composition: brand.composition,
    negative_prompt: brand.negative_prompt,
    logo_asset_id: brand.logo_asset_id,
  };
}
