import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeHttpServer, type RecordedRequest } from '../fakes/fake-http.ts';
import { FakeOpenAIServer } from '../fakes/openai-server.ts';
import { assertError } from '../support/api-fixtures.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { texturedPng } from '../support/images.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';
import { pollUntil } from '../support/wait.ts';

const HOOK_PATH = '/services/T0001/B0002/s3cr3tT0k3nXYZ';

/**
 * A loopback Slack incoming webhook: `200 ok` in plain text, or what the test scripts next —
 * `429` with Retry-After, `404 no_service` (a revoked hook) — as Slack answers.
 */
class FakeSlack extends FakeHttpServer {
  readonly answers: Array<{ status: number; body: string; headers?: Record<string, string> }> = [];
  constructor() {
    super(({ request, res }) => {
      if (request.method === 'GET') {
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('not found');
      }
      const next =
        request.path === HOOK_PATH
          ? (this.answers.shift() ?? { status: 200, body: 'ok' })
          : { status: 404, body: 'no_service' };
      res.writeHead(next.status, { 'content-type': 'text/plain; charset=utf-8', ...next.headers });
      res.end(next.body);
    });
  }
  messages(): Array<RecordedRequest & { payload: Loose }> {
    return this.requests
      .filter((request) => request.method === 'POST')
      .map((request) => ({ ...request, payload: request.json as Loose }));
  }
}

