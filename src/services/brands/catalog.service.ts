import {
  type Brand,
  type BrandKit,
  brandKitSchema,
  DEFAULT_BRAND_KIT,
  DEFAULT_BRAND_SLUG,
} from '../../domain/brand.ts';
import { BUILTIN_TEMPLATES, findBuiltinTemplate } from '../../domain/builtin-templates.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import type { Template, TemplateDefinition } from '../../domain/template.ts';
import { assertFetchableUrl } from '../../net/url-guard.ts';
import type { ServiceDeps } from '../deps.ts';

type Deps = Pick<ServiceDeps, 'db' | 'brands' | 'templates' | 'limits'>;

/** Brands and templates: the built-in ones, those from VITRINE_CONFIG, and those made through the API. */
export class CatalogService {
  readonly #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  /** Run at start: built-ins are brought up to date; configured ones are created when missing. */
  async seed(configured: {
    brands: Record<string, BrandKit>;
    templates: Record<string, TemplateDefinition>;
  }): Promise<void> {
    const { db, brands, templates } = this.#deps;
    await brands.insert(db, DEFAULT_BRAND_SLUG, DEFAULT_BRAND_KIT, true);
    for (const { name, ...definition } of BUILTIN_TEMPLATES)
      await templates.syncBuiltin(db, name, definition);
    for (const [slug, kit] of Object.entries(configured.brands)) await brands.insert(db, slug, kit);
    for (const [name, definition] of Object.entries(configured.templates)) {
      await templates.insert(db, name, definition);
    }
  }

  listBrands(): Promise<Brand[]> {
    return this.#deps.brands.list(this.#deps.db);
  }

  async getBrand(slug: string): Promise<Brand> {
    const brand = await this.#deps.brands.find(this.#deps.db, slug);
    if (!brand) throw notFound('Brand', slug);
    return brand;
  }

  async createBrand(slug: string, kit: BrandKit): Promise<Brand> {
    this.#checkLogo(kit.logo_asset_id);
    const brand = await this.#deps.brands.insert(this.#deps.db, slug, kit);
    if (!brand) throw new AppError('conflict', `Brand '${slug}' already exists`);
    return brand;
  }

  /** Applies the given fields over the current kit (a partial update) and bumps the version. */
  async updateBrand(
    slug: string,
    changes: Partial<Omit<BrandKit, 'palette'>> & { palette?: Partial<BrandKit['palette']> },
  ): Promise<Brand> {
    this.#checkLogo(changes.logo_asset_id);
    const current = await this.getBrand(slug);
    const merged = brandKitSchema.parse({
      ...current,
      ...changes,
      palette: { ...current.palette, ...changes.palette },
      fonts: { ...current.fonts, ...changes.fonts },
    });
    const brand = await this.#deps.brands.update(this.#deps.db, slug, merged);
    if (!brand) throw notFound('Brand', slug);
    return brand;
  }

  /** A logo may be an asset id or a URL; a URL is fetched at render time, so it must be public. */
  #checkLogo(logo: string | null | undefined): void {
    if (logo && /^[a-z][a-z0-9+.-]*:/i.test(logo))
      assertFetchableUrl(logo, 'logo_asset_id', this.#deps.limits.allowPrivateUrls);
  }

  async deleteBrand(slug: string): Promise<void> {
    if (slug === DEFAULT_BRAND_SLUG) throw new AppError('conflict', 'The default brand cannot be deleted');
    if (!(await this.#deps.brands.delete(this.#deps.db, slug))) throw notFound('Brand', slug);
  }

  listTemplates(): Promise<Template[]> {
    return this.#deps.templates.list(this.#deps.db);
  }

  async getTemplate(name: string): Promise<Template> {
    const template = await this.#deps.templates.find(this.#deps.db, name);
    if (!template) throw notFound('Template', name);
    return template;
  }

  async createTemplate(name: string, definition: TemplateDefinition): Promise<Template> {
    const template = await this.#deps.templates.insert(this.#deps.db, name, definition);
    if (!template) throw new AppError('conflict', `Template '${name}' already exists`);
    return template;
  }

  async updateTemplate(name: string, definition: TemplateDefinition): Promise<Template> {
    const template = await this.#deps.templates.update(this.#deps.db, name, definition);
    if (!template) throw notFound('Template', name);
    return template;
  }

  async deleteTemplate(name: string): Promise<void> {
    const template = await this.getTemplate(name);
    if (findBuiltinTemplate(template.name)) {
      throw new AppError('conflict', `'${name}' is a built-in template; update it instead of deleting it`);
    }
    await this.#deps.templates.delete(this.#deps.db, name);
  }
}
