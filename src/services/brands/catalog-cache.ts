import { catalogStamps, type DocumentStamp } from '../../db/catalog.repository.ts';
import type { Brand } from '../../domain/brand.ts';
import type { Template } from '../../domain/template.ts';
import type { ServiceDeps } from '../deps.ts';

const TTL_MS = 10_000;

/**
 * The templates and brands a worker renders with, cached by name and version. A job records the
 * versions it was planned with; while the cached entry has that version (and is fresh) no query is
 * needed, and any edit bumps the version, so a stale entry is never used for a newer job.
 */
export class CatalogCache {
  readonly #deps: Pick<ServiceDeps, 'db' | 'brands' | 'templates'>;
  readonly #templates = new Map<string, { value: Template; at: number }>();
  readonly #brands = new Map<string, { value: Brand; at: number }>();

  constructor(deps: Pick<ServiceDeps, 'db' | 'brands' | 'templates'>) {
    this.#deps = deps;
  }

  async template(name: string, version: number | null): Promise<Template | null> {
    return cached(this.#templates, name, version, () => this.#deps.templates.find(this.#deps.db, name));
  }

  async brand(slug: string, version: number): Promise<Brand | null> {
    return cached(this.#brands, slug, version, () => this.#deps.brands.find(this.#deps.db, slug));
  }

  /**
   * The current template (when named) and brand, for planning a new job: one small query reads
   * their stamps (version and last change), and only a document whose stamp differs from the
   * copy held here is read again. A template's definition is the largest thing a job reads.
   */
  async current(
    templateName: string | null,
    brandSlug: string,
  ): Promise<{ template: Template | null; brand: Brand | null }> {
    const { db, templates, brands } = this.#deps;
    const stamps = await catalogStamps(db, templateName, brandSlug);
    const [template, brand] = await Promise.all([
      templateName
        ? stamped(this.#templates, templateName, stamps.template, () => templates.find(db, templateName))
        : null,
      stamped(this.#brands, brandSlug, stamps.brand, () => brands.find(db, brandSlug)),
    ]);
    return { template, brand };
  }
}

async function cached<T extends { version: number }>(
  entries: Map<string, { value: T; at: number }>,
  key: string,
  version: number | null,
  load: () => Promise<T | null>,
): Promise<T | null> {
  const entry = entries.get(key);
  if (entry && entry.value.version === version && Date.now() - entry.at < TTL_MS) return entry.value;
  const value = await load();
  if (value) entries.set(key, { value, at: Date.now() });
  else entries.delete(key);
  return value;
}

/** The held copy when its stamp is the current one; else the document read again (and held). */
async function stamped<T extends DocumentStamp>(
  entries: Map<string, { value: T; at: number }>,
  key: string,
  stamp: DocumentStamp | null,
  load: () => Promise<T | null>,
): Promise<T | null> {
  if (!stamp) return null;
  const entry = entries.get(key);
  if (entry && entry.value.version === stamp.version && entry.value.updated_at === stamp.updated_at)
    return entry.value;
  const value = await load();
  if (value) entries.set(key, { value, at: Date.now() });
  else entries.delete(key);
  return value;
}
