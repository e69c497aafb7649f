import type { Config } from '../../config/env.ts';
import { AssistantRepository } from '../../db/assistant.repository.ts';
import { loadOpenCv } from '../../vision/opencv.ts';
import type { AssetService } from '../assets/asset.service.ts';
import type { ChatService } from '../chat/chat.service.ts';
import type { ServiceDeps } from '../deps.ts';
import { loadInputImage } from '../generation/input-images.ts';
import type { ProductService } from '../products/product.service.ts';
import type { WebhookService } from '../webhooks/webhook.service.ts';
import { AssistantService } from './assistant.service.ts';
import { AssistantTokenService } from './assistant-token.service.ts';
import { CatalogImages } from './catalog-images.ts';
import { GroundingService } from './grounding.service.ts';
import { ImageEmbeddings } from './image-embeddings.ts';
import { DEFAULT_SIGNATURE_OPTIONS, type SignatureOptions } from './visual-match.ts';

export interface AssistantCapability {
  assistant: AssistantService;
  assistantTokens: AssistantTokenService;
  grounding: GroundingService;
  catalogImages: CatalogImages;
  /** Stops the background reading of catalog images. */
  stopAssistant(): Promise<void>;
}

/** Most a model answer may be, in tokens: three short sentences in JSON with room to spare. */
const MAX_ANSWER_TOKENS = 400;

/**
 * The shopper assistant. An operator's image encoder (VITRINE_EMBEDDING_MODEL) is loaded here, so
 * a bad path stops the start with its name. With `warm`, OpenCV starts compiling in the background.
 */
export async function wireAssistant(
  deps: ServiceDeps,
  parts: {
    config: Pick<Config, 'embeddingModel' | 'assistant' | 'chat'>;
    products: ProductService;
    chat: ChatService;
    assets: AssetService;
    webhooks: WebhookService;
    /** Read every catalog image now (API processes with VITRINE_ASSISTANT_WARM). */
    warm: boolean;
  },
): Promise<AssistantCapability> {
  const embeddings = parts.config.embeddingModel
    ? await ImageEmbeddings.load(parts.config.embeddingModel)
    : null;
  const signatureOptions: SignatureOptions = {
    ...DEFAULT_SIGNATURE_OPTIONS,
    maxPixels: deps.limits.maxInputPixels,
  };
  const catalogImages = new CatalogImages({
    loadImage: (reference, signal) => loadInputImage(deps, reference, signal),
    listProducts: (cursor) => parts.products.list({ limit: 200, cursor }),
    signatureOptions,
    maxImages: parts.config.assistant.catalogImages,
    embed: embeddings ? (bytes) => embeddings.embed(bytes) : undefined,
    logger: deps.logger,
  });
  const grounding = new GroundingService({
    products: parts.products,
    catalogImages,
    embeddings,
    signatureOptions,
  });
  const repository = new AssistantRepository();
  const chatKey = parts.config.chat?.kind === 'openai' ? parts.config.chat.apiKey : undefined;
  const assistant = new AssistantService({
    db: deps.db,
    repository,
    grounding,
    chat: parts.chat,
    products: parts.products,
    assets: parts.assets,
    webhooks: parts.webhooks,
    logger: deps.logger,
    limits: {
      maxInputPixels: deps.limits.maxInputPixels,
      memoryTokens: parts.config.assistant.memoryTokens,
      maxAnswerTokens: MAX_ANSWER_TOKENS,
    },
    secrets: chatKey ? [chatKey] : [],
  });
  const warming = new AbortController();
  // OpenCV holds ≈ 80 MB resident once compiled: compiled ahead only where the assistant is
  // announced as in use (VITRINE_ASSISTANT_WARM), else on its first question.
  if (parts.warm) {
    void loadOpenCv().catch((error: unknown) => deps.logger.warn({ err: error }, 'OpenCV did not load'));
  }
  const warmed = parts.warm
    ? catalogImages.warm(warming.signal).then(
        (count) => deps.logger.info({ images: count }, 'catalog images read for the assistant'),
        (error: unknown) => deps.logger.warn({ err: error }, 'reading the catalog images failed'),
      )
    : Promise.resolve();
  return {
    assistant,
    assistantTokens: new AssistantTokenService({ db: deps.db, repository }),
    grounding,
    catalogImages,
    async stopAssistant() {
      warming.abort();
      await warmed;
      await embeddings?.close();
    },
  };
}
