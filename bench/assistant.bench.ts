/**
 * The shopper assistant, measured on the evaluation set the repo draws (bench/assistant/):
 *
 *   node bench/assistant.bench.ts [--designs 16] [--catalog 1000] [--photos 60] [--messages 40] [--size-cases 1000]
 *
 * 1. Same item: every shopper photo (8 kinds of damage) normalized as uploads are, then judged
 *    against its own SKU (same), its design in another colour (other_color) and another design of
 *    the same kind (different). Accuracy, false "same", per damage.
 * 2. Size advice against an independent statement of the chart rules (the oracle below).
 * 3. Answered without a person: the grounded answers' confidence over the same-item photos asked
 *    "是同款吗?尺码偏大吗?" in Chinese and English, with purchase histories.
 * 4. Grounding latency with a catalog of --catalog images (all read and indexed first): a photo
 *    against a named SKU, and a photo searched across the catalog (LSH shortlist + ORB).
 * 5. Added latency of a message without a model: the real service on the embedded database
 *    (upload normalization, grounding, memory, storage), with a photo and a text follow-up
 *    (bench/assistant/message-latency.ts, which also runs alone).
 */
import { parseArgs } from 'node:util';
import { composeAnswer } from '../src/domain/assistant-answer.ts';
import type { Product } from '../src/domain/product.ts';
import { judgeSameItem } from '../src/domain/same-item.ts';
import { adviseSize } from '../src/domain/size-advice.ts';
import { normalizeShopperPhoto } from '../src/imaging/shopper-photo.ts';
import { CatalogImages } from '../src/services/assistant/catalog-images.ts';
import { GroundingService } from '../src/services/assistant/grounding.service.ts';
import {
  compareSignatures,
  DEFAULT_SIGNATURE_OPTIONS,
  signatureOf,
} from '../src/services/assistant/visual-match.ts';
import { loadOpenCv } from '../src/vision/opencv.ts';
import {
  buildCatalog,
  buildSameItemCases,
  buildSizeCases,
  type SizeCase,
  shopperPhoto,
  VARIANTS,
} from './assistant/eval-set.ts';
import { measureMessages, quantile, reportMessages } from './assistant/message-latency.ts';

const { values } = parseArgs({
  options: {
    designs: { type: 'string', default: '16' },
    catalog: { type: 'string', default: '1000' },
    photos: { type: 'string', default: '60' },
    messages: { type: 'string', default: '40' },
    'size-cases': { type: 'string', default: '1000' },
  },
});
const ms = (value: number) => `${value.toFixed(1)} ms`;
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
await loadOpenCv();

// 1. Same item.
const catalog = buildCatalog(Number(values.designs), 2);
const cases = await buildSameItemCases(catalog);
const catalogSignatures = new Map(
  await Promise.all(
    catalog.map(async (entry) => [entry.sku, await signatureOf(entry.image, 'catalog')] as const),
  ),
);
const photoSignatures = new Map<string, Awaited<ReturnType<typeof signatureOf>>>();
let correct = 0;
let falseSame = 0;
let negatives = 0;
const byVariant = new Map<string, { correct: number; total: number }>();
const confusion: Record<string, number> = {};
for (const item of cases) {
  let photo = photoSignatures.get(item.photo.id);
  if (!photo) {
    const normalized = await normalizeShopperPhoto(item.photo.bytes, { maxPixels: 40_000_000 });
    photo = await signatureOf(normalized.jpeg, 'photo');
    photoSignatures.set(item.photo.id, photo);
  }
  const verdict = judgeSameItem(await compareSignatures(catalogSignatures.get(item.against)!, photo)).verdict;
  const right = verdict === item.expected;
  correct += right ? 1 : 0;
  if (item.expected !== 'same') {
    negatives += 1;
    if (verdict === 'same') falseSame += 1;
  }
  const variant = byVariant.get(item.photo.variant) ?? { correct: 0, total: 0 };
  variant.correct += right ? 1 : 0;
  variant.total += 1;
  byVariant.set(item.photo.variant, variant);
  confusion[`${item.expected} → ${verdict}`] = (confusion[`${item.expected} → ${verdict}`] ?? 0) + 1;
}
console.log(
  `\n## Same item (${catalog.length} catalog images, ${photoSignatures.size} photos, ${cases.length} verdicts)`,
);
console.log(
  `correct verdicts ${percent(correct / cases.length)}; false "same" ${percent(falseSame / negatives)} of ${negatives} non-matching pairs`,
);
console.log(
  `by damage: ${[...byVariant].map(([name, v]) => `${name} ${percent(v.correct / v.total)}`).join(', ')}`,
);
console.log(`confusion: ${JSON.stringify(confusion)}`);

