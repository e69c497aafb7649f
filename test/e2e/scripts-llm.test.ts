import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ConverseBody, FakeBedrockConverseServer } from '../fakes/bedrock-converse-server.ts';
import { type ChatBody, FakeOpenAIChatServer } from '../fakes/openai-chat-server.ts';
import { assertError } from '../support/api-fixtures.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

/**
 * Live scripts with the assistant's services: the analysis by the configured chat model (an
 * OpenAI-compatible server and Bedrock Converse, loopback fakes that check the requests as the
 * real APIs do), metered to the caller; the products catalog matched by name with its photos.
 */

const SHOW = `【开场】20:00
家人们晚上好,欢迎来到夏日清凉专场!

【第一款】20:05 亚麻衬衫
100%亚麻,透气不闷汗,显瘦。到手价199元,满300减40,优惠码LIVE300,限量500件,手慢无!

【第二款】20:20 冰丝阔腿裤
冰丝面料,垂感好,显腿长。第二件半价,限时秒杀!`;

/** What a good model answers for SHOW: three segments in the schema the analyzer asks for. */
const ANSWER = {
  title: '夏日清凉专场',
  segments: [
    {
      start_text: '【开场】20:00',
      label: '开场',
      kind: 'opening',
      title: '夏日清凉专场',
      time: '20:00',
      product: null,
      category: 'apparel',
      keywords: [{ text: '清凉', weight: 0.8 }],
      selling_points: [],
      offers: [],
      emotion: { mood: 'festive', confidence: 0.9, cues: ['晚上好'] },
    },
    {
      start_text: '【第一款】20:05 亚麻衬衫',
      label: '第一款',
      kind: 'product',
      title: '亚麻衬衫',
      time: '20:05',
      product: { name: '亚麻衬衫' },
      category: 'apparel',
      keywords: [{ text: '亚麻', weight: 1 }],
      selling_points: [{ text: '100%亚麻', kind: 'material', confidence: 0.95 }],
      offers: [
        {
          type: 'spend_threshold',
          headline: '满300减40',
          amounts: { threshold: 300, discount: 40 },
          price_text: '¥199',
          code: 'LIVE300',
          stock: 500,
        },
      ],
      emotion: { mood: 'urgent', confidence: 0.8, cues: ['手慢无'] },
    },
    {
      start_text: '【第二款】20:20 冰丝阔腿裤',
      label: '第二款',
      kind: 'product',
      title: '冰丝阔腿裤',
      time: '20:20',
      product: { name: '冰丝阔腿裤' },
      category: 'apparel',
      keywords: [{ text: '冰丝', weight: 1 }],
      selling_points: [{ text: '冰丝面料', kind: 'material', confidence: 0.9 }],
      offers: [],
      emotion: { mood: 'fresh', confidence: 0.7, cues: ['冰丝'] },
    },
  ],
};

const SHIRT_PHOTO = 'https://shop.example.com/linen-shirt.jpg';

async function seedCatalog(api: HttpClient): Promise<void> {
  const created = await api.post('/v1/products', {
    sku: 'LS-001',
    name: '亚麻衬衫',
    category: 'apparel',
    images: [SHIRT_PHOTO],
  });
  assert.equal(created.status, 201, created.text);
  const other = await api.post('/v1/products', { sku: 'KN-002', name: '羊绒围巾', category: 'apparel' });
  assert.equal(other.status, 201, other.text);
}

