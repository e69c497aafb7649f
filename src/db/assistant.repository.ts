import type { ApiKeyRecord } from './api-key.repository.ts';
import type { Sql } from './client.ts';

export interface ConversationRecord {
  id: string;
  api_key_id: string | null;
  customer_id: string | null;
  sku: string | null;
  locale: 'zh' | 'en';
  token_ratio: number;
  created_at: Date;
  updated_at: Date;
}

export interface MessageRecord {
  id: string;
  conversation_id: string;
  seq: number;
  question: string;
  image_asset_id: string | null;
  sku: string | null;
  answer: string;
  intent: string;
  needs_human: boolean;
  confidence: number;
  tokens: number;
  facts_line: string;
  model: string | null;
  cost_usd: number;
  /** The whole answer as the API returned it. */
  result: Record<string, unknown>;
  created_at: Date;
}

const CONVERSATION_COLUMNS = 'id, api_key_id, customer_id, sku, locale, token_ratio, created_at, updated_at';
const MESSAGE_COLUMNS = `id, conversation_id, seq, question, image_asset_id, sku, answer, intent, needs_human, confidence,
  tokens, facts_line, model, cost_usd, result, created_at`;
const KEY_COLUMNS =
  'k.id, k.name, k.key_prefix, k.scopes, k.created_at, k.last_used_at, k.revoked_at, k.daily_budget_usd';

const SEQ_ATTEMPTS = 20;

/** The unique violation of a message's place in its conversation (another append took it). */
function isSeqConflict(error: unknown): boolean {
  const { code, constraint } = (error ?? {}) as { code?: string; constraint?: string };
  return code === '23505' && (constraint === undefined || constraint.includes('seq'));
}

/** Conversations and messages of the shopper assistant, and its widget tokens. */
export class AssistantRepository {
  async insertConversation(
    sql: Sql,
    conversation: Pick<ConversationRecord, 'id' | 'api_key_id' | 'customer_id' | 'sku' | 'locale'>,
  ): Promise<ConversationRecord> {
    const rows = await sql.query<ConversationRecord>(
      `INSERT INTO assistant_conversations (id, api_key_id, customer_id, sku, locale) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${CONVERSATION_COLUMNS}`,
      [
        conversation.id,
        conversation.api_key_id,
        conversation.customer_id,
        conversation.sku,
        conversation.locale,
      ],
    );
    return rows[0]!;
  }

  async findConversation(sql: Sql, id: string): Promise<ConversationRecord | null> {
    const rows = await sql.query<ConversationRecord>(
      `SELECT ${CONVERSATION_COLUMNS} FROM assistant_conversations WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Newest first; `beforeId` pages on (created_at, id). */
  async listConversations(
    sql: Sql,
    filter: { customerId?: string; limit: number; before?: { createdAt: Date; id: string } },
  ): Promise<ConversationRecord[]> {
    return sql.query<ConversationRecord>(
      `SELECT ${CONVERSATION_COLUMNS} FROM assistant_conversations
       WHERE ($1::text IS NULL OR customer_id = $1)
         AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [filter.customerId ?? null, filter.before?.createdAt ?? null, filter.before?.id ?? null, filter.limit],
    );
  }

