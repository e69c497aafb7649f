import { drop, type FakeContext, FakeHttpServer, hang, sendJson } from './fake-http.ts';

/**
 * A loopback OpenAI Chat Completions API (protocols.md §2): `POST /v1/chat/completions`, JSON or
 * a server-sent-event stream, and `GET /v1/models`. It checks requests as OpenAI does (model,
 * roles, content parts, data-URL images that really are images, `max_tokens` vs
 * `max_completion_tokens`, the word "json" with `response_format`) and answers errors in OpenAI's
 * `{"error":{…}}` shape, 429s with `retry-after`/`x-ratelimit-*` hints, refusals and filters.
 */
export class FakeOpenAIChatServer extends FakeHttpServer {
  /** The bearer key it accepts; null = no key needed (a local Ollama). */
  apiKey: string | null = 'sk-chat-test';
  /** The answer's text for a request body; default a JSON object echoing the last user text. */
  reply: (body: ChatBody) => string = (body) =>
    JSON.stringify({ answer: `echo: ${lastUserText(body)}`, needs_human: false });
  /** Token counts reported for a request body. */
  usageFor: (body: ChatBody, answer: string) => { prompt_tokens: number; completion_tokens: number } = (
    body,
    answer,
  ) => ({
    prompt_tokens: 20 + Math.ceil(JSON.stringify(body.messages).length / 40),
    completion_tokens: Math.max(1, Math.ceil(answer.length / 4)),
  });
  /** Answer without `usage` (some servers do). */
  omitUsage = false;
  /** Refuse `response_format` with a 400, as older gateways and some vLLM builds do. */
  rejectResponseFormat = false;
  /** The `retry-after` header (seconds) sent with a hinted 429. */
  retryAfterSeconds = '2';
  /** The `model` the answer names; default the asked one. */
  answerModel: string | null = null;

  constructor() {
    super((context) => this.#route(context));
  }

  #route(context: FakeContext) {
    const { request, res } = context;
    if (this.apiKey && request.headers.authorization !== `Bearer ${this.apiKey}`) {
      return chatError(
        context,
        401,
        'invalid_api_key',
        'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
      );
    }
    if (request.method === 'GET' && request.path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model' }] });
    }
    if (request.method === 'POST' && request.path === '/v1/chat/completions') return this.#complete(context);
    chatError(context, 404, 'unknown_url', `Unknown request URL: ${request.method} ${request.path}.`);
  }