// 2. Size advice against the oracle.
const sizeCases = buildSizeCases(Number(values['size-cases']));
let agree = 0;
for (const sizeCase of sizeCases) if (advise(sizeCase) === oracle(sizeCase)) agree += 1;
console.log(
  `\n## Size advice: ${agree} of ${sizeCases.length} agree with the chart rules (${percent(agree / sizeCases.length)})`,
);

// 3. Answered without a person, on the photo questions with purchases.
let answered = 0;
let asked = 0;
for (const [index, item] of cases.filter((c) => c.expected === 'same').entries()) {
  const photo = photoSignatures.get(item.photo.id)!;
  const previousSku =
    cases.find((other) => other.photo.id === item.photo.id && other.expected !== 'same')?.against ??
    item.against;
  const judgement = judgeSameItem(await compareSignatures(catalogSignatures.get(previousSku)!, photo));
  const sizeCase = sizeCases[index % sizeCases.length]!;
  const locale = index % 2 === 0 ? 'zh' : 'en';
  const size = adviseSize({
    product: {
      sku: item.against,
      name: item.against,
      category: sizeCase.category,
      fit: sizeCase.fit,
      size_chart: sizeCase.chart,
    },
    measurements: sizeCase.customer.measurements,
    usualSize: sizeCase.customer.usual_size,
    purchases: sizeCase.purchase
      ? [
          {
            sku: 'P',
            size: sizeCase.purchase.size,
            feedback: sizeCase.purchase.feedback,
            product: {
              sku: 'P',
              name: 'P',
              category: sizeCase.category,
              fit: 'regular',
              size_chart: sizeCase.purchase.chart,
            },
          },
        ]
      : [],
    locale,
  });
  const composed = composeAnswer({
    locale,
    intents: ['same_item', 'size'],
    product: null,
    sameItem: { sku: previousSku, name: previousSku, against: 'previous_purchase', ...judgement },
    size,
    hasPhoto: true,
    injection: false,
  });
  asked += 1;
  if (composed.confidence >= 0.5) answered += 1;
}
console.log(`\n## Answered without needs_human: ${answered} of ${asked} (${percent(answered / asked)})`);

