import { randomUUID } from 'node:crypto';
import type {
  AssistantRepository,
  ConversationRecord,
  MessageRecord,
} from '../../db/assistant.repository.ts';
import { HANDOFF_BELOW } from '../../domain/assistant-answer.ts';
import type { Locale } from '../../domain/assistant-intent.ts';
import { invalidRequest, notFound } from '../../domain/errors.ts';
import { normalizeShopperPhoto } from '../../imaging/shopper-photo.ts';
import type { AssetService } from '../assets/asset.service.ts';
import type { ChatService } from '../chat/chat.service.ts';
import { countTextTokens } from '../chat/token-counter.ts';
import type { ServiceDeps } from '../deps.ts';
import type { ProductService } from '../products/product.service.ts';
import type { WebhookService } from '../webhooks/webhook.service.ts';
import { buildMemory } from './conversation-memory.ts';
import type { Grounding, GroundingService } from './grounding.service.ts';
import { askModel, type ModelOutcome } from './model-turn.ts';

type Deps = Pick<ServiceDeps, 'db'> & {
  repository: AssistantRepository;
  grounding: Pick<GroundingService, 'ground'>;
  chat: ChatService;
  products: Pick<ProductService, 'find' | 'findCustomer'>;
  assets: Pick<AssetService, 'upload' | 'signedUrl'>;
  webhooks: Pick<WebhookService, 'emit'>;
  logger: { warn(object: object, message: string): void };
  limits: { maxInputPixels: number; memoryTokens: number; maxAnswerTokens: number };
  /** Values no answer may contain (the configured keys). */
  secrets: readonly string[];
};

export interface AskInput {
  question: string;
  image?: Uint8Array | null;
  sku?: string | null;
  previous_sku?: string | null;
}

/** Who asks: the paying key, and what a widget token binds the asker to. */
export interface AssistantCaller {
  apiKeyId: string | null;
  /** A widget token's customer: the conversation must be theirs. */
  customerId?: string | null;
}

export type AssistantEvent =
  | { type: 'grounding'; data: Record<string, unknown> }
  | { type: 'delta'; data: { text: string } }
  | { type: 'replace'; data: { answer: string; reason: string } }
  | { type: 'done'; data: AssistantMessage };

export interface AssistantMessage {
  id: string;
  conversation_id: string;
  question: string;
  image_url: string | null;
  answer: string;
  intent: string;
  intents: string[];
  language: Locale;
  same_item: Grounding['sameItem'];
  size: Grounding['size'];
  confidence: number;
  needs_human: boolean;
  sources: Grounding['sources'];
  usage: { input_tokens: number; output_tokens: number };
  cost_usd: number;
  model: string | null;
  notes: Array<{ code: string; message: string }>;
  grounding: {
    comparisons: Grounding['comparisons'];
    timings_ms: Grounding['timings'] & { message_ms: number };
  };
  created_at: string;
}

export interface ConversationView {
  id: string;
  customer_id: string | null;
  sku: string | null;
  locale: Locale;
  created_at: string;
  updated_at: string;
  messages: AssistantMessage[];
}

const MAX_QUESTION_CHARS = 2000;

/**
 * The shopper assistant's conversations: each question is grounded (catalog, size chart,
 * purchases, photo), phrased by the chat model when one is configured and answers well, else
 * composed from the grounding alone; low confidence hands the conversation to a person through
 * the `assistant.handoff` webhook. A model fault is a note on the answer, never an error.
 */
