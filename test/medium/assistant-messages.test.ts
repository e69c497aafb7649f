import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { AssistantRepository } from '../../src/db/assistant.repository.ts';
import { type Database, openPglite, openPostgres } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrator.ts';
import { dropSchemas, engines, postgresUrl, uniqueSchemaName } from '../support/engines.ts';
import { TempDirs } from '../support/temp.ts';

// A shopper who sends twice, or two tabs of one conversation: messages appended at once each
// take their own place in the conversation; none fails on the (conversation_id, seq) key.
for (const engine of engines) {
  describe(`assistant messages on ${engine.name}`, { skip: engine.skip }, () => {
    const dirs = new TempDirs();
    const schema = engine.name === 'postgres' ? uniqueSchemaName() : null;
    const repository = new AssistantRepository();
    let db: Database;

    before(async () => {
      db =
        engine.name === 'pglite'
          ? await openPglite(dirs.make('vitrine-assistant-messages-'))
          : await openPostgres(postgresUrl(), { schema: schema! });
      await migrate(db);
    });
    after(async () => {
      await db?.close();
      if (schema) await dropSchemas(schema);
      dirs.cleanup();
    });

    test('twelve messages appended at once get seq 1…12, and the conversation keeps the last SKU', async () => {
      const conversation = await repository.insertConversation(db, {
        id: randomUUID(),
        api_key_id: null,
        customer_id: 'u1',
        sku: null,
        locale: 'zh',
      });
      const appended = await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          repository.insertMessage(
            db,
            {
              id: randomUUID(),
              conversation_id: conversation.id,
              question: `问题 ${index + 1}`,
              image_asset_id: null,
              sku: 'TS-1',
              answer: '是同款',
              intent: 'same_item',
              needs_human: false,
              confidence: 0.9,
              tokens: 12,
              facts_line: '',
              model: null,
              cost_usd: 0,
              result: { index },
            },
            { sku: 'TS-1' },
          ),
        ),
      );
      assert.deepEqual(
        appended.map((message) => message.seq).sort((a, b) => a - b),
        Array.from({ length: 12 }, (_, index) => index + 1),
      );
      const stored = await repository.listMessages(db, conversation.id);
      assert.equal(stored.length, 12);
      assert.equal((await repository.findConversation(db, conversation.id))?.sku, 'TS-1');
    });
  });
}
