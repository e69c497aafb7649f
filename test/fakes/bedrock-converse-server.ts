import zlib from 'node:zlib';
import { awsError } from './bedrock-server.ts';
import { drop, type FakeContext, FakeHttpServer, hang, sendJson } from './fake-http.ts';

/**
 * A loopback Bedrock Runtime Converse API (protocols.md §8): `POST /model/{modelId}/converse`
 * (JSON) and `/converse-stream` (the binary `application/vnd.amazon.eventstream` framing with
 * CRCs, which the AWS SDK decodes), over h2c like the real endpoint. It checks what Bedrock checks
 * (SigV4 present, messages alternate starting with a user turn, content blocks, image formats
 * png|jpeg|gif|webp with base64 bytes) and answers errors in restJson1 form: the exception name in
 * `X-Amzn-ErrorType` and `{"message"}`.
 */
export class FakeBedrockConverseServer extends FakeHttpServer {
  /** The answer's text for a request body; default a JSON object echoing the last user text. */
  reply: (body: ConverseBody) => string = (body) =>
    JSON.stringify({ answer: `echo: ${lastUserText(body)}`, needs_human: false });
  usageFor: (body: ConverseBody, answer: string) => { inputTokens: number; outputTokens: number } = (
    body,
    answer,
  ) => ({
    inputTokens: 30 + Math.ceil(JSON.stringify(body.messages).length / 50),
    outputTokens: Math.max(1, Math.ceil(answer.length / 4)),
  });

  /** The `retry-after` header (seconds) sent with a hinted throttle. */
  retryAfterSeconds = '1';

  constructor() {
    super((context) => this.#route(context), { http2: true });
  }

  #route(context: FakeContext) {
    const { request } = context;
    const match = /^\/model\/([^/]+)\/(converse|converse-stream)$/.exec(request.path);
    if (request.method !== 'POST' || !match)
      return awsError(context, 404, 'UnknownOperationException', 'Unknown operation');
    if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 Credential=AKIDTEST/')) {
      return awsError(
        context,
        403,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    const body = (request.json ?? {}) as ConverseBody;
    const invalid = checkBody(body);
    if (invalid) return awsError(context, 400, 'ValidationException', invalid);
    const scenario = context.takeScenario();
    if (scenario === 'hang') return hang(this, context);
    if (scenario === 'drop') return drop(context);
    if (scenario === 'rate_limit_with_hint') {
      return awsError(
        context,
        429,
        'ThrottlingException',
        'Too many requests, please wait before trying again.',
        { 'retry-after': this.retryAfterSeconds },
      );
    }
    if (scenario === 'rate_limit')
      return awsError(
        context,
        429,
        'ThrottlingException',
        'Too many requests, please wait before trying again.',
      );
    if (scenario === 'server_error')
      return awsError(context, 500, 'InternalServerException', 'The server encountered an internal error.');
    if (scenario === 'malformed')
      return sendJson(context.res, 200, '{"output":{"message":', { 'x-amzn-requestid': 'aws-malformed' });
    const modelId = decodeURIComponent(match[1]!);
    const stopReason =
      scenario === 'refusal'
        ? 'guardrail_intervened'
        : scenario === 'content_filter'
          ? 'content_filtered'
          : 'end_turn';
    const text =
      stopReason !== 'end_turn'
        ? 'Sorry, the model cannot answer this.'
        : scenario === 'not_json'
          ? 'It is the same item, I think.'
          : this.reply(body);
    const usage = this.usageFor(body, text);
    const requestId = `aws-${this.requests.length}`;
    if (match[2] === 'converse-stream')
      return this.#stream(context, { text, stopReason, usage, requestId, scenario });
    sendJson(
      context.res,
      200,
      {
        output: { message: { role: 'assistant', content: [{ text }] } },
        stopReason,
        usage: { ...usage, totalTokens: usage.inputTokens + usage.outputTokens },
        metrics: { latencyMs: 321 },
        modelId,
      },
      { 'x-amzn-requestid': requestId },
    );
  }

  #stream(
    context: FakeContext,
    answer: {
      text: string;
      stopReason: string;
      usage: { inputTokens: number; outputTokens: number };
      requestId: string;
      scenario: string | undefined;
    },
  ) {
    const { res } = context;
    res.writeHead(200, {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-requestid': answer.requestId,
    });
    res.write(eventMessage('messageStart', { role: 'assistant' }));
    const pieces = answer.text.match(/[\s\S]{1,9}/g) ?? [];
    for (const [index, piece] of pieces.entries()) {
      res.write(eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text: piece } }));
      if (index === 0 && answer.scenario === 'drop_mid_stream') return drop(context);
    }
    res.write(eventMessage('contentBlockStop', { contentBlockIndex: 0 }));
    res.write(eventMessage('messageStop', { stopReason: answer.stopReason }));
    res.end(
      eventMessage('metadata', {
        usage: { ...answer.usage, totalTokens: answer.usage.inputTokens + answer.usage.outputTokens },
        metrics: { latencyMs: 321 },
      }),
    );
  }
}

