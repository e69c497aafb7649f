import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BrandRepository, TemplateRepository } from '../../db/catalog.repository.ts';
import { type Database, openPglite } from '../../db/client.ts';
import { migrate } from '../../db/migrator.ts';
import { DEFAULT_BRAND_KIT } from '../../domain/brand.ts';
import { BUILTIN_TEMPLATES } from '../../domain/builtin-templates.ts';
import { CatalogCache } from './catalog-cache.ts';

let db: Database;
const brands = new BrandRepository();
const templates = new TemplateRepository();
/** The documents read, by repository: the cache must read them only when they changed. */
const reads: string[] = [];

before(async () => {
  db = await openPglite(undefined);
  await migrate(db);
  const hero = BUILTIN_TEMPLATES.find((template) => template.name === 'product_hero')!;
  const { name: _name, ...definition } = hero;
  await templates.insert(db, 'hero', definition);
  await brands.insert(db, 'acme', DEFAULT_BRAND_KIT);
});
after(() => db.close());

function counted() {
  const counting = <T extends { find: (...args: never[]) => unknown }>(repository: T, label: string) =>
    Object.assign(Object.create(repository) as T, {
      find: (...args: Parameters<T['find']>) => {
        reads.push(label);
        return (repository.find as (...a: unknown[]) => unknown)(...args);
      },
    });
  return new CatalogCache({
    db,
    brands: counting(brands, 'brand'),
    templates: counting(templates, 'template'),
  });
}

test('planning reads a template and brand once, then only their stamps, until one changes', async () => {
  const catalog = counted();
  reads.length = 0;
  const first = await catalog.current('hero', 'acme');
  assert.equal(first.template?.name, 'hero');
  assert.equal(first.brand?.slug, 'acme');
  assert.deepEqual(reads, ['template', 'brand']);
  const again = await catalog.current('hero', 'acme');
  assert.equal(again.template, first.template, 'the same copy, not read again');
  assert.equal(again.brand, first.brand);
  assert.deepEqual(reads, ['template', 'brand']);

  // An edit raises the version: the new document is read.
  await brands.update(db, 'acme', { ...DEFAULT_BRAND_KIT, name: 'Acme 2' });
  const edited = await catalog.current('hero', 'acme');
  assert.equal(edited.brand?.name, 'Acme 2');
  assert.deepEqual(reads, ['template', 'brand', 'brand']);

  // Deleted and made again under the same name, it starts at version 1 again: its last change tells.
  const { template } = edited;
  await templates.delete(db, 'hero');
  assert.deepEqual(await catalog.current('hero', 'acme'), { template: null, brand: edited.brand });
  const { name: _name, version: _v, builtin: _b, created_at: _c, updated_at: _u, ...definition } = template!;
  await templates.insert(db, 'hero', { ...definition, description: 'made again' });
  const remade = await catalog.current('hero', 'acme');
  assert.equal(remade.template?.description, 'made again');
  assert.equal(remade.template?.version, template!.version);
});
