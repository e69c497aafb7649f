import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { detectLanguage } from '../../domain/assistant-intent.ts';
import type { AssistantMessage, ConversationView } from '../../services/assistant/assistant.service.ts';
import { CliError } from '../api-client.ts';
import { type GlobalOptions, resolveTarget, withLocalProcess } from '../context.ts';
import { runCommand } from '../program.ts';
import { isFile } from './generate.command.ts';

interface AskOptions {
  sku?: string;
  customer?: string;
  previousSku?: string;
  json?: boolean;
}

/**
 * `vitrine ask PHOTO "QUESTION"`: the shopper assistant from the command line — the same
 * grounding, answer and notes as the API, offline on the embedded database or through --server.
 */
export function registerAskCommand(program: Command): void {
  program
    .command('ask')
    .argument('<photo>', 'the shopper’s photo: JPEG, PNG or WebP, at most 10 MB ("-" for none)')
    .argument('<question>', 'e.g. "这件和我上次买的是同款吗?尺码偏大吗?"')
    .description(
      'ask the shopper assistant about a photo: same item?, which size?, in the question’s language',
    )
    .option('--sku <sku>', 'the product the shopper is looking at')
    .option('--customer <id>', 'the shopper: their purchases and sizes ground the advice')
    .option('--previous-sku <sku>', 'compare with this product rather than their latest purchase')
    .option('--json', 'print the whole answer (grounding, sources, usage) as JSON')
    .action((photo: string, question: string, options: AskOptions, command: Command) =>
      runCommand(async () => {
        const image = photo === '-' ? null : await readPhoto(photo);
        const locale = detectLanguage(question, 'zh');
        const target = resolveTarget(command.optsWithGlobals<GlobalOptions>());
        const conversation = { customer_id: options.customer, sku: options.sku, locale };
        let message: AssistantMessage;
        if (target.kind === 'remote') {
          const created = await target.client.request<ConversationView>(
            'POST',
            '/v1/assistant/conversations',
            conversation,
          );
          const form = new FormData();
          form.append('question', question);
          if (image) form.append('image', new Blob([image]), 'photo');
          if (options.previousSku) form.append('previous_sku', options.previousSku);
          message = await target.client.requestForm<AssistantMessage>(
            `/v1/assistant/conversations/${created.id}/messages`,
            form,
          );
        } else {
          message = await withLocalProcess(target.config, [], async ({ container }) => {
            const created = await container.assistant.createConversation(conversation, { apiKeyId: null });
            return container.assistant.ask(
              created.id,
              { question, image, previous_sku: options.previousSku ?? null },
              { apiKeyId: null },
              { signal: AbortSignal.timeout(120_000) },
            );
          });
        }
        if (options.json) process.stdout.write(`${JSON.stringify(message, null, 2)}\n`);
        else process.stdout.write(describe(message));
        return 0;
      }),
    );
}

async function readPhoto(file: string): Promise<Uint8Array> {
  if (!isFile(file)) throw new CliError(`No photo at ${file} (give "-" to ask without one)`);
  return new Uint8Array(await readFile(file));
}

/** The answer first, then the facts behind it, aligned, in the answer's language. */
function describe(message: AssistantMessage): string {
  const zh = message.language === 'zh';
  const rows: Array<[string, string]> = [];
  if (message.same_item) {
    const item = message.same_item;
    rows.push([
      zh ? '同款比对' : 'same item',
      `${item.sku}  ${item.verdict}  (score ${item.score}, confidence ${item.confidence})`,
    ]);
  }
  if (message.size) {
    rows.push([
      zh ? '尺码' : 'size',
      `${message.size.recommended ?? '—'}  (${message.size.basis}${message.size.runs ? `, runs ${message.size.runs}` : ''})`,
    ]);
  }
  rows.push([
    zh ? '置信度' : 'confidence',
    `${message.confidence}${message.needs_human ? (zh ? '  → 已转人工' : '  → handed to a person') : ''}`,
  ]);
  rows.push([
    zh ? '模型' : 'model',
    message.model
      ? `${message.model}  $${message.cost_usd}`
      : zh
        ? '无(离线,只依据商品资料)'
        : 'none (offline, from the catalog alone)',
  ]);
  for (const note of message.notes) rows.push([zh ? '说明' : 'note', note.message]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return `${message.answer}\n\n${rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')}\n`;
}
