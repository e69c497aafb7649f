import type { BrandPalette } from '../domain/brand.ts';
import type { ColorRef } from '../domain/layout.ts';
import { type DesignPalette, paletteFromBrand } from '../domain/style-packs.ts';

/** A color with 0..255 channels and 0..1 alpha. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

export const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };
const NEAR_BLACK: Rgba = { r: 17, g: 17, b: 17, a: 1 };

/** Parses #rgb, #rrggbb or #rrggbbaa; anything else is black (inputs are schema-validated). */
export function parseHex(hex: string): Rgba {
  let digits = hex.replace(/^#/, '');
  if (digits.length === 3) digits = [...digits].map((digit) => digit + digit).join('');
  const channel = (index: number) => Number.parseInt(digits.slice(index, index + 2), 16) || 0;
  const alpha = digits.length === 8 ? channel(6) / 255 : 1;
  return { r: channel(0), g: channel(2), b: channel(4), a: alpha };
}

/** A layout color: a palette role of the brand, or a literal hex value. */
export function resolveColor(ref: ColorRef, palette: BrandPalette | DesignPalette): Rgba {
  if (ref.startsWith('#')) return parseHex(ref);
  const full = 'surface' in palette ? palette : paletteFromBrand(palette);
  return parseHex(full[ref as keyof DesignPalette]);
}

export function toCss(color: Rgba, opacity = 1): string {
  const alpha = Math.round(color.a * opacity * 1000) / 1000;
  return `rgba(${color.r}, ${color.g}, ${color.b}, ${alpha})`;
}

/** WCAG relative luminance, 0 (black) to 1 (white). */
export function luminance(color: Rgba): number {
  const linear = (channel: number) => {
    const value = channel / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b);
}

/** WCAG contrast ratio, 1 to 21. */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * WCAG AA for normal text. Layouts draw mostly large text (where AA asks only 3), but posters are
 * read at a glance, on phones, in the sun: every text is held to 4.5.
 */
export const MIN_TEXT_CONTRAST = 4.5;

/**
 * Keeps the designed color when it reads well on the sampled backdrop; otherwise shifts a colored
 * one toward white or dark ink, as little as needed, and flips a neutral one (white, gray) to the
 * other end, so a template stays legible in any brand: an orange price on a light glow becomes a
 * deeper orange, white on a pale gold primary becomes ink.
 */
export function readableColor(preferred: Rgba, backdrops: readonly Rgba[], darkInk: Rgba): Rgba {
  if (backdropContrast(preferred, backdrops) >= MIN_TEXT_CONTRAST) return preferred;
  const ink = luminance(darkInk) < 0.05 ? darkInk : NEAR_BLACK;
  // A brand hue is kept and deepened or lightened; white or gray text would only turn a dull gray,
  // so it flips to the other end instead.
  const chroma =
    Math.max(preferred.r, preferred.g, preferred.b) - Math.min(preferred.r, preferred.g, preferred.b);
  for (let amount = 0.1; chroma > 40 && amount < 1; amount += 0.1) {
    const candidates = [mix(preferred, ink, amount), mix(preferred, WHITE, amount)];
    const readable = candidates
      .map((color) => ({ color, contrast: backdropContrast(color, backdrops) }))
      .filter((candidate) => candidate.contrast >= MIN_TEXT_CONTRAST)
      .sort((a, b) => b.contrast - a.contrast)[0];
    if (readable) return readable.color;
  }
  return backdropContrast(WHITE, backdrops) >= backdropContrast(ink, backdrops) ? WHITE : ink;
}

function mix(from: Rgba, to: Rgba, amount: number): Rgba {
  const channel = (a: number, b: number) => Math.round(a + (b - a) * amount);
  return { r: channel(from.r, to.r), g: channel(from.g, to.g), b: channel(from.b, to.b), a: 1 };
}

/**
 * The contrast of a color against sampled backdrop pixels, at the 10th percentile: the worst
 * tenth of the area under the text, without letting a few stray pixels decide.
 */
export function backdropContrast(color: Rgba, backdrops: readonly Rgba[]): number {
  if (backdrops.length === 0) return 21;
  const ratios = backdrops.map((backdrop) => contrastRatio(color, backdrop)).sort((a, b) => a - b);
  return ratios[Math.floor(ratios.length * 0.1)] ?? 21;
}
