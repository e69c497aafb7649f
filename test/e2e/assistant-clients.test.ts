import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { photoOf, SHOP_PRODUCTS, seedShop } from '../support/assistant-shop.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { type InProcessServer, runCli, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

const QUESTION = '这件和我上次买的是同款吗?尺码偏大吗?';

describe('vitrine ask, offline on the embedded database', () => {
  const dirs = new TempDirs();
  after(() => dirs.cleanup());

  test('import a catalog folder, record a purchase, ask in Chinese: the verdict and a size in numbers', async () => {
    const folder = dirs.make('vitrine-ask-cli-');
    const env = { VITRINE_DATA_DIR: path.join(folder, 'data') };
    const products = SHOP_PRODUCTS.map(({ draw, ...product }) => {
      writeFileSync(path.join(folder, `${product.sku}.png`), draw());
      return { ...product, images: [`${product.sku}.png`] };
    });
    writeFileSync(path.join(folder, 'shop.json'), JSON.stringify({ products }));
    const imported = await runCli(['products', 'import', path.join(folder, 'shop.json')], { env });
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /3 products stored \(3 new, 0 replaced\)/);
    const purchase = await runCli(
      ['purchases', 'add', 'u1', '--sku', 'TS-2023-010', '--size', 'M', '--feedback', '合适'],
      { env },
    );
    assert.equal(purchase.code, 0, purchase.stderr);
    writeFileSync(path.join(folder, 'shirt.jpg'), (await photoOf('TS-2024-001')).bytes);

    const asked = await runCli(
      ['ask', path.join(folder, 'shirt.jpg'), QUESTION, '--sku', 'TS-2024-001', '--customer', 'u1'],
      { env },
    );
    assert.equal(asked.code, 0, asked.stderr);
    const [answer] = asked.stdout.split('\n');
    assert.match(answer!, /这件和你上次买的「基础款T恤」\(TS-2023-010\)不是同款/);
    assert.match(answer!, /胸围 M 110 cm \/ 你上次买的 M 104 cm,这款偏大/);
    assert.match(answer!, /建议选 S 码\(胸围 104 cm\)/);
    assert.match(asked.stdout, /同款比对\s+TS-2023-010\s+different/);
    assert.match(asked.stdout, /模型\s+无\(离线,只依据商品资料\)/);

    const json = await runCli(
      [
        'ask',
        path.join(folder, 'shirt.jpg'),
        'Is this the item on the page?',
        '--sku',
        'TS-2024-001',
        '--json',
      ],
      { env },
    );
    assert.equal(json.code, 0, json.stderr);
    const message = JSON.parse(json.stdout);
    assert.equal(message.language, 'en');
    assert.equal(message.same_item.verdict, 'same');
    const missing = await runCli(['ask', path.join(folder, 'nope.jpg'), 'same?'], { env });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No photo at/);
    const unknown = await runCli(['ask', '-', '尺码?', '--sku', 'NOPE-1'], { env });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Product 'NOPE-1' was not found/);
  });
});

describe('POST /v1/chat/completions through the official openai SDK', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let client: OpenAI;
  let photoUrl: string;

  before(async () => {
    testConfig = buildConfig('pglite', dirs.make('vitrine-assistant-sdk-'));
    server = await startInProcessServer(testConfig.config, { roles: ['api'] });
    await seedShop(new HttpClient(server.url, server.adminKey));
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: server.adminKey!, maxRetries: 0 });
    photoUrl = `data:image/jpeg;base64,${Buffer.from((await photoOf('TS-2024-001')).bytes).toString('base64')}`;
  });
  after(async () => {
    await server?.stop();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test('model "vitrine-assistant" answers the photo question, grounded, with the assistant message alongside', async () => {
    const completion = await client.chat.completions.create({
      model: 'vitrine-assistant',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: QUESTION },
            { type: 'image_url', image_url: { url: photoUrl } },
          ],
        },
      ],
      metadata: { sku: 'TS-2024-001', customer_id: 'u1' },
    });
    const content = completion.choices[0]?.message.content ?? '';
    assert.match(content, /不是同款/);
    assert.match(content, /建议选 S 码/);
    assert.equal(completion.model, 'vitrine-assistant');
    assert.equal(completion.choices[0]?.finish_reason, 'stop');
    const vitrine = (
      completion as unknown as { vitrine: { size: { recommended: string }; same_item: { verdict: string } } }
    ).vitrine;
    assert.equal(vitrine.size.recommended, 'S');
    assert.equal(vitrine.same_item.verdict, 'different');
  });

  test('streaming: the SDK reassembles the same answer from chunks', async () => {
    const stream = await client.chat.completions.create({
      model: 'vitrine-assistant',
      stream: true,
      messages: [{ role: 'user', content: 'Does it run large?' }],
      metadata: { sku: 'TS-2024-001' },
      user: 'u1',
    });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? '';
    }
    assert.ok(chunks >= 4);
    assert.match(text, /M here is 110 cm vs 104 cm for the M you bought, so this one runs large/);
  });

  test('errors come back in OpenAI’s shape: unknown model 404, unknown SKU 404, a non-image photo 415', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      (error: unknown) => error instanceof OpenAI.NotFoundError && /vitrine-assistant/.test(error.message),
    );
    await assert.rejects(
      client.chat.completions.create({
        model: 'vitrine-assistant',
        messages: [{ role: 'user', content: 'size?' }],
        metadata: { sku: 'NOPE-3' },
      }),
      (error: unknown) => error instanceof OpenAI.NotFoundError && /NOPE-3/.test(error.message),
    );
    await assert.rejects(
      client.chat.completions.create({
        model: 'vitrine-assistant',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image_url', image_url: { url: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' } },
            ],
          },
        ],
      }),
      (error: unknown) => error instanceof OpenAI.APIError && error.status === 415,
    );
  });
});
