import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { AppError, invalidRequest } from '../../domain/errors.ts';
import { customerIdSchema, skuSchema } from '../../domain/product.ts';
import type { AssistantMessage, AssistantService } from '../../services/assistant/assistant.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';

/** The one model this endpoint serves: the shopper assistant, grounded in the catalog. */
export const ASSISTANT_MODEL = 'vitrine-assistant';

const ContentPartSchema = z.union([
  z.object({ type: z.literal('text'), text: z.string() }).loose(),
  z
    .object({
      type: z.literal('image_url'),
      image_url: z.object({ url: z.string().max(15_000_000), detail: z.string().optional() }).loose(),
    })
    .loose(),
]);

/**
 * OpenAI's chat completion body. Vitrine reads the last user message (text and at most one image as
 * a data URL) and `metadata` (OpenAI's string map) for `sku`, `customer_id`, `previous_sku` and
 * `conversation_id`; `user` stands for the customer when `metadata` does not name one. Other
 * OpenAI fields (temperature, max_tokens, …) are accepted and ignored: the answer is grounded.
 */
export const ChatCompletionRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z
      .array(
        z
          .object({
            role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
            content: z.union([z.string(), z.array(ContentPartSchema), z.null()]),
          })
          .loose(),
      )
      .min(1),
    stream: z.boolean().optional(),
    user: z.string().max(128).optional(),
    metadata: z.record(z.string(), z.string().max(512)).optional(),
  })
  .loose()
  .openapi('ChatCompletionRequest');

const ChatCompletionSchema = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({ role: z.literal('assistant'), content: z.string(), refusal: z.null() }),
        finish_reason: z.literal('stop'),
      }),
    ),
    usage: z.object({
      prompt_tokens: z.number().int(),
      completion_tokens: z.number().int(),
      total_tokens: z.number().int(),
    }),
    vitrine: z
      .object({})
      .passthrough()
      .openapi({ description: 'The assistant message: same item, size, sources, notes…' }),
  })
  .openapi('ChatCompletion');

/**
 * `POST /v1/chat/completions` with `model: "vitrine-assistant"`: existing chat clients and the
 * official SDKs ask the shopper assistant. The answer is the assistant's (grounded, checked), in
 * OpenAI's shapes — streamed as `chat.completion.chunk` events when `stream` is true.
 */
export function chatCompletionRoutes(deps: { assistant: AssistantService }) {
  const app = new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const issue = result.error.issues[0];
      const field = issue?.path.map(String).join('.') || 'body';
      throw invalidRequest(`Invalid request: ${field}: ${issue?.message}`, [
        { field, message: issue?.message ?? 'invalid' },
      ]);
    },
  });
  app.use('/chat/completions', requireScope('generate'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/chat/completions',
      tags: ['OpenAI-compatible'],
      summary: 'Ask the shopper assistant, OpenAI Chat Completions style (model "vitrine-assistant")',
      description:
        'For the official SDKs and chat clients: `baseURL: <vitrine>/v1`, `model: "vitrine-assistant"`. The last user message is the question (text parts, and an `image_url` part as a data URL for the photo). `metadata`: `sku`, `customer_id`, `previous_sku`, `conversation_id` (to continue one); `user` is taken as the customer id otherwise. The full assistant message (same item, size, sources, notes) is in `vitrine`. Errors in OpenAI\'s shape.',
      request: {
        body: { content: { 'application/json': { schema: ChatCompletionRequestSchema } }, required: true },
      },
      responses: {
        200: {
          description: 'The answer (or a stream of chat.completion.chunk events)',
          content: {
            'application/json': { schema: ChatCompletionSchema },
            'text/event-stream': { schema: z.string() },
          },
        },
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      if (body.model !== ASSISTANT_MODEL) {
        throw new AppError(
          'not_found',
          `The model '${body.model}' does not exist here; use "${ASSISTANT_MODEL}"`,
          {
            details: { issues: [{ field: 'model', message: `must be ${ASSISTANT_MODEL}` }] },
          },
        );
      }
      const { question, image } = lastUserTurn(body.messages);
      const metadata = body.metadata ?? {};
      const sku = optional(skuSchema, metadata.sku, 'metadata.sku');
      const previousSku = optional(skuSchema, metadata.previous_sku, 'metadata.previous_sku');
      const customerId = optional(
        customerIdSchema,
        metadata.customer_id ?? body.user,
        metadata.customer_id ? 'metadata.customer_id' : 'user',
      );
      const caller = { apiKeyId: c.get('apiKey')?.id ?? null };
      const conversationId =
        metadata.conversation_id ??
        (
          await deps.assistant.createConversation(
            { customer_id: customerId, sku, locale: /\p{Script=Han}/u.test(question) ? 'zh' : 'en' },
            caller,
          )
        ).id;
      const message = await deps.assistant.ask(
        conversationId,
        { question, image, sku, previous_sku: previousSku },
        caller,
        { signal: c.req.raw.signal },
      );
      if (body.stream) return streamCompletion(c, message);
      return c.json(
        {
          id: `chatcmpl-${message.id}`,
          object: 'chat.completion' as const,
          created: Math.floor(Date.parse(message.created_at) / 1000),
          model: ASSISTANT_MODEL,
          choices: [
            {
              index: 0,
              message: { role: 'assistant' as const, content: message.answer, refusal: null },
              finish_reason: 'stop' as const,
            },
          ],
          usage: usageOf(message),
          vitrine: message as unknown as Record<string, unknown>,
        },
        200,
      );
    },
  );
  return app;
}

