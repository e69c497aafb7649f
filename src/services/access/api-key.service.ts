import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyScope } from '../../db/api-key.repository.ts';
import type { Sql } from '../../db/client.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import type { ServiceDeps } from '../deps.ts';

type Deps = Pick<ServiceDeps, 'db' | 'apiKeys'>;

export interface CreatedApiKey extends ApiKeyRecord {
  /** The secret itself; shown once, only its hash is stored. */
  key: string;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** API keys: random secrets with scopes, stored as sha256 hashes. */
export class ApiKeyService {
  readonly #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  async create(input: {
    name: string;
    scopes: readonly ApiKeyScope[];
    daily_budget_usd?: number | null;
  }): Promise<CreatedApiKey> {
    return this.#insertNewKey(this.#deps.db, input.name, input.scopes, input.daily_budget_usd ?? null);
  }

  /**
   * On a first start with no active key, creates an admin key and returns it (to print once).
   * A lock makes sure two processes starting together create one key, not two.
   */
  async ensureBootstrapKey(): Promise<CreatedApiKey | null> {
    const { db, apiKeys } = this.#deps;
    if ((await apiKeys.countActive(db)) > 0) return null;
    return db.transaction(async (tx) => {
      await apiKeys.lockForBootstrap(tx);
      if ((await apiKeys.countActive(tx)) > 0) return null;
      return this.#insertNewKey(tx, 'admin (created at first start)', ['admin', 'generate', 'read']);
    });
  }

  async #insertNewKey(
    sql: Sql,
    name: string,
    scopes: readonly ApiKeyScope[],
    dailyBudgetUsd: number | null = null,
  ): Promise<CreatedApiKey> {
    const key = `vk_${randomBytes(24).toString('base64url')}`;
    const record = await this.#deps.apiKeys.insert(sql, {
      id: `key_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
      name,
      keyHash: hashApiKey(key),
      keyPrefix: key.slice(0, 10),
      scopes: [...new Set(scopes)],
      dailyBudgetUsd,
    });
    return { ...record, key };
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
    changes: { name?: string; scopes?: readonly ApiKeyScope[]; daily_budget_usd?: number | null },
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
