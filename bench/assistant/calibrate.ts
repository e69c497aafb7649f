/**
 * Prints the raw signals of the same-item check over the evaluation set — ORB inliers (all and
 * inside the outline), the colour residual and overlap per expected verdict and per photo variant —
 * to choose the thresholds in src/domain/same-item.ts. By default on the calibration split
 * (designs 101–116, photo seeds from 50000), which the benchmark (designs 1–16) never shows:
 *   node bench/assistant/calibrate.ts [--designs 16] [--first-design 101] [--seed 50000]
 *     [--side 480] [--photo-side N] [--features 1000] [--photo-features 600]
 * With CALIBRATE_VERDICTS=1 it also counts the verdicts the current thresholds give (on this split).
 */
import { parseArgs } from 'node:util';
import { judgeSameItem } from '../../src/domain/same-item.ts';
import { normalizeShopperPhoto } from '../../src/imaging/shopper-photo.ts';
import {
  compareSignatures,
  DEFAULT_SIGNATURE_OPTIONS,
  signatureOf,
} from '../../src/services/assistant/visual-match.ts';
import { fitLight } from '../../src/vision/light-fit.ts';
import { buildCatalog, buildSameItemCases } from './eval-set.ts';

const { values } = parseArgs({
  options: {
    designs: { type: 'string', default: '16' },
    'first-design': { type: 'string', default: '101' },
    seed: { type: 'string', default: '50000' },
    side: { type: 'string', default: String(DEFAULT_SIGNATURE_OPTIONS.maxSide) },
    'photo-side': { type: 'string' },
    features: { type: 'string', default: '1000' },
    'photo-features': { type: 'string', default: String(DEFAULT_SIGNATURE_OPTIONS.photoFeatures) },
  },
});
const options = {
  maxSide: Number(values.side),
  photoMaxSide: values['photo-side'] ? Number(values['photo-side']) : DEFAULT_SIGNATURE_OPTIONS.photoMaxSide,
  features: Number(values.features),
  photoFeatures: Number(values['photo-features']),
  maxPixels: 40_000_000,
};
const catalog = buildCatalog(Number(values.designs), 2, { firstDesign: Number(values['first-design']) });
const cases = await buildSameItemCases(catalog, undefined, Number(values.seed));
const signatures = new Map<string, Awaited<ReturnType<typeof signatureOf>>>();
for (const entry of catalog) signatures.set(entry.sku, await signatureOf(entry.image, 'catalog', options));
const photoSignatures = new Map<string, Awaited<ReturnType<typeof signatureOf>>>();
const rows: Array<{
  expected: string;
  variant: string;
  inliers: number;
  interior: number;
  colour: number | null;
  tint: number | null;
  inverted: boolean;
  histogram: number;
  residual: number | null;
  sku: string;
  against: string;
  errors: number[];
  shares: number[];
}> = [];
/** Verdicts with the current thresholds (CALIBRATE_VERDICTS=1): expected → verdict → count. */
const verdicts: Record<string, number> = {};
const tally = (expected: string, verdict: string) => {
  verdicts[`${expected} → ${verdict}`] = (verdicts[`${expected} → ${verdict}`] ?? 0) + 1;
};
let extractMs = 0;
let compareMs = 0;
for (const item of cases) {
  let photo = photoSignatures.get(item.photo.id);
  if (!photo) {
    const started = performance.now();
    const normalized = await normalizeShopperPhoto(item.photo.bytes, { maxPixels: 40_000_000 });
    photo = await signatureOf(normalized.jpeg, 'photo', options);
    extractMs += performance.now() - started;
    photoSignatures.set(item.photo.id, photo);
  }
  const started = performance.now();
  const result = await compareSignatures(signatures.get(item.against)!, photo);
  if (process.env.CALIBRATE_VERDICTS) tally(item.expected, judgeSameItem(result).verdict);
  compareMs += performance.now() - started;
  rows.push({
    expected: item.expected,
    variant: item.photo.variant,
    inliers: result.inliers,
    interior: result.interiorInliers,
    colour: result.colour,
    tint: result.tint,
    inverted: result.inverted,
    histogram: result.histogram,
    residual: result.residual,
    sku: item.photo.sku,
    against: item.against,
    errors: fitLight(result.groups).errors,
    shares: result.groups.map((g) => g.share),
  });
}
const quantiles = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]?.toFixed(2);
  return `min ${sorted[0]?.toFixed(2)} p5 ${at(0.05)} p50 ${at(0.5)} p95 ${at(0.95)} max ${sorted.at(-1)?.toFixed(2)}`;
};
for (const expected of ['same', 'other_color', 'different']) {
  const subset = rows.filter((row) => row.expected === expected);
  console.log(`${expected} (${subset.length}): inliers ${quantiles(subset.map((row) => row.inliers))}`);
  console.log(`   inside the outline ${quantiles(subset.map((row) => row.interior))}`);
  console.log(
    `   colour residual ${quantiles(subset.filter((row) => row.residual !== null).map((row) => row.residual!))}`,
  );
  console.log(
    `   colour ${quantiles(subset.filter((row) => row.colour !== null).map((row) => row.colour!))} (null ${subset.filter((row) => row.colour === null).length})`,
  );
  console.log(`   histogram ${quantiles(subset.map((row) => row.histogram))}`);
  console.log(
    `   tint ${quantiles(subset.filter((row) => row.tint !== null).map((row) => row.tint!))}; inverted ${subset.filter((row) => row.inverted).length}`,
  );
}
for (const variant of new Set(rows.map((row) => row.variant))) {
  const same = rows.filter((row) => row.variant === variant && row.expected === 'same');
  const other = rows.filter((row) => row.variant === variant && row.expected === 'other_color');
  console.log(
    `${variant}: same inliers ${quantiles(same.map((r) => r.inliers))} colour ${quantiles(same.filter((r) => r.colour !== null).map((r) => r.colour!))} tint ${quantiles(same.filter((r) => r.tint !== null).map((r) => r.tint!))} | other inliers ${quantiles(other.map((r) => r.inliers))} colour ${quantiles(other.filter((r) => r.colour !== null).map((r) => r.colour!))} tint ${quantiles(other.filter((r) => r.tint !== null).map((r) => r.tint!))}`,
  );
}
const dump = process.env.CALIBRATE_DUMP;
if (dump) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(dump, JSON.stringify(rows));
}
console.log(
  `photos ${photoSignatures.size}: extract ${(extractMs / photoSignatures.size).toFixed(1)} ms each; compare ${(compareMs / rows.length).toFixed(1)} ms each`,
);
if (process.env.CALIBRATE_VERDICTS)
  console.log(`verdicts with the current thresholds: ${JSON.stringify(verdicts)}`);
