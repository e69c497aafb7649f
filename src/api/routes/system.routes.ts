import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Hono } from 'hono';
import type { Metrics } from '../../app/metrics.ts';
import { pingDatabase } from '../../db/client.ts';
import type { ProviderRegistry } from '../../providers/registry.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import type { ApiEnv } from '../context.ts';

interface Deps {
  data: Pick<ServiceDeps, 'db' | 'blobs'>;
  providers: ProviderRegistry;
  metrics: Metrics;
  isQueueReady: () => boolean;
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
  app.get('/readyz', async (c) => {
    const checks: Record<string, { ok: boolean; message?: string }> = {};
    await Promise.all([
      pingDatabase(deps.data.db)
        .then(() => (checks.database = { ok: true }))
        .catch((error: Error) => (checks.database = { ok: false, message: error.message })),
      deps.data.blobs
        .checkWritable()
        .then(() => (checks.storage = { ok: true }))
        .catch((error: Error) => (checks.storage = { ok: false, message: error.message })),
      deps.providers.describe().then((providers) => {
        const healthy = providers.filter((provider) => provider.health?.ok);
        checks.providers = healthy.length > 0 ? { ok: true } : { ok: false, message: 'no healthy provider' };
      }),
    ]);
    checks.queue = deps.isQueueReady() ? { ok: true } : { ok: false, message: 'queue not started' };
    const ready = Object.values(checks).every((check) => check.ok);
    return c.json({ status: ready ? 'ready' : 'not_ready', checks }, ready ? 200 : 503);
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
