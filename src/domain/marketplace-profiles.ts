import type { Layout } from './layout.ts';
import type { QualityCheck } from './quality.ts';

/**
 * Marketplace rules for product images, as checks (architecture: "quality is data"). A profile is a
 * set of rules; `evaluateProfile` turns measurements of an image (imaging/marketplace-measure.ts)
 * and, for a rendered layout, the layout itself into named checks that pass or fail with what was
 * measured. Pure.
 *
 * Sources: Amazon's product image requirements for the MAIN image (pure white RGB 255,255,255
 * background, the product filling 85 % or more of the frame, no text, logos, badges or other
 * objects, at least 1,000 px on the longest side for zoom, sRGB); Taobao/Tmall's white-background
 * main image (白底图: 800×800 or larger, square, pure white background, one product, no text or
 * logos); the 9:16 live-stream / short-video cover, whose top and bottom bands the apps cover.
 */

export const marketplaceProfileIds = [
  'amazon_main',
  'taobao_main',
  'white_background',
  'live_cover',
] as const;
export type MarketplaceProfileId = (typeof marketplaceProfileIds)[number];

export interface MarketplaceProfile {
  id: MarketplaceProfileId;
  title: string;
  description: string;
  /** The border ring must be pure white (#FFFFFF). */
  whiteBorder: boolean;
  /** The product's longer extent as a share of the frame's matching side. */
  minFill?: number;
  /** Nothing but the product: no second object, no blob, no badge or logo apart from it. */
  singleObject: boolean;
  /** The layout may not carry text, badges or a logo (checked where the layout is known). */
  noText: boolean;
  minLongestSide?: number;
  minSide?: number;
  /** Width:height the image must have, e.g. [1, 1]. */
  aspect?: [number, number];
  srgb: boolean;
  /** Text, badges and the logo must keep out of these bands (fractions of the height). */
  safeBands?: { top: number; bottom: number };
}

export const MARKETPLACE_PROFILES: Readonly<Record<MarketplaceProfileId, MarketplaceProfile>> = {
  amazon_main: {
    id: 'amazon_main',
    title: 'Amazon main image',
    description:
      'Pure white (#FFFFFF) background, the product alone filling at least 85% of the frame, no text, logos or badges, at least 1,000 px on the longest side, sRGB.',
    whiteBorder: true,
    minFill: 0.85,
    singleObject: true,
    noText: true,
    minLongestSide: 1000,
    srgb: true,
  },
  taobao_main: {
    id: 'taobao_main',
    title: 'Taobao / Tmall white-background main image (白底图)',
    description:
      'Square, 800×800 or larger, pure white background, one product filling at least 60% of the frame, no text or logos.',
    whiteBorder: true,
    minFill: 0.6,
    singleObject: true,
    noText: true,
    minSide: 800,
    aspect: [1, 1],
    srgb: true,
  },
  white_background: {
    id: 'white_background',
    title: 'Product on white',
    description:
      'A pure white (#FFFFFF) border all round and nothing stray on the white: the product with its own text, no blobs or fragments.',
    whiteBorder: true,
    singleObject: false,
    noText: false,
    srgb: true,
  },
  live_cover: {
    id: 'live_cover',
    title: '9:16 live-stream / short-video cover',
    description:
      '9:16, at least 1080×1920; text, badges and the logo out of the top 12% and bottom 15%, which the apps cover with their own buttons and captions.',
    whiteBorder: false,
    singleObject: false,
    noText: false,
    minSide: 1080,
    aspect: [9, 16],
    srgb: true,
    safeBands: { top: 0.12, bottom: 0.15 },
  },
};

/** The built-in templates made for a marketplace, and the profile each must pass. */
export const TEMPLATE_PROFILES: Readonly<Record<string, MarketplaceProfileId>> = {
  product_white_amazon: 'amazon_main',
  product_white_taobao: 'taobao_main',
  product_white: 'white_background',
  live_cover: 'live_cover',
};

export function isMarketplaceProfileId(value: string): value is MarketplaceProfileId {
  return (marketplaceProfileIds as readonly string[]).includes(value);
}

/** What imaging measured of one image. */
export interface ImageMeasurements {
  width: number;
  height: number;
  /** Colour space as stored, e.g. `srgb`; and whether an ICC profile other than sRGB is embedded. */
  space: string;
  foreignIcc: boolean;
  /** Share of the border ring's pixels that are exactly white (all channels ≥ 254). */
  borderWhite: number;
  /** Where the non-white border pixels are, in words ("left edge, bottom-right corner"). */
  borderOffenders: string[];
  /** Bounding box of everything that is not white, as fractions of the frame; null on a blank image. */
  content: { x: number; y: number; w: number; h: number } | null;
  /** Separate non-white objects, largest first: share of the frame and centre (fractions). */
  objects: Array<{ area: number; x: number; y: number }>;
}

