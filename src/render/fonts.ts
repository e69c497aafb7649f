import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

/** The bundled family every render can rely on; it covers Latin and simplified Chinese. */
export const FALLBACK_FONT_FAMILY = 'Noto Sans SC';

/** The weights layouts use (layout v1 text layers are 400 or 700). */
const BUNDLED_WEIGHTS = ['400', '700'] as const;

export interface FontRegistration {
  family: string;
  /** How many font files (unicode-range subsets × weights) were registered. */
  files: number;
  elapsedMs: number;
}

let registration: FontRegistration | null = null;

/**
 * Registers Noto Sans SC 400/700 from @fontsource once per process. Fontsource ships the font as
 * ~100 unicode-range subsets per weight; registered under one family name, Skia picks the subset
 * holding each glyph. Takes ~200 ms, so it runs lazily on the first render, not at import.
 */
export function ensureFontsRegistered(): FontRegistration {
  if (registration) return registration;
  const started = performance.now();
  const folder = fontsourceFilesFolder();
  const weightPattern = new RegExp(`-(?:${BUNDLED_WEIGHTS.join('|')})-normal\\.woff2$`);
  let files = 0;
  // Sorted so that registration order (and thus any glyph tie-break) is the same on every host.
  for (const name of readdirSync(folder).sort()) {
    if (!weightPattern.test(name)) continue;
    if (GlobalFonts.registerFromPath(join(folder, name), FALLBACK_FONT_FAMILY)) files += 1;
  }
  if (files === 0)
    throw new Error(`No ${FALLBACK_FONT_FAMILY} font files could be registered from ${folder}`);
  registration = { family: FALLBACK_FONT_FAMILY, files, elapsedMs: performance.now() - started };
  return registration;
}

function fontsourceFilesFolder(): string {
  // Resolved through the module system, so it works whatever the cwd and however node_modules is laid out.
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@fontsource/noto-sans-sc/package.json')), 'files');
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
