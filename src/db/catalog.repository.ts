import type { Brand, BrandKit } from '../domain/brand.ts';
import type { Template, TemplateDefinition } from '../domain/template.ts';
import type { Sql } from './client.ts';

/** Brands and templates: versioned JSON documents keyed by slug/name. */

interface DocumentRow<T> {
  key: string;
  version: number;
  doc: T;
  builtin: boolean;
  created_at: Date;
  updated_at: Date;
}

function toBrand(row: DocumentRow<BrandKit>): Brand {
  return {
    ...row.doc,
    slug: row.key,
    version: row.version,
    builtin: row.builtin,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function toTemplate(row: DocumentRow<TemplateDefinition>): Template {
  return {
    ...row.doc,
    name: row.key,
    version: row.version,
    builtin: row.builtin,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export class BrandRepository {
  async list(sql: Sql): Promise<Brand[]> {
    const rows = await sql.query<DocumentRow<BrandKit>>(
      'SELECT slug AS key, version, kit AS doc, builtin, created_at, updated_at FROM brands ORDER BY slug',
    );
    return rows.map(toBrand);
  }

  async find(sql: Sql, slug: string): Promise<Brand | null> {
    const rows = await sql.query<DocumentRow<BrandKit>>(
      'SELECT slug AS key, version, kit AS doc, builtin, created_at, updated_at FROM brands WHERE slug = $1',
      [slug],
    );
    return rows[0] ? toBrand(rows[0]) : null;
  }

  /** Inserts; null when the slug is taken. */
  async insert(sql: Sql, slug: string, kit: BrandKit, builtin = false): Promise<Brand | null> {
    const rows = await sql.query<DocumentRow<BrandKit>>(
      `INSERT INTO brands (slug, kit, builtin) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING
       RETURNING slug AS key, version, kit AS doc, builtin, created_at, updated_at`,
      [slug, JSON.stringify(kit), builtin],
    );
    return rows[0] ? toBrand(rows[0]) : null;
  }

  /** Replaces the kit and bumps the version, so renders record which version they used. */
  async update(sql: Sql, slug: string, kit: BrandKit): Promise<Brand | null> {
    const rows = await sql.query<DocumentRow<BrandKit>>(
      `UPDATE brands SET kit = $2, version = version + 1, updated_at = now() WHERE slug = $1
       RETURNING slug AS key, version, kit AS doc, builtin, created_at, updated_at`,
      [slug, JSON.stringify(kit)],
    );
    return rows[0] ? toBrand(rows[0]) : null;
  }

  async delete(sql: Sql, slug: string): Promise<boolean> {
    const rows = await sql.query('DELETE FROM brands WHERE slug = $1 RETURNING slug', [slug]);
    return rows.length > 0;
  }
}

export class TemplateRepository {
  async list(sql: Sql): Promise<Template[]> {
    const rows = await sql.query<DocumentRow<TemplateDefinition>>(
      'SELECT name AS key, version, definition AS doc, builtin, created_at, updated_at FROM templates ORDER BY name',
    );
    return rows.map(toTemplate);
  }

  async find(sql: Sql, name: string): Promise<Template | null> {
    const rows = await sql.query<DocumentRow<TemplateDefinition>>(
      `SELECT name AS key, version, definition AS doc, builtin, created_at, updated_at FROM templates
       WHERE name = $1`,
      [name],
    );
    return rows[0] ? toTemplate(rows[0]) : null;
  }

  async insert(
    sql: Sql,
    name: string,
    definition: TemplateDefinition,
    builtin = false,
  ): Promise<Template | null> {
    const rows = await sql.query<DocumentRow<TemplateDefinition>>(
      `INSERT INTO templates (name, definition, builtin) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING
       RETURNING name AS key, version, definition AS doc, builtin, created_at, updated_at`,
      [name, JSON.stringify(definition), builtin],
    );
    return rows[0] ? toTemplate(rows[0]) : null;
  }

  async update(sql: Sql, name: string, definition: TemplateDefinition): Promise<Template | null> {
    const rows = await sql.query<DocumentRow<TemplateDefinition>>(
      `UPDATE templates SET definition = $2, version = version + 1, builtin = false, updated_at = now()
       WHERE name = $1
       RETURNING name AS key, version, definition AS doc, builtin, created_at, updated_at`,
      [name, JSON.stringify(definition)],
    );
    return rows[0] ? toTemplate(rows[0]) : null;
  }

  /**
   * Brings a built-in template up to the shipped definition when it changed and nobody edited it;
   * an operator's edit (builtin = false after update) is never overwritten.
   */
  async syncBuiltin(sql: Sql, name: string, definition: TemplateDefinition): Promise<void> {
    await sql.query(
      `INSERT INTO templates (name, definition, builtin) VALUES ($1, $2, true)
       ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition, version = templates.version + 1,
         updated_at = now()
       WHERE templates.builtin AND templates.definition <> EXCLUDED.definition`,
      [name, JSON.stringify(definition)],
    );
  }

  async delete(sql: Sql, name: string): Promise<boolean> {
    const rows = await sql.query('DELETE FROM templates WHERE name = $1 RETURNING name', [name]);
    return rows.length > 0;
  }
}

export class SettingsRepository {
  /** Returns the stored value, storing `candidate` first when none exists (safe under concurrency). */
  async getOrCreate(sql: Sql, key: string, candidate: string): Promise<string> {
    await sql.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
      key,
      candidate,
    ]);
    const rows = await sql.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
    return rows[0]!.value;
  }
}
