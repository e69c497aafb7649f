import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { isAppError } from '../../src/domain/errors.ts';
import { createBedrockConverseModel, JSON_RULE } from '../../src/providers/chat/bedrock-converse-model.ts';
import { completeJson } from '../../src/providers/chat/chat-json.ts';
import { guardChatModel } from '../../src/providers/chat/guarded-chat-model.ts';
import type { ChatRequest, ChatResult } from '../../src/providers/chat/spec.ts';
import { type ConverseBody, FakeBedrockConverseServer, imagesOf } from '../fakes/bedrock-converse-server.ts';
import { FAKE_JPEG } from '../fakes/fake-http.ts';

const request: ChatRequest = {
  system: 'You answer shoppers.',
  messages: [
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello! Send a photo.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: '尺码偏大吗?' },
        { type: 'image', bytes: FAKE_JPEG, mediaType: 'image/jpeg' },
      ],
    },
  ],
  maxTokens: 400,
  temperature: 0.3,
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

describe('Bedrock Converse chat model against a loopback Bedrock Runtime', () => {
  const server = new FakeBedrockConverseServer();
  before(() => server.listen());
  after(() => server.close());
  const model = (name = 'amazon.nova-lite-v1:0') =>
    createBedrockConverseModel({
      region: 'us-east-1',
      endpoint: server.url,
      model: name,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    });

  test('sends the exact Converse request: system block, alternating turns, jpeg image block, SigV4', async () => {
    const result = await model().complete(request, AbortSignal.timeout(5000));
    const sent = server.requests.at(-1)!;
    assert.equal(sent.path, '/model/amazon.nova-lite-v1%3A0/converse');
    assert.match(
      String(sent.headers.authorization),
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d+\/us-east-1\/bedrock\/aws4_request/,
    );
    assert.deepEqual(sent.json, {
      system: [{ text: 'You answer shoppers.' }],
      messages: [
        { role: 'user', content: [{ text: 'Hi' }] },
        { role: 'assistant', content: [{ text: 'Hello! Send a photo.' }] },
        {
          role: 'user',
          content: [
            { text: '尺码偏大吗?' },
            { image: { format: 'jpeg', source: { bytes: Buffer.from(FAKE_JPEG).toString('base64') } } },
          ],
        },
      ],
      inferenceConfig: { maxTokens: 400, temperature: 0.3 },
    });
    assert.deepEqual(imagesOf(sent.json as ConverseBody)[0]?.bytes, Buffer.from(FAKE_JPEG));
    assert.deepEqual(JSON.parse(result.text), { answer: 'echo: 尺码偏大吗?', needs_human: false });
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.usage.reported, true);
    assert.ok(result.usage.inputTokens > 30);
    assert.equal(result.requestId, `aws-${server.requests.length}`);
  });

  test('JSON answers are asked for in the system block (Converse has no JSON mode) and validated', async () => {
    const schema = z.object({ answer: z.string(), needs_human: z.boolean() });
    const { value } = await completeJson(model(), request, schema, AbortSignal.timeout(5000));
    assert.equal(value.answer, 'echo: 尺码偏大吗?');
    const body = server.requests.at(-1)!.json as ConverseBody;
    assert.deepEqual(body.system, [{ text: `You answer shoppers.\n\n${JSON_RULE}` }]);
    server.script('not_json');
    const error = await rejection(completeJson(model(), request, schema, AbortSignal.timeout(5000)));
    assert.equal(error.code, 'provider_response_invalid');
  });

  test('ConverseStream: the SDK decodes the event stream into deltas and the usage', async () => {
    const deltas: string[] = [];
    let done: ChatResult | undefined;
    for await (const item of model().stream!(request, AbortSignal.timeout(5000))) {
      if ('delta' in item) deltas.push(item.delta);
      else done = item.done;
    }
    assert.equal(server.requests.at(-1)!.path, '/model/amazon.nova-lite-v1%3A0/converse-stream');
    assert.ok(deltas.length > 2);
    assert.equal(deltas.join(''), done?.text);
    assert.equal(done?.finishReason, 'stop');
    assert.equal(done?.usage.reported, true);
  });

  test('errors: throttling with its hint, 5xx, guardrail, content filter, bad credentials, malformed', async () => {
    server.script('rate_limit_with_hint');
    let error = await rejection(model().complete(request, AbortSignal.timeout(5000)));
    assert.equal(error.code, 'rate_limited');
    assert.equal(error.retryAfterMs, 1000);

    server.script('server_error');
    error = await rejection(model().complete(request, AbortSignal.timeout(5000)));
    assert.equal(error.code, 'provider_unavailable');

    server.script('refusal');
    error = await rejection(model().complete(request, AbortSignal.timeout(5000)));
    assert.equal(error.code, 'provider_rejected');
    assert.match(error.message, /guardrail/);

    server.script('content_filter');
    error = await rejection(model().complete(request, AbortSignal.timeout(5000)));
    assert.equal(error.code, 'provider_rejected');

    server.script('malformed');
    error = await rejection(model().complete(request, AbortSignal.timeout(5000)));
    assert.equal(error.code, 'provider_response_invalid');

    error = await rejection(
      createBedrockConverseModel({
        region: 'us-east-1',
        endpoint: server.url,
        model: 'amazon.nova-lite-v1:0',
        credentials: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'secret' },
      }).complete(request, AbortSignal.timeout(5000)),
    );
    assert.equal(error.code, 'provider_unavailable');
    assert.equal(error.retryable, false);
  });

  test('a conversation that does not alternate is refused by the server as a ValidationException', async () => {
    const error = await rejection(
      model().complete(
        {
          messages: [
            { role: 'user', content: 'a' },
            { role: 'user', content: 'b' },
          ],
        },
        AbortSignal.timeout(5000),
      ),
    );
    assert.equal(error.code, 'invalid_request');
    assert.match(error.message, /alternate/);
  });

  test('behind the guard a throttle is waited out and a hang is cut off at the deadline', async () => {
    server.retryAfterSeconds = '0.05';
    try {
      server.script('rate_limit_with_hint');
      const result = await guardChatModel(model(), {
        limits: { max_concurrency: 1, timeout_ms: 5000 },
      }).complete(request, AbortSignal.timeout(5000));
      assert.match(result.text, /echo/);
    } finally {
      server.retryAfterSeconds = '1';
    }
    server.script('hang');
    const error = await rejection(
      guardChatModel(model(), { limits: { max_concurrency: 1, timeout_ms: 150 } }).complete(
        request,
        AbortSignal.timeout(5000),
      ),
    );
    assert.equal(error.code, 'provider_unavailable');
  });
});
