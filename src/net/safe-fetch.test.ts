import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { addressProblem } from './address-policy.ts';
import { type HostResolver, SafeFetch, UnsafeDestinationError } from './safe-fetch.ts';

let server: Server;
let port: number;
const hits: string[] = [];

before(async () => {
  server = createServer((request, response) => {
    hits.push(`${request.headers.host} ${request.url}`);
    if (request.url === '/to-private') {
      response.writeHead(302, { location: `http://127.0.0.2:${port}/secret` }).end();
      return;
    }
    if (request.url === '/to-name') {
      response.writeHead(302, { location: `http://cdn.vitrine.test:${port}/final` }).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain' }).end(`ok ${request.url}`);
  });
  server.listen(0, '0.0.0.0');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
after(() => server.close());

/** Tests stand 127.0.0.1 in for "the public Internet" and every other address for private ones. */
const onlyLoopbackOne = (address: string) =>
  address === '127.0.0.1' ? null : (addressProblem(address) ?? `${address} is not allowed here`);

test('literal private addresses, in every notation, are refused before anything is sent', async () => {
  const guarded = new SafeFetch({ allowPrivate: false });
  const before = hits.length;
  for (const host of [
    '127.0.0.1',
    '[::ffff:127.0.0.1]',
    '[0:0:0:0:0:ffff:7f00:1]',
    '[::1]',
    'localhost',
    '0x7f.1',
  ]) {
    await assert.rejects(
      guarded.fetch(`http://${host}:${port}/a.png`, { signal: AbortSignal.timeout(5000) }),
      (error: unknown) =>
        error instanceof UnsafeDestinationError && /not a public address/.test(error.message),
      host,
    );
  }
  assert.equal(hits.length, before, 'the server heard nothing');
});

test('a name is resolved once, checked, and that very address is the one connected to (no rebinding)', async () => {
  let lookups = 0;
  // Rebinding: the first answer is the allowed address, every later one a forbidden one.
  const rebinding: HostResolver = async () => {
    lookups++;
    return [{ address: lookups === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
  };
  const pinned = new SafeFetch({ allowPrivate: false, resolve: rebinding, addressProblem: onlyLoopbackOne });
  const response = await pinned.fetch(`http://images.vitrine.test:${port}/pinned`, {
    signal: AbortSignal.timeout(5000),
  });
  assert.equal(await response.text(), 'ok /pinned', 'reached through the checked answer of our own lookup');
  assert.equal(lookups, 1, 'one lookup served both the check and the connection');
  assert.ok(hits.includes(`images.vitrine.test:${port} /pinned`));

  const refusing = new SafeFetch({
    allowPrivate: false,
    resolve: async () => [{ address: '127.0.0.2', family: 4 }],
    addressProblem: onlyLoopbackOne,
  });
  const before = hits.length;
  await assert.rejects(
    refusing.fetch(`http://images.vitrine.test:${port}/refused`, { signal: AbortSignal.timeout(5000) }),
    (error: unknown) =>
      error instanceof UnsafeDestinationError && /images\.vitrine\.test/.test(error.message),
  );
  assert.equal(hits.length, before);
});

test('a name with any non-public answer is refused, even when another answer is public', async () => {
  const mixed = new SafeFetch({
    allowPrivate: false,
    resolve: async () => [
      { address: '127.0.0.1', family: 4 },
      { address: '::ffff:169.254.169.254', family: 6 },
    ],
    addressProblem: onlyLoopbackOne,
  });
  await assert.rejects(
    mixed.fetch(`http://mixed.vitrine.test:${port}/`, { signal: AbortSignal.timeout(5000) }),
    /169\.254\.169\.254/,
  );
});

test('redirects are followed hop by hop through the same checks', async () => {
  const fetcher = new SafeFetch({
    allowPrivate: false,
    resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    addressProblem: onlyLoopbackOne,
  });
  const before = hits.length;
  await assert.rejects(
    fetcher.fetch(`http://127.0.0.1:${port}/to-private`, {
      signal: AbortSignal.timeout(5000),
      maxRedirects: 3,
    }),
    (error: unknown) => error instanceof UnsafeDestinationError && /127\.0\.0\.2/.test(error.message),
  );
  assert.deepEqual(hits.slice(before), [`127.0.0.1:${port} /to-private`], 'the private hop was never asked');

  const followed = await fetcher.fetch(`http://127.0.0.1:${port}/to-name`, {
    signal: AbortSignal.timeout(5000),
    maxRedirects: 3,
  });
  assert.equal(await followed.text(), 'ok /final');
  const notFollowed = await fetcher.fetch(`http://127.0.0.1:${port}/to-name`, {
    signal: AbortSignal.timeout(5000),
  });
  assert.equal(notFollowed.status, 302, 'without maxRedirects a redirect is the answer');
});

test('allowPrivate (tests, trusted networks) reaches loopback', async () => {
  const open = new SafeFetch({ allowPrivate: true });
  const response = await open.fetch(`http://127.0.0.1:${port}/open`, { signal: AbortSignal.timeout(5000) });
  assert.equal(await response.text(), 'ok /open');
});

test('checkDestination tells a webhook URL that resolves to a private address without connecting', async () => {
  const fetcher = new SafeFetch({
    allowPrivate: false,
    resolve: async (host) => [
      { address: host === 'inside.vitrine.test' ? '10.0.0.5' : '8.8.8.8', family: 4 },
    ],
  });
  assert.match((await fetcher.checkDestination('https://inside.vitrine.test/hook')) ?? '', /10\.0\.0\.5/);
  assert.match((await fetcher.checkDestination('http://[fd00::1]/hook')) ?? '', /not a public/);
  assert.equal(await fetcher.checkDestination('https://hooks.vitrine.test/hook'), null);
});
