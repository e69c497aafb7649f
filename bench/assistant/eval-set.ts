import sharp from 'sharp';
import {
  COLOURWAYS,
  type Colourway,
  catalogImage,
  type Design,
  makeDesign,
  SILHOUETTES,
  sceneImage,
  seeded,
} from './garments.ts';

/**
 * The assistant's evaluation set, generated: a catalog of drawn products (designs × colourways),
 * shoppers' photos of them with the usual damage (rotation, crop, blur, dim or warm light, JPEG at
 * quality 45, busy backgrounds, and all of it at once), and the questions to ask of each photo —
 * against its own SKU (expected `same`), the same design in another colour (`other_color`) and
 * another design of the same kind and colour (`different`).
 */

export interface CatalogEntry {
  sku: string;
  design: Design;
  colourway: Colourway;
  /** PNG, 800×800, plain backdrop. */
  image: Uint8Array;
}

export type Variant = 'rotate' | 'crop' | 'blur' | 'dim' | 'warm' | 'jpeg45' | 'busy' | 'everything';
export const VARIANTS: readonly Variant[] = [
  'rotate',
  'crop',
  'blur',
  'dim',
  'warm',
  'jpeg45',
  'busy',
  'everything',
];

export interface ShopperPhoto {
  id: string;
  sku: string;
  variant: Variant;
  /** JPEG or PNG as a phone would send it. */
  bytes: Uint8Array;
}

export interface SameItemCase {
  photo: ShopperPhoto;
  /** The SKU the photo is compared against. */
  against: string;
  expected: 'same' | 'other_color' | 'different';
}

export function skuOf(design: Design, colourway: Colourway): string {
  return `${design.silhouette.slice(0, 2).toUpperCase()}-${String(design.id).padStart(4, '0')}-${colourway.name}`;
}

/**
 * `designs` designs, cycling through the silhouettes, each in `colourwaysPerDesign` colourways.
 * `firstDesign` picks other designs (e.g. 101: a calibration split the benchmark never shows).
 */
export function buildCatalog(
  designs: number,
  colourwaysPerDesign: number,
  options: { imageSize?: number; firstDesign?: number } = {},
): CatalogEntry[] {
  const catalog: CatalogEntry[] = [];
  const first = options.firstDesign ?? 1;
  for (let index = 0; index < designs; index += 1) {
    const design = makeDesign(first + index, SILHOUETTES[index % SILHOUETTES.length]!);
    for (let offset = 0; offset < colourwaysPerDesign; offset += 1) {
      const colourway = COLOURWAYS[(index + offset) % COLOURWAYS.length]!;
      catalog.push({
        sku: skuOf(design, colourway),
        design,
        colourway,
        image: catalogImage(design, colourway, options.imageSize),
      });
    }
  }
  return catalog;
}

/** One shopper's photo of a catalog entry with the damage `variant` names. */
export async function shopperPhoto(
  entry: CatalogEntry,
  variant: Variant,
  seed: number,
): Promise<ShopperPhoto> {
  const random = seeded(seed);
  const turn = (random() < 0.5 ? -1 : 1) * (12 + random() * 18);
  const scene = sceneImage(entry.design, entry.colourway, {
    seed,
    rotation: variant === 'rotate' || variant === 'everything' ? turn : (random() - 0.5) * 6,
    scale: 0.62 + random() * 0.2,
    busy: variant === 'busy' || variant === 'everything',
  });
  let image = sharp(scene);
  if (variant === 'crop' || variant === 'everything') {
    // A close-up: 60–75 % of each side, off centre, as when a shopper fills the frame.
    const share = 0.6 + random() * 0.15;
    const width = Math.round(900 * share);
    const height = Math.round(1200 * share);
    image = sharp(
      await image
        .extract({
          left: Math.round((900 - width) * random()),
          top: Math.round((1200 - height) * random()),
          width,
          height,
        })
        .png()
        .toBuffer(),
    );
  }
  if (variant === 'blur') image = image.blur(2.2);
  if (variant === 'everything') image = image.blur(1.2);
  if (variant === 'dim') image = image.modulate({ brightness: 0.62 });
  if (variant === 'warm' || variant === 'everything') image = image.linear([1.12, 1.0, 0.8], [10, 4, -6]);
  const quality = variant === 'jpeg45' || variant === 'everything' ? 45 : 88;
  const bytes = new Uint8Array(await image.jpeg({ quality }).toBuffer());
  return { id: `${entry.sku}:${variant}:${seed}`, sku: entry.sku, variant, bytes };
}

