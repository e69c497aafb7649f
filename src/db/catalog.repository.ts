import type { Brand, BrandKit } from '../domain/brand.ts';
import type { Template, TemplateDefinition } from '../domain/template.ts';
import type { Sql } from './client.ts';

/**
 * Brands and templates are the same kind of record: a JSON document under a unique key, with a
 * version that every edit raises (jobs record the version they rendered with) and a `builtin` flag
 * that stays true only while nobody has edited a shipped document.
 */
interface DocumentRow<Doc> {
  key: string;
  version: number;
  doc: Doc;
  builtin: boolean;
  created_at: Date;
  updated_at: Date;
}

interface DocumentTable {
  table: 'brands' | 'templates';
  keyColumn: 'slug' | 'name';
  docColumn: 'kit' | 'definition';
}

class VersionedDocumentRepository<Doc, Entity> {
  readonly #table: string;
  readonly #key: string;
  readonly #doc: string;
  readonly #select: string;
  readonly #returning: string;
  readonly #toEntity: (row: DocumentRow<Doc>) => Entity;

  constructor(table: DocumentTable, toEntity: (row: DocumentRow<Doc>) => Entity) {
    this.#table = table.table;
    this.#key = table.keyColumn;
    this.#doc = table.docColumn;
    this.#returning = `${this.#key} AS key, version, ${this.#doc} AS doc, builtin, created_at, updated_at`;
    this.#select = `SELECT ${this.#returning} FROM ${this.#table}`;
    this.#toEntity = toEntity;
  }

  async list(sql: Sql): Promise<Entity[]> {
    const rows = await sql.query<DocumentRow<Doc>>(`${this.#select} ORDER BY ${this.#key}`);
    return rows.map(this.#toEntity);
  }

  async find(sql: Sql, key: string): Promise<Entity | null> {
    const rows = await sql.query<DocumentRow<Doc>>(`${this.#select} WHERE ${this.#key} = $1`, [key]);
    return rows[0] ? this.#toEntity(rows[0]) : null;
  }

  /** Inserts; null when the key is taken. */
  async insert(sql: Sql, key: string, doc: Doc, builtin = false): Promise<Entity | null> {
    const rows = await sql.query<DocumentRow<Doc>>(
      `INSERT INTO ${this.#table} (${this.#key}, ${this.#doc}, builtin) VALUES ($1, $2, $3)
       ON CONFLICT (${this.#key}) DO NOTHING RETURNING ${this.#returning}`,
      [key, JSON.stringify(doc), builtin],
    );
    return rows[0] ? this.#toEntity(rows[0]) : null;
  }

  /** Replaces the document and raises the version; the record is no longer the shipped one. */
  async update(sql: Sql, key: string, doc: Doc): Promise<Entity | null> {
    const rows = await sql.query<DocumentRow<Doc>>(
      `UPDATE ${this.#table} SET ${this.#doc} = $2, version = version + 1, builtin = false, updated_at = now()
       WHERE ${this.#key} = $1 RETURNING ${this.#returning}`,
      [key, JSON.stringify(doc)],
    );
    return rows[0] ? this.#toEntity(rows[0]) : null;
  }

  /**
   * Brings a shipped document up to `doc` when it changed and nobody edited it; an operator's edit
   * (builtin = false after `update`) is never overwritten.
   */
  async syncBuiltin(sql: Sql, key: string, doc: Doc): Promise<void> {
    await sql.query(
      `INSERT INTO ${this.#table} (${this.#key}, ${this.#doc}, builtin) VALUES ($1, $2, true)
       ON CONFLICT (${this.#key}) DO UPDATE SET ${this.#doc} = EXCLUDED.${this.#doc},
         version = ${this.#table}.version + 1, updated_at = now()
       WHERE ${this.#table}.builtin AND ${this.#table}.${this.#doc} <> EXCLUDED.${this.#doc}`,
      [key, JSON.stringify(doc)],
    );
  }

  async delete(sql: Sql, key: string): Promise<boolean> {
    const rows = await sql.query(
      `DELETE FROM ${this.#table} WHERE ${this.#key} = $1 RETURNING ${this.#key}`,
      [key],
    );
    return rows.length > 0;
  }
}

function bookkeeping(row: DocumentRow<unknown>) {
  return {
    version: row.version,
    builtin: row.builtin,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export class BrandRepository extends VersionedDocumentRepository<BrandKit, Brand> {
  constructor() {
    super({ table: 'brands', keyColumn: 'slug', docColumn: 'kit' }, (row) => ({
      ...row.doc,
      slug: row.key,
      ...bookkeeping(row),
    }));
  }
}

export class TemplateRepository extends VersionedDocumentRepository<TemplateDefinition, Template> {
  constructor() {
    super({ table: 'templates', keyColumn: 'name', docColumn: 'definition' }, (row) => ({
      ...row.doc,
      name: row.key,
      ...bookkeeping(row),
    }));
  }
}

/** What changes whenever a document does: its version, and its last change (a re-created key restarts at 1). */
export interface DocumentStamp {
  version: number;
  updated_at: string;
}

/**
 * The stamps of one template (when named) and one brand, in one small statement: enough to tell
 * whether copies held in memory are current without reading the documents again.
 */
export async function catalogStamps(
  sql: Sql,
  templateName: string | null,
  brandSlug: string,
): Promise<{ template: DocumentStamp | null; brand: DocumentStamp | null }> {
  const rows = await sql.query<{
    template_version: number | null;
    template_updated_at: Date | null;
    brand_version: number | null;
    brand_updated_at: Date | null;
  }>(
    `SELECT t.version AS template_version, t.updated_at AS template_updated_at,
            b.version AS brand_version, b.updated_at AS brand_updated_at
     FROM (SELECT 1) AS one
     LEFT JOIN templates t ON t.name = $1
     LEFT JOIN brands b ON b.slug = $2`,
    [templateName, brandSlug],
  );
  const row = rows[0]!;
  const stamp = (version: number | null, updatedAt: Date | null) =>
    version === null || !updatedAt ? null : { version, updated_at: updatedAt.toISOString() };
  return {
    template: stamp(row.template_version, row.template_updated_at),
    brand: stamp(row.brand_version, row.brand_updated_at),
  };
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