const percent = (value: number, digits = 0) => `${(value * 100).toFixed(digits)}%`;

/** The profile's checks, named `<profile>.<rule>`, from the measurements and (if known) the layout. */
export function evaluateProfile(
  profile: MarketplaceProfile,
  measured: ImageMeasurements,
  layout?: Layout,
): QualityCheck[] {
  const checks: QualityCheck[] = [];
  const check = (rule: string, passed: boolean, detail: string) =>
    checks.push({ name: `${profile.id}.${rule}`, passed, detail });

  if (profile.whiteBorder) {
    const passed = measured.borderWhite >= 0.995;
    check(
      'white_background',
      passed,
      passed
        ? `${percent(measured.borderWhite, 1)} of the border is pure #FFFFFF`
        : `${percent(1 - measured.borderWhite, 1)} of the border is not pure #FFFFFF (${measured.borderOffenders.join(', ') || 'spread out'})`,
    );
  }
  if (profile.minFill !== undefined) {
    const fill = measured.content ? Math.max(measured.content.w, measured.content.h) : 0;
    check(
      'product_fill',
      fill >= profile.minFill - 1e-9,
      `the product spans ${percent(fill)} of the frame (at least ${percent(profile.minFill)} asked)`,
    );
  }
  if (profile.singleObject) {
    const others = measured.objects.slice(1);
    check(
      'single_object',
      measured.objects.length === 1,
      measured.objects.length === 0
        ? 'no product found on the white'
        : others.length === 0
          ? 'one object on the white, nothing else'
          : `${others.length} more object(s) besides the product, e.g. ${percent(others[0]!.area, 2)} of the frame at ${percent(others[0]!.x)} across, ${percent(others[0]!.y)} down`,
    );
  } else if (profile.whiteBorder) {
    // On white, nothing stray: a blob or fragment away from everything else is a defect.
    const stray = measured.objects.filter((object) => object.area < 0.002 && object.area > 0);
    check(
      'no_stray_marks',
      stray.length === 0,
      stray.length === 0
        ? 'nothing stray on the white'
        : `${stray.length} small stray mark(s) on the white, e.g. at ${percent(stray[0]!.x)} across, ${percent(stray[0]!.y)} down`,
    );
  }
  if (profile.noText && layout) {
    const carrying = layout.layers.filter(
      (layer) => layer.type === 'text' || layer.type === 'badge' || layer.type === 'logo',
    );
    check(
      'no_text_or_logo',
      carrying.length === 0,
      carrying.length === 0
        ? 'the layout carries no text, badge or logo'
        : `the layout carries ${carrying.map((layer) => ('param' in layer ? layer.param : layer.type)).join(', ')}`,
    );
  }
  const longest = Math.max(measured.width, measured.height);
  const shortest = Math.min(measured.width, measured.height);
  if (profile.minLongestSide !== undefined) {
    check(
      'size',
      longest >= profile.minLongestSide,
      `${measured.width}×${measured.height}; at least ${profile.minLongestSide} px on the longest side asked`,
    );
  } else if (profile.minSide !== undefined) {
    check(
      'size',
      shortest >= profile.minSide,
      `${measured.width}×${measured.height}; at least ${profile.minSide} px on each side asked`,
    );
  }
  if (profile.aspect) {
    const [w, h] = profile.aspect;
    const passed = Math.abs(measured.width * h - measured.height * w) <= Math.max(w, h);
    check('aspect', passed, `${measured.width}×${measured.height}; ${w}:${h} asked`);
  }
  if (profile.srgb) {
    const passed = measured.space === 'srgb' && !measured.foreignIcc;
    check(
      'srgb',
      passed,
      passed
        ? 'sRGB'
        : `colour space ${measured.space}${measured.foreignIcc ? ' with a non-sRGB ICC profile' : ''}`,
    );
  }
  if (profile.safeBands && layout) {
    const { top, bottom } = profile.safeBands;
    const outside = layout.layers.filter(
      (layer) =>
        (layer.type === 'text' || layer.type === 'badge' || layer.type === 'logo') &&
        (layer.box.y < top - 1e-9 || layer.box.y + layer.box.h > 1 - bottom + 1e-9),
    );
    check(
      'safe_bands',
      outside.length === 0,
      outside.length === 0
        ? `text, badges and logo clear of the top ${percent(top)} and bottom ${percent(bottom)}`
        : `${outside.map((layer) => ('param' in layer ? layer.param : layer.type)).join(', ')} inside the covered bands`,
    );
  }
  return checks;
}
