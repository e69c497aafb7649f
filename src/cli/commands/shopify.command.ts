import type { Command } from 'commander';
import { presentSync } from '../../api/routes/shopify.routes.ts';
import { type GlobalOptions, resolveTarget, withLocalProcess } from '../context.ts';
import { runCommand } from '../program.ts';
import { createProgressLine } from '../progress.ts';

type SyncView = ReturnType<typeof presentSync>;

const POLL_MS = 500;

/** `vitrine shopify sync`: backfill the connected shop's catalog, with progress. */
export function registerShopifyCommand(program: Command): void {
  const shopify = program
    .command('shopify')
    .description('the connected Shopify shop (PUT /v1/integrations/shopify connects one)');
  shopify
    .command('sync')
    .description(
      'render the whole catalog as batches and attach the images to each product (products unchanged since their last render are skipped)',
    )
    .option('--force', 'render every product again, changed or not')
    .option('--json', 'print the result as JSON')
    .action((options: { force?: boolean; json?: boolean }, command: Command) =>
      runCommand(async () => {
        const target = resolveTarget(command.optsWithGlobals<GlobalOptions>());
        const force = Boolean(options.force);
        const finished =
          target.kind === 'remote'
            ? await follow(
                await target.client.request<SyncView>('POST', '/v1/integrations/shopify/sync', { force }),
                (id) =>
                  target.client.request<SyncView>(
                    'GET',
                    `/v1/integrations/shopify/sync/${encodeURIComponent(id)}`,
                  ),
                !options.json,
              )
            : await withLocalProcess(target.config, ['worker'], async ({ container }) => {
                const sync = container.integrations.shopifySync;
                return follow(
                  presentSync(await sync.start({ force })),
                  async (id) => presentSync(await sync.state(id)),
                  !options.json,
                );
              });
        report(finished, options.json);
        return finished.status === 'succeeded' ? 0 : 2;
      }),
    );
}

async function follow(
  created: SyncView,
  state: (id: string) => Promise<SyncView>,
  show: boolean,
): Promise<SyncView> {
  const progress = createProgressLine({ enabled: show, label: 'shopify sync' });
  let current = created;
  while (current.status === 'listing' || current.status === 'rendering') {
    if (current.status === 'listing') {
      progress.update(0, `listing the catalog: ${current.listed} products, ${current.claimed} to render`);
    } else {
      const total = current.batches.reduce((sum, batch) => sum + batch.total, 0);
      const done = current.batches.reduce((sum, batch) => sum + batch.done, 0);
      const { succeeded, failed } = current.published;
      progress.update(
        total === 0 ? 1 : (done + succeeded + failed) / (2 * total),
        `${done}/${total} rendered · ${succeeded} attached · ${failed} failed`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    current = await state(current.id);
  }
  progress.update(1, current.status);
  progress.finish();
  return current;
}

function report(sync: SyncView, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(sync, null, 2)}\n`);
    return;
  }
  const rendered = sync.batches.reduce((sum, batch) => sum + batch.done - batch.failed, 0);
  const renderFailures = sync.batches.reduce((sum, batch) => sum + batch.failed, 0);
  process.stdout.write(
    `shopify sync ${sync.id} ${sync.status}: ${sync.listed} products listed, ${sync.claimed} changed; ` +
      `${rendered} images rendered, ${sync.published.succeeded} attached, ${sync.published.failed + renderFailures} failed\n`,
  );
  for (const batch of sync.batches)
    process.stdout.write(`  batch ${batch.id} (${batch.template}): ${batch.status}\n`);
  if (sync.error) process.stderr.write(`  ${sync.error}\n`);
  if (sync.published.failed > 0)
    process.stderr.write(
      '  see GET /v1/batches/{id}/publications?status=failed for each failure; replay with POST …/publications/replay\n',
    );
}
