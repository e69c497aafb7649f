import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './env.ts';

test('defaults give the embedded set-up', () => {
  const config = loadConfig({}, {});
  assert.equal(config.database.kind, 'pglite');
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.port, 8080);
  assert.deepEqual([...config.roles], ['api', 'worker']);
  assert.equal(config.storage.kind, 'file');
  assert.ok(config.dataDir.endsWith('data'));
});

test('DATABASE_URL switches to PostgreSQL', () => {
  const config = loadConfig({ DATABASE_URL: 'postgres://127.0.0.1:5432/test' }, {});
  assert.deepEqual(config.database, {
    kind: 'postgres',
    url: 'postgres://127.0.0.1:5432/test',
    schema: undefined,
  });
});

test('every problem is listed in one error', () => {
  assert.throws(
    () =>
      loadConfig(
        { PORT: 'eighty', VITRINE_ROLES: 'api,cook', DATABASE_URL: 'mysql://x', VITRINE_STORAGE: 's3' },
        {},
      ),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      const text = error.message;
      for (const name of ['PORT', 'VITRINE_ROLES', 'DATABASE_URL', 'S3_BUCKET'])
        assert.match(text, new RegExp(name));
      return true;
    },
  );
});

test('a config file with an invalid brand is reported with its path', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-config-'));
  const file = path.join(dir, 'vitrine.yaml');
  writeFileSync(file, 'brands:\n  shop:\n    name: Shop\n    palette: {primary: red}\n');
  assert.throws(() => loadConfig({ VITRINE_CONFIG: file }, {}), /brands\.shop\.palette/);
});

test('a missing config file is reported', () => {
  assert.throws(() => loadConfig({ VITRINE_CONFIG: '/nonexistent/vitrine.yaml' }, {}), /cannot read/);
});

test('flags override the environment', () => {
  const config = loadConfig({ PORT: '9090', HOST: undefined }, { PORT: '8081', HOST: '0.0.0.0' });
  assert.equal(config.port, 9090);
  assert.equal(config.host, '0.0.0.0');
});
