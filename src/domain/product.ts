import { z } from 'zod';

/**
 * The assistant's catalog: products with a size chart (size → measurements in cm, in the shop's own
 * size order) and a fit, and customers' purchases. Pure types, schemas and parsing rules; the
 * database and the routes live elsewhere.
 */

export const fits = ['slim', 'regular', 'loose'] as const;
export type Fit = (typeof fits)[number];

/** Chinese and English names shops use for a fit. */
const FIT_ALIASES: Record<string, Fit> = {
  slim: 'slim',
  'slim fit': 'slim',
  fitted: 'slim',
  修身: 'slim',
  紧身: 'slim',
  偏小: 'slim',
  regular: 'regular',
  'regular fit': 'regular',
  normal: 'regular',
  standard: 'regular',
  正常: 'regular',
  标准: 'regular',
  常规: 'regular',
  合身: 'regular',
  loose: 'loose',
  relaxed: 'loose',
  oversized: 'loose',
  oversize: 'loose',
  宽松: 'loose',
  偏大: 'loose',
};

export function parseFit(value: string): Fit | null {
  return FIT_ALIASES[value.trim().toLowerCase()] ?? null;
}

/** Canonical measurement names, and the Chinese and English words size charts use for them. */
export const MEASUREMENT_NAMES: Record<string, string> = {
  chest: 'chest',
  bust: 'chest',
  胸围: 'chest',
  length: 'length',
  'body length': 'length',
  衣长: 'length',
  长度: 'length',
  裤长: 'length',
  waist: 'waist',
  腰围: 'waist',
  hip: 'hip',
  hips: 'hip',
  臀围: 'hip',
  shoulder: 'shoulder',
  肩宽: 'shoulder',
  sleeve: 'sleeve',
  袖长: 'sleeve',
  inseam: 'inseam',
  内长: 'inseam',
  foot: 'foot',
  'foot length': 'foot',
  脚长: 'foot',
};

/** How measurements are named to a shopper, per language. */
export const MEASUREMENT_LABELS: Record<string, { zh: string; en: string }> = {
  chest: { zh: '胸围', en: 'chest' },
  length: { zh: '衣长', en: 'length' },
  waist: { zh: '腰围', en: 'waist' },
  hip: { zh: '臀围', en: 'hip' },
  shoulder: { zh: '肩宽', en: 'shoulder' },
  sleeve: { zh: '袖长', en: 'sleeve' },
  inseam: { zh: '内长', en: 'inseam' },
  foot: { zh: '脚长', en: 'foot length' },
};

export function canonicalMeasurement(name: string): string {
  const key = name.trim().toLowerCase();
  return MEASUREMENT_NAMES[key] ?? key.replace(/\s+/g, '_');
}

const sizeName = z.string().trim().min(1).max(16);
const measurements = z
  .record(z.string().min(1).max(32), z.number().positive().max(400))
  .refine((value) => Object.keys(value).length > 0, 'give at least one measurement, e.g. {"chest": 104}');

/** Size → measurements (cm). Key order is the size order (S before M before L). */
export const sizeChartSchema = z
  .record(sizeName, measurements)
  .transform((chart) =>
    Object.fromEntries(
      Object.entries(chart).map(([size, values]) => [
        size.trim().toUpperCase(),
        Object.fromEntries(Object.entries(values).map(([name, cm]) => [canonicalMeasurement(name), cm])),
      ]),
    ),
  );

export type SizeChart = Record<string, Record<string, number>>;

/** An asset id or an http(s) URL. */
const imageReference = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .refine(
    (value) => /^https?:\/\/\S+$/i.test(value) || /^[\w.-]{1,100}$/.test(value),
    'must be an asset id or an http(s) URL',
  );

export const skuSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w.-]+$/, 'letters, digits, _, - and . only');

const fitSchema = z.string().transform((value, context) => {
  const fit = parseFit(value);
  if (!fit) {
    context.addIssue({ code: 'custom', message: 'must be slim, regular or loose (修身, 正常, 宽松)' });
    return z.NEVER;
  }
  return fit;
});

