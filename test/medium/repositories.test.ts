import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { ApiKeyRepository } from '../../src/db/api-key.repository.ts';
import { AssetRepository, type NewAsset } from '../../src/db/asset.repository.ts';
import { BrandRepository, TemplateRepository } from '../../src/db/catalog.repository.ts';
import { type Database, openPglite, openPostgres } from '../../src/db/client.ts';
import { JobRepository, type NewJob } from '../../src/db/job.repository.ts';
import { migrate } from '../../src/db/migrator.ts';
import { DEFAULT_BRAND_KIT } from '../../src/domain/brand.ts';
import { BUILTIN_TEMPLATES } from '../../src/domain/builtin-templates.ts';
import type { TemplateDefinition } from '../../src/domain/template.ts';
import { hashApiKey } from '../../src/services/access/api-key.service.ts';
import { dropSchemas, engines, postgresUrl, uniqueSchemaName } from '../support/engines.ts';
import { TempDirs } from '../support/temp.ts';

function newJob(overrides: Partial<NewJob> = {}): NewJob {
  const id = randomUUID();
  return {
    id,
    batch_id: null,
    api_key_id: null,
    prompt: 'a mug',
    negative_prompt: '',
    template: 'product_hero',
    template_version: 1,
    brand: 'default',
    brand_version: 1,
    provider: 'studio',
    model: 'studio-layout-v1',
    n: 1,
    width: 1024,
    height: 1024,
    format: 'png',
    priority: 'normal',
    params: { title: 'Mug' },
    seed: 42,
    cache: 'miss',
    metadata: {},
    webhook_url: null,
    fallback: [{ provider: 'openai', model: 'gpt-image-1' }],
    idempotency_key: null,
    request_hash: null,
    queue_job_id: id,
    ...overrides,
  };
}

function newAsset(jobId: string, position: number): NewAsset {
  return {
    id: randomUUID(),
    job_id: jobId,
    position,
    sha256: 'a'.repeat(64),
    format: 'png',
    width: 1024,
    height: 1024,
    bytes: 1234,
    seed: 42 + position,
    provider: 'studio',
    model: 'studio-layout-v1',
    prompt: 'a mug',
    negative_prompt: '',
    template: 'product_hero',
    template_version: 1,
    brand: 'default',
    brand_version: 1,
  };
}

const heroDefinition = (): TemplateDefinition => {
  const { name: _name, ...definition } = BUILTIN_TEMPLATES.find((t) => t.name === 'product_hero')!;
  return definition;
};

