import type { AssetRecord } from '../domain/job.ts';
import type { Sql } from './client.ts';

export type NewAsset = Omit<AssetRecord, 'created_at' | 'quality'> & { quality?: AssetRecord['quality'] };

const COLUMNS = `id, job_id, position, sha256, format, width, height, bytes, seed, provider, model, prompt,
  negative_prompt, template, template_version, brand, brand_version, quality, created_at`;

function toAsset(row: Record<string, unknown>): AssetRecord {
  return {
    ...(row as unknown as AssetRecord),
    seed: row.seed === null ? null : Number(row.seed),
    quality: (row.quality as AssetRecord['quality']) ?? null,
  };
}

export class AssetRepository {
  /**
   * Records that the derived image `name` of the blob `sha256` is stored, unless that blob already
   * has `cap` of them. True when the caller may store it (also when it was recorded before).
   */
  async reserveVariant(sql: Sql, sha256: string, name: string, cap: number): Promise<boolean> {
    const rows = await sql.query<{ name: string }>(
      `WITH existing AS (SELECT name FROM asset_variants WHERE name = $1),
       inserted AS (
         INSERT INTO asset_variants (name, sha256)
         SELECT $1, $2
         WHERE NOT EXISTS (SELECT 1 FROM existing)
           AND (SELECT count(*) FROM asset_variants WHERE sha256 = $2) < $3
         ON CONFLICT (name) DO NOTHING
         RETURNING name)
       SELECT name FROM existing UNION ALL SELECT name FROM inserted`,
      [name, sha256, cap],
    );
    return rows.length > 0;
  }

  async insertMany(sql: Sql, assets: readonly NewAsset[]): Promise<void> {
    for (const asset of assets) {
      await sql.query(
        `INSERT INTO assets (id, job_id, position, sha256, format, width, height, bytes, seed, provider, model, prompt,
           negative_prompt, template, template_version, brand, brand_version, quality)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
        [
          asset.id,
          asset.job_id,
          asset.position,
          asset.sha256,
          asset.format,
          asset.width,
          asset.height,
          asset.bytes,
          asset.seed,
          asset.provider,
          asset.model,
          asset.prompt,
          asset.negative_prompt,
          asset.template,
          asset.template_version,
          asset.brand,
          asset.brand_version,
          asset.quality ? JSON.stringify(asset.quality) : null,
        ],
      );
    }
  }

  async findById(sql: Sql, id: string): Promise<AssetRecord | null> {
    const rows = await sql.query(`SELECT ${COLUMNS} FROM assets WHERE id = $1`, [id]);
    return rows[0] ? toAsset(rows[0]) : null;
  }

  async listForJobs(sql: Sql, jobIds: readonly string[]): Promise<AssetRecord[]> {
    if (jobIds.length === 0) return [];
    const rows = await sql.query(
      `SELECT ${COLUMNS} FROM assets WHERE job_id = ANY($1::uuid[]) ORDER BY job_id, position`,
      [jobIds],
    );
    return rows.map(toAsset);
  }

  async count(sql: Sql): Promise<number> {
    const rows = await sql.query<{ count: number }>('SELECT count(*)::int AS count FROM assets');
    return rows[0]?.count ?? 0;
  }
}
