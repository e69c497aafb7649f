import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ScriptRecord, ScriptRepository } from '../../db/script.repository.ts';
import type { Brand } from '../../domain/brand.ts';
import { AppError, invalidRequest, notFound } from '../../domain/errors.ts';
import { type AnalysisWithoutPlan, analyzeHeuristically } from '../../domain/script/heuristic-analyzer.ts';
import type { ChineseWords } from '../../domain/script/keywords.ts';
import { leadingMood, styleForMood } from '../../domain/script/mood.ts';
import { type CatalogProduct, matchCatalog } from '../../domain/script/product-names.ts';
import {
  type AnalysisNote,
  MAX_SCRIPT_CHARACTERS,
  offerSchema,
  type PlanSettings,
  planOptionsSchema,
  type ScriptAnalysis,
  type ScriptOffer,
  type ScriptSegment,
  segmentInputSchema,
  type VisualRole,
} from '../../domain/script/script-analysis.ts';
import { extractSegmentOffers, mergeLooseOfferFacts } from '../../domain/script/script-offers.ts';
import { mainLanguage } from '../../domain/script/script-text.ts';
import { planVisuals } from '../../domain/script/visual-plan.ts';
import type { Template } from '../../domain/template.ts';
import { assertFetchableUrl } from '../../net/url-guard.ts';
import type { ChatModel } from '../../providers/chat/spec.ts';
import type { ServiceDeps } from '../deps.ts';
import type { Caller } from '../generation/generation.service.ts';
import { analyzeWithChatModel } from './llm-script-analyzer.ts';
import { promptsFor } from './script-prompts.ts';

/** The products catalog as scripts see it: names to match segments against, and their photos. */
export interface ScriptProductCatalog {
  /** Every product (or those with these SKUs; an unknown SKU is a 404 naming it). */
  list(skus?: readonly string[]): Promise<CatalogProduct[]>;
  /** The first photo (asset id or URL) of each of these products that has one, by SKU. */
  photos(skus: readonly string[]): Promise<Map<string, string>>;
}

/**
 * The chat model as scripts see it: its name, and the model to call for one caller (the calls are
 * checked against that caller's budget and recorded in the ledger as theirs).
 */
export interface ScriptChat {
  readonly model: string;
  forCaller(caller: Caller): ChatModel;
}

type Deps = Pick<ServiceDeps, 'db' | 'brands' | 'templates' | 'assets' | 'limits'> & {
  scripts: ScriptRepository;
  /** jieba, loaded on first use (its dictionaries take ~0.3 s). */
  chineseWords: () => ChineseWords;
  chat: ScriptChat | null;
  products: ScriptProductCatalog | null;
};

export type AnalyzerChoice = 'heuristic' | 'llm' | 'auto';

export interface AnalyzeRequest {
  text: string;
  brand?: string;
  /** `heuristic` (offline, the default), `llm` (the configured chat model), `auto` (llm when configured). */
  analyzer?: AnalyzerChoice;
  /** Options per prompt (images per visual), 1–10; 4 by default. */
  n?: number;
  visuals?: VisualRole[];
  /** SKUs of the catalog to match segments against (default: the whole catalog). */
  products?: string[];
  /**
   * Product photos (an asset id or an http(s) URL) by product name, SKU or segment number ("2"):
   * the hero, cover, up-next and flash-sale layouts show them.
   */
  product_images?: Record<string, string>;
}

/** An edit of a stored analysis: any of these, the rest kept. */
export const scriptEditSchema = z.object({
  brand: z.string().min(1).max(63).optional(),
  title: z.string().min(1).max(80).optional(),
  n: z.number().int().min(1).max(10).optional(),
  visuals: planOptionsSchema.shape.visuals.unwrap().optional(),
  segments: z
    .array(
      segmentInputSchema.extend({
        start: z.number().int().min(-1).optional(),
        end: z.number().int().min(-1).optional(),
        // An offer may be given as words ("满300减40", "code SAVE10"): it is parsed like the script.
        offers: z
          .array(z.union([offerSchema, z.object({ text: z.string().min(1).max(200) })]))
          .max(20)
          .default([]),
      }),
    )
    .min(1)
    .max(200)
    .optional(),
});
export type ScriptEdit = z.input<typeof scriptEditSchema>;