function optional<T>(schema: z.ZodType<T>, value: string | undefined, field: string): T | null {
  if (value === undefined || value === '') return null;
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw invalidRequest(`Invalid request: ${field}: ${parsed.error.issues[0]?.message}`, [
      { field, message: parsed.error.issues[0]?.message ?? 'invalid' },
    ]);
  return parsed.data;
}

/** The text and the photo of the last user message. */
function lastUserTurn(messages: z.infer<typeof ChatCompletionRequestSchema>['messages']): {
  question: string;
  image: Uint8Array | null;
} {
  const last = [...messages].reverse().find((message) => message.role === 'user');
  if (!last)
    throw invalidRequest('Invalid request: messages: needs a user message', [
      { field: 'messages', message: 'needs a user message' },
    ]);
  if (typeof last.content === 'string') return { question: last.content, image: null };
  let image: Uint8Array | null = null;
  const texts: string[] = [];
  for (const part of last.content ?? []) {
    if (part.type === 'text') texts.push(part.text);
    else {
      const match = /^data:[\w/+.-]+;base64,(.+)$/s.exec(part.image_url.url);
      if (!match) {
        throw invalidRequest(
          'Invalid request: messages: images are sent as data URLs (data:image/jpeg;base64,…)',
          [{ field: 'messages.content.image_url.url', message: 'must be a data URL' }],
        );
      }
      image = new Uint8Array(Buffer.from(match[1]!, 'base64'));
    }
  }
  return { question: texts.join('\n'), image };
}

function usageOf(message: AssistantMessage) {
  return {
    prompt_tokens: message.usage.input_tokens,
    completion_tokens: message.usage.output_tokens,
    total_tokens: message.usage.input_tokens + message.usage.output_tokens,
  };
}

/**
 * The answer as OpenAI stream chunks. It is sent once final (a streamed model answer may still be
 * set aside by the checks, and an OpenAI stream cannot take text back), a sentence per chunk.
 */
function streamCompletion(c: Context, message: AssistantMessage) {
  const base = {
    id: `chatcmpl-${message.id}`,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.parse(message.created_at) / 1000),
    model: ASSISTANT_MODEL,
  };
  return streamSSE(c, async (stream) => {
    const send = (data: unknown) => stream.writeSSE({ data: JSON.stringify(data) });
    await send({
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    const segmenter = new Intl.Segmenter(message.language === 'zh' ? 'zh-CN' : 'en', {
      granularity: 'sentence',
    });
    for (const { segment } of segmenter.segment(message.answer)) {
      await send({ ...base, choices: [{ index: 0, delta: { content: segment }, finish_reason: null }] });
    }
    await send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], vitrine: message });
    await send({ ...base, choices: [], usage: usageOf(message) });
    await stream.writeSSE({ data: '[DONE]' });
  });
}
