import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyScope } from '../../db/api-key.repository.ts';
import type { Database } from '../../db/client.ts';
import type { PickerTokenRepository } from '../../db/picker-token.repository.ts';
import { AppError } from '../../domain/errors.ts';
import { hasScope } from './api-key.service.ts';

/** An hour: enough for an editing session in a CMS; a page open longer asks its backend again. */
export const PICKER_TOKEN_DEFAULT_TTL_SECONDS = 60 * 60;
export const PICKER_TOKEN_MAX_TTL_SECONDS = 12 * 60 * 60;
/** Recognisable in logs and in `Authorization` headers, like API keys' `vk_`. */
export const PICKER_TOKEN_PREFIX = 'vpt_';
/** What a picker may do whatever its key holds: start generations and read their results. */
const PICKER_SCOPES: readonly ApiKeyScope[] = ['generate', 'read'];

export interface MintedPickerToken {
  token: string;
  expiresAt: Date;
  scopes: ApiKeyScope[];
  allowedOrigin: string | null;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Picker tokens: a CMS backend trades its API key for a short-lived token that it may hand to a
 * browser on another origin. The token acts as its key, narrowed to generate + read.
 */
export class PickerTokenService {
  readonly #db: Database;
  readonly #tokens: PickerTokenRepository;

  constructor(deps: { db: Database; tokens: PickerTokenRepository }) {
    this.#db = deps.db;
    this.#tokens = deps.tokens;
  }

  async mint(
    key: ApiKeyRecord,
    options: { ttlSeconds?: number; allowedOrigin?: string | null } = {},
  ): Promise<MintedPickerToken> {
    if (!hasScope(key, 'generate')) {
      throw new AppError('forbidden', "Minting a picker token needs the 'generate' scope");
    }
    // Minting is rare next to use, so it is the moment to drop tokens nobody can present any more.
    await this.#tokens.deleteExpired(this.#db);
    const ttlSeconds = options.ttlSeconds ?? PICKER_TOKEN_DEFAULT_TTL_SECONDS;
    const token = `${PICKER_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    const allowedOrigin = options.allowedOrigin ?? null;
    await this.#tokens.insert(this.#db, {
      tokenHash: hashToken(token),
      apiKeyId: key.id,
      allowedOrigin,
      expiresAt,
    });
    return { token, expiresAt, scopes: narrowScopes(key), allowedOrigin };
  }

  /**
   * The minting key with its scopes narrowed, or null when the token is unknown, expired, its key
   * revoked, or it was bound to an origin and the request comes from another one.
   */
  async resolve(token: string, requestOrigin: string | undefined): Promise<ApiKeyRecord | null> {
    const owner = await this.#tokens.findActive(this.#db, hashToken(token));
    if (!owner) return null;
    if (owner.allowedOrigin && requestOrigin && requestOrigin !== owner.allowedOrigin) return null;
    return { ...owner.key, scopes: narrowScopes(owner.key) };
  }
}

export function isPickerToken(credential: string): boolean {
  return credential.startsWith(PICKER_TOKEN_PREFIX);
}

function narrowScopes(key: ApiKeyRecord): ApiKeyScope[] {
  return PICKER_SCOPES.filter((scope) => hasScope(key, scope));
}
