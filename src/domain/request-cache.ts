import { createHash } from 'node:crypto';

/** Everything that decides a job's images: equal descriptions give interchangeable results. */
export interface CacheableRequest {
  provider: string;
  model: string;
  prompt: string;
  negativePrompt: string;
  width: number;
  height: number;
  format: string;
  /** The seed the caller asked for; null when any seed would do (then any seed's result answers). */
  askedSeed: number | null;
  template: string | null;
  templateVersion: number | null;
  brand: string;
  brandVersion: number;
  params: Readonly<Record<string, string>>;
  n: number;
  /** A layout engine draws params as text: they belong to the scope of a near-duplicate match. */
  layouts: boolean;
  /** The request's design options (style pack, minimum score); absent ones leave the key as before. */
  options?: { style_pack?: string; min_quality?: number };
}

/** The exact key: a hash of the whole normalized request. */
export function exactCacheKey(request: CacheableRequest): string {
  const { layouts: _layouts, options, ...rest } = request;
  const design = options && Object.keys(options).length > 0 ? { options } : {};
  return sha256(stableJson({ ...rest, ...design, prompt: normalizePrompt(rest.prompt) }));
}

/**
 * The scope of a near-duplicate match: the request without its prompt and seed. Params count for
 * layout engines (they are drawn) and, for image models, only the images they start from.
 */
export function similarityScope(request: CacheableRequest): string {
  const params = Object.fromEntries(
    Object.entries(request.params).filter(([, value]) => request.layouts || IMAGE_REFERENCE.test(value)),
  );
  return sha256(
    stableJson({
      provider: request.provider,
      model: request.model,
      negativePrompt: request.negativePrompt,
      width: request.width,
      height: request.height,
      format: request.format,
      template: request.template,
      templateVersion: request.templateVersion,
      brand: request.brand,
      brandVersion: request.brandVersion,
      n: request.n,
      params,
      ...(request.options && Object.keys(request.options).length > 0 ? { options: request.options } : {}),
    }),
  ).slice(0, 32);
}

const IMAGE_REFERENCE = /^(https?:\/\/|[0-9a-f]{8}-[0-9a-f]{4}-)/i;

/** NFKC, lower case, one space between words: "Red  Shirt" and "red shirt" are one prompt. */
export function normalizePrompt(prompt: string): string {
  return prompt.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/**
 * Character bigrams of the normalized prompt. Bigrams, not words, so Chinese (no spaces) and
 * English compare alike; counted by code point so a CJK character or an emoji is one character.
 */
export function promptShingles(prompt: string): Set<string> {
  const characters = Array.from(normalizePrompt(prompt));
  if (characters.length < 2) return new Set(characters);
  const shingles = new Set<string>();
  for (let index = 0; index + 1 < characters.length; index++) {
    shingles.add(characters[index]! + characters[index + 1]!);
  }
  return shingles;
}

/** Dice similarity of two shingle sets: 1 for the same prompt, 0 for nothing in common. */
export function promptSimilarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let common = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const shingle of small) if (large.has(shingle)) common++;
  return (2 * common) / (a.size + b.size);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item ?? null)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
