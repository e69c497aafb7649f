import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Container, createContainer } from '../../src/app/container.ts';
import { DEFAULT_BRAND_KIT } from '../../src/domain/brand.ts';
import { AppError } from '../../src/domain/errors.ts';
import { type JobRecord, MAX_SEED, type Priority } from '../../src/domain/job.ts';
import type { GenerationRequest } from '../../src/services/generation/generation-plan.ts';
import type { JobEvent } from '../../src/services/generation/job-events.ts';
import { buildConfig, engines, type TestConfig } from '../support/engines.ts';
import { failThenServe, makePng, startImageServer } from '../support/image-server.ts';
import { pngSize } from '../support/images.ts';
import { TempDirs } from '../support/temp.ts';
import { withDeadline } from '../support/wait.ts';

const WAIT_MS = 30_000;

function heroRequest(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    template: 'product_hero',
    params: { title: 'Mug', price: '$12' },
    n: 1,
    priority: 'normal',
    cache: 'exact',
    ...overrides,
  };
}

/** Records every job event with its time; `at(jobId, status)` resolves when (or if) that status was published. */
class EventLog {
  readonly events: Array<JobEvent & { at: number }> = [];
  readonly #waiters: Array<{ jobId: string; status: string; resolve: (at: number) => void }> = [];
  readonly stop: () => void;

