/**
 * The studio engine against the usual alternatives, on one poster: 1080×1920, a gradient, a
 * product photo (a transparent cut-out, the same PNG for all three), three text blocks (Chinese
 * headline, subtitle, price) and a badge, encoded as JPEG (quality 90).
 *
 *   npm run bench:studio -- [--posters 40] [--throughput-posters 60] [--engines vitrine,vitrine-scored,…]
 *
 * Engines: Vitrine (@napi-rs/canvas), headless Chromium screenshotting the same poster as HTML/CSS
 * (Debian's /usr/bin/chromium through playwright-core; no browser is downloaded), and satori →
 * @resvg/resvg-js → JPEG. Each engine runs in a child process of its own, so its peak memory is its
 * own: (1) one poster at a time, median of --posters renders after a warm-up; (2) throughput: two
 * such processes at once (one per core of the 2-core target machine), posters per second over the
 * wall time. Chromium's memory is the sum of its processes' RSS, sampled while it renders.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_POSTER, BENCH_SCORED_LAYOUT, posterHtml, posterSatoriTree } from './studio-poster.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string' },
    /** A comma-separated subset of the engines to run (default: all). */
    engines: { type: 'string' },
    posters: { type: 'string', default: '40' },
    'throughput-posters': { type: 'string', default: '60' },
    /** A folder to write each engine's first poster to, to compare them by eye. */
    save: { type: 'string' },
  },
});

/**
 * `vitrine-scored` lays out and scores every candidate (BENCH_SCORED_LAYOUT: 4 compositions × 2
 * palette arrangements) and renders the best, as the studio provider does (docs/quality.md).
 * `chromium` swaps the markup of one loaded page; `chromium-page` loads a new page per poster.
 */
type Engine = 'vitrine' | 'vitrine-scored' | 'chromium' | 'chromium-page' | 'satori';
const ENGINES: Engine[] = ['vitrine', 'vitrine-scored', 'chromium', 'chromium-page', 'satori'];
/** A new page per poster re-parses the 20 MB of CJK fonts: a few posters are enough to time it. */
const SLOW_ENGINE_POSTERS = 8;
const CHROMIUM = '/usr/bin/chromium';
const require = createRequire(import.meta.url);
const fontFile = (weight: 'Regular' | 'Bold') =>
  path.join(
    path.dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json')),
    weight === 'Bold' ? '700Bold/NotoSansSC_700Bold.ttf' : '400Regular/NotoSansSC_400Regular.ttf',
  );

interface EngineResult {
  engine: Engine;
  medianMs: number;
  count: number;
  peakRssMb: number;
  bytes: number;
  /** For `vitrine-scored`: candidates per poster, and the share of the render time the scorer took. */
  candidates?: number;
  scorerShare?: number;
  /** Epoch ms around the timed renders (after the warm-up), to measure parallel throughput. */
  startedAt: number;
  endedAt: number;
}

