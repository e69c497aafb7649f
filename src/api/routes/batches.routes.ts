import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { isBatchFinished } from '../../domain/batch.ts';
import { AppError } from '../../domain/errors.ts';
import type { BatchService } from '../../services/batches/batch.service.ts';
import type { BatchExportService } from '../../services/batches/batch-export.service.ts';
import type {
  BatchImportService,
  BatchRequest,
  BatchSource,
} from '../../services/batches/batch-import.service.ts';
import { encodeCursor } from '../../services/generation/generation.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { presentBatch } from '../presenters.ts';
import {
  BatchFieldsSchema,
  BatchJsonRequestSchema,
  BatchMultipartSchema,
  BatchPageSchema,
  BatchSchema,
} from '../schemas/batch.schema.ts';
import { ErrorSchema, errorResponses } from '../schemas/common.schema.ts';
import { validationHook } from '../validation.ts';

interface Deps {
  imports: BatchImportService;
  batches: BatchService;
  exports: BatchExportService;
}

const SSE_POLL_MS = 500;
const IdParam = z.object({ id: z.string() });

/** `/v1/batches`: the list is a zod-openapi route; the rest are plain Hono handlers documented by hand. */
export function batchRoutes(deps: Deps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const present = async (id: string) => presentBatch(await deps.batches.state(id));

  app.openapi(
    createRoute({
      method: 'get',
      path: '/batches',
      tags: ['Batches'],
      summary: 'List batches, newest first, each with its counts',
      middleware: [requireScope('read')] as const,
      request: {
        query: z.object({
          limit: z.coerce.number().int().min(1).max(100).default(20),
          cursor: z.string().optional().openapi({ description: '`next_cursor` of the previous page' }),
        }),
      },
      responses: {
        200: {
          description: 'A page of batches',
          content: { 'application/json': { schema: BatchPageSchema } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const states = await deps.batches.list(query);
      const last = states.at(-1)?.batch;
      return c.json(
        {
          data: states.map(presentBatch),
          next_cursor: last && states.length === query.limit ? encodeCursor(last) : null,
        },
        200,
      );
    },
  );

  // A plain handler: the body is JSON or a multipart CSV upload (documented by hand below).
  app.post('/batches', requireScope('generate'), async (c) => {
    const { request, source } = await readBatchBody(c);
    const { batch } = await deps.imports.create(
      request,
      source,
      { apiKeyId: c.get('apiKey').id },
      c.req.header('idempotency-key') || undefined,
    );
    c.header('Location', `/v1/batches/${batch.id}`);
    return c.json(await present(batch.id), 202);
  });

  app.use('/batches/:id', requireScope('read'));
  app.get('/batches/:id', async (c) => c.json(await present(c.req.param('id')), 200));

  app.use('/batches/:id/manifest.csv', requireScope('read'));
  app.get('/batches/:id/manifest.csv', async (c) => {
    const batch = await deps.batches.get(c.req.param('id'));
    return new Response(deps.exports.manifest(batch), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="batch-${batch.id}-manifest.csv"`,
      },
    });
  });

  app.use('/batches/:id/images.zip', requireScope('read'));
  app.get('/batches/:id/images.zip', async (c) => {
    const batch = await deps.batches.get(c.req.param('id'));
    const stored = await deps.exports.storedZipUrl(batch);
    if (stored)
      return new Response(null, { status: 302, headers: { location: stored, 'cache-control': 'no-store' } });
    return new Response(deps.exports.zip(batch), {
      headers: {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="batch-${batch.id}-images.zip"`,
      },
    });
  });

  app.use('/batches/:id/cancel', requireScope('generate'));
  app.post('/batches/:id/cancel', async (c) =>
    c.json(presentBatch(await deps.batches.cancel(c.req.param('id'))), 200),
  );

  app.use('/batches/:id/retry', requireScope('generate'));
  app.post('/batches/:id/retry', async (c) =>
    c.json(presentBatch(await deps.batches.retry(c.req.param('id'))), 200),
  );

  app.use('/batches/:id/events', requireScope('read'));
  app.get('/batches/:id/events', async (c) => {
    const id = c.req.param('id');
    let last = JSON.stringify(await present(id));
    return streamSSE(c, async (stream) => {
      await stream.writeSSE({ event: 'progress', data: last });
      // Counts come from the database (workers may be other processes); sent when they change.
      while (!stream.aborted) {
        const view = await present(id);
        const text = JSON.stringify(view);
        if (isBatchFinished(view.status)) {
          await stream.writeSSE({ event: 'done', data: text });
          return;
        }
        if (text !== last) await stream.writeSSE({ event: 'progress', data: text });
        last = text;
        await deps.batches.waitForFinish(id, SSE_POLL_MS, c.req.raw.signal);
      }
    });
  });

  documentRoutes(app);
  return app;
}

/** A batch body: JSON with `rows`, or multipart with a CSV `file` and the same fields as text. */
export async function readBatchBody(c: Context): Promise<{ request: BatchRequest; source: BatchSource }> {
  const contentType = c.req.header('content-type') ?? '';
  if (contentType.startsWith('multipart/form-data')) {
    const form = await c.req.parseBody();
    const file = form.file;
    if (!(file instanceof File)) {
      throw new AppError('invalid_request', 'Attach the CSV as the form field `file`', {
        details: { issues: [{ field: 'file', message: 'is required' }] },
      });
    }
    const fields: Record<string, unknown> = Object.fromEntries(
      Object.entries(form).filter(([name]) => name !== 'file'),
    );
    if (typeof fields.columns === 'string') fields.columns = parseColumnsField(fields.columns);
    return {
      request: parseWith(BatchFieldsSchema, fields),
      source: { kind: 'csv', bytes: file.stream() as unknown as AsyncIterable<Uint8Array> },
    };
  }
  if (contentType.startsWith('application/json')) {
    const body = await c.req.json().catch(() => {
      throw new AppError('invalid_request', 'The body is not valid JSON');
    });
    const { rows, ...fields } = parseWith(BatchJsonRequestSchema, body);
    return { request: fields, source: { kind: 'json', rows } };
  }
  throw new AppError(
    'unsupported_media_type',
    'Send application/json with `rows`, or multipart/form-data with a CSV `file`',
  );
}

/** The multipart `columns` field: the mapping as JSON text (a form field cannot hold an object). */
function parseColumnsField(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('invalid_request', 'columns must be a JSON object of CSV header → param name', {
      details: { issues: [{ field: 'columns', message: 'is not valid JSON' }] },
    });
  }
}

function parseWith<Schema extends z.ZodType>(schema: Schema, value: unknown): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) {
    validationHook({ success: false, error: result.error, target: 'json' } as never, undefined as never);
  }
  return result.data as z.infer<Schema>;
}