describe('scripts analysed by an OpenAI-compatible chat model, products from the catalog', () => {
  const dirs = new TempDirs();
  const model = new FakeOpenAIChatServer();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;

  before(async () => {
    await model.listen();
    model.reply = () => JSON.stringify(ANSWER);
    testConfig = buildConfig('pglite', dirs.make('vitrine-scripts-llm-'), {
      VITRINE_CHAT_BASE_URL: `${model.url}/v1`,
      VITRINE_CHAT_API_KEY: 'sk-chat-test',
      VITRINE_CHAT_MODEL: 'gpt-4o-mini',
      VITRINE_CHAT_TIMEOUT_MS: '5000',
    });
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey);
    await seedCatalog(api);
  });
  after(async () => {
    await server?.stop();
    await model.close();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test('analyzer "llm": one JSON request with the script; the answer is the analysis, its product matched to the catalog; the call is metered as a script call', async () => {
    const before = model.requests.length;
    const response = await api.post('/v1/scripts/analyze', { text: SHOW, analyzer: 'llm', n: 1 });
    assert.equal(response.status, 200, response.text);
    assert.equal(model.requests.length - before, 1);
    const sent = model.requests.at(-1)!;
    assert.equal(sent.path, '/v1/chat/completions');
    const body = sent.json as ChatBody;
    assert.equal(body.model, 'gpt-4o-mini');
    assert.deepEqual(body.response_format, { type: 'json_object' });
    assert.equal(body.messages[0]?.role, 'system');
    assert.match(String(body.messages[0]?.content), /ONE JSON object/);
    assert.match(String(body.messages.at(-1)?.content), /优惠码LIVE300/);

    const script = response.body;
    assert.equal(script.analyzer, 'llm');
    assert.equal(script.model, 'gpt-4o-mini');
    assert.deepEqual(script.notes, []);
    assert.ok(script.usage.input_tokens > 0 && script.usage.output_tokens > 0);
    assert.deepEqual(
      script.segments.map((segment: Loose) => [segment.kind, segment.time, segment.emotion.mood]),
      [
        ['opening', '20:00', 'festive'],
        ['product', '20:05', 'urgent'],
        ['product', '20:20', 'fresh'],
      ],
    );
    const shirt = script.segments[1];
    assert.ok(shirt.text.startsWith('【第一款】20:05 亚麻衬衫'));
    assert.deepEqual(shirt.product, { name: '亚麻衬衫', sku: 'LS-001', source: 'catalog', image: null });
    assert.equal(shirt.offers[0].code, 'LIVE300');
    // The catalog's photo is the hero's product image.
    const hero = shirt.visuals.find((visual: Loose) => visual.role === 'hero');
    assert.equal(hero.params.product_image, SHIRT_PHOTO);
    // A product the catalog does not have stays named from the script.
    assert.deepEqual(script.segments[2].product, {
      name: '冰丝阔腿裤',
      sku: null,
      source: 'script',
      image: null,
    });

    const calls = await server.running.container.db.query<{ purpose: string; model: string }>(
      'SELECT purpose, model FROM chat_calls',
    );
    assert.deepEqual(calls, [{ purpose: 'script', model: 'gpt-4o-mini' }]);
  });

  test('analyzer "auto" uses the model; malformed or partial JSON falls back to the heuristics with a note', async () => {
    const auto = await api.post('/v1/scripts/analyze', { text: SHOW, analyzer: 'auto', n: 1 });
    assert.equal(auto.body.analyzer, 'llm');

    model.reply = () => JSON.stringify(ANSWER).slice(0, 300);
    const partial = await api.post('/v1/scripts/analyze', { text: SHOW, analyzer: 'llm', n: 1 });
    assert.equal(partial.status, 200, partial.text);
    assert.equal(partial.body.analyzer, 'heuristic');
    assert.equal(partial.body.notes[0].code, 'llm_invalid_json');
    assert.match(partial.body.notes[0].message, /heuristic analysis is shown instead/);
    // The heuristics match the catalog too.
    assert.equal(partial.body.segments[1].product.sku, 'LS-001');

    model.reply = () => JSON.stringify({ segments: [{ start_text: 'Next up: the jacket', title: 'x' }] });
    const wrong = await api.post('/v1/scripts/analyze', { text: SHOW, analyzer: 'llm', n: 1 });
    assert.equal(wrong.body.analyzer, 'heuristic');
    assert.equal(wrong.body.notes[0].code, 'llm_invalid_answer');

    // A call that fails (here the gateway no longer takes the key) falls back the same way.
    model.reply = () => JSON.stringify(ANSWER);
    model.apiKey = 'sk-rotated';
    const refused = await api.post('/v1/scripts/analyze', { text: SHOW, analyzer: 'llm', n: 1 });
    model.apiKey = 'sk-chat-test';
    assert.equal(refused.status, 200, refused.text);
    assert.equal(refused.body.analyzer, 'heuristic');
    assert.equal(refused.body.notes[0].code, 'llm_failed');
    assert.match(refused.body.notes[0].message, /gpt-4o-mini failed/);
  });

  test('products: only the given SKUs are matched; an unknown SKU is a 404 naming it', async () => {
    const scarfOnly = await api.post('/v1/scripts/analyze', { text: SHOW, products: ['KN-002'], n: 1 });
    assert.equal(scarfOnly.status, 200, scarfOnly.text);
    assert.equal(scarfOnly.body.segments[1].product.sku, null);
    const unknown = await api.post('/v1/scripts/analyze', { text: SHOW, products: ['NOPE-9'] });
    assertError(unknown, 404, 'not_found');
    assert.match(unknown.body.error.message, /NOPE-9/);
  });
});

describe('scripts analysed by Claude through Bedrock Converse', () => {
  const dirs = new TempDirs();
  const bedrock = new FakeBedrockConverseServer();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;

  before(async () => {
    await bedrock.listen();
    bedrock.reply = () => JSON.stringify(ANSWER);
    testConfig = buildConfig('pglite', dirs.make('vitrine-scripts-bedrock-'), {
      VITRINE_CHAT_PROVIDER: 'bedrock',
      VITRINE_CHAT_MODEL: 'anthropic.claude-3-5-haiku-20241022-v1:0',
      BEDROCK_REGION: 'us-east-1',
      BEDROCK_ENDPOINT: bedrock.url,
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'secret',
    });
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey);
  });
  after(async () => {
    await server?.stop();
    await bedrock.close();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test('the script goes as a Converse request with a system block; the answer is the analysis', async () => {
    const response = await api.post('/v1/scripts/analyze', { text: SHOW, analyzer: 'llm', n: 1 });
    assert.equal(response.status, 200, response.text);
    const sent = bedrock.requests.at(-1)!;
    assert.equal(sent.path, '/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse');
    const body = sent.json as ConverseBody;
    assert.match(String(body.system?.[0]?.text), /ONE JSON object/);
    assert.match(String(body.messages.at(-1)?.content[0]?.text), /优惠码LIVE300/);
    assert.equal(response.body.analyzer, 'llm');
    assert.equal(response.body.model, 'anthropic.claude-3-5-haiku-20241022-v1:0');
    assert.equal(response.body.segments.length, 3);
    assert.equal(response.body.segments[1].offers[0].headline, '满300减40');
  });
});
