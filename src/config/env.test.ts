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

test('vendor variables enable providers; config file entries take their id first', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-config-'));
  const file = path.join(dir, 'vitrine.yaml');
  writeFileSync(
    file,
    [
      'providers:',
      '  - kind: comfyui',
      '    id: gpu',
      '    urls: [http://10.0.0.1:8188, http://10.0.0.2:8188]',
      '  - kind: openai',
      '    api_key: sk-file',
      '    limits: { requests_per_second: 2 }',
    ].join('\n'),
  );
  const config = loadConfig(
    {},
    { VITRINE_CONFIG: file, OPENAI_API_KEY: 'sk-env', A1111_URL: 'http://127.0.0.1:7860' },
  );
  assert.deepEqual(
    config.providers.map((entry) => [entry.id, entry.kind]),
    [
      ['gpu', 'comfyui'],
      ['openai', 'openai'],
      ['a1111', 'a1111'],
    ],
  );
  const openai = config.providers[1];
  assert.equal(openai?.kind === 'openai' && openai.api_key, 'sk-file');
  assert.deepEqual(openai?.limits, { requests_per_second: 2, max_concurrency: 4, timeout_ms: 180_000 });
});

test('duplicate provider ids and unknown provider fields are reported', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-config-'));
  const file = path.join(dir, 'vitrine.json');
  writeFileSync(
    file,
    JSON.stringify({
      providers: [
        { kind: 'a1111', url: 'http://127.0.0.1:7860' },
        { kind: 'a1111', url: 'http://127.0.0.1:7861' },
      ],
    }),
  );
  assert.throws(
    () => loadConfig({}, { VITRINE_CONFIG: file }),
    (error: ConfigError) => error.problems.some((problem) => problem.includes("'a1111' is used twice")),
  );
  writeFileSync(file, JSON.stringify({ providers: [{ kind: 'a1111', url: 'http://x:1', stepz: 3 }] }));
  assert.throws(
    () => loadConfig({}, { VITRINE_CONFIG: file }),
    (error: ConfigError) => error.problems.some((problem) => problem.includes('providers.0')),
  );
});

test('routing rules are parsed and must name configured providers', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-config-'));
  const file = path.join(dir, 'vitrine.yaml');
  writeFileSync(
    file,
    [
      'providers:',
      '  - { kind: a1111, id: gpu, url: "http://127.0.0.1:7860" }',
      'routing:',
      '  rules:',
      '    - when: { template: product_hero }',
      '      use: studio',
      '    - when: { priority: [urgent] }',
      '      use: { provider: gpu, model: sdxl }',
      '      fallback: [studio]',
    ].join('\n'),
  );
  const config = loadConfig({}, { VITRINE_CONFIG: file });
  assert.deepEqual(config.file.routing.rules[1]?.use, { provider: 'gpu', model: 'sdxl' });
  assert.deepEqual(config.file.routing.rules[1]?.when.priority, ['urgent']);
  writeFileSync(file, ['routing:', '  rules:', '    - use: openai'].join('\n'));
  assert.throws(
    () => loadConfig({}, { VITRINE_CONFIG: file }),
    (error: ConfigError) =>
      error.problems.some((problem) => problem.includes("routing names provider 'openai'")),
  );
});

test('VITRINE_PICKER_ORIGINS: a comma list of origins, normalised; none by default', () => {
  assert.deepEqual(loadConfig({}, {}).picker.allowedOrigins, []);
  const config = loadConfig(
    { VITRINE_PICKER_ORIGINS: ' https://cms.example.com/ , http://localhost:3000,' },
    {},
  );
  assert.deepEqual(config.picker.allowedOrigins, ['https://cms.example.com', 'http://localhost:3000']);
  assert.throws(
    () => loadConfig({ VITRINE_PICKER_ORIGINS: 'https://ok.example, cms.example.com' }, {}),
    (error: unknown) => error instanceof ConfigError && /VITRINE_PICKER_ORIGINS/.test(error.message),
  );
});

test('S3 storage: settings from the contract variables, the prefix ending in a slash', () => {
  const config = loadConfig(
    {},
    {
      VITRINE_STORAGE: 's3',
      S3_BUCKET: 'shop-images',
      S3_PREFIX: '/vitrine',
      S3_ENDPOINT: 'http://minio.internal:9000/',
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 'secret',
      VITRINE_ASSET_URLS: 'presigned',
    },
  );
  assert.equal(config.storage.kind, 's3');
  assert.equal(config.storage.urls, 'presigned');
  assert.deepEqual(config.s3, {
    bucket: 'shop-images',
    prefix: 'vitrine/',
    region: 'us-east-1',
    endpoint: 'http://minio.internal:9000',
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIA', secretAccessKey: 'secret' },
    multipartThresholdBytes: 16 * 1024 * 1024,
  });
});

