import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { AppError, invalidRequest } from '../../domain/errors.ts';
import { customerIdSchema, skuSchema } from '../../domain/product.ts';
import { SHOPPER_PHOTO_MAX_BYTES } from '../../imaging/shopper-photo.ts';
import type {
  AskInput,
  AssistantEvent,
  AssistantService,
} from '../../services/assistant/assistant.service.ts';
import type { AssistantTokenService } from '../../services/assistant/assistant-token.service.ts';
import type { CatalogImages } from '../../services/assistant/catalog-images.ts';
import type { ChatService } from '../../services/chat/chat.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { toAppError } from '../errors.ts';
import {
  AssistantMessageSchema,
  AssistantTokenCreateSchema,
  AssistantTokenSchema,
  ConversationCreateSchema,
  ConversationSchema,
  ConversationSummarySchema,
} from '../schemas/assistant.schema.ts';
import { ErrorSchema, errorResponses } from '../schemas/common.schema.ts';
import { validationHook } from '../validation.ts';

interface Deps {
  assistant: AssistantService;
  tokens: AssistantTokenService;
  chat: ChatService;
  catalogImages: Pick<CatalogImages, 'size'>;
}

const IdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
const ok = <T>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

/** The shopper assistant: conversations, questions (JSON or server-sent events), widget tokens. */
export function assistantRoutes(deps: Deps) {
  const { assistant } = deps;
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  app.on(
    'POST',
    ['/assistant/conversations', '/assistant/conversations/*', '/assistant/tokens'],
    requireScope('generate'),
  );
  app.on(
    'GET',
    ['/assistant/conversations', '/assistant/conversations/*', '/assistant/status'],
    requireScope('read'),
  );
  const callerOf = (c: Context<ApiEnv>) => ({
    apiKeyId: c.get('apiKey')?.id ?? null,
    customerId: c.get('assistantGrant')?.customerId ?? null,
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/assistant/conversations',
      tags: ['Assistant'],
      summary: 'Start a conversation with the shopper assistant',
      description:
        "`customer_id` and `sku` must exist (404 naming them). With an assistant token, the conversation is its shopper's.",
      request: {
        body: { content: { 'application/json': { schema: ConversationCreateSchema } }, required: false },
      },
      responses: { 201: ok('Started', ConversationSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const body = c.req.valid('json') ?? {};
      const grant = c.get('assistantGrant');
      const conversation = await assistant.createConversation(
        { customer_id: body.customer_id, sku: body.sku ?? grant?.sku ?? null, locale: body.locale },
        callerOf(c),
      );
      c.header('Location', `/v1/assistant/conversations/${conversation.id}`);
      return c.json(conversation as never, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/assistant/conversations',
      tags: ['Assistant'],
      summary: 'Recent conversations, newest first',
      request: {
        query: z.object({
          customer_id: customerIdSchema.optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
      },
      responses: {
        200: ok('Conversations', z.object({ data: z.array(ConversationSummarySchema) })),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const customerId = c.get('assistantGrant')?.customerId ?? query.customer_id;
      return c.json(
        {
          data: await assistant.listConversations({
            customerId: customerId ?? undefined,
            limit: query.limit,
          }),
        } as never,
        200,
      );
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/assistant/conversations/{id}',
      tags: ['Assistant'],
      summary: 'A conversation with its messages (answers, grounding, photo URLs)',
      request: { params: IdParams },
      responses: { 200: ok('The conversation', ConversationSchema), ...errorResponses(401, 403, 404) },
    }),
    async (c) =>
      c.json((await assistant.getConversation(c.req.valid('param').id, callerOf(c))) as never, 200),
  );

  // A plain handler: multipart (a photo) or JSON, answered as JSON or as server-sent events.
  app.post('/assistant/conversations/:id/messages', async (c) => {
    const input = await readAskBody(c);
    const caller = callerOf(c);
    const id = c.req.param('id');
    const wantsStream =
      c.req.query('stream') === 'true' || (c.req.header('accept') ?? '').includes('text/event-stream');
    if (!wantsStream) {
      const message = await assistant.ask(id, input, caller, { signal: c.req.raw.signal });
      return c.json(message, 200);
    }
    return streamAnswer(c, (onEvent) =>
      assistant.ask(id, input, caller, { signal: c.req.raw.signal, onEvent }),
    );
  });
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/assistant/conversations/{id}/messages',
    tags: ['Assistant'],
    summary: 'Ask: a question, a photo, or both',
    description: `multipart/form-data with \`image\` (JPEG, PNG or WebP, at most ${SHOPPER_PHOTO_MAX_BYTES / 2 ** 20} MB), \`question\`, \`sku\`, \`previous_sku\`; or JSON with the same fields (\`image\` as a data URL or base64). With \`Accept: text/event-stream\` (or \`?stream=true\`) the answer streams as server-sent events: \`grounding\` (intent, same item, size), \`delta\` ({text}) as the answer is written, \`replace\` ({answer, reason}) when a streamed model answer was set aside, and \`done\` (the message as in the JSON answer). Wrong type 415, too large (bytes or pixels) 413, unknown SKU or conversation 404. A model fault is a note on the answer, never an error.`,
    request: {
      params: IdParams,
      body: {
        content: {
          'multipart/form-data': {
            schema: z.object({
              image: z.string().openapi({ format: 'binary' }).optional(),
              question: z.string().optional(),
              sku: z.string().optional(),
              previous_sku: z.string().optional(),
            }),
          },
          'application/json': {
            schema: z.object({
              question: z.string().optional(),
              image: z.string().optional().openapi({ description: 'data:image/jpeg;base64,… or base64' }),
              sku: z.string().optional(),
              previous_sku: z.string().optional(),
            }),
          },
        },
      },
    },
    responses: {
      200: {
        description: 'The answer (JSON), or an event stream',
        content: {
          'application/json': { schema: AssistantMessageSchema },
          'text/event-stream': { schema: z.string() },
        },
      },
      ...Object.fromEntries(
        [400, 401, 403, 404, 413, 415].map((status) => [
          status,
          { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } },
        ]),
      ),
    },
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/assistant/tokens',
      tags: ['Assistant'],
      summary: 'Mint a short-lived token for <vitrine-assistant> on a shop page',
      description:
        "The token speaks for one shopper (`customer_id`) and can only use /v1/assistant/conversations; bind it to the page's `allowed_origin`. An API key with `generate` mints it; a token cannot.",
      request: {
        body: { content: { 'application/json': { schema: AssistantTokenCreateSchema } }, required: false },
      },
      responses: { 201: ok('Minted', AssistantTokenSchema), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      if (c.get('credential') !== 'api_key' && c.get('credential') !== 'session') {
        throw new AppError('forbidden', 'Only an API key (or the studio) can mint assistant tokens');
      }
      const body = c.req.valid('json') ?? {};
      const minted = await deps.tokens.mint(c.get('apiKey'), {
        ttlSeconds: body.ttl_seconds,
        allowedOrigin: body.allowed_origin ?? null,
        customerId: body.customer_id ?? null,
        sku: body.sku ?? null,
      });
      return c.json(
        {
          token: minted.token,
          expires_at: minted.expiresAt.toISOString(),
          customer_id: minted.customerId,
          sku: minted.sku,
          allowed_origin: minted.allowedOrigin,
        },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/assistant/status',
      tags: ['Assistant'],
      summary: 'The chat model in use (if any), its guard state, and the catalog images read',
      responses: {
        200: ok('Status', z.object({ chat_model: z.unknown().nullable(), catalog_images: z.number().int() })),
        ...errorResponses(401, 403),
      },
    }),
    async (c) =>
      c.json({ chat_model: deps.chat.describe(), catalog_images: deps.catalogImages.size } as never, 200),
  );
  return app;
}

/**
 * Runs `ask` and streams its events. Until the first event the request can still fail with its
 * proper status (404, 413, 415); after it, a failure is an `error` event and the stream ends.
 */
async function streamAnswer(
  c: Context<ApiEnv>,
  ask: (onEvent: (event: AssistantEvent) => void) => Promise<unknown>,
) {
  const queue: AssistantEvent[] = [];
  let finished = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  void ask((event) => {
    queue.push(event);
    notify();
  }).then(
    () => {
      finished = true;
      notify();
    },
    (error: unknown) => {
      failure = error;
      finished = true;
      notify();
    },
  );
  await new Promise<void>((resolve) => {
    if (queue.length > 0 || finished) resolve();
    else wake = resolve;
  });
  if (queue.length === 0 && failure) throw failure;
  return streamSSE(c, async (stream) => {
    for (;;) {
      while (queue.length > 0) {
        const event = queue.shift()!;
        await stream.writeSSE({ event: event.type, data: JSON.stringify(event.data) });
      }
      if (finished) {
        if (failure) {
          const known = toAppError(failure);
          const body = known
            ? { code: known.code, message: known.message }
            : { code: 'internal', message: `Internal error; quote request id ${c.get('requestId')}` };
          await stream.writeSSE({ event: 'error', data: JSON.stringify({ error: body }) });
        }
        return;
      }
      await new Promise<void>((resolve) => {
        if (queue.length > 0 || finished) resolve();
        else wake = resolve;
      });
    }
  });
}

const optionalSku = (field: string, value: unknown): string | null => {
  if (value === undefined || value === null || value === '') return null;
  const parsed = skuSchema.safeParse(value);
  if (!parsed.success)
    throw invalidRequest(`${field}: ${parsed.error.issues[0]?.message}`, [
      { field, message: parsed.error.issues[0]?.message ?? 'invalid' },
    ]);
  return parsed.data;
};

/** The question and photo from multipart or JSON; the photo's bytes are checked later (type, pixels). */
export async function readAskBody(c: Context): Promise<AskInput> {
  const contentType = c.req.header('content-type') ?? '';
  let fields: Record<string, unknown>;
  let image: Uint8Array | null = null;
  if (contentType.startsWith('multipart/form-data')) {
    fields = await c.req.parseBody();
    const file = fields.image;
    if (file instanceof File) {
      if (file.size > SHOPPER_PHOTO_MAX_BYTES) {
        throw new AppError(
          'payload_too_large',
          `The photo is larger than ${SHOPPER_PHOTO_MAX_BYTES / 2 ** 20} MB`,
          {
            details: { issues: [{ field: 'image', message: 'at most 10 MB' }] },
          },
        );
      }
      image = new Uint8Array(await file.arrayBuffer());
    } else if (file !== undefined && file !== '') {
      throw invalidRequest('image must be a file', [
        { field: 'image', message: 'attach the photo as a file' },
      ]);
    }
  } else if (contentType.startsWith('application/json')) {
    fields = (await c.req.json().catch(() => {
      throw invalidRequest('The body is not valid JSON');
    })) as Record<string, unknown>;
    if (typeof fields !== 'object' || fields === null) throw invalidRequest('The body must be a JSON object');
    if (typeof fields.image === 'string' && fields.image) {
      const base64 = fields.image.replace(/^data:[\w/+.-]+;base64,/, '');
      image = new Uint8Array(Buffer.from(base64, 'base64'));
    }
  } else {
    throw new AppError(
      'unsupported_media_type',
      'Send multipart/form-data (with an `image` file) or application/json',
    );
  }
  const question = fields.question;
  if (question !== undefined && typeof question !== 'string') {
    throw invalidRequest('question must be text', [{ field: 'question', message: 'must be text' }]);
  }
  return {
    question: question ?? '',
    image,
    sku: optionalSku('sku', fields.sku),
    previous_sku: optionalSku('previous_sku', fields.previous_sku),
  };
}
