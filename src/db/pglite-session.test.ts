import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PGlite, TransactionAbortedError } from '@electric-sql/pglite';
import { PgliteSession } from './pglite-session.ts';

let pglite: PGlite;
let session: PgliteSession;

before(async () => {
  pglite = await PGlite.create();
  session = new PgliteSession(pglite, { maxPrepared: 3 });
  await session.exec(`CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, doc jsonb, at timestamptz,
    tags text[]); CREATE TABLE other (x int)`);
});
after(() => pglite.close());

test('statements run prepared, with parameters and results typed as PGlite types them', async () => {
  const at = new Date('2026-11-22T10:00:00.000Z');
  await session.query('INSERT INTO items (id, name, doc, at, tags) VALUES ($1, $2, $3, $4, $5)', [
    1,
    'mug',
    JSON.stringify({ color: 'red' }),
    at,
    ['a', 'b'],
  ]);
  const rows = await session.query<{ id: number; name: string; doc: unknown; at: Date; tags: string[] }>(
    'SELECT id, name, doc, at, tags FROM items WHERE id = $1',
    [1],
  );
  assert.deepEqual(rows, [{ id: 1, name: 'mug', doc: { color: 'red' }, at, tags: ['a', 'b'] }]);
  // The same text again uses the prepared statement (and gives the same answer).
  assert.deepEqual(await session.query('SELECT name FROM items WHERE id = $1', [1]), [{ name: 'mug' }]);
  assert.deepEqual(await session.query('SELECT name FROM items WHERE id = $1', [2]), []);
  assert.deepEqual(await session.query('SELECT $1::int AS n, $2::text AS t', [null, null]), [
    { n: null, t: null },
  ]);
});

test('the least recently used statement is closed beyond the bound, and works again when used', async () => {
  for (let index = 0; index < 6; index++) {
    assert.deepEqual(await session.query(`SELECT ${index} AS n`), [{ n: index }]);
  }
  assert.equal(session.preparedCount, 3);
  const closed = await pglite.query<{ count: number }>(
    "SELECT count(*)::int AS count FROM pg_prepared_statements WHERE name LIKE 'vitrine_%'",
  );
  // The newest three are prepared; the oldest ones were closed on the way (at most one pending).
  assert.ok(closed.rows[0]!.count <= 4, `prepared on the server: ${closed.rows[0]!.count}`);
  assert.deepEqual(await session.query('SELECT 0 AS n'), [{ n: 0 }]);
});

test('errors carry the PostgreSQL code and the statement, and leave the session usable', async () => {
  await assert.rejects(
    session.query('INSERT INTO items (id, name) VALUES ($1, $2)', [1, 'again']),
    (error: { code?: string; query?: string }) =>
      error.code === '23505' && /INSERT INTO items/.test(error.query ?? ''),
  );
  await assert.rejects(
    session.query('SELECT nope FROM items'),
    (error: { code?: string }) => error.code === '42703',
  );
  assert.deepEqual(await session.query('SELECT count(*)::int AS n FROM items'), [{ n: 1 }]);
});

test('a transaction commits when its work resolves and rolls back when it throws', async () => {
  await session.transaction(async (tx) => {
    await tx.query('INSERT INTO items (id, name) VALUES ($1, $2)', [2, 'plate']);
    await tx.query('INSERT INTO items (id, name) VALUES ($1, $2)', [3, 'bowl']);
  });
  await assert.rejects(
    session.transaction(async (tx) => {
      await tx.query('INSERT INTO items (id, name) VALUES ($1, $2)', [4, 'cup']);
      throw new Error('changed my mind');
    }),
    /changed my mind/,
  );
  const names = await session.query<{ name: string }>('SELECT name FROM items ORDER BY id');
  assert.deepEqual(
    names.map((row) => row.name),
    ['mug', 'plate', 'bowl'],
  );
});

test('a transaction whose failed statement was caught does not commit', async () => {
  await assert.rejects(
    session.transaction(async (tx) => {
      await tx.query('INSERT INTO items (id, name) VALUES ($1, $2)', [5, 'jug']);
      await tx.query('INSERT INTO items (id, name) VALUES ($1, $2)', [1, 'duplicate']).catch(() => {});
    }),
    TransactionAbortedError,
  );
  assert.deepEqual(await session.query('SELECT id FROM items WHERE id = 5'), []);
});

test('statements outside a transaction wait for it to end instead of joining it', async () => {
  const inside = Promise.withResolvers<void>();
  const release = Promise.withResolvers<void>();
  const transaction = session.transaction(async (tx) => {
    await tx.query('INSERT INTO items (id, name) VALUES ($1, $2)', [6, 'tray']);
    inside.resolve();
    await release.promise;
    throw new Error('roll back');
  });
  await inside.promise;
  const outside = session.query<{ n: number }>('SELECT count(*)::int AS n FROM items WHERE id = 6');
  release.resolve();
  await assert.rejects(transaction, /roll back/);
  // Had it run inside the transaction it would have seen the row; it ran after the rollback.
  assert.deepEqual(await outside, [{ n: 0 }]);
});

test('a table changed under a prepared statement is prepared again', async () => {
  const text = 'SELECT * FROM other';
  assert.deepEqual(await session.query(text), []);
  await session.exec('ALTER TABLE other ADD COLUMN y int; INSERT INTO other VALUES (1, 2)');
  assert.deepEqual(await session.query(text), [{ x: 1, y: 2 }]);
});

test('notifications still reach listeners', async () => {
  const heard = Promise.withResolvers<string>();
  const stop = await pglite.listen('vitrine_test', (payload) => heard.resolve(payload));
  await session.query("SELECT pg_notify('vitrine_test', $1)", ['hello']);
  assert.equal(await heard.promise, 'hello');
  await stop();
});