  /**
   * Appends a message at the next `seq` and, in the same statement, records on its conversation
   * the SKU it is now about (when given), the token ratio (when given) and the time.
   */
  async insertMessage(
    sql: Sql,
    message: Omit<MessageRecord, 'seq' | 'created_at'>,
    conversation: { sku?: string | null; tokenRatio?: number } = {},
  ): Promise<MessageRecord> {
    // Two messages appended to one conversation at once (a shopper sending twice, two tabs) both
    // read the same max(seq) on PostgreSQL; the loser hits the (conversation_id, seq) key and
    // takes the next seq instead of failing the shopper's message.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.appendMessage(sql, message, conversation);
      } catch (error) {
        if (attempt >= SEQ_ATTEMPTS || !isSeqConflict(error)) throw error;
      }
    }
  }

  private async appendMessage(
    sql: Sql,
    message: Omit<MessageRecord, 'seq' | 'created_at'>,
    conversation: { sku?: string | null; tokenRatio?: number },
  ): Promise<MessageRecord> {
    const rows = await sql.query<MessageRecord>(
      `WITH touched AS (
         UPDATE assistant_conversations SET
           sku = CASE WHEN $15 THEN $16 ELSE sku END,
           token_ratio = coalesce($17, token_ratio),
           updated_at = now()
         WHERE id = $2
       )
       INSERT INTO assistant_messages (id, conversation_id, seq, question, image_asset_id, sku, answer, intent,
         needs_human, confidence, tokens, facts_line, model, cost_usd, result)
       VALUES ($1, $2, (SELECT coalesce(max(seq), 0) + 1 FROM assistant_messages WHERE conversation_id = $2),
         $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       RETURNING ${MESSAGE_COLUMNS}`,
      [
        message.id,
        message.conversation_id,
        message.question,
        message.image_asset_id,
        message.sku,
        message.answer,
        message.intent,
        message.needs_human,
        message.confidence,
        message.tokens,
        message.facts_line,
        message.model,
        message.cost_usd,
        JSON.stringify(message.result),
        conversation.sku !== undefined,
        conversation.sku ?? null,
        conversation.tokenRatio ?? null,
      ],
    );
    return rows[0]!;
  }

  /** Oldest first. */
  async listMessages(sql: Sql, conversationId: string): Promise<MessageRecord[]> {
    return sql.query<MessageRecord>(
      `SELECT ${MESSAGE_COLUMNS} FROM assistant_messages WHERE conversation_id = $1 ORDER BY seq`,
      [conversationId],
    );
  }

  /**
   * What memory needs of every turn (conversation-memory.ts) and nothing else: a message's
   * `result` (grounding, comparisons, sources) is several kilobytes of JSON, and parsing it for every
   * earlier turn made each message of a long conversation slower than the one before.
   */
  async listMemoryTurns(
    sql: Sql,
    conversationId: string,
  ): Promise<Array<Pick<MessageRecord, 'question' | 'answer' | 'tokens' | 'facts_line'>>> {
    return sql.query(
      `SELECT question, answer, tokens, facts_line FROM assistant_messages WHERE conversation_id = $1 ORDER BY seq`,
      [conversationId],
    );
  }

  async insertToken(
    sql: Sql,
    token: {
      tokenHash: string;
      apiKeyId: string;
      customerId: string | null;
      sku: string | null;
      allowedOrigin: string | null;
      expiresAt: Date;
    },
  ): Promise<void> {
    await sql.query(
      `INSERT INTO assistant_tokens (token_hash, api_key_id, customer_id, sku, allowed_origin, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [token.tokenHash, token.apiKeyId, token.customerId, token.sku, token.allowedOrigin, token.expiresAt],
    );
  }

  async findActiveToken(
    sql: Sql,
    tokenHash: string,
  ): Promise<{
    key: ApiKeyRecord;
    customerId: string | null;
    sku: string | null;
    allowedOrigin: string | null;
  } | null> {
    const rows = await sql.query<
      ApiKeyRecord & { customer_id: string | null; token_sku: string | null; allowed_origin: string | null }
    >(
      `SELECT ${KEY_COLUMNS}, t.customer_id, t.sku AS token_sku, t.allowed_origin
       FROM assistant_tokens t JOIN api_keys k ON k.id = t.api_key_id
       WHERE t.token_hash = $1 AND t.expires_at > now() AND k.revoked_at IS NULL`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return null;
    const { customer_id, token_sku, allowed_origin, ...key } = row;
    return { key, customerId: customer_id, sku: token_sku, allowedOrigin: allowed_origin };
  }

  async deleteExpiredTokens(sql: Sql): Promise<void> {
    await sql.query('DELETE FROM assistant_tokens WHERE expires_at <= now()');
  }
}
