import {
  type ComposedAnswer,
  composeAnswer,
  type GroundedFacts,
  type SameItemFacts,
} from '../../domain/assistant-answer.ts';
import {
  type AssistantIntent,
  detectIntents,
  detectLanguage,
  type Locale,
  looksLikeInjection,
  mentionedBody,
  mentionedSize,
  mentionsPreviousPurchase,
} from '../../domain/assistant-intent.ts';
import { notFound } from '../../domain/errors.ts';
import type { Customer, Product, Purchase } from '../../domain/product.ts';
import { judgeSameItem, SAME_ITEM_THRESHOLDS, type SameItemJudgement } from '../../domain/same-item.ts';
import { adviseSize, type SizeAdvice, type SizeAdvicePurchase } from '../../domain/size-advice.ts';
import type { ProductService } from '../products/product.service.ts';
import type { CatalogImageSignature, CatalogImages } from './catalog-images.ts';
import { cosine, type ImageEmbeddings } from './image-embeddings.ts';
import {
  compareSignatures,
  type ImageSignature,
  type SignatureOptions,
  signatureOf,
  type VisualComparison,
} from './visual-match.ts';

export interface GroundingInput {
  question: string;
  /** The conversation's language, for questions that do not show theirs. */
  locale: Locale;
  /**
   * The normalized photo (JPEG), or null. It may still be being normalized: the product, customer
   * and purchases are read meanwhile.
   */
  photo: Uint8Array | Promise<Uint8Array> | null;
  sku: string | null;
  previousSku: string | null;
  customerId: string | null;
}

/** One photo-to-catalog-image comparison, as shown beside the answer. */
export interface Comparison {
  sku: string;
  image: string;
  role: 'product' | 'previous_purchase' | 'catalog_search';
  inliers: number;
  /** Inliers inside the catalog image's outline: what the design verdict rests on. */
  interior_inliers: number;
  colour_residual: number | null;
  embedding: number | null;
  verdict: SameItemJudgement['verdict'];
  score: number;
}

export type Source =
  | { type: 'product'; sku: string; version: number }
  | { type: 'catalog_image'; sku: string; image: string; inliers: number }
  | { type: 'size_chart'; sku: string; size: string; measurements: Record<string, number> }
  | { type: 'purchase'; sku: string; size: string; purchased_at: string; feedback: string }
  | { type: 'customer_profile'; customer_id: string };

export interface Grounding {
  facts: GroundedFacts;
  composed: ComposedAnswer;
  intents: AssistantIntent[];
  language: Locale;
  product: Product | null;
  sameItem: (SameItemFacts & { sku: string }) | null;
  size: SizeAdvice | null;
  comparisons: Comparison[];
  sources: Source[];
  timings: { photo_ms: number; compare_ms: number; total_ms: number };
}

type Deps = {
  products: Pick<ProductService, 'find' | 'findMany' | 'findCustomer' | 'purchasesOf'>;
  catalogImages: Pick<CatalogImages, 'of' | 'candidates'>;
  embeddings: ImageEmbeddings | null;
  signatureOptions: SignatureOptions;
};

/** Catalog images searched when the photo matches nothing it was compared with. */
const SEARCH_CANDIDATES = 6;

/**
 * Design inliers that leave no doubt (twice what `same` needs): once one of a product's images has
 * them with the colour agreeing, its other images are not matched — each costs a full ORB match.
 */
const DECISIVE_INLIERS = 2 * SAME_ITEM_THRESHOLDS.designInliers;

/**
 * Everything the assistant can say without a model: intents and language of the question, the
 * product and the shopper's purchases, the photo compared with the catalog (same item, other
 * colour, different, unsure), size advice from the chart, and the grounded answer composed from it.
 */
