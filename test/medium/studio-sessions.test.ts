import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ApiKeyRepository } from '../../src/db/api-key.repository.ts';
import { type Database, openPglite, openPostgres } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrator.ts';
import { StudioSessionRepository } from '../../src/db/studio-session.repository.ts';
import { dropSchemas, engines, postgresUrl, uniqueSchemaName } from '../support/engines.ts';
import { TempDirs } from '../support/temp.ts';

for (const engine of engines) {
  describe(`studio sessions on ${engine.name}`, { skip: engine.skip }, () => {
    const dirs = new TempDirs();
    const schema = engine.name === 'postgres' ? uniqueSchemaName() : null;
    const apiKeys = new ApiKeyRepository();
    const sessions = new StudioSessionRepository();
    let db: Database;
    let keyId: string;

    before(async () => {
      db =
        engine.name === 'pglite'
          ? await openPglite(dirs.make('vitrine-sessions-repo-'))
          : await openPostgres(postgresUrl(), { schema: schema! });
      await migrate(db);
      keyId = `key_${randomUUID().slice(0, 8)}`;
      await apiKeys.insert(db, {
        id: keyId,
        name: 'studio',
        keyHash: randomUUID(),
        keyPrefix: 'vk_x',
        scopes: ['read'],
      });
    });
    after(async () => {
      await db?.close();
      if (schema) await dropSchemas(schema);
      dirs.cleanup();
    });

    test('a session finds its key until it expires; expired ones are deleted by deleteExpired', async () => {
      const hour = 60 * 60 * 1000;
      await sessions.insert(db, {
        tokenHash: 'live',
        apiKeyId: keyId,
        expiresAt: new Date(Date.now() + hour),
      });
      await sessions.insert(db, {
        tokenHash: 'stale',
        apiKeyId: keyId,
        expiresAt: new Date(Date.now() - hour),
      });
      assert.equal((await sessions.findActiveKey(db, 'live'))?.id, keyId);
      assert.equal(await sessions.findActiveKey(db, 'stale'), null, 'an expired session finds no key');
      assert.equal(await sessions.findActiveKey(db, 'unknown'), null);

      await sessions.deleteExpired(db);
      const left = await db.query<{ token_hash: string }>(
        'SELECT token_hash FROM studio_sessions ORDER BY 1',
      );
      assert.deepEqual(
        left.map((row) => row.token_hash),
        ['live'],
      );
      await sessions.delete(db, 'live');
      assert.equal(await sessions.findActiveKey(db, 'live'), null);
    });
  });
}
