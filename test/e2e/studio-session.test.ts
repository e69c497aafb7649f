import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hero } from '../support/api-fixtures.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

/** The `name=value` part of the session cookie a response sets, and its attributes. */
function sessionCookie(response: Response): { pair: string; attributes: string } {
  const header = response.headers.getSetCookie().find((line) => line.startsWith('vitrine_session='));
  assert.ok(header, `a session cookie is set (got ${response.headers.getSetCookie().join(' | ')})`);
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  return { pair: pair!, attributes: attributes.join('; ') };
}

describe('studio sessions: sign in with an API key, an HttpOnly cookie, CSRF guard, sign out', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let admin: HttpClient;

  const login = (body: string, contentType: string) =>
    fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
      redirect: 'manual',
    });
  const withCookie = (cookie: string, path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { ...init.headers, cookie }, redirect: 'manual' });

  before(async () => {
    testConfig = buildConfig('pglite', dirs.make('vitrine-sessions-'));
    server = await startInProcessServer(testConfig.config, { roles: ['api'] });
    admin = new HttpClient(server.url, server.adminKey);
  });
  after(async () => {
    await server?.stop();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test('a JSON sign-in sets an HttpOnly SameSite=Strict cookie that authenticates /v1 reads', async () => {
    const refused = await login(JSON.stringify({ key: 'vk_not-a-key' }), 'application/json');
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.getSetCookie().length, 0);

    const response = await login(JSON.stringify({ key: server.adminKey }), 'application/json');
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.ok(!text.includes(server.adminKey!), 'the answer never repeats the key');
    assert.deepEqual(JSON.parse(text).key.scopes.sort(), ['admin', 'generate', 'read']);
    const cookie = sessionCookie(response);
    assert.ok(!cookie.pair.includes(server.adminKey!), 'the cookie is a session, not the key');
    assert.match(cookie.attributes, /HttpOnly/);
    assert.match(cookie.attributes, /SameSite=Strict/);
    assert.match(cookie.attributes, /Path=\//);

    const templates = await withCookie(cookie.pair, '/v1/templates');
    assert.equal(templates.status, 200);
    const session = await withCookie(cookie.pair, '/session');
    assert.equal(session.status, 200);
    assert.equal(
      ((await session.json()) as { key: { name: string } }).key.name,
      'admin (created at first start)',
    );
    assert.equal((await fetch(`${server.url}/v1/templates`)).status, 401);
  });

  test('with the cookie, a request that changes state needs the studio header', async () => {
    const cookie = sessionCookie(await login(JSON.stringify({ key: server.adminKey }), 'application/json'));
    const body = JSON.stringify({ ...hero(), n: 2 });
    const json = { 'content-type': 'application/json' };
    const forged = await withCookie(cookie.pair, '/v1/estimate', { method: 'POST', headers: json, body });
    assert.equal(forged.status, 403);
    assert.equal(((await forged.json()) as { error: { code: string } }).error.code, 'forbidden');
    const studio = await withCookie(cookie.pair, '/v1/estimate', {
      method: 'POST',
      headers: { ...json, 'x-vitrine-studio': '1' },
      body,
    });
    assert.equal(studio.status, 200);
    assert.equal(((await studio.json()) as { images: number }).images, 2);
  });

  test('a form sign-in redirects to the studio, or back to /login when the key is wrong', async () => {
    const form = 'application/x-www-form-urlencoded';
    const wrong = await login(new URLSearchParams({ key: 'vk_wrong' }).toString(), form);
    assert.equal(wrong.status, 303);
    assert.equal(wrong.headers.get('location'), '/login?error=invalid_key');
    const right = await login(new URLSearchParams({ key: server.adminKey! }).toString(), form);
    assert.equal(right.status, 303);
    assert.equal(right.headers.get('location'), '/');
    assert.equal((await withCookie(sessionCookie(right).pair, '/v1/templates')).status, 200);
  });

  test('signing out ends the session on the server, not only in the browser', async () => {
    const cookie = sessionCookie(await login(JSON.stringify({ key: server.adminKey }), 'application/json'));
    const out = await withCookie(cookie.pair, '/logout', {
      method: 'POST',
      headers: { 'x-vitrine-studio': '1' },
    });
    assert.equal(out.status, 204);
    assert.match(out.headers.getSetCookie().join(';'), /vitrine_session=;.*Max-Age=0/);
    // A copy of the old cookie (kept by an attacker, or another tab) no longer works.
    assert.equal((await withCookie(cookie.pair, '/v1/templates')).status, 401);
    const session = await withCookie(cookie.pair, '/session');
    assert.equal(session.status, 200);
    assert.deepEqual(await session.json(), { key: null });
  });

  test('revoking the key ends the sessions signed in with it', async () => {
    const created = await admin.post('/v1/api-keys', { name: 'editor', scopes: ['read', 'generate'] });
    assert.equal(created.status, 201);
    const cookie = sessionCookie(await login(JSON.stringify({ key: created.body.key }), 'application/json'));
    assert.equal((await withCookie(cookie.pair, '/v1/templates')).status, 200);
    // The editor key lacks admin: the session carries the key's scopes, not more.
    assert.equal((await withCookie(cookie.pair, '/v1/api-keys')).status, 403);
    assert.equal((await admin.delete(`/v1/api-keys/${created.body.id}`)).status, 200);
    assert.equal((await withCookie(cookie.pair, '/v1/templates')).status, 401);
  });
});
