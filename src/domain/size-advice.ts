import type { Locale } from './assistant-intent.ts';
import { type Fit, MEASUREMENT_LABELS, parseFitFeedback, type SizeChart } from './product.ts';

/**
 * Size advice from the size chart — rules a shop assistant would state, in numbers:
 *
 * 1. The key measurement: waist for bottoms (trousers, jeans, skirts, shorts), foot length for
 *    shoes, chest otherwise; a chart without it uses its first measurement.
 * 2. The target garment measurement, from the best basis known:
 *    a. the shopper's body measurement + the ease of the product's fit (chest: slim 4, regular 8,
 *       loose 14 cm; waist 0 / 2 / 4; hip 4 / 6 / 10; foot 1);
 *    b. else their most recent purchase whose chart has the measurement (same category first):
 *       the bought size's measurement, +1 step if it "ran small", −1 step if it "ran large"
 *       (a step: chest/hip 4 cm, waist 2 cm, foot 0.5 cm);
 *    c. else their usual size, when the chart has it (recommended as is, with what the fit means).
 * 3. The recommendation: the smallest size whose measurement is at least the target less 1 cm
 *    (0.3 for feet); past the largest size, the largest, saying by how much it falls short.
 * 4. "Does it run large?": the same size's measurement here against the bought one (±2 cm chest,
 *    ±1 cm waist or foot); without a purchase, the fit (loose → large, slim → small).
 */

export type SizeBasis = 'measurements' | 'previous_purchase' | 'usual_size' | 'none';
export type RunsVerdict = 'large' | 'small' | 'true_to_size';

export interface SizeAdviceProduct {
  sku: string;
  name: string;
  category: string;
  fit: Fit;
  size_chart: SizeChart;
}

export interface SizeAdvicePurchase {
  sku: string;
  size: string;
  feedback: string;
  /** The product bought, when it is (still) in the catalog. */
  product: SizeAdviceProduct | null;
}

export interface SizeAdviceInput {
  product: SizeAdviceProduct;
  measurements?: Record<string, number>;
  usualSize?: string | null;
  /** Newest first. */
  purchases: readonly SizeAdvicePurchase[];
  locale: Locale;
}

export interface SizeAdvice {
  recommended: string | null;
  /** One or two sentences in the shopper's language, with the numbers. */
  reason: string;
  /** The recommended size's row of the chart. */
  chart_row: { size: string; measurements: Record<string, number> } | null;
  basis: SizeBasis;
  /** The measurement compared (chest, waist, foot…). */
  measurement: string | null;
  /** The garment measurement aimed at, in cm. */
  target_cm: number | null;
  runs: RunsVerdict | null;
  /** The purchase compared against, when it was the basis. */
  compared_with: { sku: string; size: string; cm: number; feedback: string } | null;
  confidence: number;
}

const EASE: Record<string, Record<Fit, number>> = {
  chest: { slim: 4, regular: 8, loose: 14 },
  waist: { slim: 0, regular: 2, loose: 4 },
  hip: { slim: 4, regular: 6, loose: 10 },
  foot: { slim: 1, regular: 1, loose: 1 },
};
const FEEDBACK_STEP: Record<string, number> = { chest: 4, hip: 4, waist: 2, foot: 0.5 };
const RUNS_MARGIN: Record<string, number> = { chest: 2, hip: 2, waist: 1, foot: 1 };

export function keyMeasurementOf(category: string, chart: SizeChart): string | null {
  const lower = category.toLowerCase();
  const wanted = /bottom|pant|trouser|jean|skirt|short|legging|裤|裙/.test(lower)
    ? 'waist'
    : /shoe|sneaker|boot|sandal|鞋|靴/.test(lower)
      ? 'foot'
      : 'chest';
  const rows = Object.values(chart);
  if (rows.length === 0) return null;
  if (rows.every((row) => row[wanted] !== undefined)) return wanted;
  const first = Object.keys(rows[0] ?? {}).find((name) => rows.every((row) => row[name] !== undefined));
  return first ?? null;
}

/** Sizes with their key measurement, smallest first. */
function sizesBy(chart: SizeChart, key: string): Array<{ size: string; cm: number }> {
  return Object.entries(chart)
    .filter(([, row]) => row[key] !== undefined)
    .map(([size, row]) => ({ size, cm: row[key]! }))
    .sort((a, b) => a.cm - b.cm);
}

