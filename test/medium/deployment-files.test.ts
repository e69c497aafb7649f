import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { ENVIRONMENT_VARIABLES, loadConfig } from '../../src/config/env.ts';
import { REPO_ROOT } from '../support/server.ts';

/**
 * The deployment files (deploy/) are documentation that runs: every variable they set must be one
 * Vitrine reads, their settings must pass the configuration's checks, and what they start must exist.
 */
const deploy = (file: string) => path.join(REPO_ROOT, 'deploy', file);
// Variables of the images and tools beside Vitrine (PostgreSQL, MinIO), not Vitrine's own.
const FOREIGN = /^(POSTGRES_|MINIO_)/;

/** `${NAME:-default}` as Compose substitutes it when NAME is not set. */
const withDefaults = (value: unknown) => String(value).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

describe('deployment files', () => {
  const compose = parseYaml(readFileSync(deploy('compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, unknown>; command?: string[]; image?: string }>;
  };

  test('the Compose file sets only variables Vitrine reads, and they pass its checks', () => {
    for (const name of ['api', 'worker']) {
      const environment = compose.services[name]?.environment ?? {};
      assert.ok(Object.keys(environment).length > 5, `${name} has its environment`);
      for (const variable of Object.keys(environment)) {
        assert.ok(ENVIRONMENT_VARIABLES.includes(variable), `${name}: ${variable} is a Vitrine variable`);
      }
      const config = loadConfig(
        {},
        Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, withDefaults(value)])),
      );
      assert.equal(config.storage.kind, 's3');
      assert.equal(config.database.kind, 'postgres');
    }
    assert.deepEqual(compose.services.api?.command, ['serve', '--roles', 'api']);
    assert.deepEqual(compose.services.worker?.command, ['worker']);
    for (const service of Object.values(compose.services)) {
      for (const variable of Object.keys(service.environment ?? {})) {
        assert.ok(
          FOREIGN.test(variable) || ENVIRONMENT_VARIABLES.includes(variable),
          `${variable} is known to Vitrine or to the image beside it`,
        );
      }
    }
  });

  test('the example environment file and the systemd units use only Vitrine variables', () => {
    const example = readFileSync(deploy('vitrine.env.example'), 'utf8');
    const assignments = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((match) => [
      match[1]!,
      match[2]!,
    ]);
    assert.ok(assignments.length > 8);
    for (const [variable] of assignments) assert.ok(ENVIRONMENT_VARIABLES.includes(variable!), variable);
    const active = Object.fromEntries(
      [...example.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((match) => [match[1]!, match[2]!]),
    );
    assert.equal(loadConfig({}, active).storage.kind, 's3');

    for (const unit of ['vitrine-api.service', 'vitrine-worker@.service']) {
      const text = readFileSync(deploy(`systemd/${unit}`), 'utf8');
      for (const match of text.matchAll(/^Environment=([A-Z_]+)=/gm))
        assert.ok(ENVIRONMENT_VARIABLES.includes(match[1]!), `${unit}: ${match[1]}`);
      assert.match(
        text,
        /^ExecStart=\/usr\/bin\/node \/opt\/vitrine\/src\/cli\/main\.ts (serve --roles api|worker)$/m,
      );
    }
  });

  test('the Dockerfile copies files that exist and starts the CLI', () => {
    const dockerfile = readFileSync(deploy('Dockerfile'), 'utf8');
    for (const file of ['package.json', 'package-lock.json', '.npmrc', 'src/cli/main.ts'])
      assert.ok(existsSync(path.join(REPO_ROOT, file)), file);
    assert.match(dockerfile, /^COPY package\.json package-lock\.json \.npmrc \.\/$/m);
    assert.match(dockerfile, /^ENTRYPOINT \["node", "src\/cli\/main\.ts"\]$/m);
  });
});
