import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, hero } from '../support/api-fixtures.ts';
import { buildConfig, engines, type TestConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';
import { pollUntil } from '../support/wait.ts';

const CMS_ORIGIN = 'https://cms.example.com';

for (const engine of engines) {
  describe(`picker tokens and CORS for picker origins (${engine.name})`, { skip: engine.skip }, () => {
    const dirs = new TempDirs();
    let testConfig: TestConfig;
    let server: InProcessServer;
    let admin: HttpClient;

    before(async () => {
      testConfig = buildConfig(engine.name, dirs.make('vitrine-picker-tokens-'), {
        VITRINE_PICKER_ORIGINS: `${CMS_ORIGIN}, http://127.0.0.1:9/`,
      });
      server = await startInProcessServer(testConfig.config);
      admin = new HttpClient(server.url, server.adminKey);
    });
    after(async () => {
      await server?.stop();
      await testConfig?.dispose();
      dirs.cleanup();
    });

    test('a generate key mints a token that generates and reads, and nothing more', async () => {
      const cmsKey = (await admin.post('/v1/api-keys', { name: 'cms', scopes: ['generate', 'read'] })).body;
      const minted = await admin.withKey(cmsKey.key).post('/v1/picker-tokens', { ttl_seconds: 600 });
      assert.equal(minted.status, 201, minted.text);
      assert.match(minted.body.token, /^vpt_[\w-]{40,}$/);
      assert.deepEqual(minted.body.scopes, ['generate', 'read']);
      assert.equal(minted.body.allowed_origin, null);
      const lifetime = Date.parse(minted.body.expires_at) - Date.now();
      assert.ok(lifetime > 590_000 && lifetime <= 600_000, `ten minutes: ${lifetime} ms`);

      const picker = admin.withKey(minted.body.token);
      const job = await picker.post('/v1/generations', { ...hero(), n: 1, provider: 'studio' });
      assert.equal(job.status, 202, job.text);
      const done = await pollUntil(
        async () => {
          const current = await picker.get(`/v1/jobs/${job.body.id}`);
          assert.equal(current.status, 200, current.text);
          return current.body.status === 'succeeded' ? current.body : undefined;
        },
        { timeoutMs: 60_000, what: 'the job succeeds' },
      );
      const image = await fetch(done.images[0].url);
      assert.equal(image.status, 200, 'the signed URL loads without any credential');

      // Even an admin key's token is only generate + read.
      const adminToken = (await admin.post('/v1/picker-tokens', {})).body;
      assert.deepEqual(adminToken.scopes, ['generate', 'read']);
      assertError(await admin.withKey(adminToken.token).get('/v1/api-keys'), 403, 'forbidden');
      assertError(await picker.post('/v1/api-keys', { name: 'x' }), 403, 'forbidden');
      // A token cannot renew itself past its lifetime.
      assertError(await picker.post('/v1/picker-tokens', {}), 403, 'forbidden');
    });

    test('minting needs the generate scope; lifetimes are bounded', async () => {
      const reader = (await admin.post('/v1/api-keys', { name: 'reader', scopes: ['read'] })).body;
      assertError(await admin.withKey(reader.key).post('/v1/picker-tokens', {}), 403, 'forbidden');
      assertError(await admin.post('/v1/picker-tokens', { ttl_seconds: 13 * 3600 }), 400, 'invalid_request');
      assertError(
        await admin.post('/v1/picker-tokens', { allowed_origin: 'not a url' }),
        400,
        'invalid_request',
      );
      const twelveHours = await admin.post('/v1/picker-tokens', { ttl_seconds: 12 * 3600 });
      assert.equal(twelveHours.status, 201);
      const noBody = await admin.post('/v1/picker-tokens');
      assert.equal(noBody.status, 201, noBody.text);
      const lifetime = Date.parse(noBody.body.expires_at) - Date.now();
      assert.ok(lifetime > 3590_000 && lifetime <= 3600_000, `an hour by default: ${lifetime} ms`);
    });

    test('an expired token, a revoked key and a foreign origin answer 401', async () => {
      const cmsKey = (await admin.post('/v1/api-keys', { name: 'cms-2', scopes: ['generate', 'read'] })).body;
      const cms = admin.withKey(cmsKey.key);
      const expiring = (await cms.post('/v1/picker-tokens', {})).body.token;
      const bound = (await cms.post('/v1/picker-tokens', { allowed_origin: `${CMS_ORIGIN}/editor` })).body;
      assert.equal(bound.allowed_origin, CMS_ORIGIN);

      assert.equal((await admin.withKey(expiring).get('/v1/templates')).status, 200);
      // Time passes: the row's expiry is moved into the past rather than waiting an hour.
      await server.running.container.db.query(
        "UPDATE picker_tokens SET expires_at = now() - interval '1 second' WHERE api_key_id = $1 AND allowed_origin IS NULL",
        [cmsKey.id],
      );
      assertError(await admin.withKey(expiring).get('/v1/templates'), 401, 'unauthorized');

      const fromCms = { headers: { origin: CMS_ORIGIN } };
      assert.equal((await admin.withKey(bound.token).get('/v1/templates', fromCms)).status, 200);
      assertError(
        await admin
          .withKey(bound.token)
          .get('/v1/templates', { headers: { origin: 'https://evil.example' } }),
        401,
        'unauthorized',
      );

      const fresh = (await cms.post('/v1/picker-tokens', {})).body.token;
      assert.equal((await admin.withKey(fresh).get('/v1/templates')).status, 200);
      assert.equal((await admin.delete(`/v1/api-keys/${cmsKey.id}`)).status, 200);
      assertError(await admin.withKey(fresh).get('/v1/templates'), 401, 'unauthorized');
      assertError(await admin.withKey(bound.token).get('/v1/templates', fromCms), 401, 'unauthorized');
    });

    test('CORS: a preflight from an allowed origin is granted, any other gets no grant', async () => {
      const preflight = (origin: string) =>
        fetch(`${server.url}/v1/generations`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization, content-type',
          },
        });
      const allowed = await preflight(CMS_ORIGIN);
      assert.equal(allowed.status, 204);
      assert.equal(allowed.headers.get('access-control-allow-origin'), CMS_ORIGIN);
      assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /authorization/i);
      assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /content-type/i);
      assert.match(allowed.headers.get('access-control-allow-methods') ?? '', /POST/);
      assert.equal(allowed.headers.get('access-control-allow-credentials'), null, 'never with cookies');

      // The configured "http://127.0.0.1:9/" is normalised to its origin.
      const normalised = await preflight('http://127.0.0.1:9');
      assert.equal(normalised.headers.get('access-control-allow-origin'), 'http://127.0.0.1:9');

      const refused = await preflight('https://evil.example');
      assert.equal(refused.headers.get('access-control-allow-origin'), null);

      const token = (await admin.post('/v1/picker-tokens', {})).body.token;
      const read = await admin.withKey(token).get('/v1/templates', { headers: { origin: CMS_ORIGIN } });
      assert.equal(read.status, 200);
      assert.equal(read.headers.get('access-control-allow-origin'), CMS_ORIGIN);
    });

    test('/picker.js is one script any origin may load', async () => {
      const script = await fetch(`${server.url}/picker.js`);
      assert.equal(script.status, 200);
      assert.match(script.headers.get('content-type') ?? '', /text\/javascript/);
      assert.equal(script.headers.get('access-control-allow-origin'), '*');
      assert.match(await script.text(), /vitrine-picker/);
      const demo = await fetch(`${server.url}/demo/editor`);
      assert.equal(demo.status, 200);
      assert.match(demo.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      assert.match(await demo.text(), /<script src="\/picker\.js"/);
    });
  });
}
