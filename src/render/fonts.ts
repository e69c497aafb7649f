import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';
import { type CharacterCoverage, needsNoGlyph, readCoverage } from './font-coverage.ts';

/** The bundled family every render can rely on; it covers Latin and simplified Chinese. */
export const FALLBACK_FONT_FAMILY = 'Noto Sans SC';

/** Monochrome emoji, last in every font stack so 🔥 draws a real glyph rather than a tofu box. */
export const EMOJI_FONT_FAMILY = 'Noto Emoji';

/**
 * A condensed Latin display face shipped with the install, for brands that want posters with more
 * punch than Noto Sans; Chinese falls back to Noto Sans SC through the font stack.
 */
export const DISPLAY_FONT_FAMILY = 'Oswald';

type Script = 'latin' | 'han' | 'emoji';

interface BundledFamily {
  family: string;
  /** The @expo-google-fonts package; its files are `<weight><Name>/<Prefix>_<weight><Name>.ttf`. */
  packageName: string;
  prefix: string;
  /** The weights the style packs and layouts use (TrueType: the pinned canvas cannot read WOFF2). */
  weights: readonly (400 | 500 | 700 | 900)[];
  scripts: readonly Script[];
  /** A Chinese face that suits this Latin one, tried before Noto Sans SC (a serif for a serif). */
  hanCompanion?: string;
}

const WEIGHT_NAMES = { 400: '400Regular', 500: '500Medium', 700: '700Bold', 900: '900Black' } as const;

/**
 * Every font the style packs use (src/domain/style-packs.ts), all under the SIL Open Font Licence,
 * which allows embedding in commercial output. Noto Sans SC first: it is the fallback of every stack.
 */
const FAMILIES: readonly BundledFamily[] = [
  {
    family: FALLBACK_FONT_FAMILY,
    packageName: '@expo-google-fonts/noto-sans-sc',
    prefix: 'NotoSansSC',
    weights: [400, 500, 700, 900],
    scripts: ['latin', 'han'],
  },
  {
    family: 'Oswald',
    packageName: '@expo-google-fonts/oswald',
    prefix: 'Oswald',
    weights: [400, 500, 700],
    scripts: ['latin'],
  },
  {
    family: 'Montserrat',
    packageName: '@expo-google-fonts/montserrat',
    prefix: 'Montserrat',
    weights: [400, 500, 700, 900],
    scripts: ['latin'],
  },
  {
    family: 'Playfair Display',
    packageName: '@expo-google-fonts/playfair-display',
    prefix: 'PlayfairDisplay',
    weights: [400, 500, 700, 900],
    scripts: ['latin'],
    // A serif for a serif: Chinese in a Playfair headline is set in Noto Serif SC, in real weights.
    hanCompanion: 'Noto Serif SC',
  },
  {
    family: 'Noto Serif SC',
    packageName: '@expo-google-fonts/noto-serif-sc',
    prefix: 'NotoSerifSC',
    weights: [400, 700, 900],
    scripts: ['latin', 'han'],
  },
  {
    family: 'Bebas Neue',
    packageName: '@expo-google-fonts/bebas-neue',
    prefix: 'BebasNeue',
    weights: [400],
    scripts: ['latin'],
  },
  {
    family: 'ZCOOL QingKe HuangYou',
    packageName: '@expo-google-fonts/zcool-qingke-huangyou',
    prefix: 'ZCOOLQingKeHuangYou',
    weights: [400],
    scripts: ['latin', 'han'],
  },
  {
    family: 'ZCOOL KuaiLe',
    packageName: '@expo-google-fonts/zcool-kuaile',
    prefix: 'ZCOOLKuaiLe',
    weights: [400],
    scripts: ['latin', 'han'],
  },
  {
    family: 'ZCOOL XiaoWei',
    packageName: '@expo-google-fonts/zcool-xiaowei',
    prefix: 'ZCOOLXiaoWei',
    weights: [400],
    scripts: ['latin', 'han'],
  },
  {
    family: EMOJI_FONT_FAMILY,
    packageName: '@expo-google-fonts/noto-emoji',
    prefix: 'NotoEmoji',
    weights: [400, 700],
    scripts: ['emoji'],
  },
];

/**
 * The families every install can draw, with the scripts they cover: what a brand's heading and
 * body font should be picked from. Host fonts may also work but differ between machines.
 */
