import type { Sql } from './client.ts';

export interface ChatCallRecord {
  id: string;
  api_key_id: string | null;
  /** What asked: `assistant`, `script`. */
  purpose: string;
  /** The chat model's id in this deployment (`chat`). */
  model_id: string;
  /** The model that answered. */
  model: string;
  input_tokens: number;
  output_tokens: number;
  /** False when the counts are our own estimate (the backend reported none). */
  usage_reported: boolean;
  cost_usd: number;
  /** `ok`, or the error code of a call that still cost tokens (a refusal, a malformed answer). */
  outcome: string;
  created_at: Date;
}

/** The chat-call ledger; budgets and the cost report read it with the jobs (usage.repository.ts). */
export class ChatCallRepository {
  async insert(sql: Sql, call: Omit<ChatCallRecord, 'created_at'>): Promise<void> {
    await sql.query(
      `INSERT INTO chat_calls (id, api_key_id, purpose, model_id, model, input_tokens, output_tokens,
         usage_reported, cost_usd, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        call.id,
        call.api_key_id,
        call.purpose,
        call.model_id,
        call.model,
        call.input_tokens,
        call.output_tokens,
        call.usage_reported,
        call.cost_usd,
        call.outcome,
      ],
    );
  }

  async findById(sql: Sql, id: string): Promise<ChatCallRecord | null> {
    const rows = await sql.query<ChatCallRecord>('SELECT * FROM chat_calls WHERE id = $1', [id]);
    return rows[0] ?? null;
  }
}
