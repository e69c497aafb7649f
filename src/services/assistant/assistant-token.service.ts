import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyScope } from '../../db/api-key.repository.ts';
import type { AssistantRepository } from '../../db/assistant.repository.ts';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../domain/errors.ts';
import { hasScope } from '../access/api-key.service.ts';

/** Long enough for a shopping session on a product page; the page asks its backend for a new one after. */
export const ASSISTANT_TOKEN_DEFAULT_TTL_SECONDS = 60 * 60;
export const ASSISTANT_TOKEN_MAX_TTL_SECONDS = 12 * 60 * 60;
export const ASSISTANT_TOKEN_PREFIX = 'vat_';

export interface AssistantTokenGrant {
  /** The minting key, narrowed to what the assistant needs. */
  key: ApiKeyRecord;
  /** The shopper the token speaks for: conversations are theirs only. */
  customerId: string | null;
  /** The product page it was minted for, as the default SKU. */
  sku: string | null;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Tokens for <vitrine-assistant> on a shop's product page: the shop's backend trades its API key
 * for a short-lived token bound to one shopper (and optionally a product and an origin). The token
 * can only talk to the assistant — start a conversation, ask, read its own conversations.
 */
export class AssistantTokenService {
  readonly #db: Database;
  readonly #repository: AssistantRepository;

  constructor(deps: { db: Database; repository: AssistantRepository }) {
    this.#db = deps.db;
    this.#repository = deps.repository;
  }

  async mint(
    key: ApiKeyRecord,
    options: {
      ttlSeconds?: number;
      allowedOrigin?: string | null;
      customerId?: string | null;
      sku?: string | null;
    },
  ) {
    if (!hasScope(key, 'generate')) {
      throw new AppError('forbidden', "Minting an assistant token needs the 'generate' scope");
    }
    await this.#repository.deleteExpiredTokens(this.#db);
    const token = `${ASSISTANT_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(
      Date.now() + (options.ttlSeconds ?? ASSISTANT_TOKEN_DEFAULT_TTL_SECONDS) * 1000,
    );
    await this.#repository.insertToken(this.#db, {
      tokenHash: hashToken(token),
      apiKeyId: key.id,
      customerId: options.customerId ?? null,
      sku: options.sku ?? null,
      allowedOrigin: options.allowedOrigin ?? null,
      expiresAt,
    });
    return {
      token,
      expiresAt,
      customerId: options.customerId ?? null,
      sku: options.sku ?? null,
      allowedOrigin: options.allowedOrigin ?? null,
    };
  }

  /** The grant of a live token, or null (unknown, expired, key revoked, or another origin). */
  async resolve(token: string, requestOrigin: string | undefined): Promise<AssistantTokenGrant | null> {
    const found = await this.#repository.findActiveToken(this.#db, hashToken(token));
    if (!found) return null;
    if (found.allowedOrigin && requestOrigin && requestOrigin !== found.allowedOrigin) return null;
    const scopes: ApiKeyScope[] = (['generate', 'read'] as const).filter((scope) =>
      hasScope(found.key, scope),
    );
    return { key: { ...found.key, scopes }, customerId: found.customerId, sku: found.sku };
  }
}

export function isAssistantToken(credential: string): boolean {
  return credential.startsWith(ASSISTANT_TOKEN_PREFIX);
}