export const BUNDLED_FONT_FAMILIES: ReadonlyArray<{ family: string; scripts: readonly ('latin' | 'han')[] }> =
  FAMILIES.flatMap(({ family, scripts }) => {
    const text = scripts.filter((script) => script !== 'emoji');
    // The emoji face is a fallback of every stack, not a brand font.
    return text.length > 0 ? [{ family, scripts: text }] : [];
  });

export interface FontRegistration {
  family: string;
  /** How many font files (one per family and weight) were registered. */
  files: number;
  elapsedMs: number;
}

let registration: FontRegistration | null = null;
const fontFiles = new Map<string, string>();

/**
 * Registers every bundled family once per process, from the TrueType files their
 * @expo-google-fonts packages ship (no host fonts needed). Runs lazily on the first render.
 */
export function ensureFontsRegistered(): FontRegistration {
  if (registration) return registration;
  const started = performance.now();
  let files = 0;
  for (const font of FAMILIES) {
    const folder = fontPackageFolder(font.packageName);
    for (const weight of font.weights) {
      const name = WEIGHT_NAMES[weight];
      const path = join(folder, name, `${font.prefix}_${name}.ttf`);
      if (!GlobalFonts.registerFromPath(path, font.family)) {
        throw new Error(`${font.family} ${weight} could not be registered from ${path}`);
      }
      if (!fontFiles.has(font.family)) fontFiles.set(font.family, path);
      files += 1;
    }
  }
  registration = { family: FALLBACK_FONT_FAMILY, files, elapsedMs: performance.now() - started };
  return registration;
}

function fontPackageFolder(name: string): string {
  // Resolved through the module system, so it works whatever the cwd and however node_modules is laid out.
  const require = createRequire(import.meta.url);
  return dirname(require.resolve(`${name}/package.json`));
}

const availability = new Map<string, boolean>();

/** Whether a family can be drawn: registered by us or by the host, as Skia sees it. */
export function isFontFamilyAvailable(family: string): boolean {
  ensureFontsRegistered();
  let known = availability.get(family);
  if (known === undefined) {
    known = GlobalFonts.has(family);
    availability.set(family, known);
  }
  return known;
}

/**
 * The families a text in `preferred` is drawn with, in order: the preferred one when available,
 * its Chinese companion, Noto Sans SC for everything else and Noto Emoji for emoji. Skia falls
 * back through the list glyph by glyph.
 */
export function fontFamilies(preferred: string): string[] {
  const families: string[] = [];
  if (preferred !== FALLBACK_FONT_FAMILY && isFontFamilyAvailable(preferred)) families.push(preferred);
  const companion = FAMILIES.find((font) => font.family === preferred)?.hanCompanion;
  if (companion) families.push(companion);
  families.push(FALLBACK_FONT_FAMILY, EMOJI_FONT_FAMILY);
  return families;
}

/** The CSS font-family list for a family: see fontFamilies. */
export function fontFamilyStack(preferred: string): string {
  return fontFamilies(preferred)
    .map((family) => `"${family.replace(/["\\]/g, '')}"`)
    .join(', ');
}

const coverages = new Map<string, CharacterCoverage | null>();

/** The cmap of a bundled family; null for a host font (its coverage is unknown, trusted). */
function coverageOf(family: string): CharacterCoverage | null {
  ensureFontsRegistered();
  let coverage = coverages.get(family);
  if (coverage === undefined) {
    const path = fontFiles.get(family);
    coverage = path ? readCoverage(path) : null;
    coverages.set(family, coverage);
  }
  return coverage;
}

/**
 * The characters of `text` that no family of the stack for `preferred` has a glyph for: they
 * would be drawn as tofu boxes. A host font's coverage is unknown; it is not trusted for them.
 */
export function missingGlyphs(text: string, preferred: string): string[] {
  const missing = new Set<string>();
  const families = fontFamilies(preferred);
  for (const character of text) {
    const codePoint = character.codePointAt(0)!;
    if (codePoint < 0x7f && codePoint >= 0x20) continue; // ASCII: every stack ends in Noto Sans SC
    if (needsNoGlyph(codePoint)) continue;
    const covered = families.some((family) => coverageOf(family)?.has(codePoint));
    if (!covered) missing.add(character);
  }
  return [...missing];
}
