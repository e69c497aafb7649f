/**
 * `{{path}}` placeholders for publish destinations: a CMS URL and body, a bucket key. A path is
 * dot-separated and may index arrays (`images.0.url`). A placeholder that names nothing is an
 * error listing every such name, so a CMS is never called with a blank SKU in its URL.
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

export class MissingPlaceholderError extends Error {
  readonly names: string[];

  constructor(names: string[]) {
    super(`Nothing to fill ${names.map((name) => `{{${name}}}`).join(', ')} with`);
    this.name = 'MissingPlaceholderError';
    this.names = names;
  }
}

function lookup(context: unknown, path: string): unknown {
  let value: unknown = context;
  for (const part of path.split('.')) {
    if (value === null || value === undefined || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function scalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** The placeholders of a template (for checking a destination when it is saved). */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

/** Fills a string; `encode` escapes each value (e.g. encodeURIComponent in a URL path). */
export function renderTemplate(
  template: string,
  context: unknown,
  encode: (value: string) => string = (value) => value,
): string {
  const missing: string[] = [];
  const rendered = template.replace(PLACEHOLDER, (_, path: string) => {
    const value = lookup(context, path);
    if (!scalar(value)) {
      missing.push(path);
      return '';
    }
    return encode(String(value));
  });
  if (missing.length > 0) throw new MissingPlaceholderError([...new Set(missing)]);
  return rendered;
}

/**
 * Fills every string of a JSON value. A string that is exactly one placeholder takes the value's
 * own JSON type (`"{{width}}"` → 1024); others are text. Values are never pasted into JSON text,
 * so a quote in a product name cannot break the body.
 */
export function renderJsonTemplate(template: unknown, context: unknown): unknown {
  const missing: string[] = [];
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const whole = /^\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}$/.exec(value);
      if (whole) {
        const found = lookup(context, whole[1]!);
        if (found === undefined) missing.push(whole[1]!);
        return found ?? null;
      }
      try {
        return renderTemplate(value, context);
      } catch (error) {
        if (error instanceof MissingPlaceholderError) missing.push(...error.names);
        return '';
      }
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
    return value;
  };
  const rendered = walk(template);
  if (missing.length > 0) throw new MissingPlaceholderError([...new Set(missing)]);
  return rendered;
}
