import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, issueFields } from '../support/api-fixtures.ts';
import { buildConfig, engines, type TestConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { type InProcessServer, runCli, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

for (const engine of engines) {
  describe(`style presets on ${engine.name}`, { skip: engine.skip }, () => {
    const dirs = new TempDirs();
    let testConfig: TestConfig;
    let server: InProcessServer;
    let api: HttpClient;

    before(async () => {
      testConfig = buildConfig(engine.name, dirs.make('vitrine-styles-'));
      server = await startInProcessServer(testConfig.config);
      api = new HttpClient(server.url, server.adminKey);
    });
    after(async () => {
      await server?.stop();
      await testConfig?.dispose();
      dirs.cleanup();
    });

    test('GET /v1/styles lists the presets', async () => {
      const answer = await api.get('/v1/styles');
      assert.equal(answer.status, 200);
      const ids = answer.body.data.map((preset: { id: string }) => preset.id);
      assert.deepEqual(ids, [
        'studio',
        'lifestyle',
        'flat_lay',
        'minimal',
        'bold_promo',
        'festive',
        'illustration',
      ]);
      assert.ok(answer.body.data.every((preset: { description: string }) => preset.description.length > 10));
    });

    test('a style adds its words to the prompt and its negative prompt; an unknown one is refused', async () => {
      const body = { prompt: 'a red lantern on a wooden table', provider: 'studio' };
      const plain = (await api.post('/v1/prompts/preview', body)).body;
      const festive = await api.post('/v1/prompts/preview', { ...body, style: 'festive' });
      assert.equal(festive.status, 200);
      assert.equal(
        festive.body.prompt,
        `${plain.prompt}, festive atmosphere, red and gold accents, celebratory decorations, warm glow`,
      );
      assert.match(festive.body.negative_prompt, /gloomy, cold tones/);
      const unknown = await api.post('/v1/prompts/preview', { ...body, style: 'baroque' });
      assertError(unknown, 400, 'invalid_request');
      assert.deepEqual(issueFields(unknown), ['style']);
    });
  });
}

describe('vitrine generate --style', () => {
  test('an unknown style is a usage error naming the presets', async () => {
    const dirs = new TempDirs();
    const result = await runCli(['generate', '--prompt', 'x', '--style', 'baroque'], {
      env: { VITRINE_DATA_DIR: dirs.make('vitrine-style-cli-') },
    });
    dirs.cleanup();
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /--style takes one of studio, lifestyle, flat_lay/);
  });
});
