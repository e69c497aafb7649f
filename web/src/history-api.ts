/** Shapes of `GET /v1/jobs` and `GET /v1/usage` as the History screen reads them. */
import { type Job, request } from './api.ts';

export interface HistoryJob extends Job {
  prompt: string;
  template: string | null;
  brand: string | null;
  cache: 'miss' | 'exact' | 'similar';
  created_at: string;
}

export interface JobFilters {
  status: string;
  template: string;
  brand: string;
  provider: string;
  /** Inclusive UTC days, YYYY-MM-DD, or ''. */
  from: string;
  to: string;
  q: string;
}

export const NO_FILTERS: JobFilters = {
  status: '',
  template: '',
  brand: '',
  provider: '',
  from: '',
  to: '',
  q: '',
};

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A page of jobs matching the filters; the "until" day is inclusive, so the API gets the day after. */
export function listJobs(filters: JobFilters, cursor: string | null) {
  const query = new URLSearchParams({ limit: '20' });
  for (const key of ['status', 'template', 'brand', 'provider'] as const) {
    if (filters[key]) query.set(key, filters[key]);
  }
  if (filters.q.trim()) query.set('q', filters.q.trim());
  if (filters.from) query.set('created_after', filters.from);
  if (filters.to) query.set('created_before', addDays(filters.to, 1));
  if (cursor) query.set('cursor', cursor);
  return request<{ data: HistoryJob[]; next_cursor: string | null }>('GET', `/v1/jobs?${query}`);
}

export interface UsageRow {
  day: string;
  api_key_id: string | null;
  api_key_name: string | null;
  provider: string;
  jobs: number;
  images: number;
  cost_usd: number;
}

export interface Usage {
  from: string;
  to: string;
  data: UsageRow[];
  total_cost_usd: number;
  cache: { lookups: number; hits: number; exact_hits: number; similar_hits: number; hit_rate: number | null };
}

export function getUsage(from: string, to: string): Promise<Usage> {
  return request<Usage>('GET', `/v1/usage?${new URLSearchParams({ from, to })}`);
}

export interface Total {
  label: string;
  jobs: number;
  images: number;
  cost: number;
}

/** Rows summed by a label (a day, a provider, a key), in the order labels first appear. */
export function totalsBy(rows: UsageRow[], labelOf: (row: UsageRow) => string): Total[] {
  const totals = new Map<string, Total>();
  for (const row of rows) {
    const label = labelOf(row);
    const total = totals.get(label) ?? { label, jobs: 0, images: 0, cost: 0 };
    total.jobs += row.jobs;
    total.images += row.images;
    total.cost += row.cost_usd;
    totals.set(label, total);
  }
  return [...totals.values()];
}

export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return `$${value.toFixed(value !== 0 && Math.abs(value) < 0.01 ? 4 : 2)}`;
}
