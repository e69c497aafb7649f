/**
 * Prices of one image by provider kind and model. The defaults are the vendors' published list
 * prices at the time of writing (USD); a deployment overrides any of them with `prices:` on the
 * provider in VITRINE_CONFIG. Self-hosted GPUs (ComfyUI, Automatic1111) and the studio engine cost 0
 * unless the config gives them a price (e.g. to account for GPU time).
 *
 * A model's price is either flat or a table keyed by `<width>x<height>`, `<quality>`,
 * `<width>x<height>:<quality>` and `default`.
 */
export type ModelPrice = number | Readonly<Record<string, number>>;

export interface PriceTable {
  /** Price of any model the table does not list. */
  default?: number;
  models: Readonly<Record<string, ModelPrice>>;
}

export const DEFAULT_PRICES: Readonly<Record<string, PriceTable>> = {
  studio: { default: 0, models: {} },
  comfyui: { default: 0, models: {} },
  a1111: { default: 0, models: {} },
  openai: {
    default: 0.04,
    models: {
      'gpt-image-1': {
        low: 0.011,
        medium: 0.042,
        high: 0.167,
        '1024x1024': 0.042,
        '1536x1024': 0.063,
        '1024x1536': 0.063,
        '1024x1024:low': 0.011,
        '1024x1024:medium': 0.042,
        '1024x1024:high': 0.167,
        '1536x1024:low': 0.016,
        '1536x1024:medium': 0.063,
        '1536x1024:high': 0.25,
        '1024x1536:low': 0.016,
        '1024x1536:medium': 0.063,
        '1024x1536:high': 0.25,
      },
      'gpt-image-1-mini': { low: 0.005, medium: 0.011, high: 0.036, auto: 0.011 },
      'dall-e-3': {
        '1024x1024': 0.04,
        '1792x1024': 0.08,
        '1024x1792': 0.08,
        '1024x1024:hd': 0.08,
        '1792x1024:hd': 0.12,
        '1024x1792:hd': 0.12,
      },
    },
  },
  stability: {
    default: 0.04,
    models: {
      core: 0.03,
      ultra: 0.08,
      'sd3.5-large': 0.065,
      'sd3.5-large-turbo': 0.04,
      'sd3.5-medium': 0.035,
    },
  },
  bedrock: {
    default: 0.04,
    models: {
      'amazon.titan-image-generator-v2:0': { default: 0.01, premium: 0.012, '512x512': 0.008 },
      'amazon.nova-canvas-v1:0': { default: 0.04, premium: 0.06, '2048x2048': 0.06 },
      'stability.sd3-large-v1:0': 0.08,
      'stability.sd3-5-large-v1:0': 0.08,
      'stability.stable-image-core-v1:1': 0.04,
      'stability.stable-image-ultra-v1:1': 0.14,
    },
  },
};

export interface PriceQuery {
  model: string;
  width: number;
  height: number;
  quality?: string;
}

/**
 * The price of one image. Size keys that are not the asked size still apply by the nearest aspect
 * ratio, because a model renders the asked size in its nearest native one (1080×1920 → 1024×1536).
 */
export function pricePerImage(table: PriceTable, query: PriceQuery): number {
  const price = table.models[query.model];
  if (price === undefined) return table.default ?? 0;
  if (typeof price === 'number') return price;
  const quality = query.quality ?? 'auto';
  const exact = `${query.width}x${query.height}`;
  const nearest = nearestSizeKey(Object.keys(price), query.width / query.height);
  const candidates = [
    `${exact}:${quality}`,
    exact,
    nearest && `${nearest}:${quality}`,
    nearest,
    quality,
    'default',
  ];
  for (const key of candidates) {
    if (key && price[key] !== undefined) return price[key];
  }
  const values = Object.values(price);
  // An unknown quality on a table of qualities: charge the cheapest listed rather than nothing.
  return values.length > 0 ? Math.min(...values) : (table.default ?? 0);
}

function nearestSizeKey(keys: readonly string[], aspect: number): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const key of keys) {
    const match = /^(\d+)x(\d+)(?::.*)?$/.exec(key);
    if (!match) continue;
    const distance = Math.abs(Math.log(Number(match[1]) / Number(match[2]) / aspect));
    if (distance < bestDistance) {
      best = `${match[1]}x${match[2]}`;
      bestDistance = distance;
    }
  }
  return best;
}

/** The table a provider uses: the kind's defaults, overridden model by model by its config. */
export function mergePriceTables(
  base: PriceTable | undefined,
  override: Partial<PriceTable> | undefined,
): PriceTable {
  return {
    default: override?.default ?? base?.default,
    models: { ...(base?.models ?? {}), ...(override?.models ?? {}) },
  };
}

/** Cents are not enough for cheap models: keep six decimals, no float dust. */
export function roundUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
