import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { isAppError } from '../../src/domain/errors.ts';
import { completeJson } from '../../src/providers/chat/chat-json.ts';
import { guardChatModel } from '../../src/providers/chat/guarded-chat-model.ts';
import { createOpenAIChatModel } from '../../src/providers/chat/openai-chat-model.ts';
import type { ChatRequest, ChatResult, ChatStreamItem } from '../../src/providers/chat/spec.ts';
import { makePng } from '../fakes/fake-http.ts';
import { type ChatBody, FakeOpenAIChatServer, imagesOf } from '../fakes/openai-chat-server.ts';

const photo = makePng(8, 8, 200);
const request: ChatRequest = {
  system: 'You answer shoppers. Reply in JSON.',
  messages: [
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello! Send a photo.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Is this the same item?' },
        { type: 'image', bytes: photo, mediaType: 'image/png' },
      ],
    },
  ],
  maxTokens: 300,
  temperature: 0.2,
  json: true,
};

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    assert.ok(isAppError(error), `an AppError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

async function collect(stream: AsyncIterable<ChatStreamItem>) {
  const deltas: string[] = [];
  let done: ChatResult | undefined;
  for await (const item of stream) {
    if ('delta' in item) deltas.push(item.delta);
    else done = item.done;
  }
  return { deltas, done: done! };
}

describe('OpenAI-compatible chat model against a loopback Chat Completions server', () => {
  const server = new FakeOpenAIChatServer();
  before(() => server.listen());
  after(() => server.close());
  const model = (name = 'gpt-4o-mini') =>
    createOpenAIChatModel({ baseUrl: server.url, apiKey: 'sk-chat-test', model: name });
  const lastBody = () => server.requests.at(-1)!.json as ChatBody;

  test('sends the exact Chat Completions body: system first, images as data URLs, JSON mode', async () => {
    const result = await model().complete(request, AbortSignal.timeout(5000));
    const sent = server.requests.at(-1)!;
    assert.equal(sent.path, '/v1/chat/completions');
    assert.equal(sent.headers.authorization, 'Bearer sk-chat-test');
    assert.equal(sent.headers['content-type'], 'application/json');
    assert.deepEqual(sent.json, {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You answer shoppers. Reply in JSON.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello! Send a photo.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Is this the same item?' },
            {
              type: 'image_url',
              image_url: {
                url: `data:image/png;base64,${Buffer.from(photo).toString('base64')}`,
                detail: 'auto',
              },
            },
          ],
        },
      ],
      max_tokens: 300,
      temperature: 0.2,
      response_format: { type: 'json_object' },
    });
    assert.deepEqual(imagesOf(lastBody())[0]?.bytes, Buffer.from(photo), 'the image arrives byte for byte');
    assert.deepEqual(JSON.parse(result.text), { answer: 'echo: Is this the same item?', needs_human: false });
    assert.equal(result.model, 'gpt-4o-mini');
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.requestId, `req_${server.requests.length}`);
    assert.equal(result.usage.reported, true);
    assert.ok(result.usage.inputTokens > 20 && result.usage.outputTokens > 0);
  });

  test('reasoning models get max_completion_tokens and no temperature (the server refuses otherwise)', async () => {
    await model('o4-mini').complete(request, AbortSignal.timeout(5000));
    const body = lastBody();
    assert.equal(body.max_completion_tokens, 300);
    assert.equal(body.max_tokens, undefined);
    assert.equal(body.temperature, undefined);
  });

  test('a server that refuses response_format is asked again without it, and not asked with it again', async () => {
    server.rejectResponseFormat = true;
    const chat = model();
    try {
      const before = server.requests.length;
      const result = await chat.complete(request, AbortSignal.timeout(5000));
      assert.match(result.text, /echo/);
      const sent = server.requests.slice(before).map((item) => item.json as ChatBody);
      assert.deepEqual(
        sent.map((body) => body.response_format?.type ?? null),
        ['json_object', null],
      );
      await chat.complete(request, AbortSignal.timeout(5000));
      assert.equal(lastBody().response_format, undefined);
    } finally {
      server.rejectResponseFormat = false;
    }
  });

  test('errors map to the taxonomy: 429 with its hint, quota, 5xx, bad key, malformed, refusal, filter', async () => {
    server.script('rate_limit_with_hint');
    let error = await rejection(model().complete(request, AbortSignal.timeout(5000)));
    assert.equal(error.code, 'rate_limited');
    assert.equal(error.retryAfterMs, 2000, 'retry-after wins over the message, as in the official SDK');

    server.script('quota');
    error = await rejection(model().complete(request, AbortSignal.timeout(5000)));
    assert.equal(error.code, 'quota_exceeded');
    assert.equal(error.retryable, false);

    server.script('server_error');
    error = await rejection(model().complete(request, AbortSignal.timeout(5000)));
    assert.equal(error.code, 'provider_unavailable');
    assert.equal(error.retryable, true);

    error = await rejection(
      createOpenAIChatModel({ baseUrl: server.url, apiKey: 'sk-wrong', model: 'gpt-4o-mini' }).complete(
        request,
        AbortSignal.timeout(5000),
      ),
    );
    assert.equal(error.code, 'provider_unavailable');
    assert.equal(error.retryable, false);
    assert.match(error.message, /API key/);

    server.script('malformed');
    error = await rejection(model().complete(request, AbortSignal.timeout(5000)));
    assert.equal(error.code, 'provider_response_invalid');

    server.script('refusal');
    error = await rejection(model().complete(request, AbortSignal.timeout(5000)));
    assert.equal(error.code, 'provider_rejected');
    assert.match(error.message, /refused/);
    assert.ok(
      (error.details as { usage: { inputTokens: number } }).usage.inputTokens > 0,
      'tokens still counted',
    );

    server.script('content_filter');
    error = await rejection(model().complete(request, AbortSignal.timeout(5000)));
    assert.equal(error.code, 'provider_rejected');
  });

  test('a refused image (not really a PNG) is a 400 naming the content part', async () => {
    const bad: ChatRequest = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', bytes: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), mediaType: 'image/png' },
          ],
        },
      ],
    };
    const error = await rejection(model().complete(bad, AbortSignal.timeout(5000)));
    assert.equal(error.code, 'invalid_request');
    assert.match(error.message, /unsupported image/);
  });

  test('streams deltas and reports usage from the final chunk', async () => {
    const { deltas, done } = await collect(model().stream!(request, AbortSignal.timeout(5000)));
    const body = lastBody();
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.ok(deltas.length > 3, 'several deltas');
    assert.equal(deltas.join(''), done.text);
    assert.deepEqual(JSON.parse(done.text), { answer: 'echo: Is this the same item?', needs_human: false });
    assert.equal(done.usage.reported, true);
    assert.ok(done.usage.outputTokens > 0);
  });

  test('a stream that refuses or breaks off rejects with the right code', async () => {
    server.script('refusal');
    let error = await rejection(collect(model().stream!(request, AbortSignal.timeout(5000))));
    assert.equal(error.code, 'provider_rejected');
    server.script('drop_mid_stream');
    error = await rejection(collect(model().stream!(request, AbortSignal.timeout(5000))));
    assert.equal(error.code, 'provider_unavailable');
  });

  test('a server without usage: the result says the counts were not reported', async () => {
    server.omitUsage = true;
    try {
      const result = await model().complete(request, AbortSignal.timeout(5000));
      assert.deepEqual(result.usage, { inputTokens: 0, outputTokens: 0, reported: false });
    } finally {
      server.omitUsage = false;
    }
  });

  test('completeJson validates the answer with zod; prose or a wrong shape is provider_response_invalid', async () => {
    const schema = z.object({ answer: z.string(), needs_human: z.boolean() });
    const { value, result } = await completeJson(
      model(),
      { ...request, json: false },
      schema,
      AbortSignal.timeout(5000),
    );
    assert.deepEqual(value, { answer: 'echo: Is this the same item?', needs_human: false });
    assert.equal(lastBody().response_format?.type, 'json_object', 'completeJson always asks for JSON');
    assert.ok(result.usage.outputTokens > 0);

    server.script('not_json');
    let error = await rejection(completeJson(model(), request, schema, AbortSignal.timeout(5000)));
    assert.equal(error.code, 'provider_response_invalid');
    assert.ok((error.details as { usage: { outputTokens: number } }).usage.outputTokens > 0);

    const original = server.reply;
    server.reply = () => 'Here you go:\n```json\n{"answer": "yes", "needs_human": "no"}\n```';
    try {
      error = await rejection(completeJson(model(), request, schema, AbortSignal.timeout(5000)));
      assert.match(error.message, /needs_human/);
      server.reply = () =>
        'Here you go:\n```json\n{"answer": "a \\"quoted\\" {brace}", "needs_human": true}\n```';
      const fenced = await completeJson(model(), request, schema, AbortSignal.timeout(5000));
      assert.deepEqual(fenced.value, { answer: 'a "quoted" {brace}', needs_human: true });
    } finally {
      server.reply = original;
    }
  });

  describe('behind the guard', () => {
    const guarded = (timeoutMs = 5000) =>
      guardChatModel(model(), { limits: { max_concurrency: 2, timeout_ms: timeoutMs } });

    test('a 429 with a short hint is waited out once and the call goes through', async () => {
      server.retryAfterSeconds = '0.05';
      try {
        const before = server.requests.length;
        server.script('rate_limit_with_hint');
        const chat = guarded();
        const result = await chat.complete(request, AbortSignal.timeout(5000));
        assert.match(result.text, /echo/);
        assert.equal(server.requests.length - before, 2);
        assert.equal(chat.guardState().calls.rateLimitedCalls, 1);
      } finally {
        server.retryAfterSeconds = '2';
      }
    });

    test('a 429 asking for longer than the shopper can wait goes straight back to the caller', async () => {
      server.retryAfterSeconds = '30';
      try {
        const before = server.requests.length;
        server.script('rate_limit_with_hint');
        const error = await rejection(guarded().complete(request, AbortSignal.timeout(5000)));
        assert.equal(error.code, 'rate_limited');
        assert.equal(server.requests.length - before, 1, 'no second try');
      } finally {
        server.retryAfterSeconds = '2';
      }
    });

    test('a model that hangs is cut off at the deadline as provider_unavailable', async () => {
      server.script('hang');
      const aborted = new Promise((resolve) => server.once('aborted', resolve));
      const error = await rejection(guarded(150).complete(request, AbortSignal.timeout(5000)));
      assert.equal(error.code, 'provider_unavailable');
      assert.match(error.message, /did not answer within 150 ms/);
      await aborted;
    });

    test('repeated 5xx open the circuit; refusals do not count against the model', async () => {
      const chat = guarded();
      server.script('refusal', 'refusal', 'refusal', 'refusal', 'refusal', 'refusal');
      for (let index = 0; index < 6; index += 1)
        await rejection(chat.complete(request, AbortSignal.timeout(5000)));
      assert.equal(chat.guardState().circuit.state, 'closed');
      server.script('server_error', 'server_error', 'server_error', 'server_error', 'server_error');
      for (let index = 0; index < 5; index += 1)
        await rejection(chat.complete(request, AbortSignal.timeout(5000)));
      assert.equal(chat.isAvailable(), false);
      const before = server.requests.length;
      const error = await rejection(chat.complete(request, AbortSignal.timeout(5000)));
      assert.match(error.message, /circuit is open/);
      assert.equal(server.requests.length, before, 'an open circuit sends nothing');
    });

    test('a stream rate limited before its first delta is retried; the text arrives once', async () => {
      server.retryAfterSeconds = '0.05';
      try {
        server.script('rate_limit_with_hint');
        const { deltas, done } = await collect(guarded().stream(request, AbortSignal.timeout(5000)));
        assert.equal(deltas.join(''), done.text);
        assert.match(done.text, /echo/);
      } finally {
        server.retryAfterSeconds = '2';
      }
    });
  });
});
