import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { ApiKeyRepository } from '../../src/db/api-key.repository.ts';
import { ChatCallRepository } from '../../src/db/chat-call.repository.ts';
import { type Database, openPglite, openPostgres } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrator.ts';
import { UsageRepository } from '../../src/db/usage.repository.ts';
import { chatPriceFor } from '../../src/domain/chat-pricing.ts';
import { isAppError } from '../../src/domain/errors.ts';
import { guardChatModel } from '../../src/providers/chat/guarded-chat-model.ts';
import { createOpenAIChatModel } from '../../src/providers/chat/openai-chat-model.ts';
import type { ChatRequest } from '../../src/providers/chat/spec.ts';
import { ChatService } from '../../src/services/chat/chat.service.ts';
import { BudgetService } from '../../src/services/generation/budget.service.ts';
import { FakeOpenAIChatServer } from '../fakes/openai-chat-server.ts';
import { dropSchemas, engines, postgresUrl, uniqueSchemaName } from '../support/engines.ts';
import { TempDirs } from '../support/temp.ts';

const request: ChatRequest = {
  system: 'Answer in JSON.',
  messages: [{ role: 'user', content: '这件衣服偏大吗?' }],
  maxTokens: 200,
};

for (const engine of engines) {
  describe(`chat service: ledger and key budgets on ${engine.name}`, { skip: engine.skip }, () => {
    const dirs = new TempDirs();
    const schema = engine.name === 'postgres' ? uniqueSchemaName() : null;
    const server = new FakeOpenAIChatServer();
    let db: Database;
    let chat: ChatService;
    const apiKeys = new ApiKeyRepository();
    const usage = new UsageRepository();
    const calls = new ChatCallRepository();

    before(async () => {
      await server.listen();
      db =
        engine.name === 'pglite'
          ? await openPglite(dirs.make('vitrine-chat-'))
          : await openPostgres(postgresUrl(), { schema: schema! });
      await migrate(db);
      await apiKeys.insert(db, {
        id: 'k_rich',
        name: 'rich',
        keyHash: 'h1',
        keyPrefix: 'vk_r',
        scopes: ['generate'],
      });
      await apiKeys.insert(db, {
        id: 'k_poor',
        name: 'poor',
        keyHash: 'h2',
        keyPrefix: 'vk_p',
        scopes: ['generate'],
        dailyBudgetUsd: 0.0001,
      });
      const model = guardChatModel(
        createOpenAIChatModel({ baseUrl: server.url, apiKey: 'sk-chat-test', model: 'gpt-4o-2024-08-06' }),
        { limits: { max_concurrency: 2, timeout_ms: 5000 } },
      );
      chat = new ChatService({
        db,
        chatCalls: calls,
        budget: new BudgetService({ db, apiKeys, usage }),
        model,
        price: chatPriceFor('gpt-4o-2024-08-06'),
      });
    });
    after(async () => {
      await server.close();
      await db?.close();
      if (schema) await dropSchemas(schema);
      dirs.cleanup();
    });

    test('a call is recorded with its tokens and cost at the model family price', async () => {
      const result = await chat.complete(
        request,
        { apiKeyId: 'k_rich', purpose: 'assistant' },
        AbortSignal.timeout(5000),
      );
      const expected = (result.usage.inputTokens * 2.5 + result.usage.outputTokens * 10) / 1e6;
      assert.ok(Math.abs(result.costUsd - expected) < 1e-6, `${result.costUsd} ≈ ${expected}`);
      const row = await calls.findById(db, result.callId);
      assert.equal(row?.purpose, 'assistant');
      assert.equal(row?.model, 'gpt-4o-2024-08-06');
      assert.equal(row?.input_tokens, result.usage.inputTokens);
      assert.equal(row?.usage_reported, true);
      assert.ok(Math.abs(Number(row?.cost_usd) - result.costUsd) < 1e-9);
      assert.ok(
        Math.abs((await usage.committedToday(db, 'k_rich')) - result.costUsd) < 1e-9,
        'counts against the key',
      );
      const today = new Date().toISOString().slice(0, 10);
      const ledger = await usage.ledger(db, { from: today, to: today, apiKeyId: 'k_rich' });
      assert.deepEqual(
        ledger.map((entry) => [entry.provider, entry.jobs, entry.images]),
        [['chat', 0, 0]],
      );
    });

    test('without reported usage the tokens are counted with gpt-tokenizer and marked as estimates', async () => {
      server.omitUsage = true;
      try {
        const result = await chat.complete(
          request,
          { apiKeyId: null, purpose: 'script' },
          AbortSignal.timeout(5000),
        );
        assert.equal(result.usage.reported, false);
        assert.ok(result.usage.inputTokens > 5 && result.usage.outputTokens > 5);
        assert.equal((await calls.findById(db, result.callId))?.usage_reported, false);
      } finally {
        server.omitUsage = false;
      }
    });

    test('a key over its daily budget is refused before the model is called', async () => {
      const before = server.requests.length;
      await assert.rejects(
        chat.complete(request, { apiKeyId: 'k_poor', purpose: 'assistant' }, AbortSignal.timeout(5000)),
        (error: unknown) => isAppError(error) && error.code === 'budget_exceeded',
      );
      assert.equal(server.requests.length, before, 'nothing was sent');
    });

    test('a refusal is paid for and recorded; a malformed JSON answer is recorded and thrown', async () => {
      const spentBefore = await usage.committedToday(db, 'k_rich');
      server.script('refusal');
      await assert.rejects(
        chat.complete(request, { apiKeyId: 'k_rich', purpose: 'assistant' }, AbortSignal.timeout(5000)),
        (error: unknown) => isAppError(error) && error.code === 'provider_rejected',
      );
      server.script('not_json');
      await assert.rejects(
        chat.completeJson(
          request,
          z.object({ answer: z.string() }),
          { apiKeyId: 'k_rich', purpose: 'assistant' },
          AbortSignal.timeout(5000),
        ),
        (error: unknown) =>
          isAppError(error) &&
          error.code === 'provider_response_invalid' &&
          (error.details as { cost_usd: number }).cost_usd > 0,
      );
      const rows = await db.query<{ outcome: string }>(
        "SELECT outcome FROM chat_calls WHERE api_key_id = 'k_rich' ORDER BY created_at",
      );
      assert.deepEqual(
        rows.map((row) => row.outcome),
        ['ok', 'provider_rejected', 'ok'],
      );
      assert.ok((await usage.committedToday(db, 'k_rich')) > spentBefore);
    });

    test('a stream is metered once it ends', async () => {
      let done: { costUsd: number; callId: string } | undefined;
      let text = '';
      for await (const item of chat.stream(
        request,
        { apiKeyId: 'k_rich', purpose: 'assistant' },
        AbortSignal.timeout(5000),
      )) {
        if ('delta' in item) text += item.delta;
        else done = item.done;
      }
      assert.match(text, /echo/);
      assert.ok(done && done.costUsd > 0);
      assert.ok(await calls.findById(db, done.callId));
    });

    test('without a configured model the service says so (callers answer offline)', async () => {
      const none = new ChatService({
        db,
        chatCalls: calls,
        budget: new BudgetService({ db, apiKeys, usage }),
        model: null,
        price: null,
      });
      assert.equal(none.model, null);
      assert.equal(none.describe(), null);
      await assert.rejects(
        none.complete(request, { apiKeyId: null, purpose: 'assistant' }, AbortSignal.timeout(5000)),
        /No chat model is configured/,
      );
    });
  });
}
