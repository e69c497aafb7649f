import { normalizePrompt, promptShingles, promptSimilarity } from './request-cache.ts';

const HASHES = 32;
const BANDS = 8;
const ROWS_PER_BAND = HASHES / BANDS;
/** Entries kept per bucket, and candidates compared exactly per lookup: a bound on a lookup's work. */
const BUCKET_CAP = 256;
const MAX_COMPARED = 32;
/** Odd multipliers for the hash family (one per MinHash function). */
const SEEDS = Array.from({ length: HASHES }, (_, index) => (Math.imul(index + 1, 0x9e3779b1) | 1) >>> 0);

export interface SimilarMatch {
  id: string;
  similarity: number;
}

/**
 * Near-duplicate prompts in memory: MinHash over character bigrams with locality-sensitive
 * banding, so a lookup compares only the few prompts that share a band instead of every one. At
 * a Dice similarity of 0.9 a true match shares a band with probability above 0.99; the candidates
 * sharing the most bands are then checked exactly. Buckets and comparisons are capped, so a lookup
 * costs the same among 100 or 100,000 prompts, at the price of not always finding the very best match
 * in a large family of alike prompts. Prompts are compared only within one scope (same size, model, …).
 */
export class SimilarPromptIndex {
  readonly #ids: string[] = [];
  readonly #texts: string[] = [];
  readonly #buckets = new Map<number, number[]>();

  get size(): number {
    return this.#ids.length;
  }

  add(id: string, scope: string, prompt: string): void {
    const entry = this.#ids.length;
    this.#ids.push(id);
    this.#texts.push(normalizePrompt(prompt));
    for (const bucket of bucketsOf(scope, prompt)) {
      const list = this.#buckets.get(bucket);
      if (!list) this.#buckets.set(bucket, [entry]);
      else {
        list.push(entry);
        // Templated prompts crowd one bucket; the newest entries stand for the rest of the family.
        if (list.length > BUCKET_CAP) list.splice(0, list.length - BUCKET_CAP);
      }
    }
  }

  /** The most similar prompt of the scope at or above `threshold`, or null. */
  find(scope: string, prompt: string, threshold: number): SimilarMatch | null {
    const shingles = promptShingles(prompt);
    // Candidates sharing more bands are likelier alike: only the best few are compared exactly.
    const sharedBands = new Map<number, number>();
    for (const bucket of bucketsOf(scope, prompt, shingles)) {
      for (const entry of this.#buckets.get(bucket) ?? [])
        sharedBands.set(entry, (sharedBands.get(entry) ?? 0) + 1);
    }
    const candidates = [...sharedBands].sort((a, b) => b[1] - a[1] || b[0] - a[0]).slice(0, MAX_COMPARED);
    let best: SimilarMatch | null = null;
    for (const [entry] of candidates) {
      const similarity = promptSimilarity(shingles, promptShingles(this.#texts[entry]!));
      if (similarity >= threshold && (!best || similarity > best.similarity)) {
        best = { id: this.#ids[entry]!, similarity };
      }
    }
    return best;
  }
}

function bucketsOf(scope: string, prompt: string, shingles = promptShingles(prompt)): number[] {
  const minimums = new Array<number>(HASHES).fill(0xffffffff);
  for (const shingle of shingles) {
    const base = fnv1a(shingle);
    for (let index = 0; index < HASHES; index++) {
      const hashed = mix(base ^ SEEDS[index]!);
      if (hashed < minimums[index]!) minimums[index] = hashed;
    }
  }
  const scopeHash = fnv1a(scope);
  const buckets: number[] = [];
  for (let band = 0; band < BANDS; band++) {
    let hash = mix(scopeHash ^ Math.imul(band + 1, 0x85ebca6b));
    for (let row = 0; row < ROWS_PER_BAND; row++) hash = mix(hash ^ minimums[band * ROWS_PER_BAND + row]!);
    // Band number in the low bits: equal signatures in different bands never share a bucket.
    buckets.push(hash * BANDS + band);
  }
  return buckets;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3's finalizer: spreads every input bit over the output. */
function mix(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
