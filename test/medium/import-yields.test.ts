import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Container, createContainer } from '../../src/app/container.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { TempDirs } from '../support/temp.ts';

const ROWS = 20_000;

/**
 * A large import shares the event loop with HTTP. The latency it causes is measured in
 * bench/import-responsiveness.bench.ts; this test checks the mechanism, without timing: while the
 * rows are read, checked and stored, the event loop gets turns (I/O and timers run). The file
 * arrives as one chunk, as an upload held in memory does.
 */
describe('a large import yields the event loop (embedded database)', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let container: Container;

  before(async () => {
    testConfig = buildConfig('pglite', dirs.make('vitrine-import-yields-'));
    container = await createContainer(testConfig.config, { roles: new Set(['api']) });
  });
  after(async () => {
    await container?.close({ graceful: false });
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test(`${ROWS} rows in one chunk: the event loop turns many times during the import`, async () => {
    const lines = ['sku,title,price'];
    for (let index = 0; index < ROWS; index++)
      lines.push(`Y-${index},"Shirt ${index}, linen",¥${index % 300}`);
    const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
    let turns = 0;
    let importing = true;
    const turn = () => {
      turns++;
      if (importing) setImmediate(turn);
    };
    setImmediate(turn);
    const { batch } = await container.batchImports.create(
      { template: 'product_hero', n: 1, priority: 'batch', cache: 'exact' },
      {
        kind: 'csv',
        bytes: (async function* () {
          yield bytes;
        })(),
      },
      { apiKeyId: null },
    );
    importing = false;
    assert.equal(batch.total, ROWS);
    // One turn per few milliseconds of work; a blocking import gives a handful at most.
    assert.ok(turns >= 50, `the event loop turned ${turns} times during the import`);
  });
});
