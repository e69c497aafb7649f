import type { Brand } from './brand.ts';

/**
 * Fills a prompt pattern: `{param}` slots from the template params and `{brand.*}` slots from the
 * brand kit. Empty slots disappear together with the separator before them, so
 * "photo of {title}, {subtitle}, studio light" with no subtitle reads "photo of X, studio light".
 */
export function fillPromptPattern(
  pattern: string,
  params: Readonly<Record<string, string>>,
  brand: Brand,
): string {
  const brandSlots: Record<string, string> = {
    'brand.name': brand.name,
    'brand.mood': brand.mood_words.join(', '),
    'brand.lighting': brand.lighting,
    'brand.composition': brand.composition,
    'brand.palette': Object.values(brand.palette).join(' '),
  };
  const filled = pattern.replace(
    /\{([a-z][a-z0-9_.]*)\}/g,
    (_slot, name: string) => (name.startsWith('brand.') ? brandSlots[name] : params[name])?.trim() ?? '',
  );
  return tidySeparators(filled);
}

/** A free prompt with the brand's style appended, for requests without a template. */
export function styleFreePrompt(prompt: string, brand: Brand): string {
  return tidySeparators(
    [prompt.trim(), brand.lighting, brand.composition, brand.mood_words.join(', ')].join(', '),
  );
}

/** The negative prompt: template's, brand's and the request's, de-duplicated, in that order. */
export function combineNegativePrompts(...parts: ReadonlyArray<string | null | undefined>): string {
  const seen = new Set<string>();
  const terms: string[] = [];
  for (const part of parts) {
    for (const term of (part ?? '').split(',')) {
      const trimmed = term.trim();
      if (trimmed && !seen.has(trimmed.toLowerCase())) {
        seen.add(trimmed.toLowerCase());
        terms.push(trimmed);
      }
    }
  }
  return terms.join(', ');
}

function tidySeparators(text: string): string {
  return text
    .split(',')
    .map((part) => part.replace(/\s+/g, ' ').trim())
    .filter((part) => part.length > 0)
    .join(', ');
}
