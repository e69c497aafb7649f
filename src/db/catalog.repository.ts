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