export class GroundingService {
  readonly #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  async ground(input: GroundingInput, signal: AbortSignal): Promise<Grounding> {
    const started = performance.now();
    // The photo is normalized and its pixels decoded (libvips, off the main thread) while the
    // product, customer and purchases are read; its keypoints follow between those reads.
    const photoWork = input.photo
      ? Promise.resolve(input.photo).then((bytes) => this.#photoSignature(bytes, started))
      : null;
    // Handled here too, so a lookup that fails first (an unknown SKU) leaves no unhandled rejection.
    photoWork?.catch(() => {});
    const intents = detectIntents(input.question);
    const language = detectLanguage(input.question, input.locale);
    const product = input.sku ? await this.#product(input.sku) : null;
    const customer = input.customerId ? await this.#customer(input.customerId) : null;
    const purchases = customer ? await this.#deps.products.purchasesOf(customer) : [];
    const purchased = await this.#deps.products.findMany([
      ...new Set(purchases.map((purchase) => purchase.sku)),
    ]);
    const bySku = new Map(purchased.map((item) => [item.sku, item]));
    const previous = input.previousSku
      ? await this.#product(input.previousSku)
      : latestPurchaseProduct(purchases, bySku, product);

    let photoMs = 0;
    let compareMs = 0;
    let sameItem: Grounding['sameItem'] = null;
    const comparisons: Comparison[] = [];
    if (photoWork) {
      const { photo, photoEmbedding, ms } = await photoWork;
      photoMs = ms;
      const compareStarted = performance.now();
      const askedAboutPurchase = mentionsPreviousPurchase(input.question) && previous !== null;
      const primary = askedAboutPurchase ? previous : (product ?? previous);
      const targets: Array<{ product: Product; role: Comparison['role'] }> = [];
      const roleOf = (item: Product) => (item === product ? 'product' : 'previous_purchase');
      if (primary)
        targets.push({ product: primary, role: askedAboutPurchase ? 'previous_purchase' : roleOf(primary) });
      for (const other of [product, previous]) {
        if (other && !targets.some((target) => target.product.sku === other.sku)) {
          targets.push({ product: other, role: roleOf(other) });
        }
      }
      const compared = new Map<string, VisualComparison>();
      const judged = new Map<
        string,
        { judgement: SameItemJudgement; role: Comparison['role']; name: string }
      >();
      for (const target of targets) {
        const images = await this.#deps.catalogImages.of(target.product, signal);
        const best = await this.#bestOf(images, photo, photoEmbedding, target.role, comparisons, compared);
        if (best)
          judged.set(target.product.sku, { judgement: best, role: target.role, name: target.product.name });
      }
      const primaryJudgement = primary ? judged.get(primary.sku) : undefined;
      if (primaryJudgement?.judgement.verdict !== 'same') {
        // Which catalog product is it, then? The likeliest images by LSH votes, matched in full.
        const candidates = this.#deps.catalogImages
          .candidates(photo, {
            limit: SEARCH_CANDIDATES + judged.size,
            category: product?.category || undefined,
          })
          .filter((candidate) => !judged.has(candidate.sku))
          .slice(0, SEARCH_CANDIDATES);
        for (const candidate of candidates) {
          const best = await this.#bestOf(
            [candidate],
            photo,
            photoEmbedding,
            'catalog_search',
            comparisons,
            compared,
          );
          const known = judged.get(candidate.sku);
          if (best && (!known || best.score > known.judgement.score)) {
            judged.set(candidate.sku, { judgement: best, role: 'catalog_search', name: '' });
          }
        }
      }
      compareMs = performance.now() - compareStarted;
      sameItem = await this.#headline(primary, judged);
    }

    const size =
      product && (intents.includes('size') || intents.includes('fit'))
        ? this.#size(product, customer, purchases, bySku, input.question, language)
        : null;
    const facts: GroundedFacts = {
      locale: language,
      intents,
      product: product
        ? {
            sku: product.sku,
            name: product.name,
            category: product.category,
            fit: product.fit,
            attributes: product.attributes,
            price: product.price,
            currency: product.currency,
            stock: product.stock,
          }
        : null,
      sameItem,
      size,
      hasPhoto: input.photo !== null,
      injection: looksLikeInjection(input.question),
    };
    return {
      facts,
      composed: composeAnswer(facts),
      intents,
      language,
      product,
      sameItem,
      size,
      comparisons,
      sources: sourcesOf({ product, customer, purchases, size, comparisons, sameItem }),
      timings: {
        photo_ms: Math.round(photoMs * 10) / 10,
        compare_ms: Math.round(compareMs * 10) / 10,
        total_ms: Math.round((performance.now() - started) * 10) / 10,
      },
    };
  }

  /**
   * The photo's signature (and embedding); `ms` from `started` until it was ready (so it includes
   * waiting for a photo still being normalized).
   */
  async #photoSignature(bytes: Uint8Array, started: number) {
    const photo = await signatureOf(bytes, 'photo', this.#deps.signatureOptions);
    const photoEmbedding = this.#deps.embeddings ? await this.#deps.embeddings.embed(bytes) : null;
    return { photo, photoEmbedding, ms: performance.now() - started };
  }

  async #product(sku: string): Promise<Product> {
    const product = await this.#deps.products.find(sku);
    if (!product) throw notFound('Product', sku);
    return product;
  }

  async #customer(id: string): Promise<Customer> {
    const customer = await this.#deps.products.findCustomer(id);
    if (!customer) throw notFound('Customer', id);
    return customer;
  }

  /**
   * The best judgement over a product's images (most design inliers wins), stopping at the first
   * decisive `same`; each comparison made is recorded.
   */
  async #bestOf(
    images: readonly CatalogImageSignature[],
    photo: ImageSignature,
    photoEmbedding: Float32Array | null,
    role: Comparison['role'],
    comparisons: Comparison[],
    compared: Map<string, VisualComparison>,
  ): Promise<SameItemJudgement | null> {
    let best: { judgement: SameItemJudgement; visual: VisualComparison } | null = null;
    for (const image of images) {
      // Products may share a picture (a size or colour listed as its own SKU): match it once.
      let visual = compared.get(image.image);
      if (!visual) {
        visual = await compareSignatures(image.signature, photo);
        compared.set(image.image, visual);
      }
      const embedding = photoEmbedding && image.embedding ? cosine(image.embedding, photoEmbedding) : null;
      const judgement = judgeSameItem({ ...visual, embedding });
      comparisons.push({
        sku: image.sku,
        image: image.image,
        role,
        inliers: visual.inliers,
        interior_inliers: visual.interiorInliers,
        colour_residual: visual.residual === null ? null : Math.round(visual.residual * 10) / 10,
        embedding: embedding === null ? null : Math.round(embedding * 1000) / 1000,
        verdict: judgement.verdict,
        score: judgement.score,
      });
      if (!best || visual.interiorInliers > best.visual.interiorInliers) best = { judgement, visual };
      if (judgement.verdict === 'same' && visual.interiorInliers >= DECISIVE_INLIERS) break;
    }
    return best?.judgement ?? null;
  }

  /**
   * The verdict the answer leads with: about the product the shopper asked about (or the purchase
   * they mentioned); when the photo is not that, and another catalog product clearly is, say which.
   */
  async #headline(
    primary: Product | null,
    judged: Map<string, { judgement: SameItemJudgement; role: Comparison['role']; name: string }>,
  ): Promise<Grounding['sameItem']> {
    const found = [...judged.entries()].filter(
      ([, entry]) => entry.role === 'catalog_search' && entry.judgement.verdict === 'same',
    );
    found.sort((a, b) => b[1].judgement.score - a[1].judgement.score);
    const primaryEntry = primary ? judged.get(primary.sku) : undefined;
    if (primary && primaryEntry) {
      return {
        sku: primary.sku,
        name: primary.name,
        verdict: primaryEntry.judgement.verdict,
        score: primaryEntry.judgement.score,
        confidence: primaryEntry.judgement.confidence,
        against: primaryEntry.role === 'previous_purchase' ? 'previous_purchase' : 'product',
      };
    }
    const [sku, entry] = found[0] ?? [];
    if (sku && entry) {
      const product = await this.#deps.products.find(sku);
      return {
        sku,
        name: product?.name ?? sku,
        verdict: 'same',
        score: entry.judgement.score,
        confidence: entry.judgement.confidence,
        against: 'catalog_search',
      };
    }
    return null;
  }

  #size(
    product: Product,
    customer: Customer | null,
    purchases: readonly Purchase[],
    bySku: ReadonlyMap<string, Product>,
    question: string,
    locale: Locale,
  ): SizeAdvice {
    const told = mentionedBody(question);
    const measurements = { ...(customer?.measurements ?? {}), ...told };
    const adviceProduct = (item: Product) => ({
      sku: item.sku,
      name: item.name,
      category: item.category,
      fit: item.fit,
      size_chart: item.size_chart,
    });
    const history: SizeAdvicePurchase[] = purchases.map((purchase) => {
      const bought = bySku.get(purchase.sku);
      return {
        sku: purchase.sku,
        size: purchase.size,
        feedback: purchase.feedback,
        product: bought ? adviceProduct(bought) : null,
      };
    });
    return adviseSize({
      product: adviceProduct(product),
      measurements,
      usualSize: customer?.usual_size ?? mentionedSize(question, Object.keys(product.size_chart)),
      purchases: history,
      locale,
    });
  }
}