for (const engine of engines) {
  describe(`repositories on ${engine.name}`, { skip: engine.skip }, () => {
    const dirs = new TempDirs();
    const schema = engine.name === 'postgres' ? uniqueSchemaName() : null;
    let db: Database;
    const jobs = new JobRepository();
    const assets = new AssetRepository();
    const apiKeys = new ApiKeyRepository();
    const brands = new BrandRepository();
    const templates = new TemplateRepository();

    before(async () => {
      db =
        engine.name === 'pglite'
          ? await openPglite(dirs.make('vitrine-repo-'))
          : await openPostgres(postgresUrl(), { schema: schema! });
    });
    after(async () => {
      await db?.close();
      if (schema) await dropSchemas(schema);
      dirs.cleanup();
    });

    test('migrations apply once, then are idempotent', async () => {
      const files = readdirSync(new URL('../../src/db/migrations/', import.meta.url))
        .filter((name) => name.endsWith('.sql'))
        .map((name) => name.replace(/\.sql$/, ''))
        .sort();
      assert.ok(files.length >= 2 && files[0] === '0001_init');
      const first = await migrate(db);
      assert.deepEqual(first.applied, files);
      assert.equal(first.total, files.length);
      const second = await migrate(db);
      assert.deepEqual(second.applied, []);
      assert.equal(second.total, files.length);
      const rows = await db.query<{ version: string }>('SELECT version FROM schema_migrations');
      assert.deepEqual(
        rows.map((row) => row.version),
        files,
      );
      // The tables exist where this run's connection looks for them.
      const tables = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM jobs');
      assert.equal(tables[0]!.count, 0);
    });

    test('a new job is queued with attempt 0', async () => {
      const job = await jobs.insert(db, newJob({ seed: 4_000_000_000 }));
      assert.equal(job.status, 'queued');
      assert.equal(job.attempts, 0);
      assert.equal(job.seed, 4_000_000_000, 'bigint seeds come back as numbers');
      assert.deepEqual(job.params, { title: 'Mug' });
      assert.deepEqual(job.fallback, [{ provider: 'openai', model: 'gpt-image-1' }]);
      assert.equal(job.started_at, null);
      assert.deepEqual(await jobs.findById(db, job.id), job);
      assert.equal(await jobs.findById(db, 'not-a-uuid'), null);
    });

    test('claimAttempt: only the due attempt, or a redelivery of the running one, is claimed', async () => {
      const job = await jobs.insert(db, newJob());
      assert.equal(await jobs.claimAttempt(db, job.id, 2), null, 'attempt 2 while attempt 1 is due');
      const claimed = await jobs.claimAttempt(db, job.id, 1);
      assert.equal(claimed?.status, 'running');
      assert.equal(claimed?.attempts, 1);
      assert.ok(claimed?.started_at instanceof Date);
      const redelivered = await jobs.claimAttempt(db, job.id, 1);
      assert.equal(redelivered?.status, 'running', 'a redelivery of the running attempt is claimed again');
      assert.equal(redelivered?.attempts, 1);
      assert.equal(await jobs.claimAttempt(db, job.id, 2), null, 'attempt 2 while attempt 1 runs');
      assert.equal(await jobs.claimAttempt(db, job.id, 0), null);
    });

    test('markRetrying → next attempt → markSucceeded; stale attempts change nothing', async () => {
      const job = await jobs.insert(db, newJob());
      await jobs.claimAttempt(db, job.id, 1);
      const retryQueueId = randomUUID();
      const error = { code: 'provider_unavailable' as const, message: 'try later' };
      assert.equal(await jobs.markRetrying(db, job.id, 2, error, retryQueueId), false, 'not the running one');
      assert.equal(await jobs.markRetrying(db, job.id, 1, error, retryQueueId), true);
      let current = (await jobs.findById(db, job.id))!;
      assert.equal(current.status, 'queued');
      assert.equal(current.attempts, 1);
      assert.deepEqual(current.error, error);
      assert.equal(current.queue_job_id, retryQueueId);
      assert.equal(await jobs.markRetrying(db, job.id, 1, error, retryQueueId), false, 'twice');

      const outcome = { provider: 'studio', model: 'studio-layout-v1', costUsd: 0.5, warnings: [] };
      assert.equal(await jobs.markSucceeded(db, job.id, 1, outcome), null, 'attempt 1 is over');
      assert.equal(await jobs.claimAttempt(db, job.id, 1), null, 'a late delivery of attempt 1');
      assert.equal((await jobs.claimAttempt(db, job.id, 2))?.attempts, 2);
      assert.equal(await jobs.markSucceeded(db, job.id, 1, outcome), null, 'stale attempt 1');
      assert.equal(await jobs.markFailed(db, job.id, 1, error), null, 'stale attempt 1');
      const succeeded = await jobs.markSucceeded(db, job.id, 2, outcome);
      assert.equal(succeeded?.status, 'succeeded');
      assert.equal(succeeded?.progress, 1);
      assert.equal(succeeded?.cost_usd, 0.5);
      assert.equal(succeeded?.error, null);
      assert.ok(succeeded?.finished_at instanceof Date);

      // A finished job takes no more transitions.
      assert.equal(await jobs.markSucceeded(db, job.id, 2, outcome), null);
      assert.equal(await jobs.markFailed(db, job.id, 2, error), null);
      assert.equal(await jobs.markCanceled(db, job.id), null);
      assert.equal(await jobs.claimAttempt(db, job.id, 2), null);
      assert.equal(await jobs.claimAttempt(db, job.id, 3), null);
      current = (await jobs.findById(db, job.id))!;
      assert.equal(current.status, 'succeeded');
    });

    test('markFailed records the error; markCanceled works on queued and running jobs only', async () => {
      const failing = await jobs.insert(db, newJob());
      await jobs.claimAttempt(db, failing.id, 1);
      const error = { code: 'image_invalid' as const, message: 'HTTP 404' };
      const failed = await jobs.markFailed(db, failing.id, 1, error);
      assert.equal(failed?.status, 'failed');
      assert.deepEqual(failed?.error, error);
      assert.equal(await jobs.markCanceled(db, failing.id), null);

      const queued = await jobs.insert(db, newJob());
      const canceled = await jobs.markCanceled(db, queued.id);
      assert.equal(canceled?.status, 'canceled');
      assert.ok(canceled?.finished_at instanceof Date);
      assert.equal(await jobs.claimAttempt(db, queued.id, 1), null, 'a canceled job is never claimed');

      const running = await jobs.insert(db, newJob());
      await jobs.claimAttempt(db, running.id, 1);
      assert.equal((await jobs.markCanceled(db, running.id))?.status, 'canceled');
      assert.equal(
        await jobs.updateProgress(db, running.id, 1, 0.5),
        false,
        'the worker learns of the cancel',
      );
      assert.equal(
        await jobs.markSucceeded(db, running.id, 1, {
          provider: 'studio',
          model: 'm',
          costUsd: 0,
          warnings: [],
        }),
        null,
      );
    });

    test('running queue job ids list only running attempts', async () => {
      const running = await jobs.insert(db, newJob());
      await jobs.claimAttempt(db, running.id, 1);
      const queued = await jobs.insert(db, newJob());
      const ids = await jobs.listRunningQueueJobIds(db);
      assert.ok(ids.includes(running.queue_job_id!));
      assert.ok(!ids.includes(queued.queue_job_id!));
    });

    test('idempotency keys are unique per API key', async () => {
      const first = await jobs.insert(db, newJob({ api_key_id: 'key_a', idempotency_key: 'k1' }));
      assert.equal((await jobs.findByIdempotencyKey(db, 'key_a', 'k1'))?.id, first.id);
      assert.equal(await jobs.findByIdempotencyKey(db, 'key_b', 'k1'), null);
      await jobs.insert(db, newJob({ api_key_id: 'key_b', idempotency_key: 'k1' }));
      await assert.rejects(jobs.insert(db, newJob({ api_key_id: 'key_a', idempotency_key: 'k1' })), {
        code: '23505',
      });
    });

    test('assets: (job_id, position) is unique, so a job never records a second set', async () => {
      const job = await jobs.insert(db, newJob({ n: 2 }));
      await assets.insertMany(db, [newAsset(job.id, 0), newAsset(job.id, 1)]);
      await assert.rejects(assets.insertMany(db, [newAsset(job.id, 0)]), { code: '23505' });
      // In a transaction the whole second set rolls back.
      await assert.rejects(
        db.transaction((tx) => assets.insertMany(tx, [newAsset(job.id, 2), newAsset(job.id, 1)])),
        { code: '23505' },
      );
      const stored = await assets.listForJobs(db, [job.id]);
      assert.deepEqual(
        stored.map((asset) => asset.position),
        [0, 1],
      );
      assert.deepEqual(
        stored.map((asset) => asset.seed),
        [42, 43],
      );
      assert.equal((await assets.findById(db, stored[0]!.id))?.job_id, job.id);
    });

    test('api keys: found by hash while active; revoke is idempotent and hides the key', async () => {
      const secret = `vk_${randomUUID()}`;
      const id = `key_${randomUUID().slice(0, 8)}`;
      const inserted = await apiKeys.insert(db, {
        id,
        name: 'ci',
        keyHash: hashApiKey(secret),
        keyPrefix: secret.slice(0, 10),
        scopes: ['generate', 'read'],
      });
      assert.deepEqual(inserted.scopes, ['generate', 'read']);
      assert.equal((await apiKeys.findActiveByHash(db, hashApiKey(secret)))?.id, id);
      assert.equal(await apiKeys.findActiveByHash(db, hashApiKey(`${secret}x`)), null);
      const active = await apiKeys.countActive(db);
      const revoked = await apiKeys.revoke(db, id);
      assert.ok(revoked?.revoked_at instanceof Date);
      assert.equal(await apiKeys.findActiveByHash(db, hashApiKey(secret)), null);
      assert.equal(await apiKeys.countActive(db), active - 1);
      const again = await apiKeys.revoke(db, id);
      assert.equal(again?.revoked_at?.getTime(), revoked?.revoked_at?.getTime(), 'first revocation kept');
      assert.equal(await apiKeys.revoke(db, 'key_missing'), null);
      assert.ok(
        (await apiKeys.list(db)).some((key) => key.id === id),
        'kept for audit',
      );
    });

    test('brand and template updates bump the version', async () => {
      const brand = await brands.insert(db, 'acme', { ...DEFAULT_BRAND_KIT, name: 'Acme' });
      assert.equal(brand?.version, 1);
      assert.equal(await brands.insert(db, 'acme', DEFAULT_BRAND_KIT), null, 'slug taken');
      const updated = await brands.update(db, 'acme', { ...DEFAULT_BRAND_KIT, name: 'Acme 2' });
      assert.equal(updated?.version, 2);
      assert.equal(updated?.name, 'Acme 2');
      assert.equal(await brands.update(db, 'missing', DEFAULT_BRAND_KIT), null);

      const template = await templates.insert(db, 'custom', heroDefinition());
      assert.equal(template?.version, 1);
      assert.equal(template?.builtin, false);
      const changed = await templates.update(db, 'custom', { ...heroDefinition(), width: 800 });
      assert.equal(changed?.version, 2);
      assert.equal(changed?.width, 800);
    });

    test('built-in sync updates an untouched built-in but never an operator-edited one', async () => {
      const shipped = heroDefinition();
      await templates.syncBuiltin(db, 'hero_sync', shipped);
      let current = (await templates.find(db, 'hero_sync'))!;
      assert.equal(current.version, 1);
      assert.equal(current.builtin, true);

      await templates.syncBuiltin(db, 'hero_sync', shipped);
      assert.equal((await templates.find(db, 'hero_sync'))!.version, 1, 'unchanged definition: no bump');

      const newRelease = { ...shipped, description: 'shipped in a new release' };
      await templates.syncBuiltin(db, 'hero_sync', newRelease);
      current = (await templates.find(db, 'hero_sync'))!;
      assert.equal(current.version, 2, 'an untouched built-in follows the release');
      assert.equal(current.description, 'shipped in a new release');

      const edited = await templates.update(db, 'hero_sync', { ...newRelease, description: 'ours' });
      assert.equal(edited?.version, 3);
      assert.equal(edited?.builtin, false);
      await templates.syncBuiltin(db, 'hero_sync', { ...shipped, description: 'yet another release' });
      current = (await templates.find(db, 'hero_sync'))!;
      assert.equal(current.version, 3, 'the operator edit is kept');
      assert.equal(current.description, 'ours');
    });
  });
}
