import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makePng } from '../support/image-server.ts';
import { pngSize } from '../support/images.ts';
import { runCli, type ServerSubprocess, startServerSubprocess } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

// The CLI always runs on the embedded database here: runCli passes no DATABASE_URL to the child.
// Two data dirs: one the CLI opens itself, one held by a server subprocess.
describe('vitrine CLI (spawned processes, embedded database)', () => {
  const dirs = new TempDirs();
  const work = dirs.make('vitrine-cli-work-');
  after(() => dirs.cleanup());

  describe('on a data dir of its own', () => {
    const localDir = dirs.make('vitrine-cli-data-');

    const local = (args: string[]) => runCli(args, { env: { VITRINE_DATA_DIR: localDir } });

    test('generate in-process on a fresh data dir writes a 1024×1024 PNG and prints the job as JSON', async () => {
      const out = path.join(work, 'out-local');
      const result = await local([
        'generate',
        '--template',
        'product_hero',
        '--param',
        'title=Mug',
        '--out',
        out,
        '--json',
      ]);
      assert.equal(result.code, 0, result.stderr);
      const job = JSON.parse(result.stdout);
      assert.equal(job.status, 'succeeded');
      assert.equal(job.template, 'product_hero');
      assert.deepEqual(job.params, { title: 'Mug' });
      assert.equal(job.images.length, 1);
      assert.equal(job.files.length, 1);
      assert.equal(path.dirname(job.files[0]), out);
      assert.deepEqual(pngSize(readFileSync(job.files[0])), { width: 1024, height: 1024 });
    });

    test('generate with an invalid param exits 1 and names the field', async () => {
      const result = await local([
        'generate',
        '--template',
        'product_hero',
        '--param',
        'price=$5',
        '--param',
        'colour=red',
        '--out',
        work,
      ]);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /params\.title: is required/);
      assert.match(result.stderr, /params\.colour: /);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');

      // Flags are checked before anything starts.
      const badFlag = await local(['generate', '--template', 'product_hero', '-n', '11']);
      assert.equal(badFlag.code, 1);
      assert.match(badFlag.stderr, /-n/);
    });

    test('keys create, list and revoke', async () => {
      const created = await local(['keys', 'create', '--name', 'ci', '--json']);
      assert.equal(created.code, 0, created.stderr);
      const key = JSON.parse(created.stdout);
      assert.match(key.id, /^key_/);
      assert.match(key.key, /^vk_/);
      assert.equal(key.name, 'ci');
      assert.deepEqual(key.scopes, ['generate', 'read']);
      assert.equal(key.revoked_at, null);

      const listed = await local(['keys', 'list', '--json']);
      assert.equal(listed.code, 0, listed.stderr);
      const keys = JSON.parse(listed.stdout);
      const entry = keys.find((item: { id: string }) => item.id === key.id);
      assert.ok(entry, 'the new key is listed');
      assert.equal(entry.key, undefined, 'the secret is never listed');
      assert.ok(key.key.startsWith(entry.key_prefix));

      const revoked = await local(['keys', 'revoke', key.id]);
      assert.equal(revoked.code, 0, revoked.stderr);
      assert.match(revoked.stdout, new RegExp(`Revoked ${key.id}`));
      const after = JSON.parse((await local(['keys', 'list', '--json'])).stdout);
      assert.ok(after.find((item: { id: string }) => item.id === key.id).revoked_at);
    });

    test('providers lists studio as healthy; migrate is up to date; doctor passes', async () => {
      const providers = await local(['providers', '--json']);
      assert.equal(providers.code, 0, providers.stderr);
      const studio = JSON.parse(providers.stdout).find(
        (provider: { id: string }) => provider.id === 'studio',
      );
      assert.ok(studio, 'studio is configured');
      assert.equal(studio.health.ok, true);

      const migrate = await local(['migrate']);
      assert.equal(migrate.code, 0, migrate.stderr);
      assert.match(migrate.stdout, /Up to date/);

      const doctor = await local(['doctor']);
      assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
      assert.match(doctor.stdout, /✓ .*provider studio( \(studio\))?: healthy/);
      assert.doesNotMatch(doctor.stdout, /✗/);
    });
  });

  describe('while a server holds the data dir', () => {
    let serverDir: string;
    let server: ServerSubprocess;

    before(async () => {
      serverDir = dirs.make('vitrine-cli-server-');
      server = await startServerSubprocess({ dataDir: serverDir });
    });
    after(async () => {
      await server?.stop();
    });

    test('the server printed its URL and an admin key', () => {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(server.adminKey ?? '', /^vk_/);
    });

    test('an in-process generate exits 1 and says to use --server with the URL', async () => {
      const result = await runCli(
        ['generate', '--template', 'product_hero', '--param', 'title=Mug', '--out', work],
        {
          env: { VITRINE_DATA_DIR: serverDir },
        },
      );
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /--server/);
      assert.ok(result.stderr.includes(server.url), result.stderr);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    });

    test('the same generate with --server URL --key KEY succeeds, uploading a local product photo', async () => {
      const photo = path.join(work, 'photo.png');
      writeFileSync(photo, await makePng(200));
      const out = path.join(work, 'out-remote');
      const result = await runCli(
        [
          '--server',
          server.url,
          '--key',
          server.adminKey!,
          'generate',
          '--template',
          'live_cover',
          '--param',
          'title=Live tonight',
          '--param',
          `product_image=${photo}`,
          '-n',
          '2',
          '--out',
          out,
          '--json',
        ],
        { env: { VITRINE_DATA_DIR: serverDir } },
      );
      assert.equal(result.code, 0, result.stderr);
      const job = JSON.parse(result.stdout);
      assert.equal(job.status, 'succeeded');
      assert.notEqual(job.params.product_image, photo, 'the photo was uploaded and is used by asset id');
      assert.equal(job.files.length, 2);
      for (const file of job.files)
        assert.deepEqual(pngSize(readFileSync(file)), { width: 1080, height: 1920 });
      // The job is the server's: it is there over HTTP.
      const fetched = await server.client.get(`/v1/jobs/${job.id}`);
      assert.equal(fetched.status, 200);
      assert.equal(fetched.body.images.length, 2);
    });

    test('--server without a key exits 1 and says how to give one', async () => {
      const result = await runCli([
        '--server',
        server.url,
        'generate',
        '--template',
        'product_hero',
        '--param',
        'title=x',
      ]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /--key|VITRINE_API_KEY/);
    });

    test('keys and providers work through --server too', async () => {
      const remote = ['--server', server.url, '--key', server.adminKey!];
      const created = await runCli([
        ...remote,
        'keys',
        'create',
        '--name',
        'remote-ci',
        '--scopes',
        'read',
        '--json',
      ]);
      assert.equal(created.code, 0, created.stderr);
      const key = JSON.parse(created.stdout);
      assert.deepEqual(key.scopes, ['read']);
      const providers = await runCli([...remote, 'providers', '--json']);
      assert.equal(providers.code, 0, providers.stderr);
      assert.equal(JSON.parse(providers.stdout)[0].health.ok, true);
    });

    test('a second serve on the same data dir exits 1 with a clear message', async () => {
      const second = await runCli(['serve'], {
        env: { VITRINE_DATA_DIR: serverDir, PORT: '0' },
        timeoutMs: 60_000,
      });
      assert.equal(second.code, 1, second.stdout + second.stderr);
      assert.match(second.stderr, /in use by another Vitrine process/);
      assert.match(second.stderr, new RegExp(`pid ${server.child.pid}`));
      assert.doesNotMatch(second.stdout, /Vitrine is running/);
      // The first server is unharmed.
      assert.equal((await server.client.get('/healthz')).status, 200);
    });
  });
});