/** Returns a function that renders poster number `index` to JPEG bytes. */
async function makeRenderer(engine: Engine): Promise<{
  render(index: number): Promise<Uint8Array>;
  close(): Promise<void>;
  scorer?: { candidates: number; ms: number };
}> {
  const product = await productPng();
  if (engine === 'vitrine-scored') {
    const { renderLayoutWithReport, encodeCanvas } = await import('../src/render/layout-renderer.ts');
    const { chooseCandidates } = await import('../src/render/candidates.ts');
    const { finalQuality } = await import('../src/render/layout-score.ts');
    const { layoutSchema } = await import('../src/domain/layout.ts');
    const { DEFAULT_BRAND_KIT } = await import('../src/domain/brand.ts');
    const layout = layoutSchema.parse(BENCH_SCORED_LAYOUT);
    const scorer = { candidates: 0, ms: 0 };
    return {
      scorer,
      async render(index) {
        const started = performance.now();
        const [chosen] = chooseCandidates(
          {
            layout,
            brand: DEFAULT_BRAND_KIT,
            params: BENCH_POSTER.params(index),
            images: { product_image: product },
            width: 1080,
            height: 1920,
            seed: index,
            fullSizeBackdrop: true,
          },
          1,
        );
        scorer.candidates = chosen!.of;
        scorer.ms += performance.now() - started;
        const { canvas, report } = await renderLayoutWithReport({ ...chosen!.input, seed: index });
        const scored = performance.now();
        finalQuality(chosen!.scored, report);
        scorer.ms += performance.now() - scored;
        return encodeCanvas(canvas, 'jpeg', 90);
      },
      close: async () => {},
    };
  }
  if (engine === 'vitrine') {
    const { renderLayoutWithReport, encodeCanvas } = await import('../src/render/layout-renderer.ts');
    const { layoutSchema } = await import('../src/domain/layout.ts');
    const { DEFAULT_BRAND_KIT } = await import('../src/domain/brand.ts');
    const layout = layoutSchema.parse(BENCH_POSTER.layout);
    return {
      async render(index) {
        const { canvas } = await renderLayoutWithReport({
          layout,
          brand: DEFAULT_BRAND_KIT,
          params: BENCH_POSTER.params(index),
          images: { product_image: product },
          width: 1080,
          height: 1920,
          seed: index,
          // What the studio provider does for JPEG output (render-job.ts).
          fullSizeBackdrop: true,
        });
        return encodeCanvas(canvas, 'jpeg', 90);
      },
      close: async () => {},
    };
  }
  if (engine === 'satori') {
    const satori = (await import('satori')).default;
    const { Resvg } = await import('@resvg/resvg-js');
    const { convertImage } = await import('../src/imaging/image.processor.ts');
    const fonts = [
      {
        name: 'Noto Sans SC',
        data: readFileSync(fontFile('Regular')),
        weight: 400 as const,
        style: 'normal' as const,
      },
      {
        name: 'Noto Sans SC',
        data: readFileSync(fontFile('Bold')),
        weight: 700 as const,
        style: 'normal' as const,
      },
    ];
    const productUrl = `data:image/png;base64,${Buffer.from(product).toString('base64')}`;
    return {
      async render(index) {
        const svg = await satori(posterSatoriTree(BENCH_POSTER.params(index), productUrl) as never, {
          width: 1080,
          height: 1920,
          fonts,
        });
        const png = new Resvg(svg).render().asPng();
        return convertImage(png, { format: 'jpeg' });
      },
      close: async () => {},
    };
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's browser (apt-get install -y chromium)`);
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
  const assets: Record<string, [string, Uint8Array]> = {
    '/regular.ttf': ['font/ttf', readFileSync(fontFile('Regular'))],
    '/bold.ttf': ['font/ttf', readFileSync(fontFile('Bold'))],
    '/product.png': ['image/png', product],
  };
  // Served from memory. The page loads once (fonts parsed once, as in a warm render service);
  // each poster then replaces the body's markup, and Chromium lays it out, paints and encodes it.
  await page.route('http://bench.local/**', (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/poster') {
      return route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: posterHtml(BENCH_POSTER.params(Number(url.searchParams.get('i') ?? 0))),
      });
    }
    const [contentType, body] = assets[url.pathname] ?? ['text/plain', new Uint8Array()];
    return route.fulfill({ contentType, body: Buffer.from(body) });
  });
  await page.goto('http://bench.local/poster', { waitUntil: 'load' });
  await page.evaluate('document.fonts.ready.then(() => true)');
  if (engine === 'chromium-page') {
    return {
      // A fresh document per poster, as an HTML-to-image service usually works; the route serves
      // the fonts from memory, but intercepted responses skip the HTTP cache, so each page loads
      // and parses them again.
      async render(index) {
        await page.goto(`http://bench.local/poster?i=${index}`, { waitUntil: 'load' });
        await page.evaluate('document.fonts.ready.then(() => true)');
        return new Uint8Array(await page.screenshot({ type: 'jpeg', quality: 90 }));
      },
      close: () => browser.close(),
    };
  }
  return {
    async render(index) {
      const html = posterHtml(BENCH_POSTER.params(index));
      const body = html.slice(html.indexOf('<body>') + 6, html.indexOf('</body>'));
      await page.evaluate(
        `document.body.innerHTML = ${JSON.stringify(body)}; document.fonts.ready.then(() => true)`,
      );
      return new Uint8Array(await page.screenshot({ type: 'jpeg', quality: 90 }));
    },
    close: () => browser.close(),
  };
}

async function productPng(): Promise<Uint8Array> {
  const { sampleProductPhoto } = await import('../test/support/sample-product.ts');
  const { cutOutProduct } = await import('../src/imaging/cutout.ts');
  return (await cutOutProduct(sampleProductPhoto())).png;
}

function chromiumRssMb(): number {
  try {
    const out = execFileSync('ps', ['-C', 'chromium', '-o', 'rss='], { encoding: 'utf8' });
    return out.split('\n').reduce((sum, line) => sum + (Number(line.trim()) || 0), 0) / 1024;
  } catch {
    return 0;
  }
}

