import type { ScriptAnalysis } from '../domain/script/script-analysis.ts';
import type { Sql } from './client.ts';

/** A stored script: what was sent, and its (possibly edited) analysis. */
export interface ScriptRecord {
  id: string;
  api_key_id: string | null;
  brand: string;
  text: string;
  analysis: ScriptAnalysis;
  analyzer: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, api_key_id, brand, text, analysis, analyzer, created_at, updated_at';

export class ScriptRepository {
  async insert(sql: Sql, script: Omit<ScriptRecord, 'created_at' | 'updated_at'>): Promise<ScriptRecord> {
    const rows = await sql.query(
      `INSERT INTO scripts (id, api_key_id, brand, text, analysis, analyzer)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [
        script.id,
        script.api_key_id,
        script.brand,
        script.text,
        JSON.stringify(script.analysis),
        script.analyzer,
      ],
    );
    return rows[0] as unknown as ScriptRecord;
  }

  async find(sql: Sql, id: string): Promise<ScriptRecord | null> {
    const rows = await sql.query(`SELECT ${COLUMNS} FROM scripts WHERE id = $1`, [id]);
    return (rows[0] as unknown as ScriptRecord | undefined) ?? null;
  }

  async update(
    sql: Sql,
    id: string,
    changes: { brand: string; analysis: ScriptAnalysis; analyzer: string },
  ): Promise<ScriptRecord | null> {
    const rows = await sql.query(
      `UPDATE scripts SET brand = $2, analysis = $3, analyzer = $4, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, changes.brand, JSON.stringify(changes.analysis), changes.analyzer],
    );
    return (rows[0] as unknown as ScriptRecord | undefined) ?? null;
  }

  /** The slideshow made for a batch, if any. */
  async findVideo(
    sql: Sql,
    batchId: string,
  ): Promise<{ sha256: string; bytes: number; seconds: number } | null> {
    const rows = await sql.query<{ sha256: string; bytes: number; seconds: number }>(
      'SELECT sha256, bytes, seconds FROM batch_videos WHERE batch_id = $1',
      [batchId],
    );
    return rows[0] ?? null;
  }

  async saveVideo(sql: Sql, batchId: string, video: { sha256: string; bytes: number; seconds: number }) {
    await sql.query(
      `INSERT INTO batch_videos (batch_id, sha256, bytes, seconds) VALUES ($1, $2, $3, $4)
       ON CONFLICT (batch_id) DO UPDATE SET sha256 = $2, bytes = $3, seconds = $4, created_at = now()`,
      [batchId, video.sha256, video.bytes, video.seconds],
    );
  }
}
