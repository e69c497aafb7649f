import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import type { Container } from '../app/container.ts';
import { AppError } from '../domain/errors.ts';
import { authenticate } from './auth.ts';
import { checkRequestBody, checkRequestLine } from './boundary.ts';
import type { ApiEnv } from './context.ts';
import { errorResponse, internalErrorBody, toAppError } from './errors.ts';
import { apiKeyRoutes } from './routes/api-keys.routes.ts';
import { assetRoutes, MAX_UPLOAD_BYTES } from './routes/assets.routes.ts';
import { assistantRoutes } from './routes/assistant.routes.ts';
import { batchRoutes } from './routes/batches.routes.ts';
import { catalogRoutes } from './routes/catalog.routes.ts';
import { chatCompletionRoutes } from './routes/chat-completions.routes.ts';
import { checkRoutes } from './routes/checks.routes.ts';
import { costRoutes } from './routes/cost.routes.ts';
import { destinationRoutes } from './routes/destinations.routes.ts';
import { fontRoutes } from './routes/fonts.routes.ts';
import { generationRoutes } from './routes/generations.routes.ts';
import {
  isOpenAICompatPath,
  openAICompatRoutes,
  openAIErrorResponse,
} from './routes/openai-compat.routes.ts';
import { pickerTokenRoutes } from './routes/picker-tokens.routes.ts';
import { posterRoutes } from './routes/posters.routes.ts';
import { previewRoutes } from './routes/previews.routes.ts';
import { productRoutes } from './routes/products.routes.ts';
import { scriptRoutes } from './routes/scripts.routes.ts';
import { sessionRoutes } from './routes/session.routes.ts';
import { shopifyRoutes, shopifyWebhookRoutes } from './routes/shopify.routes.ts';
import { slackRoutes } from './routes/slack.routes.ts';
import { studioWebRoutes } from './routes/studio-web.routes.ts';
import { styleRoutes } from './routes/styles.routes.ts';
import { systemRoutes } from './routes/system.routes.ts';
import { webhookRoutes } from './routes/webhooks.routes.ts';
import { workerRoutes } from './routes/workers.routes.ts';
import { validationHook } from './validation.ts';

const MAX_BODY_BYTES = 1024 * 1024;
/** A 10 MB photo in a multipart body, or base64 in JSON (4/3 larger), with the form's fields. */
const ASSISTANT_BODY_BYTES = Math.ceil(10 * 1024 * 1024 * 1.37) + 64 * 1024;