export interface ConverseBody {
  system?: Array<{ text?: string }>;
  messages: Array<{ role: string; content: Array<Record<string, unknown>> }>;
  inferenceConfig?: { maxTokens?: number; temperature?: number };
}

export function lastUserText(body: ConverseBody): string {
  const last = [...(body.messages ?? [])].reverse().find((message) => message.role === 'user');
  return (last?.content ?? [])
    .filter((block) => typeof block.text === 'string')
    .map((block) => String(block.text))
    .join('\n');
}

/** The image blocks of the request: format and decoded bytes. */
export function imagesOf(body: ConverseBody): Array<{ format: string; bytes: Buffer }> {
  return (body.messages ?? []).flatMap((message) =>
    message.content
      .filter((block) => block.image)
      .map((block) => {
        const image = block.image as { format: string; source: { bytes: string } };
        return { format: image.format, bytes: Buffer.from(image.source.bytes, 'base64') };
      }),
  );
}

const IMAGE_FORMATS = new Set(['png', 'jpeg', 'gif', 'webp']);

function checkBody(body: ConverseBody): string | null {
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return 'The messages field is required and must not be empty.';
  if (body.messages[0]?.role !== 'user')
    return 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
  for (const [index, message] of body.messages.entries()) {
    if (message.role !== 'user' && message.role !== 'assistant')
      return `1 validation error detected: Value '${message.role}' at 'messages.${index + 1}.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]`;
    if (index > 0 && body.messages[index - 1]?.role === message.role)
      return 'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.';
    if (!Array.isArray(message.content) || message.content.length === 0)
      return `The content field in the Message object at messages.${index}.content is empty. Add a ContentBlock object to the content field and try again.`;
    for (const block of message.content) {
      if (typeof block.text === 'string') {
        if (block.text.trim() === '')
          return 'The text field in the ContentBlock object is blank. Add text to the text field, and try again.';
        continue;
      }
      const image = block.image as { format?: string; source?: { bytes?: string } } | undefined;
      if (!image) return `The content block at messages.${index}.content is of an unsupported type.`;
      if (!IMAGE_FORMATS.has(image.format ?? ''))
        return `1 validation error detected: Value '${image.format}' at 'messages.${index + 1}.member.content.1.member.image.format' failed to satisfy constraint: Member must satisfy enum value set: [gif, jpeg, png, webp]`;
      if (!image.source?.bytes || Buffer.from(image.source.bytes, 'base64').length < 8)
        return 'The provided image must have a valid source.';
    }
  }
  for (const block of body.system ?? [])
    if (typeof block.text !== 'string' || block.text === '') return 'The system field is blank.';
  const maxTokens = body.inferenceConfig?.maxTokens;
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 1))
    return 'The maximum tokens you requested must be at least 1.';
  return null;
}

/**
 * One message of the AWS event stream encoding: prelude (total length, headers length, CRC32),
 * string headers, the JSON payload, and the CRC32 of everything before it.
 */
export function eventMessage(eventType: string, payload: unknown): Buffer {
  const headers = Buffer.concat(
    Object.entries({
      ':event-type': eventType,
      ':content-type': 'application/json',
      ':message-type': 'event',
    }).map(([name, value]) => {
      const nameBytes = Buffer.from(name);
      const valueBytes = Buffer.from(value);
      const header = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
      let offset = header.writeUInt8(nameBytes.length, 0);
      offset += nameBytes.copy(header, offset);
      offset = header.writeUInt8(7, offset); // 7: string
      offset = header.writeUInt16BE(valueBytes.length, offset);
      valueBytes.copy(header, offset);
      return header;
    }),
  );
  const body = Buffer.from(JSON.stringify(payload));
  const total = 12 + headers.length + body.length + 4;
  const prelude = Buffer.alloc(8);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headers.length, 4);
  const preludeCrc = Buffer.alloc(4);
  preludeCrc.writeUInt32BE(zlib.crc32(prelude));
  const withoutCrc = Buffer.concat([prelude, preludeCrc, headers, body]);
  const messageCrc = Buffer.alloc(4);
  messageCrc.writeUInt32BE(zlib.crc32(withoutCrc));
  return Buffer.concat([withoutCrc, messageCrc]);
}