test('S3 on AWS: the region is required; half a key pair is named; no keys means the default chain', () => {
  assert.throws(
    () => loadConfig({}, { VITRINE_STORAGE: 's3', S3_BUCKET: 'b-1', AWS_ACCESS_KEY_ID: 'AKIA' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.problems.map((problem) => problem.split(':')[0]),
        ['AWS_REGION', 'AWS_SECRET_ACCESS_KEY'],
      );
      return true;
    },
  );
  const config = loadConfig({}, { VITRINE_STORAGE: 's3', S3_BUCKET: 'b-1', AWS_REGION: 'eu-central-1' });
  assert.equal(config.s3?.credentials, undefined);
  assert.equal(config.s3?.endpoint, undefined);
});

test('presigned asset URLs need S3 storage; S3 settings alone are kept for a migration', () => {
  assert.throws(
    () => loadConfig({}, { VITRINE_ASSET_URLS: 'presigned' }),
    /VITRINE_ASSET_URLS: presigned needs/,
  );
  const config = loadConfig({}, { S3_BUCKET: 'b-1', S3_ENDPOINT: 'http://127.0.0.1:9000' });
  assert.equal(config.storage.kind, 'file');
  assert.equal(config.s3?.bucket, 'b-1');
});

test('a worker counts as lost only after missing at least two heartbeats', () => {
  assert.throws(
    () => loadConfig({}, { VITRINE_HEARTBEAT_SECONDS: '10', VITRINE_WORKER_STALE_SECONDS: '15' }),
    /VITRINE_WORKER_STALE_SECONDS: must be at least twice/,
  );
  assert.deepEqual(loadConfig({}, {}).fleet, { heartbeatSeconds: 10, workerStaleSeconds: 45 });
});

test('the chat model: none by default; OpenAI-compatible from VITRINE_CHAT_*; Bedrock Converse on request', () => {
  assert.equal(loadConfig({}, {}).chat, null);
  const ollama = loadConfig(
    {},
    { VITRINE_CHAT_BASE_URL: 'http://127.0.0.1:11434/v1', VITRINE_CHAT_MODEL: 'qwen2.5vl:7b' },
  ).chat;
  assert.equal(ollama?.kind, 'openai');
  assert.equal(ollama?.model, 'qwen2.5vl:7b');
  assert.deepEqual(ollama?.limits, {
    max_concurrency: 4,
    timeout_ms: 30_000,
    requests_per_second: undefined,
  });
  const openai = loadConfig({}, { VITRINE_CHAT_API_KEY: 'sk-x', VITRINE_CHAT_PRICE: '2.5, 10' }).chat;
  assert.equal(openai?.model, 'gpt-4o-mini');
  assert.deepEqual(openai?.price, { inputPerMillion: 2.5, outputPerMillion: 10 });
  const bedrock = loadConfig(
    {},
    { VITRINE_CHAT_PROVIDER: 'bedrock', BEDROCK_REGION: 'us-east-1', VITRINE_CHAT_TIMEOUT_MS: '9000' },
  ).chat;
  assert.equal(bedrock?.kind, 'bedrock');
  assert.equal(bedrock?.model, 'amazon.nova-lite-v1:0');
  assert.equal(bedrock?.limits.timeout_ms, 9000);
});

test('an incomplete chat configuration names what is missing', () => {
  assert.throws(
    () => loadConfig({}, { VITRINE_CHAT_BASE_URL: 'http://127.0.0.1:8000/v1' }),
    /VITRINE_CHAT_MODEL: required with VITRINE_CHAT_BASE_URL/,
  );
  assert.throws(() => loadConfig({}, { VITRINE_CHAT_MODEL: 'gpt-4o' }), /VITRINE_CHAT_API_KEY: required/);
  assert.throws(() => loadConfig({}, { VITRINE_CHAT_PROVIDER: 'bedrock' }), /BEDROCK_REGION: required/);
  assert.throws(() => loadConfig({}, { VITRINE_CHAT_PROVIDER: 'azure' }), /VITRINE_CHAT_PROVIDER/);
  assert.throws(
    () => loadConfig({}, { VITRINE_CHAT_API_KEY: 'k', VITRINE_CHAT_PRICE: 'cheap' }),
    /VITRINE_CHAT_PRICE/,
  );
});
