import { AppError } from '../../domain/errors.ts';
import { roundUsd } from '../../domain/pricing.ts';
import type { ServiceDeps } from '../deps.ts';

type Deps = Pick<ServiceDeps, 'db' | 'apiKeys' | 'usage'>;

/** A key's spend crossed `BUDGET_WARNING_RATIO` of its daily budget (or a request was refused). */
export interface BudgetWarning {
  apiKeyId: string;
  keyName: string;
  dailyBudgetUsd: number;
  /** Spent or committed today, this request included when it passed. */
  committedTodayUsd: number;
  usedRatio: number;
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  refused: boolean;
}

/** Spend at which a key "nears" its daily budget (budget.warning). */
export const BUDGET_WARNING_RATIO = 0.8;

/**
 * Daily budgets per API key (UTC days). A request is refused with `budget_exceeded` when what the
 * key spent or committed today plus the request's estimate would pass its budget. The check is
 * not serialized with other requests of the key: two arriving together may both pass it.
 */
export class BudgetService {
  readonly #deps: Deps;
  readonly #warningListeners = new Set<(warning: BudgetWarning) => void>();

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  /** Hears keys nearing (or hitting) their budget, at every check; the listener de-duplicates. */
  onWarning(listener: (warning: BudgetWarning) => void): () => void {
    this.#warningListeners.add(listener);
    return () => this.#warningListeners.delete(listener);
  }

  #warn(
    key: { id: string; name: string; daily_budget_usd: number },
    committed: number,
    refused: boolean,
  ): void {
    const usedRatio = key.daily_budget_usd > 0 ? committed / key.daily_budget_usd : 1;
    if (!refused && usedRatio < BUDGET_WARNING_RATIO) return;
    const warning: BudgetWarning = {
      apiKeyId: key.id,
      keyName: key.name,
      dailyBudgetUsd: key.daily_budget_usd,
      committedTodayUsd: roundUsd(committed),
      usedRatio: Math.round(usedRatio * 1000) / 1000,
      day: new Date().toISOString().slice(0, 10),
      refused,
    };
    for (const listener of this.#warningListeners) listener(warning);
  }

  async assertWithinBudget(apiKeyId: string | null, estimateUsd: number): Promise<void> {
    if (!apiKeyId || estimateUsd <= 0) return;
    const { db, apiKeys, usage } = this.#deps;
    const key = await apiKeys.findById(db, apiKeyId);
    if (key?.daily_budget_usd === null || key?.daily_budget_usd === undefined) return;
    const committed = await usage.committedToday(db, apiKeyId);
    const budgeted = { id: key.id, name: key.name, daily_budget_usd: key.daily_budget_usd };
    if (committed + estimateUsd <= key.daily_budget_usd + 1e-9) {
      this.#warn(budgeted, committed + estimateUsd, false);
      return;
    }
    this.#warn(budgeted, committed, true);
    throw new AppError(
      'budget_exceeded',
      `This would pass the key's daily budget of $${key.daily_budget_usd}: $${roundUsd(committed)} spent or committed today, this request is estimated at $${roundUsd(estimateUsd)}`,
      {
        details: {
          daily_budget_usd: key.daily_budget_usd,
          committed_today_usd: roundUsd(committed),
          estimate_usd: roundUsd(estimateUsd),
        },
      },
    );
  }

  async ledger(filter: { from: string; to: string; apiKeyId?: string }) {
    const rows = await this.#deps.usage.ledger(this.#deps.db, filter);
    const cache = await this.#deps.usage.cacheStats(this.#deps.db, filter);
    return {
      data: rows.map((row) => ({ ...row, cost_usd: roundUsd(row.cost_usd) })),
      total_cost_usd: roundUsd(rows.reduce((sum, row) => sum + row.cost_usd, 0)),
      cache: {
        ...cache,
        // Null rather than 0 when nothing asked the cache: no rate to speak of.
        hit_rate: cache.lookups === 0 ? null : Math.round((cache.hits / cache.lookups) * 10_000) / 10_000,
      },
    };
  }
}