  constructor(container: Container) {
    this.stop = container.deps.events.subscribe('*', (event) => {
      const at = performance.now();
      this.events.push({ ...event, at });
      if (event.type === 'progress') return;
      for (const waiter of [...this.#waiters]) {
        if (waiter.jobId !== event.jobId || waiter.status !== event.status) continue;
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(at);
      }
    });
  }

  statuses(jobId: string): string[] {
    return this.events.flatMap((event) =>
      event.jobId === jobId && event.type !== 'progress' ? [event.status] : [],
    );
  }

  at(jobId: string, status: string): Promise<number> {
    const seen = this.events.find(
      (event) => event.jobId === jobId && event.type !== 'progress' && event.status === status,
    );
    if (seen) return Promise.resolve(seen.at);
    return new Promise((resolve) => this.#waiters.push({ jobId, status, resolve }));
  }
}

for (const engine of engines) {
  describe(`generation through the services on ${engine.name}`, { skip: engine.skip }, () => {
    const dirs = new TempDirs();
    const configs: TestConfig[] = [];
    const containers: Container[] = [];
    let container: Container;
    let images: Awaited<ReturnType<typeof startImageServer>>;

    async function newContainer(): Promise<Container> {
      const testConfig = buildConfig(engine.name, dirs.make('vitrine-gen-'), {
        VITRINE_ALLOW_PRIVATE_URLS: 'true',
      });
      configs.push(testConfig);
      const created = await createContainer(testConfig.config, { roles: new Set(['worker']) });
      containers.push(created);
      return created;
    }

    const finish = (target: Container, id: string) => target.generations.waitForFinish(id, WAIT_MS);

    before(async () => {
      const png = await makePng();
      images = await startImageServer({
        '/flaky.png': failThenServe(2, 503, png),
        '/product.png': failThenServe(0, 200, png),
      });
      container = await newContainer();
      await container.startWorkers(2);
    });

    after(async () => {
      for (const created of containers) await created.close({ graceful: false });
      for (const testConfig of configs) await testConfig.dispose();
      await images?.close();
      dirs.cleanup();
    });

    test('product_hero with n=2 succeeds at 1024×1024 and records what made each image', async () => {
      // A brand on version 2, so the recorded version is the current one, not a default of 1.
      await container.catalog.createBrand('acme', { ...DEFAULT_BRAND_KIT, name: 'Acme' });
      const brand = await container.catalog.updateBrand('acme', { lighting: 'warm window light' });
      assert.equal(brand.version, 2);
      const template = await container.catalog.getTemplate('product_hero');

      const { job, created } = await container.generations.create(heroRequest({ n: 2, brand: 'acme' }), {
        apiKeyId: null,
      });
      assert.equal(created, true);
      assert.equal(job.status, 'queued');
      const done = await finish(container, job.id);
      assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
      assert.equal(done.attempts, 1);
      assert.equal(done.progress, 1);
      assert.match(done.prompt, /Mug/);
      assert.match(done.prompt, /warm window light/, 'the brand kit of version 2 shaped the prompt');

      const assets = await container.deps.assets.listForJobs(container.db, [job.id]);
      assert.equal(assets.length, 2);
      for (const [position, asset] of assets.entries()) {
        assert.equal(asset.position, position);
        assert.equal(asset.provider, 'studio');
        assert.equal(asset.model, 'studio-layout-v1');
        assert.equal(asset.prompt, done.prompt);
        assert.equal(asset.seed, done.seed! + position, 'seeds are consecutive from the job seed');
        assert.equal(asset.template, 'product_hero');
        assert.equal(asset.template_version, template.version);
        assert.equal(asset.brand, 'acme');
        assert.equal(asset.brand_version, 2);
        assert.equal(asset.format, 'png');
        assert.deepEqual([asset.width, asset.height], [1024, 1024]);
        const { bytes } = await container.assets.read(asset.id);
        assert.deepEqual(pngSize(bytes), { width: 1024, height: 1024 });
        assert.equal(asset.bytes, bytes.byteLength);
      }
      assert.notEqual(assets[0]!.sha256, assets[1]!.sha256, 'two seeds give two different images');
    });

    test('a given seed numbers the images consecutively, wrapping at the largest seed', async () => {
      const { job } = await container.generations.create(
        heroRequest({ template: 'social_post', n: 3, seed: MAX_SEED - 1 }),
        { apiKeyId: null },
      );
      const done = await finish(container, job.id);
      assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
      assert.equal(done.seed, MAX_SEED - 1);
      const assets = await container.deps.assets.listForJobs(container.db, [job.id]);
      assert.deepEqual(
        assets.map((asset) => asset.seed),
        [MAX_SEED - 1, MAX_SEED, 0],
      );
      assert.deepEqual([assets[0]!.width, assets[0]!.height], [1080, 1350]);
    });

    test('a 503 from the product image URL is retried with backoff and succeeds on attempt 3', async () => {
      const log = new EventLog(container);
      const { job } = await container.generations.create(
        heroRequest({ params: { title: 'Lamp', product_image: `${images.url}/flaky.png` } }),
        { apiKeyId: null },
      );
      const done = await finish(container, job.id);
      log.stop();
      assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
      assert.equal(done.attempts, 3);
      assert.equal(done.error, null, 'the error of a failed attempt is cleared by the success');
      const hits = images.hitsOf('/flaky.png');
      assert.deepEqual(
        hits.map((hit) => hit.status),
        [503, 503, 200],
      );
      // Backoff: each retry waits at least a second (the queue's delay granularity).
      for (let index = 1; index < hits.length; index++) {
        const gap = hits[index]!.at - hits[index - 1]!.at;
        assert.ok(gap >= 900, `retry ${index} came after ${Math.round(gap)} ms, expected a backoff`);
      }
      assert.deepEqual(log.statuses(job.id), [
        'queued',
        'running',
        'queued',
        'running',
        'queued',
        'running',
        'succeeded',
      ]);
      assert.equal((await container.deps.assets.listForJobs(container.db, [job.id])).length, 1);
    });

    test('a 404 product image fails the job at once with image_invalid', async () => {
      const { job } = await container.generations.create(
        heroRequest({ params: { title: 'Vase', product_image: `${images.url}/missing.png` } }),
        { apiKeyId: null },
      );
      const done = await finish(container, job.id);
      assert.equal(done.status, 'failed');
      assert.equal(done.attempts, 1);
      assert.equal(done.error?.code, 'image_invalid');
      assert.match(done.error?.message ?? '', /404/);
      assert.equal(images.hitsOf('/missing.png').length, 1, 'not retried');
      assert.ok(done.finished_at);
      assert.equal((await container.deps.assets.listForJobs(container.db, [job.id])).length, 0);
    });

    test('an image URL that answers is drawn into the render', async () => {
      const before = images.hitsOf('/product.png').length;
      const { job } = await container.generations.create(
        heroRequest({ params: { title: 'Teapot', product_image: `${images.url}/product.png` } }),
        { apiKeyId: null },
      );
      const done = await finish(container, job.id);
      assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
      assert.equal(done.attempts, 1);
      assert.equal(images.hitsOf('/product.png').length, before + 1);
    });

    test('idempotency: the same key and body give the same job; another body is a conflict', async () => {
      const request = heroRequest({ params: { title: 'Idem' } });
      const caller = { apiKeyId: null };
      const first = await container.generations.create(request, caller, 'idem-1');
      const second = await container.generations.create(
        heroRequest({ params: { title: 'Idem' } }),
        caller,
        'idem-1',
      );
      assert.equal(first.created, true);
      assert.equal(second.created, false);
      assert.equal(second.job.id, first.job.id);
      await assert.rejects(
        container.generations.create(heroRequest({ params: { title: 'Other' } }), caller, 'idem-1'),
        (error: unknown) => {
          assert.ok(error instanceof AppError);
          assert.equal(error.code, 'conflict');
          assert.deepEqual(error.details, { job_id: first.job.id });
          return true;
        },
      );
      // Another caller may use the same key for its own job.
      const other = await container.generations.create(request, { apiKeyId: 'key_other' }, 'idem-1');
      assert.equal(other.created, true);
      assert.notEqual(other.job.id, first.job.id);
      await finish(container, first.job.id);
      await finish(container, other.job.id);
    });

    test('an idle worker starts a new job well within the 2 s polling interval', async () => {
      const log = new EventLog(container);
      try {
        for (let round = 0; round < 3; round++) {
          const started = performance.now();
          // The cache off: the same request again would be an exact hit that never runs.
          const { job } = await container.generations.create(
            heroRequest({ template: 'text_card', cache: 'off' }),
            { apiKeyId: null },
          );
          const runningAt = await withDeadline(log.at(job.id, 'running'), WAIT_MS, 'the running event');
          const latency = runningAt - started;
          const done = await finish(container, job.id);
          assert.equal(done.status, 'succeeded');
          assert.ok(
            latency < 1000,
            `round ${round}: the job started ${Math.round(latency)} ms after its creation`,
          );
          const dbLatency = done.started_at!.getTime() - done.created_at.getTime();
          assert.ok(dbLatency < 1000, `round ${round}: started_at is ${dbLatency} ms after created_at`);
        }
      } finally {
        log.stop();
      }
    });

    test('with workers stopped, a queued job cancels; then urgent jobs start before normal before batch', async () => {
      const idle = await newContainer(); // no workers yet
      const create = async (priority: Priority, title: string) =>
        (
          await idle.generations.create(heroRequest({ template: 'text_card', priority, params: { title } }), {
            apiKeyId: null,
          })
        ).job;
      const queued: JobRecord[] = [];
      for (const priority of ['batch', 'normal', 'urgent'] as const) {
        queued.push(await create(priority, `${priority} 1`), await create(priority, `${priority} 2`));
      }
      const doomed = await create('urgent', 'canceled before it ran');
      const canceled = await idle.generations.cancel(doomed.id);
      assert.equal(canceled.status, 'canceled');
      assert.equal(canceled.attempts, 0);
      assert.ok(canceled.finished_at);
      assert.equal(
        (await idle.generations.cancel(doomed.id)).status,
        'canceled',
        'a second cancel is a no-op',
      );

      await idle.startWorkers(1);
      const done = await Promise.all(queued.map((job) => finish(idle, job.id)));
      for (const job of done) assert.equal(job.status, 'succeeded');
      const order = [...done]
        .sort((a, b) => a.started_at!.getTime() - b.started_at!.getTime())
        .map((job) => job.params.title);
      assert.deepEqual(order, ['urgent 1', 'urgent 2', 'normal 1', 'normal 2', 'batch 1', 'batch 2']);

      const after = await idle.generations.get(doomed.id);
      assert.equal(after.status, 'canceled');
      assert.equal(after.started_at, null, 'the canceled job never ran');
      assert.equal((await idle.deps.assets.listForJobs(idle.db, [doomed.id])).length, 0);
    });
  });
}