export function adviseSize(input: SizeAdviceInput): SizeAdvice {
  const { product, locale } = input;
  const t = texts[locale];
  const key = keyMeasurementOf(product.category, product.size_chart);
  const fitWord = t.fit[product.fit];
  const empty = {
    chart_row: null,
    measurement: key,
    target_cm: null,
    compared_with: null,
  };
  if (!key) {
    return {
      ...empty,
      recommended: null,
      reason: t.noChart(product.name),
      basis: 'none',
      runs: null,
      confidence: 0.3,
    };
  }
  const sizes = sizesBy(product.size_chart, key);
  const label = MEASUREMENT_LABELS[key]?.[locale] ?? key;
  const row = (size: string) => ({ size, measurements: product.size_chart[size]! });
  const tolerance = key === 'foot' ? 0.3 : 1;
  const pick = (target: number) => {
    const chosen = sizes.find((entry) => entry.cm >= target - tolerance);
    return chosen ? { ...chosen, short: 0 } : { ...sizes.at(-1)!, short: target - sizes.at(-1)!.cm };
  };

  const body = input.measurements?.[key];
  if (body !== undefined) {
    const ease = EASE[key]?.[product.fit] ?? 0;
    const target = body + ease;
    const chosen = pick(target);
    return {
      ...empty,
      recommended: chosen.size,
      reason: t.fromBody({
        label,
        body,
        ease,
        target,
        fitWord,
        size: chosen.size,
        cm: chosen.cm,
        short: chosen.short,
      }),
      chart_row: row(chosen.size),
      basis: 'measurements',
      target_cm: target,
      runs: runsFromFit(product.fit),
      confidence: chosen.short > 0 ? 0.6 : 0.9,
    };
  }

  const purchase = bestPurchase(input.purchases, product, key);
  if (purchase) {
    const bought = purchase.product!.size_chart[purchase.size]![key]!;
    const feedback = parseFitFeedback(purchase.feedback);
    const step = FEEDBACK_STEP[key] ?? 2;
    const adjust = feedback === 'ran_small' ? step : feedback === 'ran_large' ? -step : 0;
    const target = bought + adjust;
    const chosen = pick(target);
    const sameSize = product.size_chart[purchase.size]?.[key];
    const margin = RUNS_MARGIN[key] ?? 2;
    const runs: RunsVerdict =
      sameSize === undefined
        ? runsFromFit(product.fit)
        : sameSize - bought >= margin
          ? 'large'
          : bought - sameSize >= margin
            ? 'small'
            : 'true_to_size';
    return {
      ...empty,
      recommended: chosen.size,
      reason: t.fromPurchase({
        label,
        size: purchase.size,
        sameSize,
        bought,
        feedback,
        fitWord,
        runs,
        chosen: chosen.size,
        cm: chosen.cm,
        short: chosen.short,
      }),
      chart_row: row(chosen.size),
      basis: 'previous_purchase',
      target_cm: target,
      runs,
      compared_with: { sku: purchase.sku, size: purchase.size, cm: bought, feedback: purchase.feedback },
      confidence: chosen.short > 0 ? 0.6 : 0.9,
    };
  }

  const usual = input.usualSize?.toUpperCase();
  if (usual && product.size_chart[usual]?.[key] !== undefined) {
    const cm = product.size_chart[usual]![key]!;
    return {
      ...empty,
      recommended: usual,
      reason: t.fromUsual({ label, size: usual, cm, fit: product.fit, fitWord }),
      chart_row: row(usual),
      basis: 'usual_size',
      runs: runsFromFit(product.fit),
      confidence: 0.7,
    };
  }
  return {
    ...empty,
    recommended: null,
    reason: t.askForSize({ label, sizes, fitWord, usual: usual ?? null }),
    basis: 'none',
    runs: runsFromFit(product.fit),
    confidence: 0.6,
  };
}

function runsFromFit(fit: Fit): RunsVerdict {
  return fit === 'loose' ? 'large' : fit === 'slim' ? 'small' : 'true_to_size';
}

/** The newest purchase with a chart row for `key`; one of the same category wins over a newer other one. */
function bestPurchase(purchases: readonly SizeAdvicePurchase[], product: SizeAdviceProduct, key: string) {
  const usable = purchases.filter(
    (purchase) => purchase.product?.size_chart[purchase.size]?.[key] !== undefined,
  );
  return usable.find((purchase) => purchase.product?.category === product.category) ?? usable[0] ?? null;
}

const cm = (value: number) => `${Math.round(value * 10) / 10} cm`;

/** What each sentence of the answer is built from; both locales say the same facts. */
interface FromBodyText {
  label: string;
  body: number;
  ease: number;
  target: number;
  fitWord: string;
  size: string;
  cm: number;
  short: number;
}

interface FromPurchaseText {
  label: string;
  size: string;
  sameSize: number | undefined;
  bought: number;
  feedback: string | null;
  fitWord: string;
  runs: RunsVerdict;
  chosen: string;
  cm: number;
  short: number;
}

interface FromUsualText {
  label: string;
  size: string;
  cm: number;
  fit: Fit;
  fitWord: string;
}

interface AskForSizeText {
  label: string;
  sizes: Array<{ size: string; cm: number }>;
  fitWord: string;
  usual: string | null;
}

