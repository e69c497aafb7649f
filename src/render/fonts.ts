import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

/** The bundled family every render can rely on; it covers Latin and simplified Chinese. */
export const FALLBACK_FONT_FAMILY = 'Noto Sans SC';

/** The weights layouts use (layout v1 text layers are 400 or 700), as files of the font package. */
const BUNDLED_FILES = ['400Regular/NotoSansSC_400Regular.ttf', '700Bold/NotoSansSC_700Bold.ttf'] as const;

/**
 * A condensed Latin display face shipped with the install, for brands that want posters with more
 * punch than Noto Sans; Chinese falls back to Noto Sans SC through the font stack.
 */
export const DISPLAY_FONT_FAMILY = 'Oswald';
const DISPLAY_PACKAGE = '@expo-google-fonts/oswald';
const DISPLAY_FILES = ['400Regular/Oswald_400Regular.ttf', '700Bold/Oswald_700Bold.ttf'] as const;

/**
 * The families every install can draw, with the scripts they cover: what a brand's heading and
 * body font should be picked from. Host fonts may also work but differ between machines.
 */
export const BUNDLED_FONT_FAMILIES: ReadonlyArray<{ family: string; scripts: readonly ('latin' | 'han')[] }> =
  [
    { family: FALLBACK_FONT_FAMILY, scripts: ['latin', 'han'] },
    { family: DISPLAY_FONT_FAMILY, scripts: ['latin'] },
  ];

export interface FontRegistration {
  family: string;
  /** How many font files (one per weight) were registered. */
  files: number;
  elapsedMs: number;
}

let registration: FontRegistration | null = null;

/**
 * Registers Noto Sans SC 400 and 700 once per process, from the TrueType files that
 * @expo-google-fonts/noto-sans-sc ships (full Latin + simplified Chinese coverage, no host fonts
 * needed). TrueType because the canvas version we pin does not read WOFF2. Runs lazily on the
 * first render, not at import.
 */
export function ensureFontsRegistered(): FontRegistration {
  if (registration) return registration;
  const started = performance.now();
  const folder = fontPackageFolder('@expo-google-fonts/noto-sans-sc');
  let files = 0;
  for (const file of BUNDLED_FILES) {
    if (GlobalFonts.registerFromPath(join(folder, file), FALLBACK_FONT_FAMILY)) files += 1;
  }
  if (files !== BUNDLED_FILES.length) {
    throw new Error(`${FALLBACK_FONT_FAMILY} font files could not be registered from ${folder}`);
  }
  const display = fontPackageFolder(DISPLAY_PACKAGE);
  for (const file of DISPLAY_FILES) {
    if (!GlobalFonts.registerFromPath(join(display, file), DISPLAY_FONT_FAMILY)) {
      throw new Error(`${DISPLAY_FONT_FAMILY} could not be registered from ${display}`);
    }
    files += 1;
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
 * The CSS font-family list for a brand font: the brand's family when it is available, always
 * followed by the bundled family so CJK glyphs missing from a Latin brand font still render.
 */
export function fontFamilyStack(preferred: string): string {
  const quoted = (family: string) => `"${family.replace(/["\\]/g, '')}"`;
  if (preferred === FALLBACK_FONT_FAMILY || !isFontFamilyAvailable(preferred)) {
    return quoted(FALLBACK_FONT_FAMILY);
  }
  return `${quoted(preferred)}, ${quoted(FALLBACK_FONT_FAMILY)}`;
}