function documentRoutes(app: OpenAPIHono<ApiEnv>) {
  const errors = { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } };
  const batch = { content: { 'application/json': { schema: BatchSchema } } };
  const params = { params: IdParam };
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/batches',
    tags: ['Batches'],
    summary: 'Create a batch from JSON rows or a CSV upload',
    description:
      'Each row is checked against the template; invalid rows are reported in `errors` by spreadsheet line (the header is line 1) and skipped, the valid rows become jobs. `Idempotency-Key`: the same key and body return the same batch, another body 409. A file that is not CSV is 415, one over the upload limit 413, a malformed CSV line 400 naming the line, no valid row 422.',
    request: {
      body: {
        content: {
          'application/json': { schema: BatchJsonRequestSchema },
          'multipart/form-data': { schema: BatchMultipartSchema },
        },
      },
    },
    responses: {
      202: { description: 'Accepted', ...batch },
      400: errors,
      409: errors,
      413: errors,
      415: errors,
      422: errors,
    },
  });
  const reads: Array<[string, string, string, Record<string, unknown>]> = [
    [
      'get',
      '/batches/{id}',
      'Progress and counts of a batch',
      { 200: { description: 'The batch', ...batch } },
    ],
    [
      'get',
      '/batches/{id}/manifest.csv',
      'One line per row: row, key, job_id, status, image_urls, error',
      { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } } },
    ],
    [
      'get',
      '/batches/{id}/images.zip',
      'The images of the succeeded rows, named by the key column',
      {
        200: { description: 'Zip', content: { 'application/zip': { schema: z.string() } } },
        302: {
          description:
            'With `VITRINE_ASSET_URLS=presigned` and a finished batch: the zip, built once into the bucket, at a presigned URL (an hour)',
        },
      },
    ],
    [
      'get',
      '/batches/{id}/events',
      'Server-sent events: `progress` (the batch) when counts change, then `done`',
      { 200: { description: 'Event stream', content: { 'text/event-stream': { schema: z.string() } } } },
    ],
    [
      'post',
      '/batches/{id}/cancel',
      'Cancel the rest: queued rows at once, running jobs aborted',
      { 200: { description: 'The batch', ...batch } },
    ],
    [
      'post',
      '/batches/{id}/retry',
      'Give the failed rows a new attempt',
      { 200: { description: 'The batch', ...batch } },
    ],
  ];
  for (const [method, path, summary, responses] of reads) {
    app.openAPIRegistry.registerPath({
      method: method as 'get' | 'post',
      path,
      tags: ['Batches'],
      summary,
      request: params,
      responses: { ...responses, 404: errors } as never,
    });
  }
}
