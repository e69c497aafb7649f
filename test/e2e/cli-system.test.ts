import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { buildConfig } from '../support/engines.ts';
import { runCli, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

describe('vitrine doctor --server and vitrine worker (spawned CLI)', () => {
  const dirs = new TempDirs();
  after(() => dirs.cleanup());

  test('vitrine worker on the embedded database refuses with the reason (exit 1)', async () => {
    const result = await runCli(['worker'], { env: { VITRINE_DATA_DIR: dirs.make('vitrine-worker-') } });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /needs DATABASE_URL/);
  });

  test("vitrine doctor --server checks the server, not this machine's data directory", async () => {
    const work = dirs.make('vitrine-doctor-');
    const testConfig = buildConfig('pglite', path.join(work, 'server-data'));
    const server = await startInProcessServer(testConfig.config);
    try {
      const result = await runCli(['doctor', '--server', server.url, '--key', server.adminKey ?? ''], {
        env: { VITRINE_DATA_DIR: path.join(work, 'local-data') },
      });
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, new RegExp(`server ${server.url.replace(/[.]/g, '\\.')}`));
      assert.doesNotMatch(result.stdout, /local-data|embedded database in/);
    } finally {
      await server.stop();
    }
  });
});