/** Child mode: render `count` posters one at a time, print the result as JSON. */
async function runEngine(engine: Engine, count: number, warmup: number): Promise<void> {
  const renderer = await makeRenderer(engine);
  let peakChromium = 0;
  const sampler = setInterval(() => {
    if (engine.startsWith('chromium')) peakChromium = Math.max(peakChromium, chromiumRssMb());
  }, 100);
  for (let index = 0; index < warmup; index += 1) await renderer.render(1000 + index);
  if (renderer.scorer) renderer.scorer.ms = 0;
  const times: number[] = [];
  let bytes = 0;
  const startedAt = Date.now();
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    const jpeg = await renderer.render(index);
    times.push(performance.now() - started);
    if (index === 0 && values.save) writeFileSync(path.join(values.save, `${engine}.jpg`), jpeg);
    bytes = jpeg.byteLength;
  }
  const endedAt = Date.now();
  clearInterval(sampler);
  await renderer.close();
  times.sort((a, b) => a - b);
  const ownPeak = process.resourceUsage().maxRSS / 1024;
  const result: EngineResult = {
    engine,
    medianMs: times[Math.floor(times.length / 2)]!,
    count,
    peakRssMb: ownPeak + peakChromium,
    bytes,
    ...(renderer.scorer
      ? {
          candidates: renderer.scorer.candidates,
          scorerShare: renderer.scorer.ms / times.reduce((sum, time) => sum + time, 0),
        }
      : {}),
    startedAt,
    endedAt,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function child(engine: Engine, count: number, warmup: number): Promise<EngineResult> {
  return new Promise((resolve, reject) => {
    const script = fileURLToPath(import.meta.url);
    const proc = spawn(
      process.execPath,
      [
        script,
        '--engine',
        engine,
        '--posters',
        String(count),
        '--throughput-posters',
        String(warmup),
        ...(values.save ? ['--save', values.save] : []),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    proc.stdout.on('data', (chunk) => {
      out += chunk;
    });
    proc.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)!))
        : reject(new Error(`${engine} exited ${code}`)),
    );
  });
}

if (values.engine) {
  // In a child, --throughput-posters carries the warm-up count.
  await runEngine(values.engine as Engine, Number(values.posters), Number(values['throughput-posters']));
} else {
  const posters = Number(values.posters);
  const throughputPosters = Number(values['throughput-posters']);
  console.log(`studio bench: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}`);
  const rows: Array<EngineResult & { postersPerSecond: number }> = [];
  const chosen = values.engines ? (values.engines.split(',') as Engine[]) : ENGINES;
  for (const engine of chosen) {
    const slow = engine === 'chromium-page';
    const single = await child(engine, slow ? SLOW_ENGINE_POSTERS : posters, slow ? 1 : 5);
    const perProcess = slow ? SLOW_ENGINE_POSTERS / 2 : Math.ceil(throughputPosters / 2);
    const pair = await Promise.all([child(engine, perProcess, 5), child(engine, perProcess, 5)]);
    // From the first timed render to the last, across both processes (start-up and warm-up excluded).
    const span = Math.max(...pair.map((run) => run.endedAt)) - Math.min(...pair.map((run) => run.startedAt));
    const postersPerSecond = (2 * perProcess) / (span / 1000);
    rows.push({ ...single, postersPerSecond });
    const scored =
      single.scorerShare === undefined
        ? ''
        : `, ${single.candidates} candidates per poster, scorer ${(single.scorerShare * 100).toFixed(1)}% of the time`;
    console.log(
      `${engine}: median ${single.medianMs.toFixed(1)} ms, ${postersPerSecond.toFixed(1)} posters/s, peak ${single.peakRssMb.toFixed(0)} MB${scored}`,
    );
  }
  const vitrine = rows[0]!;
  console.log(
    '\n| Engine | Median per poster (JPEG) | vs Vitrine | Posters/s, 2 processes | Peak memory | JPEG size |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) {
    console.log(
      `| ${row.engine} | ${row.medianMs.toFixed(1)} ms | ${(row.medianMs / vitrine.medianMs).toFixed(1)}× | ${row.postersPerSecond.toFixed(1)} | ${row.peakRssMb.toFixed(0)} MB | ${(row.bytes / 1024).toFixed(0)} KiB |`,
    );
  }
}
