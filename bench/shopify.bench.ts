/**
 * A Shopify catalog backfill (issue 16): `vitrine shopify sync` of N products against the repo's
 * fake shop with Shopify's cost throttle, from the sync's start until every product has its image
 * attached and READY. The throttle sets a floor: every point Vitrine spent, less the bucket that was
 * full at the start, has to be restored at `restoreRate` points per second. The figure is the
 * elapsed time as a ratio of that bound (1.0 = exactly as fast as the throttle allows), with the
 * number of THROTTLED answers (calls Vitrine sent too early). Two phases, in one process:
 *   - backfill: the first sync — list, render every product (studio engine), attach;
 *   - resync --force: every product rendered again from the exact cache (no rendering), so only the
 *     Shopify work is left and the throttle is the limit: this ratio measures the pacing itself.
 * `--unthrottled` adds a backfill with the throttle lifted (what the same work takes unlimited).
 *
 *   node bench/shopify.bench.ts [--products 1000] [--restore-rate 100] [--bucket 1000]
 *                               [--concurrency 4] [--unthrottled]
 *
 * Embedded database (PGlite) in a temporary data dir; the studio engine renders `product_white`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startProcess } from '../src/app/server.ts';
import { loadConfig } from '../src/config/env.ts';
import { FakeShopifyServer } from '../test/fakes/shopify-server.ts';

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '1000' },
    'restore-rate': { type: 'string', default: '100' },
    bucket: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '4' },
    unthrottled: { type: 'boolean', default: false },
  },
});
const products = Number(values.products);
const concurrency = Number(values.concurrency);

interface Outcome {
  seconds: number;
  spent: number;
  calls: number;
  throttled: number;
  boundSeconds: number;
  attached: number;
  status: string;
}

type Phase = Outcome & { phase: string };

async function backfill(
  restoreRate: number,
  bucket: number,
  phases: Array<'backfill' | 'resync'>,
): Promise<Phase[]> {
  const shop = new FakeShopifyServer({ maximumAvailable: bucket, restoreRate });
  await shop.listen();
  for (let index = 0; index < products; index++) {
    shop.addProduct({ title: `Ceramic mug ${index}`, price: `${(index % 90) + 9}.90`, productType: 'Mugs' });
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vitrine-bench-shopify-'));
  const config = loadConfig(
    {},
    {
      VITRINE_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      VITRINE_ALLOW_PRIVATE_URLS: 'true',
    },
  );
  const running = await startProcess(config, {
    roles: new Set(['api', 'worker']),
    workerConcurrency: concurrency,
  });
  const results: Phase[] = [];
  try {
    const { integrations } = running.container;
    await integrations.shopify.put({
      shop: shop.shop,
      access_token: shop.accessToken,
      webhook_secret: 'bench-secret',
      templates: ['product_white'],
      admin_base_url: shop.url,
    });
    for (const phase of phases) {
      // Each phase starts from a full bucket, as in a shop at rest.
      await shop.settled();
      shop.bucket.currentlyAvailable = bucket;
      shop.bucket.at = Date.now();
      const callsBefore = shop.graphqlCalls.length;
      const started = performance.now();
      let state = await integrations.shopifySync.start({ force: phase === 'resync' });
      while (state.sync.status === 'listing' || state.sync.status === 'rendering') {
        await new Promise((resolve) => setTimeout(resolve, 250));
        state = await integrations.shopifySync.state(state.sync.id);
      }
      const seconds = (performance.now() - started) / 1000;
      const calls = shop.graphqlCalls.slice(callsBefore);
      const spent = calls.filter((call) => !call.throttled).reduce((sum, call) => sum + call.cost, 0);
      const attached = [...shop.products.values()].filter((product) =>
        shop
          .mediaOf(product.id)
          .some((media) => media.alt?.includes('product white') && media.status === 'READY'),
      ).length;
      results.push({
        phase,
        seconds,
        spent,
        calls: calls.length,
        throttled: calls.filter((call) => call.throttled).length,
        boundSeconds: Math.max(0, spent - bucket) / restoreRate,
        attached,
        status: state.sync.status,
      });
    }
    return results;
  } finally {
    await shop.settled();
    await running.stop({ graceful: true });
    await shop.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(run: string, outcome: Phase): void {
  console.log(
    JSON.stringify({
      run,
      phase: outcome.phase,
      status: outcome.status,
      products_with_image: outcome.attached,
      seconds: Number(outcome.seconds.toFixed(1)),
      points_spent: outcome.spent,
      points_per_product: Number((outcome.spent / products).toFixed(1)),
      graphql_calls: outcome.calls,
      throttled_answers: outcome.throttled,
      bound_seconds: Number(outcome.boundSeconds.toFixed(1)),
      ratio_to_bound: Number((outcome.seconds / Math.max(outcome.boundSeconds, 1e-9)).toFixed(3)),
      products_per_second: Number((products / outcome.seconds).toFixed(2)),
    }),
  );
}

const restoreRate = Number(values['restore-rate']);
const bucket = Number(values.bucket);
console.log(
  `# shopify backfill: ${products} products, bucket ${bucket} points restored at ${restoreRate}/s, worker concurrency ${concurrency}`,
);
console.log(
  `# machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GB, node ${process.version}`,
);
for (const outcome of await backfill(restoreRate, bucket, ['backfill', 'resync']))
  report('throttled', outcome);
if (values.unthrottled) {
  for (const outcome of await backfill(1_000_000, 1_000_000, ['backfill'])) report('unthrottled', outcome);
}
