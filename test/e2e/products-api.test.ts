import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, issueFields } from '../support/api-fixtures.ts';
import { buildConfig, engines, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

const tee = {
  sku: 'TS-2024-001',
  name: '纯棉圆领T恤',
  category: 'tops',
  attributes: { color: 'navy', material: '100% cotton' },
  images: ['https://shop.example.com/ts.jpg'],
  size_chart: { s: { 胸围: 100, 衣长: 68 }, M: { chest: 104, length: 70 }, L: { chest: 110, length: 72 } },
  fit: '宽松',
  notes: 'Pre-washed',
  price: 129,
};

for (const engine of engines) {
  describe(`products and purchases API on ${engine.name}`, { skip: engine.skip }, () => {
    const dirs = new TempDirs();
    let testConfig: TestConfig;
    let server: InProcessServer;
    let api: HttpClient;

    before(async () => {
      testConfig = buildConfig(engine.name, dirs.make('vitrine-products-'));
      server = await startInProcessServer(testConfig.config, { roles: ['api'] });
      api = new HttpClient(server.url, server.adminKey);
    });
    after(async () => {
      await server?.stop();
      await testConfig?.dispose();
      dirs.cleanup();
    });

    test('create: size names and measurement names are normalized, the size order is kept, fit in Chinese', async () => {
      const created = await api.post('/v1/products', tee);
      assert.equal(created.status, 201, created.text);
      assert.equal(created.headers.get('location'), '/v1/products/TS-2024-001');
      assert.deepEqual(created.body.size_chart, {
        S: { chest: 100, length: 68 },
        M: { chest: 104, length: 70 },
        L: { chest: 110, length: 72 },
      });
      assert.deepEqual(Object.keys((await api.get('/v1/products/TS-2024-001')).body.size_chart), [
        'S',
        'M',
        'L',
      ]);
      assert.equal(created.body.fit, 'loose');
      assert.equal(created.body.version, 1);
      assert.equal(created.body.stock, null);
      assertError(await api.post('/v1/products', tee), 409, 'conflict');
    });

    test('bad input names the field; unknown SKU is a 404 naming it', async () => {
      const bad = await api.post('/v1/products', {
        sku: 'bad sku!',
        name: '',
        fit: 'baggy',
        size_chart: { M: {} },
      });
      assertError(bad, 400, 'invalid_request');
      assert.deepEqual(issueFields(bad).sort(), ['fit', 'name', 'size_chart.M', 'sku']);
      const missing = await api.get('/v1/products/NOPE-1');
      assertError(missing, 404, 'not_found');
      assert.match(missing.body.error.message, /NOPE-1/);
    });

    test('patch changes the given fields and raises the version; list pages; delete', async () => {
      const patched = await api.patch('/v1/products/TS-2024-001', { stock: 3, fit: 'regular' });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.body.stock, 3);
      assert.equal(patched.body.fit, 'regular');
      assert.equal(patched.body.name, '纯棉圆领T恤');
      assert.equal(patched.body.version, 2);
      for (const sku of ['A-1', 'A-2', 'A-3'])
        assert.equal((await api.post('/v1/products', { sku, name: `Mug ${sku}` })).status, 201);
      const first = await api.get('/v1/products?limit=2');
      assert.deepEqual(
        first.body.data.map((p: { sku: string }) => p.sku),
        ['A-1', 'A-2'],
      );
      const second = await api.get(`/v1/products?limit=2&cursor=${first.body.next_cursor}`);
      assert.deepEqual(
        second.body.data.map((p: { sku: string }) => p.sku),
        ['A-3', 'TS-2024-001'],
      );
      assert.equal(second.body.next_cursor, null);
      assert.deepEqual(
        (await api.get('/v1/products?q=t恤')).body.data.map((p: { sku: string }) => p.sku),
        ['TS-2024-001'],
      );
      assert.equal((await api.delete('/v1/products/A-3')).status, 204);
      assertError(await api.delete('/v1/products/A-3'), 404, 'not_found');
    });

    test('import JSON: valid rows stored (created or replaced), invalid ones reported by row and field', async () => {
      const result = await api.post('/v1/products/import', {
        products: [
          {
            sku: 'JN-88',
            name: '高腰直筒牛仔裤',
            size_chart: { '27': { waist: 68 }, '28': { waist: 71 } },
            fit: 'slim',
          },
          { sku: 'A-1', name: 'Mug, renamed' },
          { sku: 'X-9' },
          { sku: 'JN-88', name: 'again' },
        ],
      });
      assert.equal(result.status, 200, result.text);
      assert.equal(result.body.total, 2);
      assert.equal(result.body.created, 1);
      assert.equal(result.body.updated, 1);
      assert.deepEqual(
        result.body.errors.map((e: { row: number; field: string }) => [e.row, e.field]),
        [
          [3, 'name'],
          [4, 'sku'],
        ],
      );
      assert.equal((await api.get('/v1/products/A-1')).body.name, 'Mug, renamed');
      const none = await api.post('/v1/products/import', { products: [{ sku: 'Z-1' }] });
      assertError(none, 422, 'unprocessable');
      assert.equal(none.body.error.details.errors[0].row, 1);
      assertError(await api.get('/v1/products/Z-1'), 404, 'not_found');
    });

    test('import CSV with Chinese headers, a compact size chart and a bad line', async () => {
      const csv = [
        '货号,名称,类目,版型,颜色,材质,尺码表,图片,价格',
        'DR-1,碎花连衣裙,dresses,修身,red,silk,"S: 胸围=84 衣长=100; M: 胸围=88 衣长=102",https://x.example/a.jpg|https://x.example/b.jpg,¥299',
        'DR-2,,dresses,正常,,,"M: chest=90",,',
        'DR-3,Shirt,tops,oversized,,,"{""M"": {""chest"": 120}}",,abc',
      ].join('\r\n');
      const result = await api.request<Loose>('POST', '/v1/products/import', {
        body: csv,
        headers: { 'content-type': 'text/csv' },
      });
      assert.equal(result.status, 200, result.text);
      assert.equal(result.body.total, 1);
      assert.deepEqual(
        result.body.errors.map((e: { row: number; field: string }) => [e.row, e.field]),
        [
          [3, 'name'],
          [4, 'price'],
        ],
      );
      const dress = (await api.get('/v1/products/DR-1')).body;
      assert.deepEqual(dress.size_chart, { S: { chest: 84, length: 100 }, M: { chest: 88, length: 102 } });
      assert.equal(dress.fit, 'slim');
      assert.deepEqual(dress.attributes, { color: 'red', material: 'silk' });
      assert.deepEqual(dress.images, ['https://x.example/a.jpg', 'https://x.example/b.jpg']);
      assert.equal(dress.price, 299);
      const form = new FormData();
      form.append('file', new Blob(['name,price\nx,1\n'], { type: 'text/csv' }), 'p.csv');
      const noSku = await fetch(`${server.url}/v1/products/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.adminKey}` },
        body: form,
      });
      assert.equal(noSku.status, 400);
      assert.match(((await noSku.json()) as { error: { message: string } }).error.message, /sku column/);
      assertError(
        await api.request<Loose>('POST', '/v1/products/import', {
          body: 'x',
          headers: { 'content-type': 'image/png' },
        }),
        415,
        'unsupported_media_type',
      );
    });

    test('purchases: recorded against catalog SKUs and sizes, newest first; unknown customer or SKU is 404', async () => {
      assertError(await api.get('/v1/customers/u1/purchases'), 404, 'not_found');
      const first = await api.post('/v1/customers/u1/purchases', {
        sku: 'TS-2024-001',
        size: 'm',
        purchased_at: '2026-10-01',
        feedback: '偏小',
      });
      assert.equal(first.status, 201, first.text);
      assert.equal(first.body.size, 'M');
      const second = await api.post('/v1/customers/u1/purchases', {
        sku: 'JN-88',
        size: '28',
        purchased_at: '2026-11-20T10:00:00Z',
      });
      assert.equal(second.status, 201, second.text);
      const list = await api.get('/v1/customers/u1/purchases');
      assert.deepEqual(
        list.body.data.map((p: { sku: string }) => p.sku),
        ['JN-88', 'TS-2024-001'],
      );
      const unknownSku = await api.post('/v1/customers/u1/purchases', { sku: 'NOPE-2', size: 'M' });
      assertError(unknownSku, 404, 'not_found');
      assert.match(unknownSku.body.error.message, /NOPE-2/);
      const badSize = await api.post('/v1/customers/u1/purchases', { sku: 'TS-2024-001', size: 'XXL' });
      assertError(badSize, 400, 'invalid_request');
      assert.match(badSize.body.error.message, /S, M, L/);
      const profile = await api.put('/v1/customers/u1', {
        usual_size: 'l',
        measurements: { 胸围: 102 },
        height_cm: 178,
      });
      assert.equal(profile.status, 200, profile.text);
      assert.equal(profile.body.usual_size, 'L');
      assert.deepEqual(profile.body.measurements, { chest: 102 });
      assert.equal(profile.body.purchases.length, 2);
      assert.equal((await api.delete(`/v1/customers/u1/purchases/${second.body.id}`)).status, 204);
      assertError(await api.delete('/v1/customers/u1/purchases/not-a-uuid'), 400, 'invalid_request');
      assertError(await api.get('/v1/customers/nobody'), 404, 'not_found');
    });

    test('a read-only key reads the catalog but cannot change it', async () => {
      const created = await api.post('/v1/api-keys', { name: 'reader', scopes: ['read'] });
      const reader = api.withKey(created.body.key);
      assert.equal((await reader.get('/v1/products/TS-2024-001')).status, 200);
      assertError(await reader.patch('/v1/products/TS-2024-001', { stock: 1 }), 403, 'forbidden');
      assertError(
        await reader.post('/v1/customers/u2/purchases', { sku: 'TS-2024-001', size: 'M' }),
        403,
        'forbidden',
      );
    });
  });
}