/** The HTTP API: one Hono app over the container's services. */
export function createApiApp(container: Container, options: { isQueueReady: () => boolean }) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });

  app.use(requestId());
  app.use(async function recordMetrics(c, next) {
    const started = performance.now();
    await next();
    const route = c.req.routePath || 'unmatched';
    container.metrics.observeRequest(c.req.method, route, c.res.status, (performance.now() - started) / 1000);
  });
  app.onError((error, c) => {
    if (isOpenAICompatPath(c.req.path)) {
      if (!toAppError(error)) container.logger.error({ err: error, path: c.req.path }, 'unhandled API error');
      return openAIErrorResponse(c, toAppError(error) ?? error, c.get('requestId'));
    }
    const known = toAppError(error);
    if (known) return errorResponse(c, known);
    container.logger.error(
      { err: error, requestId: c.get('requestId'), path: c.req.path },
      'unhandled API error',
    );
    return c.json(internalErrorBody(c.get('requestId')), 500);
  });
  app.use(checkRequestLine());
  app.notFound((c) => errorResponse(c, new AppError('not_found', `No route ${c.req.method} ${c.req.path}`)));

  app.route(
    '/',
    systemRoutes({
      data: container.deps,
      providers: container.deps.providers,
      metrics: container.metrics,
      fleet: container.fleet,
      ...options,
    }),
  );
  app.route('/', studioWebRoutes());
  app.route('/', sessionRoutes(container.studioSessions));

  const jsonBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', 'The request body is larger than 1 MB');
    },
  });
  const uploadBodyLimit = bodyLimit({
    maxSize: MAX_UPLOAD_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', `An upload is at most ${MAX_UPLOAD_BYTES / 2 ** 20} MB`);
    },
  });
  const batchUploadMaxBytes = container.config.batches.uploadMaxBytes;
  const batchBodyLimit = bodyLimit({
    maxSize: batchUploadMaxBytes,
    onError: () => {
      throw new AppError(
        'payload_too_large',
        `A batch body is at most ${batchUploadMaxBytes} bytes (VITRINE_BATCH_UPLOAD_MAX_BYTES)`,
      );
    },
  });
  // Pages on the configured origins (a CMS hosting <vitrine-picker>) may call /v1 with a bearer
  // picker token. Cookies are never allowed across origins: the session stays the studio's own.
  const pickerOrigins = new Set(container.config.picker.allowedOrigins);
  if (pickerOrigins.size > 0) {
    app.use(
      '/v1/*',
      cors({
        origin: (origin) => (pickerOrigins.has(origin) ? origin : null),
        allowMethods: ['GET', 'POST', 'OPTIONS'],
        allowHeaders: ['Authorization', 'Content-Type'],
        maxAge: 600,
      }),
    );
  }
  // Shopify signs its webhooks (HMAC of the raw body) instead of sending an API key.
  app.route('/v1', shopifyWebhookRoutes(container.integrations));
  // Shop pages with <vitrine-assistant> call the assistant (only) with a shopper's token.
  const assistantOrigins = new Set(container.config.assistant.allowedOrigins);
  if (assistantOrigins.size > 0) {
    app.use(
      '/v1/assistant/*',
      cors({
        origin: (origin) => (assistantOrigins.has(origin) ? origin : null),
        allowMethods: ['GET', 'POST', 'OPTIONS'],
        allowHeaders: ['Authorization', 'Content-Type', 'Accept'],
        maxAge: 600,
      }),
    );
  }
  const assistantBodyLimit = bodyLimit({
    maxSize: ASSISTANT_BODY_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', 'A question with its photo is at most 10 MB');
    },
  });
  app.use('/v1/*', async function limitBody(c, next) {
    const isPost = c.req.method === 'POST';
    if (
      isPost &&
      (c.req.path === '/v1/assets' || c.req.path === '/v1/checks' || c.req.path === '/v1/images/edits')
    )
      return uploadBodyLimit(c, next);
    if (isPost && (c.req.path === '/v1/batches' || c.req.path === '/v1/estimate'))
      return batchBodyLimit(c, next);
    if (isPost && c.req.path === '/v1/products/import') return batchBodyLimit(c, next);
    if (
      isPost &&
      (/^\/v1\/assistant\/conversations\/[^/]+\/messages$/.test(c.req.path) ||
        c.req.path === '/v1/chat/completions')
    ) {
      return assistantBodyLimit(c, next);
    }
    return jsonBodyLimit(c, next);
  });
  app.use(
    '/v1/*',
    authenticate(
      container.apiKeys,
      container.studioSessions,
      container.pickerTokens,
      container.assistantTokens,
    ),
  );
  app.use('/v1/*', checkRequestBody());
  app.route(
    '/v1',
    generationRoutes({ generations: container.generations, assets: container.assets, data: container.deps }),
  );
  app.route(
    '/v1',
    posterRoutes({
      posters: container.posters,
      generations: container.generations,
      assets: container.assets,
      data: container.deps,
    }),
  );
  app.route('/v1', assetRoutes({ assets: container.assets, providers: container.deps.providers }));
  app.route('/v1', catalogRoutes(container.catalog));
  app.route('/v1', checkRoutes({ imageChecks: container.imageChecks }));
  app.route('/v1', fontRoutes());
  app.route('/v1', previewRoutes(container.previews));
  app.route('/v1', styleRoutes());
  app.route(
    '/v1',
    batchRoutes({
      imports: container.batchImports,
      batches: container.batches,
      exports: container.batchExports,
    }),
  );
  app.route('/v1', productRoutes({ products: container.products, imports: container.productImports }));
  app.route(
    '/v1',
    assistantRoutes({
      assistant: container.assistant,
      tokens: container.assistantTokens,
      chat: container.chat,
      catalogImages: container.catalogImages,
    }),
  );
  app.route('/v1', chatCompletionRoutes({ assistant: container.assistant }));
  app.route(
    '/v1',
    scriptRoutes({
      analyses: container.scriptAnalyses,
      renders: container.scriptRenders,
      storyboards: container.scriptStoryboards,
      batches: container.batches,
    }),
  );
  app.route('/v1', apiKeyRoutes(container.apiKeys));
  app.route('/v1', pickerTokenRoutes(container.pickerTokens));
  app.route('/v1', webhookRoutes(container.webhooks));
  app.route('/v1', workerRoutes(container.fleet));
  app.route('/v1', shopifyRoutes(container.integrations));
  app.route('/v1', destinationRoutes(container.integrations));
  app.route('/v1', slackRoutes(container.integrations.slack));
  app.route(
    '/v1',
    costRoutes({
      generations: container.generations,
      imports: container.batchImports,
      budget: container.budget,
    }),
  );
  app.route(
    '/v1',
    openAICompatRoutes({
      generations: container.generations,
      assets: container.assets,
      catalog: container.catalog,
      data: container.deps,
    }),
  );

  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key from the first start, `vitrine keys create` or POST /v1/api-keys',
  });
  // Served by plain Hono handlers (system.routes.ts); listed here so the reference shows them too.
  for (const [path, summary] of [
    ['/healthz', 'Liveness: the process answers'],
    [
      '/readyz',
      'Readiness: database, storage, queue and (on a node without workers) a recent worker heartbeat; 503 when one fails. Provider health is shown beside, without deciding readiness',
    ],
    ['/metrics', 'Prometheus metrics (text format)'],
  ] as const) {
    app.openAPIRegistry.registerPath({
      method: 'get',
      path,
      summary,
      tags: ['Operations'],
      security: [],
      responses: { 200: { description: 'OK' } },
    });
  }
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Vitrine API',
      version: '1.0.0',
      description:
        'On-brand images at batch scale through any image model. Errors are `{"error": {"code", "message", "details"}}`.',
    },
    security: [{ apiKey: [] }],
  });
  return app;
}