describe('Slack notifications through an incoming webhook (loopback Slack)', () => {
  const dirs = new TempDirs();
  const slack = new FakeSlack();
  const openai = new FakeOpenAIServer();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;

  const messageAbout = (text: RegExp, what: string) =>
    pollUntil(() => slack.messages().find((message) => text.test(message.payload.text)), {
      timeoutMs: 60_000,
      what,
    });
  const logEntry = (id: string) =>
    pollUntil(
      async () => {
        const entry = (
          (await api.get('/v1/integrations/slack/messages?limit=100')).body.data as Loose[]
        ).find((m) => m.id === id);
        return entry && entry.status !== 'pending' ? entry : undefined;
      },
      { timeoutMs: 30_000, what: `slack message ${id} settled` },
    );

  before(async () => {
    const textured = await texturedPng(1024, 1024);
    openai.makeImage = () => textured;
    await Promise.all([slack.listen(), openai.listen()]);
    testConfig = buildConfig('pglite', dirs.make('vitrine-slack-'), {
      VITRINE_ALLOW_PRIVATE_URLS: 'true',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: openai.url,
      LOG_LEVEL: process.env.DEBUG_LOG ?? 'silent',
    });
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey);
  });
  after(async () => {
    await server?.stop();
    await testConfig?.dispose();
    await Promise.all([slack.close(), openai.close()]);
    dirs.cleanup();
  });

  test('connecting: the URL is stored encrypted and shown masked; bad input is refused', async () => {
    assertError(
      await api.put('/v1/integrations/slack', { webhook_url: 'not a url' }),
      400,
      'invalid_request',
    );
    assertError(
      await api.put('/v1/integrations/slack', {
        webhook_url: `${slack.url}${HOOK_PATH}`,
        events: ['job.done'],
      }),
      400,
      'invalid_request',
    );
    const saved = await api.put('/v1/integrations/slack', { webhook_url: `${slack.url}${HOOK_PATH}` });
    assert.equal(saved.status, 200, saved.text);
    assert.deepEqual(saved.body.events, [
      'batch.finished',
      'batch.failed',
      'budget.warning',
      'assistant.handoff',
    ]);
    assert.equal(saved.body.webhook_url, `${slack.url}/services/…`);
    const stored = await server.running.container.db.query('SELECT webhook_url FROM slack_integrations');
    assert.doesNotMatch(JSON.stringify(stored), /s3cr3t/, 'encrypted at rest');
  });

  test('a finished batch: Block Kit with counts, cost and a link; a 429 is retried after Retry-After', async () => {
    slack.answers.push({ status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } });
    const batch = await api.post('/v1/batches', {
      template: 'product_white',
      rows: [
        { sku: 'A', title: 'Alpha' },
        { sku: 'B', title: 'Beta' },
      ],
    });
    assert.equal(batch.status, 202, batch.text);
    const message = await messageAbout(/Batch finished/, 'the batch.finished message');
    assert.equal(message.path, HOOK_PATH);
    assert.equal(message.headers['content-type'], 'application/json');
    const { payload } = message;
    assert.match(payload.text, /2\* succeeded|2 succeeded/);
    assert.equal(payload.blocks[0].type, 'section');
    assert.match(payload.blocks[0].text.text, /\*Batch finished\*/);
    assert.match(payload.blocks[0].text.text, /`product_white`.*\*2\* succeeded · \*0\* failed/);
    assert.match(payload.blocks[1].elements[0].text, /Cost \$0\.00 \(estimate \$0\.00\)/);
    assert.deepEqual(payload.blocks[2].elements[0], {
      type: 'button',
      text: { type: 'plain_text', text: 'Open batch' },
      url: `${server.url}/batches?batch=${batch.body.id}`,
    });
    const log = ((await api.get('/v1/integrations/slack/messages')).body.data as Loose[]).find(
      (m) => m.event_type === 'batch.finished',
    );
    const settled = await logEntry(log.id);
    assert.equal(settled.status, 'succeeded');
    assert.equal(settled.attempts, 2);
    const posts = slack.messages().filter((entry) => /Batch finished/.test(entry.payload.text));
    assert.equal(posts.length, 2, 'the 429 answer, then the retry');
    assert.equal(posts[1]!.body.toString(), posts[0]!.body.toString(), 'the same message sent again');
  });

  test('a batch with failed rows is one "Batch failed" message, not two', async () => {
    const batch = await api.post('/v1/batches', {
      template: 'product_white',
      rows: [{ sku: 'C', title: 'Gamma', product_image: `${slack.url}/missing.png` }],
    });
    assert.equal(batch.status, 202, batch.text);
    const message = await messageAbout(
      new RegExp(`Batch failed.*${batch.body.id}|Batch failed`),
      'the batch.failed message',
    );
    assert.match(message.payload.blocks[0].text.text, /\*0\* succeeded · \*1\* failed/);
    await pollUntil(
      async () => {
        const log = (await api.get('/v1/integrations/slack/messages')).body.data as Loose[];
        return log.filter((m) => m.body.includes(batch.body.id)).every((m) => m.status !== 'pending')
          ? log
          : undefined;
      },
      { timeoutMs: 30_000, what: 'messages settled' },
    );
    const aboutIt = slack.messages().filter((entry) => JSON.stringify(entry.payload).includes(batch.body.id));
    assert.equal(aboutIt.length, 1);
  });

  test('a key nearing its daily budget: budget.warning (a webhook event) reaches Slack once that day', async () => {
    // The price of one image, from a job of the admin key (which has no budget).
    const probe = await api.post('/v1/generations?wait=30', {
      prompt: 'price probe',
      provider: 'openai',
      width: 1024,
      height: 1024,
    });
    const price = probe.body.cost_usd;
    assert.ok(price > 0, probe.text);
    const key = await api.post('/v1/api-keys', {
      name: 'campaign-bot',
      scopes: ['generate', 'read'],
      daily_budget_usd: price * 2.2,
    });
    assert.equal(key.status, 201, key.text);
    const limited = api.withKey(key.body.key);
    const run = (prompt: string) =>
      limited.post('/v1/generations?wait=30', { prompt, provider: 'openai', width: 1024, height: 1024 });
    const first = await run('near one');
    assert.equal(first.body.status, 'succeeded', first.text);
    assert.equal(
      slack.messages().filter((entry) => /campaign-bot/.test(entry.payload.text)).length,
      0,
      '45%: no warning yet',
    );
    assert.equal((await run('near two')).body.status, 'succeeded');
    const message = await messageAbout(/campaign-bot/, 'the budget.warning message');
    assert.match(message.payload.blocks[0].text.text, /has used 91% of its daily budget/);
    assertError(await run('near three'), 402, 'budget_exceeded');
    await pollUntil(
      async () =>
        (await api.get('/v1/integrations/slack/messages')).body.data.every(
          (m: Loose) => m.status !== 'pending',
        ),
      {
        timeoutMs: 30_000,
        what: 'settled',
      },
    );
    assert.equal(
      slack.messages().filter((entry) => /campaign-bot/.test(entry.payload.text)).length,
      1,
      'once per key and day',
    );
  });

  test('assistant.handoff emitted through the webhook service reaches Slack', async () => {
    await server.running.container.webhooks.emit(
      'assistant.handoff',
      {
        conversation_id: 'conv_42',
        reason: 'asks for a refund',
        question: 'Can I return the <blue> one?',
        sku: 'SHIRT-1',
      },
      null,
    );
    const message = await messageAbout(/A shopper needs a person/, 'the handoff message');
    assert.match(message.payload.blocks[0].text.text, /Reason: asks for a refund/);
    assert.match(message.payload.blocks[0].text.text, /&lt;blue&gt;/, 'mrkdwn control characters escaped');
    assert.match(message.payload.blocks[1].elements[0].text, /SKU SHIRT-1 · conversation conv_42/);
  });

  test('a revoked webhook (404 no_service) fails at once; nothing shows the secret URL', async () => {
    slack.answers.push({ status: 404, body: 'no_service' });
    const test = await api.post('/v1/integrations/slack/test');
    assert.equal(test.status, 202, test.text);
    const settled = await logEntry(test.body.id);
    assert.equal(settled.status, 'failed');
    assert.equal(settled.attempts, 1);
    assert.equal(settled.last_status_code, 404);
    assert.match(settled.last_error, /no_service/);
    const everything = JSON.stringify([
      (await api.get('/v1/integrations/slack/messages?limit=500')).body,
      (await api.get('/v1/integrations/slack')).body,
    ]);
    assert.doesNotMatch(everything, /s3cr3t/);
  });
});