// 4. Grounding latency with a large catalog.
const big = buildCatalog(Math.ceil(Number(values.catalog) / 6), 6, { imageSize: 480 }).slice(
  0,
  Number(values.catalog),
);
const images = new Map(big.map((entry) => [entry.sku, entry.image]));
const products: Product[] = big.map((entry) => ({
  sku: entry.sku,
  name: entry.sku,
  category: entry.design.silhouette,
  attributes: {},
  images: [entry.sku],
  size_chart: { M: { chest: 100 } },
  fit: 'regular',
  notes: '',
  price: null,
  currency: 'CNY',
  stock: null,
  version: 1,
  created_at: new Date(),
  updated_at: new Date(),
}));
const index = new CatalogImages({
  loadImage: async (reference) => images.get(reference)!,
  listProducts: async (cursor) => {
    const start = cursor ? Number(cursor) : 0;
    const page = products.slice(start, start + 200);
    return { data: page, next_cursor: start + 200 < products.length ? String(start + 200) : null };
  },
  signatureOptions: DEFAULT_SIGNATURE_OPTIONS,
  maxImages: 100_000,
});
const warmStarted = performance.now();
await index.warm(new AbortController().signal);
const warmSeconds = (performance.now() - warmStarted) / 1000;
const bySku = new Map(products.map((product) => [product.sku, product]));
const grounding = new GroundingService({
  products: {
    find: async (sku) => bySku.get(sku) ?? null,
    findMany: async (skus) => skus.map((sku) => bySku.get(sku)).filter((product) => product !== undefined),
    findCustomer: async () => null,
    purchasesOf: async () => [],
  },
  catalogImages: index,
  embeddings: null,
  signatureOptions: DEFAULT_SIGNATURE_OPTIONS,
});
const named: number[] = [];
const searched: number[] = [];
let found = 0;
const photoCount = Number(values.photos);
for (let count = 0; count < photoCount; count += 1) {
  const entry = big[(count * 97) % big.length]!;
  const photo = await shopperPhoto(entry, VARIANTS[count % VARIANTS.length]!, 9000 + count);
  const normalized = (await normalizeShopperPhoto(photo.bytes, { maxPixels: 40_000_000 })).jpeg;
  let started = performance.now();
  await grounding.ground(
    {
      question: '是同款吗?',
      locale: 'zh',
      photo: normalized,
      sku: entry.sku,
      previousSku: null,
      customerId: null,
    },
    AbortSignal.timeout(60_000),
  );
  named.push(performance.now() - started);
  started = performance.now();
  const search = await grounding.ground(
    {
      question: '这是你们家哪一款?',
      locale: 'zh',
      photo: normalized,
      sku: null,
      previousSku: null,
      customerId: null,
    },
    AbortSignal.timeout(60_000),
  );
  searched.push(performance.now() - started);
  if (search.sameItem?.sku === entry.sku) found += 1;
}
console.log(
  `\n## Grounding latency, catalog of ${index.size} images (read and indexed in ${warmSeconds.toFixed(0)} s)`,
);
console.log(
  `photo vs a named SKU: p50 ${ms(quantile(named, 0.5))}, p99 ${ms(quantile(named, 0.99))} (${named.length} photos)`,
);
console.log(
  `photo searched across the catalog: p50 ${ms(quantile(searched, 0.5))}, p99 ${ms(quantile(searched, 0.99))}; found its SKU ${found} of ${photoCount}`,
);

// 5. A message through the real service, no model, on the embedded database.
const messages = Number(values.messages);
reportMessages(await measureMessages(catalog[0]!, messages), messages);

/** The service's advice for a size case. */
function advise(sizeCase: SizeCase): string | null {
  return adviseSize({
    product: {
      sku: 'X',
      name: 'X',
      category: sizeCase.category,
      fit: sizeCase.fit,
      size_chart: sizeCase.chart,
    },
    measurements: sizeCase.customer.measurements,
    usualSize: sizeCase.customer.usual_size,
    purchases: sizeCase.purchase
      ? [
          {
            sku: 'P',
            size: sizeCase.purchase.size,
            feedback: sizeCase.purchase.feedback,
            product: {
              sku: 'P',
              name: 'P',
              category: sizeCase.category,
              fit: 'regular',
              size_chart: sizeCase.purchase.chart,
            },
          },
        ]
      : [],
    locale: 'en',
  }).recommended;
}

/**
 * The chart rules stated again, independently of src/domain/size-advice.ts: target from the body
 * (+ ease by fit) or from the bought size (± one step for "ran small/large"), else the usual size;
 * then the smallest size within 1 cm of the target, or the largest.
 */
function oracle(sizeCase: SizeCase): string | null {
  const key = sizeCase.category === 'tops' ? 'chest' : 'waist';
  const ease = key === 'chest' ? { slim: 4, regular: 8, loose: 14 } : { slim: 0, regular: 2, loose: 4 };
  const step = key === 'chest' ? 4 : 2;
  let target: number | null = null;
  const body = sizeCase.customer.measurements?.[key];
  if (body !== undefined) target = body + ease[sizeCase.fit];
  else if (sizeCase.purchase) {
    const feedback = sizeCase.purchase.feedback;
    const adjust = /small|偏小/.test(feedback) ? step : /large|偏大/.test(feedback) ? -step : 0;
    target = sizeCase.purchase.chart[sizeCase.purchase.size]![key]! + adjust;
  } else {
    const usual = sizeCase.customer.usual_size;
    return usual && sizeCase.chart[usual] ? usual : null;
  }
  const rows = Object.entries(sizeCase.chart)
    .map(([size, row]) => ({ size, cm: row[key]! }))
    .sort((a, b) => a.cm - b.cm);
  return (rows.find((row) => row.cm >= target - 1) ?? rows.at(-1)!).size;
}