export interface StoredScript extends ScriptAnalysis {
  id: string;
  brand: string;
  created_at: string;
  updated_at: string;
}

/**
 * `POST /v1/scripts/analyze`, `GET /v1/scripts/{id}` and edits: analyses a script (heuristics, or a
 * chat model with the heuristics as fallback), matches its products against the catalog, plans
 * the visuals of every segment in the brand's style and stores it all.
 */
export class ScriptAnalysisService {
  readonly #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  get chatModel(): string | null {
    return this.#deps.chat?.model ?? null;
  }

  async analyze(request: AnalyzeRequest, caller: Caller, signal?: AbortSignal): Promise<StoredScript> {
    const text = request.text.replace(/\r\n?/g, '\n').trim();
    if (!text) throw invalidRequest('The script is empty', [{ field: 'text', message: 'is empty' }]);
    if (text.length > MAX_SCRIPT_CHARACTERS) {
      throw new AppError(
        'payload_too_large',
        `The script has ${text.length.toLocaleString('en')} characters; the limit is ${MAX_SCRIPT_CHARACTERS.toLocaleString('en')}. Split the show into parts.`,
      );
    }
    const brand = await this.#brand(request.brand);
    const catalog = await this.#catalog(request.products);
    const options = planOptionsSchema.parse({ n: request.n, visuals: request.visuals });
    const choice = request.analyzer ?? 'heuristic';
    const notes: AnalysisNote[] = [];
    let analysis: AnalysisWithoutPlan | null = null;
    let usage: ScriptAnalysis['usage'] = null;
    if (choice === 'llm' && !this.#deps.chat) {
      throw new AppError(
        'unprocessable',
        'analyzer "llm" needs a chat model: set VITRINE_CHAT_BASE_URL, VITRINE_CHAT_API_KEY and VITRINE_CHAT_MODEL (or VITRINE_CHAT_PROVIDER=bedrock), or use analyzer "heuristic"',
      );
    }
    if (choice !== 'heuristic' && this.#deps.chat) {
      const outcome = await analyzeWithChatModel(
        text,
        this.#deps.chat.forCaller(caller),
        signal ?? new AbortController().signal,
      );
      if (outcome.usage)
        usage = { input_tokens: outcome.usage.inputTokens, output_tokens: outcome.usage.outputTokens };
      if (outcome.ok) analysis = matchProducts(outcome.analysis, catalog);
      else notes.push(outcome.note);
    }
    if (!analysis) {
      analysis = analyzeHeuristically(text, { chinese: this.#deps.chineseWords(), catalog });
    }
    analysis = await this.#withProductImages(analysis, request.product_images ?? {});
    const planned = await this.#plan(
      { ...analysis, notes: [...notes, ...analysis.notes], usage, options },
      brand,
    );
    const record = await this.#deps.scripts.insert(this.#deps.db, {
      id: randomUUID(),
      api_key_id: caller.apiKeyId,
      brand: brand.slug,
      text,
      analysis: planned,
      analyzer: planned.analyzer,
    });
    return present(record);
  }

  async get(id: string): Promise<StoredScript> {
    return present(await this.#record(id));
  }

  /** The script's text as it was sent. */
  async text(id: string): Promise<string> {
    return (await this.#record(id)).text;
  }

  /**
   * Saves an edited analysis: the segments as the operator changed them (keywords, selling points,
   * offers as words or objects, mood, title), then plans their visuals again. A changed mood
   * changes the style pack unless one is given.
   */
  async edit(id: string, edit: ScriptEdit): Promise<StoredScript> {
    const parsed = scriptEditSchema.safeParse(edit);
    if (!parsed.success) {
      throw invalidRequest(
        'The edited analysis is not valid',
        parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })),
      );
    }
    const changes = parsed.data;
    for (const [index, segment] of (changes.segments ?? []).entries()) {
      if (segment.product?.image)
        await this.#checkImage(`segments.${index}.product.image`, segment.product.image);
    }
    const record = await this.#record(id);
    const brand = await this.#brand(changes.brand ?? record.brand);
    const current = record.analysis;
    const segments = changes.segments
      ? changes.segments.map((segment, index) => {
          const before = current.segments[index];
          const offers = mergeLooseOfferFacts(
            segment.offers.flatMap((offer): ScriptOffer[] =>
              'text' in offer ? extractSegmentOffers(offer.text) : [offer],
            ),
          );
          // An editor sends the whole segment back: a changed mood picks its style pack again,
          // unless the style pack was changed too.
          const moodChanged = before !== undefined && before.emotion.mood !== segment.emotion.mood;
          const packChanged = segment.style_pack !== undefined && segment.style_pack !== before?.style_pack;
          const style = styleForMood(segment.emotion.mood, segment.category, segment.text);
          return {
            ...segment,
            index,
            offers,
            start: segment.start ?? before?.start ?? -1,
            end: segment.end ?? before?.end ?? -1,
            language: segment.text
              ? mainLanguage(segment.text)
              : (before?.language ?? mainLanguage(segment.title)),
            style_pack:
              packChanged || (!moodChanged && segment.style_pack) ? segment.style_pack! : style.style_pack,
            prompts: [],
            visuals: [],
          };
        })
      : current.segments;
    const options = planOptionsSchema.parse({
      n: changes.n ?? current.options?.n,
      visuals: changes.visuals ?? current.options?.visuals,
    });
    const mood = leadingMood(segments.map((segment) => segment.emotion));
    const planned = await this.#plan(
      {
        ...current,
        analyzer: changes.segments ? 'edited' : current.analyzer,
        title: changes.title ?? current.title,
        mood,
        style_pack: styleForMood(mood, current.category).style_pack,
        segments,
        options,
      },
      brand,
    );
    const updated = await this.#deps.scripts.update(this.#deps.db, id, {
      brand: brand.slug,
      analysis: planned,
      analyzer: planned.analyzer,
    });
    if (!updated) throw notFound('Script', id);
    return present(updated);
  }

  /** Puts the given photos on the segments' products; a name, SKU or number that fits none is a 404. */
  async #withProductImages<Analysis extends Pick<AnalysisWithoutPlan, 'segments'>>(
    analysis: Analysis,
    images: Record<string, string>,
  ): Promise<Analysis> {
    const entries = Object.entries(images);
    if (entries.length === 0) return analysis;
    for (const [key, image] of entries) await this.#checkImage(`product_images.${key}`, image);
    const segments = analysis.segments.map((segment) => {
      if (!segment.product) return segment;
      const keys = [segment.product.name, segment.product.sku, String(segment.index + 1)].filter(Boolean);
      const found = entries.find(([key]) =>
        keys.some((candidate) => candidate?.toLowerCase() === key.toLowerCase()),
      );
      return found ? { ...segment, product: { ...segment.product, image: found[1] } } : segment;
    });
    for (const [key] of entries) {
      const used = segments.some(
        (segment) =>
          segment.product &&
          [segment.product.name, segment.product.sku, String(segment.index + 1)].some(
            (candidate) => candidate?.toLowerCase() === key.toLowerCase(),
          ),
      );
      if (!used) {
        throw new AppError(
          'not_found',
          `Product '${key}' was not found in the script (product_images names it)`,
          {
            details: {
              issues: [
                {
                  field: `product_images.${key}`,
                  message: 'no segment has this product name, SKU or number',
                },
              ],
            },
          },
        );
      }
    }
    return { ...analysis, segments };
  }

  async #checkImage(field: string, image: string): Promise<void> {
    if (/^https?:\/\//i.test(image)) {
      // A private address is refused now, not when the render fetches it.
      assertFetchableUrl(image, field, this.#deps.limits.allowPrivateUrls);
      return;
    }
    const asset = await this.#deps.assets.findById(this.#deps.db, image);
    if (!asset) {
      throw new AppError('not_found', `Asset '${image}' was not found (${field})`, {
        details: { issues: [{ field, message: 'must be an uploaded asset id or an http(s) URL' }] },
      });
    }
  }

  async #record(id: string): Promise<ScriptRecord> {
    const record = await this.#deps.scripts.find(this.#deps.db, id);
    if (!record) throw notFound('Script', id);
    return record;
  }

  async #brand(slug = 'default'): Promise<Brand> {
    const brand = await this.#deps.brands.find(this.#deps.db, slug);
    if (!brand) throw notFound('Brand', slug);
    return brand;
  }

  async #catalog(skus?: readonly string[]) {
    if (!this.#deps.products) {
      if (skus?.length) {
        throw new AppError(
          'not_found',
          `Product '${skus[0]}' was not found: this server has no products catalog`,
        );
      }
      return [];
    }
    return this.#deps.products.list(skus);
  }

  /** Adds the plan: each segment's visuals (templates, sizes, texts) and their prompts in the brand's style. */
  async #plan(
    analysis: Omit<ScriptAnalysis, 'segments'> & {
      segments: Array<
        Omit<ScriptSegment, 'prompts' | 'visuals'> & Partial<Pick<ScriptSegment, 'prompts' | 'visuals'>>
      >;
      options: PlanSettings;
    },
    brand: Brand,
  ): Promise<ScriptAnalysis> {
    // A segment's own photo first, else its catalog product's.
    const unphotographed = analysis.segments.flatMap((segment) =>
      segment.product?.sku && !segment.product.image ? [segment.product.sku] : [],
    );
    const catalogPhotos =
      unphotographed.length > 0 && this.#deps.products
        ? await this.#deps.products.photos([...new Set(unphotographed)])
        : new Map<string, string>();
    const images = new Map<number, string>();
    for (const segment of analysis.segments) {
      const sku = segment.product?.sku;
      const image = segment.product?.image ?? (sku ? catalogPhotos.get(sku) : undefined);
      if (image) images.set(segment.index, image);
    }
    const visuals = planVisuals(analysis.segments, {
      n: analysis.options.n,
      roles: analysis.options.visuals,
      productImages: images,
    });
    const templates = new Map<string, Template>();
    for (const name of new Set(visuals.flat().map((visual) => visual.template))) {
      const template = await this.#deps.templates.find(this.#deps.db, name);
      if (!template) throw notFound('Template', name);
      templates.set(name, template);
    }
    return {
      ...analysis,
      segments: analysis.segments.map((segment, index) => ({
        ...segment,
        visuals: visuals[index]!,
        prompts: promptsFor(visuals[index]!, brand, segment, templates),
      })),
    };
  }
}

/** Catalog products for an analysis a chat model made (the heuristics match them themselves). */
function matchProducts(
  analysis: AnalysisWithoutPlan,
  catalog: readonly CatalogProduct[],
): AnalysisWithoutPlan {
  if (catalog.length === 0) return analysis;
  return {
    ...analysis,
    segments: analysis.segments.map((segment) => {
      if (!segment.product) return segment;
      const found = matchCatalog(segment.product.name, segment.text, catalog);
      return found
        ? {
            ...segment,
            product: { name: found.name, sku: found.sku, source: 'catalog' as const, image: null },
          }
        : segment;
    }),
  };
}

function present(record: ScriptRecord): StoredScript {
  return {
    ...record.analysis,
    id: record.id,
    brand: record.brand,
    created_at: new Date(record.created_at).toISOString(),
    updated_at: new Date(record.updated_at).toISOString(),
  };
}
