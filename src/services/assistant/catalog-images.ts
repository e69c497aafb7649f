import type { Product } from '../../domain/product.ts';
import { OrbIndex } from '../../vision/orb-index.ts';
import { type ImageSignature, type SignatureOptions, signatureOf } from './visual-match.ts';

/**
 * The catalog's pictures as grounding needs them: one signature per product image, computed the
 * first time it is needed (or by `warm` at start) and kept in memory, keyed by SKU, product version
 * and image, so an edited product is looked at again. An LSH index over their ORB descriptors
 * answers "which catalog images could this photo show?" without matching them all.
 */

export interface CatalogImageSignature {
  sku: string;
  category: string;
  /** The asset id or URL as the product lists it. */
  image: string;
  signature: ImageSignature;
  /** The learned embedding, when an image encoder is configured. */
  embedding: Float32Array | null;
}

export interface CatalogImagesDeps {
  /** The bytes of an asset id or an http(s) URL (bounded, SSRF-safe). */
  loadImage(reference: string, signal: AbortSignal): Promise<Uint8Array>;
  listProducts(cursor: string | undefined): Promise<{ data: Product[]; next_cursor: string | null }>;
  signatureOptions: SignatureOptions;
  /** The operator's image encoder (VITRINE_EMBEDDING_MODEL), when configured. */
  embed?: (bytes: Uint8Array) => Promise<Float32Array>;
  /** At most this many images are kept; the least recently used go first. */
  maxImages: number;
  logger?: { warn(object: object, message: string): void };
}

export class CatalogImages {
  readonly #deps: CatalogImagesDeps;
  /** Insertion order is recency: a hit is deleted and re-inserted. */
  readonly #entries = new Map<string, Promise<CatalogImageSignature | null>>();
  readonly #settled = new Map<string, CatalogImageSignature>();
  readonly #index = new OrbIndex();
  /** The cache keys of each SKU, to drop an edited product's older version. */
  readonly #keysBySku = new Map<string, Set<string>>();

  constructor(deps: CatalogImagesDeps) {
    this.#deps = deps;
  }

  get size(): number {
    return this.#settled.size;
  }

  /** Signatures of a product's images; images that cannot be loaded are skipped (and logged). */
  async of(product: Product, signal: AbortSignal): Promise<CatalogImageSignature[]> {
    const loaded = await Promise.all(product.images.map((image) => this.#entry(product, image, signal)));
    return loaded.filter((entry): entry is CatalogImageSignature => entry !== null);
  }

  /**
   * The catalog images a photo most likely shows (LSH votes over every image indexed so far),
   * optionally within one category.
   */
  candidates(photo: ImageSignature, options: { limit: number; category?: string }): CatalogImageSignature[] {
    const ranked = this.#index.query(photo.orb, {
      limit: options.limit,
      only: options.category ? (key) => this.#settled.get(key)?.category === options.category : undefined,
    });
    return ranked.map((entry) => this.#settled.get(entry.id)).filter((entry) => entry !== undefined);
  }

  /** Computes every product's signatures, page by page (at start, so the first shoppers do not wait). */
  async warm(signal: AbortSignal): Promise<number> {
    let cursor: string | undefined;
    let count = 0;
    do {
      const page = await this.#deps.listProducts(cursor);
      for (const product of page.data) {
        if (signal.aborted) return count;
        count += (await this.of(product, signal)).length;
      }
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return count;
  }

  #entry(product: Product, image: string, signal: AbortSignal): Promise<CatalogImageSignature | null> {
    const key = `${product.sku}@${product.version}:${image}`;
    const existing = this.#entries.get(key);
    if (existing) {
      this.#entries.delete(key);
      this.#entries.set(key, existing);
      return existing;
    }
    for (const old of this.#keysBySku.get(product.sku) ?? []) {
      if (!old.startsWith(`${product.sku}@${product.version}:`)) this.#forget(old);
    }
    const keys = this.#keysBySku.get(product.sku) ?? new Set<string>();
    keys.add(key);
    this.#keysBySku.set(product.sku, keys);
    const pending = (async () => {
      try {
        const bytes = await this.#deps.loadImage(image, signal);
        const signature = await signatureOf(bytes, 'catalog', this.#deps.signatureOptions);
        const embedding = this.#deps.embed ? await this.#deps.embed(bytes) : null;
        const entry: CatalogImageSignature = {
          sku: product.sku,
          category: product.category,
          image,
          signature,
          embedding,
        };
        this.#settled.set(key, entry);
        this.#index.add(key, signature.orb);
        return entry;
      } catch (error) {
        this.#deps.logger?.warn({ err: error, sku: product.sku, image }, 'a catalog image could not be read');
        // Not cached: the next question tries again (the URL may be back).
        this.#forget(key);
        return null;
      }
    })();
    this.#entries.set(key, pending);
    this.#evict();
    return pending;
  }

  #evict(): void {
    while (this.#entries.size > this.#deps.maxImages) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) return;
      this.#forget(oldest);
    }
  }

  #forget(key: string): void {
    this.#entries.delete(key);
    this.#settled.delete(key);
    this.#index.remove(key);
    const sku = key.slice(0, key.indexOf('@'));
    this.#keysBySku.get(sku)?.delete(key);
  }
}