const texts = {
  zh: {
    fit: { slim: '偏修身', regular: '版型正常', loose: '偏宽松' } as Record<Fit, string>,
    noChart: (name: string) => `「${name}」还没有尺码表,我没法按数字推荐尺码。`,
    fromBody: (a: FromBodyText) =>
      a.short > 0
        ? `你的${a.label} ${cm(a.body)},这款${a.fitWord},最大的 ${a.size} 码${a.label}也只有 ${cm(a.cm)},比合适的 ${cm(a.target)} 小 ${cm(a.short)},建议换一款。`
        : `你的${a.label} ${cm(a.body)},这款${a.fitWord}(留 ${cm(a.ease)} 余量),建议选 ${a.size} 码(${a.label} ${cm(a.cm)})。`,
    fromPurchase: (a: FromPurchaseText) => {
      const compare =
        a.sameSize === undefined
          ? `你上次买的 ${a.size} 码${a.label} ${cm(a.bought)}`
          : `${a.label} ${a.size} ${cm(a.sameSize)} / 你上次买的 ${a.size} ${cm(a.bought)}`;
      const runs = a.runs === 'large' ? '这款偏大' : a.runs === 'small' ? '这款偏小' : '尺码正常';
      const feedback =
        a.feedback === 'ran_small'
          ? ',你说上次那件偏小'
          : a.feedback === 'ran_large'
            ? ',你说上次那件偏大'
            : '';
      const advice =
        a.short > 0
          ? `最大的 ${a.chosen} 码也只有 ${cm(a.cm)},小了 ${cm(a.short)}`
          : `建议选 ${a.chosen} 码(${a.label} ${cm(a.cm)})`;
      return `${compare},${runs}(${a.fitWord})${feedback},${advice}。`;
    },
    fromUsual: (a: FromUsualText) =>
      `按你平时穿的 ${a.size} 码选就好(${a.label} ${cm(a.cm)})。这款${a.fitWord}${a.fit === 'loose' ? ',喜欢合身可以小一码' : a.fit === 'slim' ? ',喜欢宽松可以大一码' : ''}。`,
    askForSize: (a: AskForSizeText) =>
      `${a.usual ? `这款没有 ${a.usual} 码。` : ''}这款${a.fitWord},${a.label}:${a.sizes.map((entry) => `${entry.size} ${cm(entry.cm)}`).join('、')}。告诉我你的${a.label}或平时穿的尺码,我帮你选。`,
  },
  en: {
    fit: { slim: 'runs slim', regular: 'is a regular fit', loose: 'runs loose' } as Record<Fit, string>,
    noChart: (name: string) =>
      `"${name}" has no size chart yet, so I cannot recommend a size by the numbers.`,
    fromBody: (a: FromBodyText) =>
      a.short > 0
        ? `Your ${a.label} is ${cm(a.body)}; this style ${a.fitWord}, and even the largest size, ${a.size}, measures ${cm(a.cm)} — ${cm(a.short)} short of the ${cm(a.target)} you need.`
        : `Your ${a.label} is ${cm(a.body)}; this style ${a.fitWord} (${cm(a.ease)} of ease), so take ${a.size} (${a.label} ${cm(a.cm)}).`,
    fromPurchase: (a: FromPurchaseText) => {
      const compare =
        a.sameSize === undefined
          ? `The ${a.size} you bought measures ${cm(a.bought)} at the ${a.label}`
          : `${a.label} ${a.size} here is ${cm(a.sameSize)} vs ${cm(a.bought)} for the ${a.size} you bought`;
      const runs =
        a.runs === 'large'
          ? 'so this one runs large'
          : a.runs === 'small'
            ? 'so this one runs small'
            : 'so it is true to size';
      const feedback =
        a.feedback === 'ran_small'
          ? ', and you said that one ran small'
          : a.feedback === 'ran_large'
            ? ', and you said that one ran large'
            : '';
      const advice =
        a.short > 0
          ? `even the largest, ${a.chosen}, is ${cm(a.short)} short at ${cm(a.cm)}`
          : `take ${a.chosen} (${a.label} ${cm(a.cm)})`;
      return `${compare}, ${runs} (it ${a.fitWord})${feedback}: ${advice}.`;
    },
    fromUsual: (a: FromUsualText) =>
      `Your usual ${a.size} is right (${a.label} ${cm(a.cm)}). This style ${a.fitWord}${a.fit === 'loose' ? '; size down if you like it closer' : a.fit === 'slim' ? '; size up if you like room' : ''}.`,
    askForSize: (a: AskForSizeText) =>
      `${a.usual ? `This style has no ${a.usual}. ` : ''}It ${a.fitWord}; ${a.label}: ${a.sizes.map((entry) => `${entry.size} ${cm(entry.cm)}`).join(', ')}. Tell me your ${a.label} or usual size and I will pick one.`,
  },
};
