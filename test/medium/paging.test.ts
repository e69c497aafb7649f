import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { BatchRepository } from '../../src/db/batch.repository.ts';
import { type Database, openPglite, openPostgres } from '../../src/db/client.ts';
import { JobRepository, type NewJob } from '../../src/db/job.repository.ts';
import { migrate } from '../../src/db/migrator.ts';
import { isAppError } from '../../src/domain/errors.ts';
import { decodeCursor, encodeCursor } from '../../src/services/generation/generation.service.ts';
import { dropSchemas, engines, postgresUrl, uniqueSchemaName } from '../support/engines.ts';
import { TempDirs } from '../support/temp.ts';

const JOBS = 250;
const BATCHES = 30;

function newJob(batchId: string): NewJob & { status: 'queued'; cost_usd: number } {
  const id = randomUUID();
  return {
    id,
    status: 'queued',
    cost_usd: 0,
    batch_id: batchId,
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
    priority: 'batch',
    params: { title: 'Mug' },
    seed: 42,
    cache: 'miss',
    metadata: {},
    webhook_url: null,
    fallback: [],
    idempotency_key: null,
    request_hash: null,
    queue_job_id: id,
  };
}

for (const engine of engines) {
  describe(`keyset paging is exact on ${engine.name} (rows created in one transaction share a timestamp)`, {
    skip: engine.skip,
  }, () => {
    const dirs = new TempDirs();
    const schema = engine.name === 'postgres' ? uniqueSchemaName() : null;
    const jobs = new JobRepository();
    const batches = new BatchRepository();
    let db: Database;
    const batchId = randomUUID();

    before(async () => {
      db =
        engine.name === 'pglite'
          ? await openPglite(dirs.make('vitrine-paging-'))
          : await openPostgres(postgresUrl(), { schema: schema! });
      await migrate(db);
      await db.transaction(async (tx) => {
        for (let index = 0; index < BATCHES; index++) {
          await batches.insert(tx, {
            id: index === 0 ? batchId : randomUUID(),
            api_key_id: null,
            template: 'product_hero',
            brand: 'default',
            n: 1,
            provider: null,
            model: null,
            priority: 'batch',
            cache: 'exact',
            webhook_url: null,
            key_column: null,
            idempotency_key: null,
            request_hash: null,
          });
        }
        await tx.query(`UPDATE batches SET status = 'running'`);
        await jobs.insertMany(
          tx,
          Array.from({ length: JOBS }, () => newJob(batchId)),
        );
      });
    });
    after(async () => {
      await db?.close();
      if (schema) await dropSchemas(schema);
      dirs.cleanup();
    });

    test('every job of a batch is listed exactly once, whatever the page size', async () => {
      for (const limit of [200, 100, 7, 1]) {
        const seen = new Set<string>();
        let cursor: string | undefined;
        for (let pages = 0; pages <= JOBS; pages++) {
          const page = await jobs.list(db, {
            batchId,
            limit,
            before: cursor ? decodeCursor(cursor) : undefined,
          });
          for (const job of page) {
            assert.ok(!seen.has(job.id), `job ${job.id} listed twice at limit ${limit}`);
            seen.add(job.id);
          }
          if (page.length < limit) break;
          cursor = encodeCursor(page.at(-1)!);
        }
        assert.equal(seen.size, JOBS, `limit ${limit}`);
      }
    });

    test('every batch is listed exactly once', async () => {
      const seen = new Set<string>();
      let cursor: string | undefined;
      for (;;) {
        const page = await batches.list(db, { limit: 7, before: cursor ? decodeCursor(cursor) : undefined });
        for (const batch of page) seen.add(batch.id);
        if (page.length < 7) break;
        cursor = encodeCursor(page.at(-1)!);
      }
      assert.equal(seen.size, BATCHES);
    });

    test('a cursor that is not one of ours is a 400 naming the cursor, never a database error', () => {
      for (const bad of [
        'garbage',
        Buffer.from('2026-01-01T00:00:00Z|not-a-uuid').toString('base64url'),
        '%00',
      ]) {
        assert.throws(
          () => decodeCursor(bad),
          (error: unknown) =>
            isAppError(error) &&
            error.code === 'invalid_request' &&
            JSON.stringify(error.details).includes('cursor'),
        );
      }
    });
  });
}