/** The product of the shopper's newest purchase, one of the asked product's category first. */
function latestPurchaseProduct(
  purchases: readonly Purchase[],
  bySku: ReadonlyMap<string, Product>,
  product: Product | null,
): Product | null {
  const known = purchases
    .map((purchase) => bySku.get(purchase.sku))
    .filter((item): item is Product => item !== undefined);
  return (product && known.find((item) => item.category === product.category)) || known[0] || null;
}

function sourcesOf(parts: {
  product: Product | null;
  customer: Customer | null;
  purchases: readonly Purchase[];
  size: SizeAdvice | null;
  comparisons: readonly Comparison[];
  sameItem: Grounding['sameItem'];
}): Source[] {
  const sources: Source[] = [];
  if (parts.product)
    sources.push({ type: 'product', sku: parts.product.sku, version: parts.product.version });
  const strongest = new Map<string, Comparison>();
  for (const comparison of parts.comparisons) {
    const seen = strongest.get(comparison.sku);
    if (!seen || comparison.inliers > seen.inliers) strongest.set(comparison.sku, comparison);
  }
  for (const comparison of strongest.values()) {
    if (comparison.role !== 'catalog_search' || comparison.sku === parts.sameItem?.sku) {
      sources.push({
        type: 'catalog_image',
        sku: comparison.sku,
        image: comparison.image,
        inliers: comparison.inliers,
      });
    }
  }
  if (parts.size?.chart_row && parts.product) {
    sources.push({
      type: 'size_chart',
      sku: parts.product.sku,
      size: parts.size.chart_row.size,
      measurements: parts.size.chart_row.measurements,
    });
  }
  const compared = parts.size?.compared_with;
  const purchase =
    compared && parts.purchases.find((item) => item.sku === compared.sku && item.size === compared.size);
  if (purchase) {
    sources.push({
      type: 'purchase',
      sku: purchase.sku,
      size: purchase.size,
      purchased_at: new Date(purchase.purchased_at).toISOString(),
      feedback: purchase.feedback,
    });
  }
  if (parts.customer && parts.size?.basis === 'measurements')
    sources.push({ type: 'customer_profile', customer_id: parts.customer.id });
  return sources;
}
