import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyScope } from '../db/api-key.repository.ts';
import { AppError, notFound } from '../domain/errors.ts';
import type { ServiceDeps } from './deps.ts';

type Deps = Pick<ServiceDeps, 'db' | 'apiKeys'>;

export interface CreatedApiKey extends ApiKeyRecord {
  /** The secret itself; shown once, only its hash is stored. */
  key: string;
}

const BOOTSTRAP_LOCK_KEY = 7_412_904;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** API keys: random secrets with scopes, stored as sha256 hashes. */
export class ApiKeyService {
  readonly #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  async create(input: { name: string; scopes: readonly ApiKeyScope[] }): Promise<CreatedApiKey> {
    const key = `vk_${randomBytes(24).toString('base64url')}`;
    const record = await this.#deps.apiKeys.insert(this.#deps.db, {
      id: `key_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
      name: input.name,
      keyHash: hashApiKey(key),
      keyPrefix: key.slice(0, 10),
      scopes: [...new Set(input.scopes)],
    });
    return { ...record, key };
  }

  /**
   * On a first start with no active key, creates an admin key and returns it (to print once).
   * A lock makes sure two processes starting together create one key, not two.
   */
  async ensureBootstrapKey(): Promise<CreatedApiKey | null> {
    const { db, apiKeys } = this.#deps;
    if ((await apiKeys.countActive(db)) > 0) return null;
    return db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
      if ((await apiKeys.countActive(tx)) > 0) return null;
      const key = `vk_${randomBytes(24).toString('base64url')}`;
      const record = await apiKeys.insert(tx, {
        id: `key_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
        name: 'admin (created at first start)',
        keyHash: hashApiKey(key),
        keyPrefix: key.slice(0, 10),
        scopes: ['admin', 'generate', 'read'],
      });
      return { ...record, key };
    });
  }

  async authenticate(key: string): Promise<ApiKeyRecord | null> {
    const record = await this.#deps.apiKeys.findActiveByHash(this.#deps.db, hashApiKey(key));
    if (record) await this.#deps.apiKeys.touchLastUsed(this.#deps.db, record.id);
    return record;
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.#deps.apiKeys.list(this.#deps.db);
  }

  async get(id: string): Promise<ApiKeyRecord> {
    const record = await this.#deps.apiKeys.findById(this.#deps.db, id);
    if (!record) throw notFound('API key', id);
    return record;
  }

  async update(
    id: string,
    changes: { name?: string; scopes?: readonly ApiKeyScope[] },
  ): Promise<ApiKeyRecord> {
    const record = await this.#deps.apiKeys.update(this.#deps.db, id, changes);
    if (!record) throw notFound('API key', id);
    return record;
  }

  async revoke(id: string, options: { callerKeyId?: string } = {}): Promise<ApiKeyRecord> {
    if (options.callerKeyId === id) {
      throw new AppError('conflict', 'A key cannot revoke itself; use another admin key');
    }
    const record = await this.#deps.apiKeys.revoke(this.#deps.db, id);
    if (!record) throw notFound('API key', id);
    return record;
  }
}

export function hasScope(record: Pick<ApiKeyRecord, 'scopes'>, scope: ApiKeyScope): boolean {
  return record.scopes.includes('admin') || record.scopes.includes(scope);
}
