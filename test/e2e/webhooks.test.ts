import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { sendWebhook } from '../../src/services/webhooks/webhook-sender.ts';
import { bannerTemplate } from '../support/api-fixtures.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';
import { withDeadline } from '../support/wait.ts';

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  answered: number;
}

/** A loopback receiver: answers 500 to the first `failures[path]` requests of a path, then 200. */
class Receiver {
  readonly received: Received[] = [];
  readonly failures = new Map<string, number>();
  readonly #waiters: Array<{ test: (r: Received) => boolean; resolve: (r: Received) => void }> = [];
  readonly server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const path = request.url ?? '/';
      const left = this.failures.get(path) ?? 0;
      const answered = left > 0 ? 500 : 200;
      if (left > 0) this.failures.set(path, left - 1);
      response.writeHead(answered).end();
      const entry = { path, headers: request.headers, body, answered };
      this.received.push(entry);
      for (const waiter of [...this.#waiters]) {
        if (!waiter.test(entry)) continue;
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(entry);
      }
    });
  });
  url = '';

  async listen() {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves with the first request (already received or to come) that passes `test`. */
  waitFor(test: (r: Received) => boolean, what: string): Promise<Received> {
    const seen = this.received.find(test);
    if (seen) return Promise.resolve(seen);
    return withDeadline(new Promise((resolve) => this.#waiters.push({ test, resolve })), 30_000, what);
  }
}

function verify(received: Received, secret: string): { type: string; data: Loose } {
  const header = String(received.headers['vitrine-signature']);
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  assert.ok(match, `signature header: ${header}`);
  const expected = createHmac('sha256', secret).update(`${match[1]}.${received.body}`).digest('hex');
  assert.equal(match[2], expected, 'the signature is an HMAC-SHA256 of "<t>.<body>"');
  assert.ok(Math.abs(Date.now() / 1000 - Number(match[1])) < 120);
  return JSON.parse(received.body);
}

describe('signed webhooks with retries, a delivery log and replay (in-process server)', () => {
  const dirs = new TempDirs();
  const receiver = new Receiver();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;

  before(async () => {
    await receiver.listen();
    testConfig = buildConfig('pglite', dirs.make('vitrine-webhooks-'), {
      VITRINE_ALLOW_PRIVATE_URLS: 'true',
    });
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey);
    assert.equal((await api.post('/v1/templates', bannerTemplate)).status, 201);
  });
  after(async () => {
    await server?.stop();
    await testConfig?.dispose();
    receiver.server.close();
    dirs.cleanup();
  });

  test('a registered endpoint that fails twice gets job.succeeded on the third attempt; the log and replay', async () => {
    receiver.failures.set('/hooks', 2);
    const created = await api.post('/v1/webhooks', {
      url: `${receiver.url}/hooks`,
      events: ['job.succeeded', 'batch.finished'],
    });
    assert.equal(created.status, 201, created.text);
    const { secret, id } = created.body;
    assert.match(secret, /^whsec_/);
    assert.equal((await api.get(`/v1/webhooks/${id}`)).body.secret, undefined, 'the secret is shown once');

    const job = await api.post('/v1/generations?wait=30', {
      template: 'test_banner',
      params: { title: 'Hooked' },
      webhook_url: `${receiver.url}/own`,
    });
    assert.equal(job.status, 200, job.text);
    const delivered = await receiver.waitFor(
      (r) => r.path === '/hooks' && r.answered === 200,
      'the third attempt',
    );
    const event = verify(delivered, secret);
    assert.equal(event.type, 'job.succeeded');
    assert.equal(event.data.id, job.body.id);
    assert.equal(event.data.images.length, 1);
    assert.equal(receiver.received.filter((r) => r.path === '/hooks').length, 3);

    const own = await receiver.waitFor((r) => r.path === '/own', "the request's own webhook_url");
    const requestSecret = (await api.get('/v1/webhooks/signing-secret')).body.secret;
    assert.equal(verify(own, requestSecret).data.id, job.body.id);

    const log = await api.get(`/v1/webhooks/${id}/deliveries`);
    const [entry] = log.body.data;
    assert.equal(entry.status, 'succeeded');
    assert.equal(entry.attempts, 3);
    assert.equal(entry.last_status_code, 200);
    assert.equal(entry.body, delivered.body);

    const replay = await api.post(`/v1/webhooks/deliveries/${entry.id}/replay`);
    assert.equal(replay.status, 202, replay.text);
    assert.equal(replay.body.replay_of, entry.id);
    const again = await receiver.waitFor(
      (r) => r.path === '/hooks' && r.headers['vitrine-delivery'] === replay.body.id,
      'the replayed delivery',
    );
    assert.equal(again.body, delivered.body);
    verify(again, secret);
  });

  test("batch.finished reaches the batch's webhook_url and the endpoints", async () => {
    const batch = await api.post('/v1/batches', {
      template: 'test_banner',
      webhook_url: `${receiver.url}/batch`,
      rows: [
        { sku: 'W-1', title: 'One' },
        { sku: 'W-2', title: 'Two' },
      ],
    });
    assert.equal(batch.status, 202, batch.text);
    const received = await receiver.waitFor((r) => r.path === '/batch', 'batch.finished');
    const requestSecret = (await api.get('/v1/webhooks/signing-secret')).body.secret;
    const event = verify(received, requestSecret);
    assert.equal(event.type, 'batch.finished');
    assert.equal(event.data.id, batch.body.id);
    assert.equal(event.data.counts.succeeded, 2);
    assert.equal(
      receiver.received.filter((r) => r.path === '/batch').length,
      1,
      'rows do not call the batch webhook one by one',
    );
    await receiver.waitFor(
      (r) => r.path === '/hooks' && JSON.parse(r.body).type === 'batch.finished',
      'endpoint',
    );
  });

  test('the SSRF guard: a private address is refused unless allowed, and nothing is sent', async () => {
    const before = receiver.received.length;
    const outcome = await sendWebhook(
      { id: 'x', url: `${receiver.url}/private`, event_type: 'job.failed', body: '{}' },
      'secret',
      { allowPrivateUrls: false },
    );
    assert.equal(outcome.ok, false);
    assert.match(outcome.error ?? '', /not a public address/);
    assert.equal(outcome.refused, true, 'a refusal is final: no retries');
    assert.equal(receiver.received.length, before);
  });
});