export class AssistantService {
  readonly #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  async createConversation(
    input: { customer_id?: string | null; sku?: string | null; locale?: Locale },
    caller: AssistantCaller,
  ): Promise<ConversationView> {
    const customerId = caller.customerId ?? input.customer_id ?? null;
    if (input.sku && !(await this.#deps.products.find(input.sku))) throw notFound('Product', input.sku);
    if (customerId && !(await this.#deps.products.findCustomer(customerId)))
      throw notFound('Customer', customerId);
    const record = await this.#deps.repository.insertConversation(this.#deps.db, {
      id: randomUUID(),
      api_key_id: caller.apiKeyId,
      customer_id: customerId,
      sku: input.sku ?? null,
      locale: input.locale ?? 'zh',
    });
    return this.#view(record, []);
  }

  async getConversation(id: string, caller: AssistantCaller): Promise<ConversationView> {
    const record = await this.#conversation(id, caller);
    return this.#view(record, await this.#deps.repository.listMessages(this.#deps.db, id));
  }

  async listConversations(filter: { customerId?: string; limit: number }) {
    const records = await this.#deps.repository.listConversations(this.#deps.db, filter);
    return records.map((record) => this.#present(record));
  }

  async ask(
    conversationId: string,
    input: AskInput,
    caller: AssistantCaller,
    options: { signal: AbortSignal; onEvent?: (event: AssistantEvent) => void },
  ): Promise<AssistantMessage> {
    const started = performance.now();
    const conversation = await this.#conversation(conversationId, caller);
    const question = (input.question ?? '').trim();
    if (question.length > MAX_QUESTION_CHARS) {
      throw invalidRequest(`The question is longer than ${MAX_QUESTION_CHARS} characters`, [
        { field: 'question', message: `at most ${MAX_QUESTION_CHARS} characters` },
      ]);
    }
    if (!question && !input.image) {
      throw invalidRequest('Ask a question, send a photo, or both', [
        { field: 'question', message: 'is required without an image' },
      ]);
    }
    // Normalization (libvips, off the main thread) overlaps the database: the conversation's memory
    // and grounding's product, customer and purchases are read while it runs.
    const photoWork = input.image
      ? normalizeShopperPhoto(input.image, { maxPixels: this.#deps.limits.maxInputPixels })
      : null;
    const historyWork = this.#deps.repository.listMemoryTurns(this.#deps.db, conversation.id);
    const sku = input.sku ?? conversation.sku;
    const groundingWork = this.#deps.grounding.ground(
      {
        question: question || (conversation.locale === 'zh' ? '这是同款吗?' : 'Is this the same item?'),
        locale: conversation.locale,
        photo: photoWork?.then((normalized) => normalized.jpeg) ?? null,
        sku,
        previousSku: input.previous_sku ?? null,
        customerId: conversation.customer_id,
      },
      options.signal,
    );
    // Each is awaited below; whichever fails first is the answer, the others must not go unhandled.
    for (const work of [photoWork, historyWork, groundingWork]) work?.catch(() => {});
    // A photo that cannot be used is reported before an unknown SKU, as when this ran in sequence.
    const photo = photoWork ? await photoWork : null;
    const grounding = await groundingWork;
    // Stored as normalized: the bytes were encoded a moment ago from a full decode, not re-checked.
    // Written while the answer is composed (or the model asked); only once grounding succeeded, so
    // a request refused for an unknown SKU stores nothing.
    const assetWork = photo
      ? this.#deps.assets.upload(photo.jpeg, {
          format: 'jpeg',
          width: photo.width,
          height: photo.height,
        })
      : null;
    assetWork?.catch(() => {});
    options.onEvent?.({
      type: 'grounding',
      data: {
        intent: grounding.intents[0],
        intents: grounding.intents,
        same_item: grounding.sameItem,
        size: grounding.size,
        comparisons: grounding.comparisons,
      },
    });

    const history = await historyWork;
    const memory = buildMemory(history, {
      budgetTokens: this.#deps.limits.memoryTokens,
      tokenRatio: conversation.token_ratio,
    });
    const outcome: ModelOutcome = await askModel(
      {
        chat: this.#deps.chat,
        grounding,
        memory,
        question: question || grounding.composed.answer,
        photo: photo?.jpeg ?? null,
        caller: { apiKeyId: caller.apiKeyId ?? conversation.api_key_id, purpose: 'assistant' },
        maxTokens: this.#deps.limits.maxAnswerTokens,
        secrets: this.#deps.secrets,
        tokenRatio: conversation.token_ratio,
      },
      options,
    );
    const needsHuman = grounding.composed.confidence < HANDOFF_BELOW || outcome.modelWantsHuman;
    const id = randomUUID();
    const message: Omit<AssistantMessage, 'created_at' | 'image_url'> = {
      id,
      conversation_id: conversation.id,
      question,
      answer: outcome.answer,
      intent: grounding.intents[0] ?? 'other',
      intents: grounding.intents,
      language: grounding.language,
      same_item: grounding.sameItem,
      size: grounding.size,
      confidence: grounding.composed.confidence,
      needs_human: needsHuman,
      sources: grounding.sources,
      usage: outcome.usage,
      cost_usd: outcome.costUsd,
      model: outcome.model,
      notes: outcome.notes,
      grounding: {
        comparisons: grounding.comparisons,
        timings_ms: { ...grounding.timings, message_ms: Math.round((performance.now() - started) * 10) / 10 },
      },
    };
    const asset = assetWork ? await assetWork : null;
    const record = await this.#deps.repository.insertMessage(
      this.#deps.db,
      {
        id,
        conversation_id: conversation.id,
        question,
        image_asset_id: asset?.id ?? null,
        sku: grounding.product?.sku ?? sku ?? null,
        answer: outcome.answer,
        intent: message.intent,
        needs_human: needsHuman,
        confidence: message.confidence,
        tokens: await countTextTokens(`${question}\n${outcome.answer}`),
        facts_line: factsLine(question, grounding),
        model: outcome.model,
        cost_usd: outcome.costUsd,
        result: message as unknown as Record<string, unknown>,
      },
      { sku: grounding.product?.sku ?? conversation.sku, tokenRatio: outcome.tokenRatio },
    );
    const view = this.#message(record);
    if (needsHuman) await this.#handOff(conversation, view, grounding);
    options.onEvent?.({ type: 'done', data: view });
    return view;
  }

  async #conversation(id: string, caller: AssistantCaller): Promise<ConversationRecord> {
    const record = /^[0-9a-f-]{36}$/i.test(id)
      ? await this.#deps.repository.findConversation(this.#deps.db, id)
      : null;
    // A widget token sees only its own customer's conversations; others do not exist for it.
    if (!record || (caller.customerId && record.customer_id !== caller.customerId))
      throw notFound('Conversation', id);
    return record;
  }

  async #handOff(
    conversation: ConversationRecord,
    message: AssistantMessage,
    grounding: Grounding,
  ): Promise<void> {
    try {
      await this.#deps.webhooks.emit(
        'assistant.handoff',
        {
          conversation_id: conversation.id,
          message_id: message.id,
          customer_id: conversation.customer_id,
          sku: grounding.product?.sku ?? conversation.sku,
          question: message.question,
          answer: message.answer,
          confidence: message.confidence,
          reasons: grounding.composed.handoffReasons,
          same_item: message.same_item,
          image_url: message.image_url,
        },
        null,
      );
    } catch (error) {
      // The shopper still gets the answer; the operator sees the failure in the log.
      this.#deps.logger.warn(
        { err: error, conversationId: conversation.id },
        'could not queue the assistant.handoff webhook',
      );
    }
  }

  #present(record: ConversationRecord) {
    return {
      id: record.id,
      customer_id: record.customer_id,
      sku: record.sku,
      locale: record.locale,
      created_at: new Date(record.created_at).toISOString(),
      updated_at: new Date(record.updated_at).toISOString(),
    };
  }

  #view(record: ConversationRecord, messages: readonly MessageRecord[]): ConversationView {
    return { ...this.#present(record), messages: messages.map((message) => this.#message(message)) };
  }

  #message(record: MessageRecord): AssistantMessage {
    return {
      ...(record.result as unknown as AssistantMessage),
      image_url: record.image_asset_id ? this.#deps.assets.signedUrl(record.image_asset_id) : null,
      created_at: new Date(record.created_at).toISOString(),
    };
  }
}

/** One line of a turn's facts, for the summary of turns that left the memory window. */
function factsLine(question: string, grounding: Grounding): string {
  const parts = [`Q: ${question.slice(0, 80)}`];
  if (grounding.sameItem) parts.push(`photo vs ${grounding.sameItem.sku}: ${grounding.sameItem.verdict}`);
  if (grounding.size?.recommended)
    parts.push(`size ${grounding.size.recommended} for ${grounding.product?.sku}`);
  return parts.join(' | ');
}
