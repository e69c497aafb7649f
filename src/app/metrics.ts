import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { JobEvents } from '../services/generation/job-events.ts';

/** Prometheus metrics of one process. `jobsByStatus` is read from the database on each scrape. */
export function createMetrics(options: {
  events: JobEvents;
  countJobs: () => Promise<Record<string, number>>;
}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vitrine_process_' });
  const httpRequests = new Counter({
    name: 'vitrine_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'vitrine_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const jobsFinished = new Counter({
    name: 'vitrine_jobs_finished_total',
    help: 'Jobs finished by this process, by final status',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'vitrine_jobs',
    help: 'Jobs in the database by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const counts = await options.countJobs().catch(() => ({}) as Record<string, number>);
      for (const status of ['queued', 'running', 'succeeded', 'failed', 'canceled']) {
        this.set({ status }, counts[status] ?? 0);
      }
    },
  });
  const providerCalls = new Counter({
    name: 'vitrine_provider_calls_total',
    help: 'Calls to image providers by provider and outcome (ok, or the error code: rate_limited, provider_unavailable, …)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [registry],
  });
  const providerDuration = new Histogram({
    name: 'vitrine_provider_call_duration_seconds',
    help: 'Duration of image provider calls',
    labelNames: ['provider'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 80],
    registers: [registry],
  });
  const cacheLookups = new Counter({
    name: 'vitrine_cache_lookups_total',
    help: 'Request cache lookups by kind (exact, similar) and outcome (hit, miss); hit rate = hit / all',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const qualityChecks = new Counter({
    name: 'vitrine_quality_checks_total',
    help: 'Quality checks of generated images by outcome (pass, fail); a fail is made again with a new seed within the budget',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const checks = { pass: 0, all: 0 };
  new Gauge({
    name: 'vitrine_quality_pass_ratio',
    help: 'Share of generated images of this process that passed their checks the first time or after a new seed',
    registers: [registry],
    collect() {
      this.set(checks.all === 0 ? 1 : checks.pass / checks.all);
    },
  });
  const lookups = { exact: { hit: 0, all: 0 }, similar: { hit: 0, all: 0 } };
  new Gauge({
    name: 'vitrine_cache_hit_ratio',
    help: 'Share of request cache lookups of this process that hit, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      for (const kind of ['exact', 'similar'] as const) {
        const { hit, all } = lookups[kind];
        this.set({ kind }, all === 0 ? 0 : hit / all);
      }
    },
  });
  options.events.subscribe('*', (event) => {
    if (event.type === 'done') jobsFinished.inc({ status: event.status });
  });
  return {
    registry,
    observeRequest(method: string, route: string, status: number, seconds: number) {
      httpRequests.inc({ method, route, status: String(status) });
      httpDuration.observe({ method, route }, seconds);
    },
    observeQualityCheck(passed: boolean) {
      qualityChecks.inc({ outcome: passed ? 'pass' : 'fail' });
      checks.all++;
      if (passed) checks.pass++;
    },
    observeCacheLookup(kind: 'exact' | 'similar', hit: boolean) {
      cacheLookups.inc({ kind, outcome: hit ? 'hit' : 'miss' });
      lookups[kind].all++;
      if (hit) lookups[kind].hit++;
    },
    observeProviderCall(provider: string, outcome: string, seconds: number) {
      providerCalls.inc({ provider, outcome });
      providerDuration.observe({ provider }, seconds);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