/**
 * The same-item cases: each catalog entry photographed once per variant, each photo asked against
 * its own SKU, its design in another colour, and a different design of the same kind (in the same
 * colourway when there is one: the hardest negative).
 */
export async function buildSameItemCases(
  catalog: readonly CatalogEntry[],
  variants: readonly Variant[] = VARIANTS,
  firstSeed = 1000,
): Promise<SameItemCase[]> {
  const cases: SameItemCase[] = [];
  let seed = firstSeed;
  for (const entry of catalog) {
    const otherColour = catalog.find(
      (other) => other.design.id === entry.design.id && other.sku !== entry.sku,
    );
    const sameKind = catalog.filter(
      (other) => other.design.id !== entry.design.id && other.design.silhouette === entry.design.silhouette,
    );
    const different = sameKind.find((other) => other.colourway.name === entry.colourway.name) ?? sameKind[0];
    for (const variant of variants) {
      seed += 1;
      const photo = await shopperPhoto(entry, variant, seed);
      cases.push({ photo, against: entry.sku, expected: 'same' });
      if (otherColour) cases.push({ photo, against: otherColour.sku, expected: 'other_color' });
      if (different) cases.push({ photo, against: different.sku, expected: 'different' });
    }
  }
  return cases;
}

/** Size cases: a product's chart and fit, and what is known of the shopper. */
export interface SizeCase {
  id: string;
  category: 'tops' | 'bottoms';
  fit: 'slim' | 'regular' | 'loose';
  chart: Record<string, Record<string, number>>;
  customer: {
    measurements?: Record<string, number>;
    usual_size?: string;
  };
  purchase?: {
    chart: Record<string, Record<string, number>>;
    size: string;
    feedback: string;
  };
}

const TOP_SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];
const BOTTOM_SIZES = ['26', '27', '28', '29', '30', '31', '32', '33', '34'];
const FEEDBACK = ['', '', 'ran small', 'ran large', '偏小', '偏大', 'fits well', '正好'];

/** Charts with 3–6 sizes at 3–6 cm steps, and shoppers known by body measurements, a past purchase or a usual size. */
export function buildSizeCases(count: number, seed = 7): SizeCase[] {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const cases: SizeCase[] = [];
  const chartFor = (category: SizeCase['category'], fit: SizeCase['fit']) => {
    const names = category === 'tops' ? TOP_SIZES : BOTTOM_SIZES;
    const start = Math.floor(random() * (names.length - 3));
    const sizes = names.slice(start, start + 3 + Math.floor(random() * (names.length - start - 2)));
    const key = category === 'tops' ? 'chest' : 'waist';
    const base =
      (category === 'tops' ? 84 : 62) +
      { slim: 0, regular: 4, loose: 10 }[fit] +
      start * (category === 'tops' ? 4 : 2.5) +
      Math.round(random() * 4);
    const step = category === 'tops' ? 3 + Math.floor(random() * 4) : 2 + Math.floor(random() * 2);
    return Object.fromEntries(
      sizes.map((size, index) => [
        size,
        { [key]: base + index * step, length: (category === 'tops' ? 64 : 96) + index * 2 },
      ]),
    );
  };
  for (let index = 0; index < count; index += 1) {
    const category = random() < 0.65 ? 'tops' : 'bottoms';
    const fit = pick(['slim', 'regular', 'loose'] as const);
    const chart = chartFor(category, fit);
    const key = category === 'tops' ? 'chest' : 'waist';
    const basis = random();
    const sizeCase: SizeCase = { id: `size-${index + 1}`, category, fit, chart, customer: {} };
    if (basis < 0.35) {
      sizeCase.customer.measurements = { [key]: (category === 'tops' ? 80 : 60) + Math.round(random() * 30) };
    } else if (basis < 0.8) {
      const previous = chartFor(category, pick(['slim', 'regular', 'loose'] as const));
      sizeCase.purchase = { chart: previous, size: pick(Object.keys(previous)), feedback: pick(FEEDBACK) };
    } else {
      sizeCase.customer.usual_size = pick([...Object.keys(chart), category === 'tops' ? 'XXXL' : '40']);
    }
    cases.push(sizeCase);
  }
  return cases;
}
