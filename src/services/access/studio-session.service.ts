import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyRecord } from '../../db/api-key.repository.ts';
import type { Database } from '../../db/client.ts';
import type { StudioSessionRepository } from '../../db/studio-session.repository.ts';
import type { ApiKeyService } from './api-key.service.ts';

/** A week: long enough not to nag a daily user, short enough that a forgotten browser expires. */
export const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;

export interface StartedSession {
  /** The opaque value for the cookie; only its hash is stored. */
  token: string;
  key: ApiKeyRecord;
  expiresAt: Date;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Web studio sign-in: an API key is exchanged once for a server-side session. */
export class StudioSessionService {
  readonly #db: Database;
  readonly #sessions: StudioSessionRepository;
  readonly #apiKeys: ApiKeyService;

  constructor(deps: { db: Database; sessions: StudioSessionRepository; apiKeys: ApiKeyService }) {
    this.#db = deps.db;
    this.#sessions = deps.sessions;
    this.#apiKeys = deps.apiKeys;
  }

  /** Null when the key is not valid; the caller answers 401 without saying why. */
  async start(apiKey: string): Promise<StartedSession | null> {
    const key = await this.#apiKeys.authenticate(apiKey);
    if (!key) return null;
    // Sign-ins are rare, so they are a cheap moment to drop sessions nobody will present again.
    await this.#sessions.deleteExpired(this.#db);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_TTL_SECONDS * 1000);
    await this.#sessions.insert(this.#db, { tokenHash: hashToken(token), apiKeyId: key.id, expiresAt });
    return { token, key, expiresAt };
  }

  resolve(token: string): Promise<ApiKeyRecord | null> {
    return this.#sessions.findActiveKey(this.#db, hashToken(token));
  }

  async end(token: string): Promise<void> {
    await this.#sessions.delete(this.#db, hashToken(token));
  }
}