  #complete(context: FakeContext) {
    const body = context.request.json as ChatBody | undefined;
    const invalid = body
      ? checkBody(body, this.rejectResponseFormat)
      : { message: 'We could not parse the JSON body of your request.', param: null };
    if (invalid) return chatError(context, 400, invalid.code ?? null, invalid.message, {}, invalid.param);
    const request = body!;
    const scenario = context.takeScenario();
    if (scenario === 'hang') return hang(this, context);
    if (scenario === 'drop') return drop(context);
    if (scenario === 'rate_limit_with_hint') {
      return chatError(
        context,
        429,
        'rate_limit_exceeded',
        `Rate limit reached for ${request.model} on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1.5s.`,
        {
          'retry-after': this.retryAfterSeconds,
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': '1.5s',
        },
        null,
        'requests',
      );
    }
    if (scenario === 'rate_limit') {
      return chatError(
        context,
        429,
        'rate_limit_exceeded',
        `Rate limit reached for ${request.model}.`,
        {},
        null,
        'tokens',
      );
    }
    if (scenario === 'quota') {
      return chatError(
        context,
        429,
        'insufficient_quota',
        'You exceeded your current quota, please check your plan and billing details.',
        {},
        null,
        'insufficient_quota',
      );
    }
    if (scenario === 'server_error') {
      return chatError(
        context,
        500,
        null,
        'The server had an error while processing your request. Sorry about that!',
        {},
        null,
        'server_error',
      );
    }
    if (scenario === 'malformed') {
      return sendJson(
        context.res,
        200,
        '{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,',
        {
          'x-request-id': 'req_malformed',
        },
      );
    }
    const model = this.answerModel ?? request.model;
    const refusal = scenario === 'refusal' ? "I'm sorry, I can't help with that request." : null;
    const filtered = scenario === 'content_filter';
    const text =
      refusal || filtered
        ? ''
        : scenario === 'not_json'
          ? 'Sure! The item looks the same to me.'
          : this.reply(request);
    const usage = this.usageFor(request, text || (refusal ?? ''));
    const requestId = `req_${this.requests.length}`;
    if (request.stream)
      return this.#stream(context, { model, text, refusal, filtered, usage, requestId, scenario });
    sendJson(
      context.res,
      200,
      {
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: 1_735_689_600,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: refusal || filtered ? null : text, refusal },
            logprobs: null,
            finish_reason: filtered ? 'content_filter' : 'stop',
          },
        ],
        ...(this.omitUsage
          ? {}
          : { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }),
        system_fingerprint: 'fp_fake',
      },
      { 'x-request-id': requestId },
    );
  }

  #stream(
    context: FakeContext,
    answer: {
      model: string;
      text: string;
      refusal: string | null;
      filtered: boolean;
      usage: { prompt_tokens: number; completion_tokens: number };
      requestId: string;
      scenario: string | undefined;
    },
  ) {
    const { res } = context;
    const body = context.request.json as ChatBody;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-request-id': answer.requestId,
    });
    const base = {
      id: `chatcmpl-${this.requests.length}`,
      object: 'chat.completion.chunk',
      created: 1_735_689_600,
      model: answer.model,
    };
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    send({
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    if (answer.refusal)
      send({ ...base, choices: [{ index: 0, delta: { refusal: answer.refusal }, finish_reason: null }] });
    // Deltas cut at arbitrary places, as models do (mid-word, mid-escape of the JSON text).
    const pieces = answer.text.match(/[\s\S]{1,7}/g) ?? [];
    for (const [index, piece] of pieces.entries()) {
      send({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
      if (index === 0 && answer.scenario === 'drop_mid_stream') return drop(context);
    }
    send({
      ...base,
      choices: [{ index: 0, delta: {}, finish_reason: answer.filtered ? 'content_filter' : 'stop' }],
    });
    if (body.stream_options?.include_usage && !this.omitUsage) {
      send({
        ...base,
        choices: [],
        usage: { ...answer.usage, total_tokens: answer.usage.prompt_tokens + answer.usage.completion_tokens },
      });
    }
    res.end('data: [DONE]\n\n');
  }
}

export interface ChatBody {
  model: string;
  messages: Array<{ role: string; content: string | Array<Record<string, unknown>> | null }>;
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  response_format?: { type: string };
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

/** The text of the last user message (its text parts joined). */
export function lastUserText(body: ChatBody): string {
  const last = [...body.messages].reverse().find((message) => message.role === 'user');
  if (!last || last.content === null) return '';
  if (typeof last.content === 'string') return last.content;
  return last.content
    .filter((part) => part.type === 'text')
    .map((part) => String(part.text))
    .join('\n');
}

/** The images of every user message, decoded from their data URLs. */
export function imagesOf(body: ChatBody): Array<{ mediaType: string; bytes: Buffer }> {
  const images: Array<{ mediaType: string; bytes: Buffer }> = [];
  for (const message of body.messages) {
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content) {
      const url = (part.image_url as { url?: string } | undefined)?.url ?? '';
      const match = /^data:(image\/[a-z]+);base64,(.*)$/s.exec(url);
      if (match) images.push({ mediaType: match[1]!, bytes: Buffer.from(match[2]!, 'base64') });
    }
  }
  return images;
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

/** OpenAI's request checks, as far as Vitrine's requests can break them. */
function checkBody(
  body: ChatBody,
  rejectResponseFormat: boolean,
): { message: string; param: string | null; code?: string } | null {
  if (typeof body.model !== 'string' || body.model === '')
    return { message: 'you must provide a model parameter', param: null };
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return {
      message:
        "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      param: 'messages',
      code: 'empty_array',
    };
  }
  for (const [index, message] of body.messages.entries()) {
    if (!ROLES.has(message.role))
      return {
        message: `Invalid value: '${message.role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        param: `messages[${index}].role`,
        code: 'invalid_value',
      };
    if (typeof message.content === 'string') continue;
    if (!Array.isArray(message.content))
      return {
        message: `Invalid type for 'messages[${index}].content'.`,
        param: `messages[${index}].content`,
        code: 'invalid_type',
      };
    for (const [partIndex, part] of message.content.entries()) {
      const param = `messages[${index}].content[${partIndex}]`;
      if (part.type === 'text' && typeof part.text === 'string') continue;
      if (part.type !== 'image_url')
        return {
          message: `Invalid value: '${String(part.type)}'. Supported values are: 'text' and 'image_url'.`,
          param: `${param}.type`,
          code: 'invalid_value',
        };
      if (message.role !== 'user')
        return {
          message: `Image URLs are only allowed for messages with role 'user', but this message with role '${message.role}' contains an image URL.`,
          param,
          code: 'invalid_value',
        };
      const url = (part.image_url as { url?: unknown } | undefined)?.url;
      const image =
        typeof url === 'string'
          ? /^data:(image\/(?:jpeg|png|webp|gif));base64,([A-Za-z0-9+/=]+)$/.exec(url)
          : null;
      if (!image || !looksLikeImage(Buffer.from(image[2]!, 'base64'))) {
        return {
          message:
            "You uploaded an unsupported image. Please make sure your image has of one the following formats: ['png', 'jpeg', 'gif', 'webp'].",
          param,
          code: 'invalid_image_format',
        };
      }
    }
  }
  if (/^(o\d|gpt-5)/.test(body.model) && body.max_tokens !== undefined) {
    return {
      message:
        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      param: 'max_tokens',
      code: 'unsupported_parameter',
    };
  }
  if (body.response_format) {
    if (rejectResponseFormat)
      return { message: 'Unrecognized request argument supplied: response_format', param: 'response_format' };
    if (body.response_format.type === 'json_object' && !/json/i.test(JSON.stringify(body.messages))) {
      return {
        message:
          "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
        param: 'messages',
        code: null as never,
      };
    }
  }
  if (body.stream_options && !body.stream) {
    return {
      message: "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      param: 'stream_options',
    };
  }
  return null;
}

function looksLikeImage(bytes: Buffer): boolean {
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const png = bytes.subarray(0, 4).toString('latin1') === '\x89PNG';
  const webp =
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP';
  const gif = bytes.subarray(0, 3).toString('latin1') === 'GIF';
  return jpeg || png || webp || gif;
}

function chatError(
  context: FakeContext,
  status: number,
  code: string | null,
  message: string,
  headers: Record<string, string> = {},
  param: string | null = null,
  type = 'invalid_request_error',
) {
  sendJson(
    context.res,
    status,
    { error: { message, type, param, code } },
    { 'x-request-id': 'req_error', ...headers },
  );
}
