import type { Sql } from './client.ts';

export type DestinationKind = 'http' | 'bucket';

export interface DestinationRecord {
  id: string;
  name: string;
  kind: DestinationKind;
  /** For http: method, url, body, headers, auth_header; for bucket: bucket, key_pattern, region, endpoint… */
  config: Record<string, unknown>;
  /** Sealed: the auth header's value, or the bucket's secret access key. */
  secret: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, kind, config, secret, created_at, updated_at';

export class DestinationRepository {
  async insert(
    sql: Sql,
    record: Omit<DestinationRecord, 'created_at' | 'updated_at'>,
  ): Promise<DestinationRecord> {
    const rows = await sql.query<DestinationRecord>(
      `INSERT INTO destinations (id, name, kind, config, secret) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [record.id, record.name, record.kind, JSON.stringify(record.config), record.secret],
    );
    return rows[0]!;
  }

  async list(sql: Sql): Promise<DestinationRecord[]> {
    return sql.query<DestinationRecord>(`SELECT ${COLUMNS} FROM destinations ORDER BY name`);
  }

  async find(sql: Sql, idOrName: string): Promise<DestinationRecord | null> {
    const rows = await sql.query<DestinationRecord>(
      `SELECT ${COLUMNS} FROM destinations WHERE id = $1 OR name = $1`,
      [idOrName],
    );
    return rows[0] ?? null;
  }

  async update(
    sql: Sql,
    id: string,
    changes: { name?: string; config?: Record<string, unknown>; secret?: string | null },
  ): Promise<DestinationRecord | null> {
    const rows = await sql.query<DestinationRecord>(
      `UPDATE destinations SET name = coalesce($2, name), config = coalesce($3, config),
         secret = CASE WHEN $4 THEN $5 ELSE secret END, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        changes.name ?? null,
        changes.config ? JSON.stringify(changes.config) : null,
        changes.secret !== undefined,
        changes.secret ?? null,
      ],
    );
    return rows[0] ?? null;
  }

  async delete(sql: Sql, id: string): Promise<boolean> {
    return (await sql.query('DELETE FROM destinations WHERE id = $1 RETURNING id', [id])).length > 0;
  }
}
