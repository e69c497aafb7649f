import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Hono } from 'hono';
import type { Metrics } from '../../app/metrics.ts';
import { pingDatabase } from '../../db/client.ts';
import type { ProviderRegistry } from '../../providers/registry.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import type { CheckResult, FleetService } from '../../services/fleet/fleet.service.ts';
import type { ApiEnv } from '../context.ts';

interface Deps {
  data: Pick<ServiceDeps, 'db' | 'blobs'>;
  providers: ProviderRegistry;
  metrics: Metrics;
  fleet: Pick<FleetService, 'workersCheck'>;
  isQueueReady: () => boolean;
}

/** A readiness check that does not answer within this is failed: a probe must not hang. */
const CHECK_TIMEOUT_MS = 5000;
/** A storage write proves the store works; a probe every few seconds need not repeat it. */
const STORAGE_CHECK_TTL_MS = 5000;

/** Runs a check with a deadline; its error message is the check's message. */
async function check(run: () => Promise<CheckResult>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, message: `no answer within ${CHECK_TIMEOUT_MS / 1000} s` }),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([run().then((result) => result ?? { ok: true }), deadline]);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** The last outcome of `run` for `ttlMs` (successes only: a failure is checked again next time). */
function cachedCheck(ttlMs: number, run: () => Promise<void>): () => Promise<void> {
  let last: { at: number; pending: Promise<void> } | null = null;
  return () => {
    if (last && Date.now() - last.at < ttlMs) return last.pending;
    const pending = run();
    const entry = { at: Date.now(), pending };
    last = entry;
    pending.catch(() => {
      if (last === entry) last = null;
    });
    return pending;
  };
}

const swaggerDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const swaggerFiles: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vitrine API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="api"></div><script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;
const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#api', deepLinking: true,
  persistAuthorization: false, tryItOutEnabled: true });`;

/** Health, readiness, metrics and the API reference (served offline from swagger-ui-dist). */
export function systemRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  const storageCheck = cachedCheck(STORAGE_CHECK_TTL_MS, () => deps.data.blobs.checkWritable());
  app.get('/readyz', async (c) => {
    const [database, storage, workers, providers] = await Promise.all([
      check(() => pingDatabase(deps.data.db).then(() => ({ ok: true }))),
      check(() => storageCheck().then(() => ({ ok: true }))),
      check(() => deps.fleet.workersCheck()),
      deps.providers.describe().catch(() => []),
    ]);
    const checks: Record<string, CheckResult> = {
      database,
      storage,
      queue: deps.isQueueReady() ? { ok: true } : { ok: false, message: 'queue not started' },
      workers,
    };
    const ready = Object.values(checks).every((result) => result.ok);
    return c.json(
      {
        status: ready ? 'ready' : 'not_ready',
        checks,
        // Shown, not counted: a provider being down is routing's business (fallbacks, circuits),
        // and restarting or unlisting this node would not bring it back.
        providers: Object.fromEntries(
          providers.map((provider) => [
            provider.id,
            {
              ok: Boolean(provider.health?.ok) && provider.circuit.state !== 'open',
              ...(provider.health?.message ? { message: provider.health.message } : {}),
              circuit: provider.circuit.state,
            },
          ]),
        ),
      },
      ready ? 200 : 503,
    );
  });
  app.get('/metrics', async (c) => {
    return c.body(await deps.metrics.registry.metrics(), 200, {
      'Content-Type': deps.metrics.registry.contentType,
    });
  });
  app.get('/docs', (c) => c.html(DOCS_PAGE));
  app.get('/docs/init.js', (c) =>
    c.body(DOCS_INIT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }),
  );
  app.get('/docs/:file', (c) => {
    const type = swaggerFiles[c.req.param('file')];
    if (!type) return c.notFound();
    const body = readFileSync(path.join(swaggerDir, c.req.param('file')));
    return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' });
  });
  return app;
}
