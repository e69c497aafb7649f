import { type BrandKit, DEFAULT_BRAND_KIT } from '../domain/brand.ts';
import type { Layout, TextLayer } from '../domain/layout.ts';
import {
  type DecorationKind,
  type DesignPalette,
  type FontChoice,
  findStylePack,
  paletteFromBrand,
  resolveDesign,
  type StylePack,
} from '../domain/style-packs.ts';

/** What a render draws with, whether or not a style pack applies. */
export interface RenderDesign {
  /** The pack's id, or null when the brand's palette is drawn as it is (no pack). */
  packId: StylePack['id'] | null;
  palette: DesignPalette;
  fonts: Record<TextLayer['font'], FontChoice>;
  /** Corner radius in pixels at `radiusWidth` canvas pixels wide. */
  radius: number;
  radiusWidth: number | 'reference';
  shadow: StylePack['shadow'];
  uppercase: boolean;
  decoration: DecorationKind;
}

export interface DesignInput {
  layout: Pick<Layout, 'stylePack' | 'referenceWidth'>;
  brand: BrandKit;
  /** A style pack id; absent: the layout's own pack (or none: the brand's palette as it is). */
  stylePack?: string;
  /** Which of the pack's palette arrangements (variants alternate); default 0. */
  arrangement?: number;
}

// Per input object, checked against what the design depends on, so an input reused with another
// pack or arrangement (candidates) never draws a stale design.
const designs = new WeakMap<object, { brand: BrandKit; key: string; design: RenderDesign }>();

/**
 * The design of one render: the request's pack, else the layout's, laid under the brand
 * (resolveDesign); with neither, the brand's palette, fonts and radius as they are.
 */
export function designOf(input: DesignInput): RenderDesign {
  const key = `${input.stylePack}\u0000${input.arrangement}\u0000${input.layout.stylePack}`;
  const cached = designs.get(input);
  if (cached && cached.brand === input.brand && cached.key === key) return cached.design;
  const design = computeDesign(input);
  designs.set(input, { brand: input.brand, key, design });
  return design;
}

function computeDesign(input: DesignInput): RenderDesign {
  const pack = findStylePack(input.stylePack) ?? findStylePack(input.layout.stylePack);
  const { brand } = input;
  if (!pack) {
    const heading = { family: brand.fonts.heading, weight: 700 as const };
    return {
      packId: null,
      palette: paletteFromBrand(brand.palette),
      fonts: {
        display: heading,
        heading,
        numeral: heading,
        body: { family: brand.fonts.body, weight: 400 },
      },
      radius: brand.corner_radius,
      radiusWidth: 'reference',
      shadow: 'soft',
      uppercase: false,
      decoration: 'none',
    };
  }
  const arrangement = Math.max(0, Math.trunc(input.arrangement ?? 0));
  // A brand with the placeholder palette still sets its fonts and radius where they differ.
  const design = resolveDesign(pack, brand, arrangement, false);
  const palette = isDefaultBrand(brand)
    ? resolveDesign(pack, brand, arrangement, true).palette
    : design.palette;
  return {
    packId: pack.id,
    palette,
    fonts: design.fonts,
    radius: design.radius,
    radiusWidth: 1080,
    shadow: pack.shadow,
    uppercase: pack.uppercase,
    decoration: pack.decoration,
  };
}

/**
 * Whether the brand's palette is the built-in placeholder: then the pack's palette applies (a shop
 * that set its own colours keeps them over any pack).
 */
export function isDefaultBrand(brand: BrandKit): boolean {
  const [a, b] = [brand.palette, DEFAULT_BRAND_KIT.palette];
  return (Object.keys(b) as (keyof typeof b)[]).every(
    (role) => a[role].toLowerCase() === b[role].toLowerCase(),
  );
}

/** A corner radius of the design in pixels on a canvas this wide. */
export function designRadiusPx(design: RenderDesign, width: number, referenceWidth: number): number {
  const base = design.radiusWidth === 'reference' ? referenceWidth : design.radiusWidth;
  return (design.radius * width) / base;
}

/**
 * The face a text layer draws with: the pack's family for its font role. The weight is the pack's
 * unless the layer asks for one other than the default 700 (then the layer's, nearest drawn).
 * Without a pack the layer's weight is kept, as before packs.
 */
export function fontOf(
  design: RenderDesign,
  role: TextLayer['font'],
  layerWeight: TextLayer['weight'],
): FontChoice {
  const choice = design.fonts[role];
  if (design.packId === null) return { family: choice.family, weight: layerWeight };
  return { family: choice.family, weight: layerWeight !== 700 ? layerWeight : choice.weight };
}