const productFields = {
  name: z.string().trim().min(1).max(200),
  category: z.string().trim().max(100).default(''),
  /** Free attributes: colour, material, care, season… */
  attributes: z.record(z.string().min(1).max(50), z.string().max(500)).default({}),
  images: z.array(imageReference).max(20).default([]),
  size_chart: sizeChartSchema.default({}),
  fit: fitSchema.default('regular'),
  notes: z.string().max(2000).default(''),
  price: z.number().min(0).nullable().default(null),
  currency: z.string().trim().max(8).default('CNY'),
  /** Units in stock; null = not tracked. */
  stock: z.number().int().min(0).nullable().default(null),
};

export const productInputSchema = z.object({ sku: skuSchema, ...productFields }).strict();
export type ProductInput = z.output<typeof productInputSchema>;

export const productPatchSchema = z
  .object({
    name: productFields.name.optional(),
    category: z.string().trim().max(100).optional(),
    attributes: z.record(z.string().min(1).max(50), z.string().max(500)).optional(),
    images: z.array(imageReference).max(20).optional(),
    size_chart: sizeChartSchema.optional(),
    fit: fitSchema.optional(),
    notes: z.string().max(2000).optional(),
    price: z.number().min(0).nullable().optional(),
    currency: z.string().trim().max(8).optional(),
    stock: z.number().int().min(0).nullable().optional(),
  })
  .strict();
export type ProductPatch = z.output<typeof productPatchSchema>;

export interface Product extends ProductInput {
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const customerIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[\w.@:-]+$/, 'letters, digits and _ . @ : - only');

export const purchaseInputSchema = z
  .object({
    sku: skuSchema,
    size: sizeName.transform((value) => value.toUpperCase()),
    purchased_at: z.iso
      .datetime({ offset: true })
      .or(z.iso.date())
      .optional()
      .transform((value) => (value ? new Date(value) : new Date())),
    /** What the shopper said after: "ran small", "偏大", "perfect". */
    feedback: z.string().trim().max(500).default(''),
  })
  .strict();
export type PurchaseInput = z.output<typeof purchaseInputSchema>;

export interface Purchase {
  id: string;
  customer_id: string;
  sku: string;
  size: string;
  purchased_at: Date;
  feedback: string;
  created_at: Date;
}

/** What a shopper told the shop about themselves; every field optional. */
export const customerProfileSchema = z
  .object({
    name: z.string().trim().max(200).optional(),
    /** The size they usually wear, e.g. "M". */
    usual_size: sizeName
      .transform((value) => value.toUpperCase())
      .nullable()
      .optional(),
    /** Their own body measurements in cm (chest, waist, hip…), the same names as size charts. */
    measurements: z
      .record(z.string().min(1).max(32), z.number().positive().max(400))
      .transform((values) =>
        Object.fromEntries(Object.entries(values).map(([name, cm]) => [canonicalMeasurement(name), cm])),
      )
      .optional(),
    height_cm: z.number().min(50).max(260).nullable().optional(),
    weight_kg: z.number().min(10).max(400).nullable().optional(),
  })
  .strict();
export type CustomerProfile = z.output<typeof customerProfileSchema>;

export interface Customer {
  id: string;
  name: string;
  usual_size: string | null;
  measurements: Record<string, number>;
  height_cm: number | null;
  weight_kg: number | null;
  created_at: Date;
  updated_at: Date;
}

/** What a purchase's feedback says about the fit of the size bought. */
export type FitFeedback = 'ran_small' | 'ran_large' | 'fit_well' | null;

export function parseFitFeedback(text: string): FitFeedback {
  const lower = text.toLowerCase();
  if (/(ran|runs|running|too|a bit|slightly)\s+(small|tight|short)|偏小|太小|小了|紧|短了/.test(lower))
    return 'ran_small';
  if (/(ran|runs|running|too|a bit|slightly)\s+(large|big|loose|long)|偏大|太大|大了|松了|长了/.test(lower))
    return 'ran_large';
  if (/fits?\s+(well|perfect|great)|perfect|true to size|合适|正好|刚好|合身/.test(lower)) return 'fit_well';
  return null;
}
