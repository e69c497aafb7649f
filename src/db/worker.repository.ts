import type { ProviderReport, WorkerRecord } from '../domain/worker.ts';
import type { Sql } from './client.ts';

const COLUMNS = `id, host, pid, version, concurrency, running_job_ids, finished_jobs, providers, started_at,
  last_seen_at, stopped_at, extract(epoch FROM now() - last_seen_at)::float8 AS seen_seconds_ago`;

export interface WorkerAnnouncement {
  id: string;
  host: string;
  pid: number;
  version: string;
  concurrency: number;
}

export interface WorkerBeat {
  runningJobIds: readonly string[];
  finishedJobs: number;
  providers: readonly ProviderReport[];
}

function toWorker(row: Record<string, unknown>): WorkerRecord {
  return {
    ...(row as unknown as WorkerRecord),
    seen_seconds_ago: Math.max(0, Number(row.seen_seconds_ago)),
    providers: (row.providers ?? []) as ProviderReport[],
  };
}

/** The `workers` table: one row per worker process start, kept fresh by its heartbeat. */
export class WorkerRepository {
  async announce(sql: Sql, worker: WorkerAnnouncement, beat: WorkerBeat): Promise<void> {
    await sql.query(
      `INSERT INTO workers (id, host, pid, version, concurrency, running_job_ids, finished_jobs, providers)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET running_job_ids = $6, finished_jobs = $7, providers = $8,
         last_seen_at = now(), stopped_at = NULL`,
      [
        worker.id,
        worker.host,
        worker.pid,
        worker.version,
        worker.concurrency,
        beat.runningJobIds,
        beat.finishedJobs,
        JSON.stringify(beat.providers),
      ],
    );
  }

  /**
   * Refreshes a worker's row; false when the row is gone (pruned), so the caller announces again,
   * or marked stopped (a beat that arrives after the goodbye changes nothing).
   */
  async beat(sql: Sql, id: string, beat: WorkerBeat): Promise<boolean> {
    const rows = await sql.query(
      `UPDATE workers SET running_job_ids = $2, finished_jobs = $3, providers = $4, last_seen_at = now()
       WHERE id = $1 AND stopped_at IS NULL RETURNING id`,
      [id, beat.runningJobIds, beat.finishedJobs, JSON.stringify(beat.providers)],
    );
    return rows.length > 0;
  }

  async markStopped(sql: Sql, id: string): Promise<void> {
    await sql.query(
      `UPDATE workers SET stopped_at = now(), running_job_ids = '{}', last_seen_at = now() WHERE id = $1`,
      [id],
    );
  }

  /** Workers heard from within `withinSeconds` (every one kept, with null), most recently seen first. */
  async list(sql: Sql, withinSeconds: number | null): Promise<WorkerRecord[]> {
    const rows = await sql.query(
      `SELECT ${COLUMNS} FROM workers
       WHERE $1::float8 IS NULL OR last_seen_at > now() - make_interval(secs => $1::float8)
       ORDER BY stopped_at IS NOT NULL, last_seen_at DESC, id LIMIT 1000`,
      [withinSeconds],
    );
    return rows.map(toWorker);
  }

  /**
   * Seconds since a running (not stopped) worker was last heard from — null when none is running
   * — and since the last worker stopped gracefully (null when none did).
   */
  async lastBeats(sql: Sql): Promise<{ running: number | null; stopped: number | null }> {
    const rows = await sql.query<{ running: number | null; stopped: number | null }>(
      `SELECT extract(epoch FROM now() - max(last_seen_at) FILTER (WHERE stopped_at IS NULL))::float8 AS running,
              extract(epoch FROM now() - max(stopped_at))::float8 AS stopped
       FROM workers`,
    );
    const seconds = (value: number | null | undefined) =>
      value === null || value === undefined ? null : Math.max(0, Number(value));
    return { running: seconds(rows[0]?.running), stopped: seconds(rows[0]?.stopped) };
  }

  /** Forgets workers not heard from for `olderThanSeconds` (a week by default at each start). */
  async prune(sql: Sql, olderThanSeconds: number): Promise<number> {
    const rows = await sql.query(
      'DELETE FROM workers WHERE last_seen_at < now() - make_interval(secs => $1) RETURNING id',
      [olderThanSeconds],
    );
    return rows.length;
  }
}
