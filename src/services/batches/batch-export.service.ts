import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ZipFile } from 'yazl';
import type { ManifestRow } from '../../db/batch.repository.ts';
import { type BatchRecord, fileStemForKey, isBatchFinished } from '../../domain/batch.ts';
import { batchFileName } from '../../domain/batch-files.ts';
import { AppError } from '../../domain/errors.ts';
import { attentionWarnings, normalizeJobWarnings } from '../../domain/job-warnings.ts';
import type { JobWarning } from '../../domain/quality.ts';
import type { AssetService } from '../assets/asset.service.ts';
import type { ServiceDeps } from '../deps.ts';

type Deps = Pick<ServiceDeps, 'db' | 'batches' | 'blobs'>;

/** A row's latest publication to one destination (from the integrations capability). */
export interface RowPublication {
  job_id: string;
  destination: string;
  status: string;
  error_code: string | null;
  last_status_code: number | null;
}

const PAGE = 500;
/** How long the presigned URL of a stored zip stays valid. */
const EXPORT_URL_SECONDS = 3600;

/** The manifest (CSV) and the zip of a batch's images, both streamed a page of rows at a time. */
export class BatchExportService {
  readonly #deps: Deps;
  readonly #assets: Pick<AssetService, 'signedUrl'>;
  readonly #presigned: boolean;
  readonly #publications: ((jobIds: readonly string[]) => Promise<RowPublication[]>) | undefined;

  constructor(
    deps: Deps,
    assets: Pick<AssetService, 'signedUrl'>,
    options: {
      presigned?: boolean;
      /** Each row's publications, for the manifest's `published` column. */
      publications?: (jobIds: readonly string[]) => Promise<RowPublication[]>;
    } = {},
  ) {
    this.#deps = deps;
    this.#assets = assets;
    this.#presigned = Boolean(options.presigned);
    this.#publications = options.publications;
  }

  /**
   * With presigned URLs (S3), a finished batch's zip is built once into the bucket — streamed up
   * in parts, under a name holding when the batch finished, so a retried batch gets a new one —
   * and handed out as a presigned URL. Null otherwise: the zip is streamed by `zip()`.
   */
  async storedZipUrl(batch: BatchRecord): Promise<string | null> {
    const { blobs } = this.#deps;
    if (!this.#presigned || !blobs.putExport || !blobs.hasExport || !blobs.presignedUrl) return null;
    if (!isBatchFinished(batch.status) || !batch.finished_at) return null;
    const name = `batches/${batch.id}-${batch.finished_at.getTime()}.zip`;
    if (!(await blobs.hasExport(name))) {
      await blobs.putExport(name, Readable.fromWeb(this.zip(batch) as WebReadableStream), 'application/zip');
    }
    return blobs.presignedUrl(
      { export: name },
      { seconds: EXPORT_URL_SECONDS, fileName: `batch-${batch.id}-images.zip`, disposition: 'attachment' },
    );
  }

  /**
   * One line per row, in spreadsheet order: `row, <key column>, job_id, status, image_urls, error,
   * quality, warnings, files, background`. Invalid rows are there too (status `invalid`, no job, their key when
   * they had one). Image URLs are signed and space-separated; `quality` is the lowest score of the
   * row's images (docs/quality.md); `warnings` are the job's warnings that ask for attention,
   * ` | `-separated; `files` names each image as it is in the zip; `background` how a `generated`
   * background was made (`masked_edit openai/gpt-image-1`, `generated …`, `procedural`). A batch with publish destinations
   * has a last column, `published`: `destination: status` per destination, with the error code and
   * HTTP status of a failure.
   */
  manifest(batch: BatchRecord): ReadableStream<Uint8Array> {
    const { db, batches } = this.#deps;
    const signer = this.#assets;
    const invalid = [...batch.errors].sort((a, b) => a.row - b.row);
    const publicationsOf = batch.destinations.length > 0 ? this.#publications : undefined;
    const published = (byJob: Map<string, RowPublication[]>, jobId: string | null) =>
      (jobId ? (byJob.get(jobId) ?? []) : [])
        .map((entry) =>
          [
            `${entry.destination}: ${entry.status}`,
            entry.error_code
              ? ` (${entry.error_code}${entry.last_status_code ? ` ${entry.last_status_code}` : ''})`
              : '',
          ].join(''),
        )
        .join('; ');
    // A script's render groups its rows by segment: the manifest says which, and which template.
    const grouped = batch.script_id !== null;
    const groupColumns = (row: { group_name: string | null; template: string | null } | null) =>
      grouped ? [row?.group_name ?? '', row?.template ?? ''] : [];
    // A row refused at import: its line, key and reason; no job, file or score.
    const invalidLine = (error: (typeof invalid)[number]) =>
      csvLine([
        String(error.row),
        ...groupColumns(null),
        error.key ?? '',
        '',
        'invalid',
        '',
        error.message,
        '',
        '',
        '',
        '',
        ...(publicationsOf ? [''] : []),
      ]);
    async function* lines(): AsyncGenerator<string> {
      const header = [
        'row',
        ...(grouped ? ['segment', 'template'] : []),
        batch.key_column ?? 'key',
        'job_id',
        'status',
        'image_urls',
        'error',
        'quality',
        'warnings',
        'files',
        'background',
      ];
      yield csvLine(publicationsOf ? [...header, 'published'] : header);
      let after = 0;
      let nextInvalid = 0;
      for (;;) {
        const page = await batches.manifestPage(db, batch.id, after, PAGE);
        // The latest publication per job and destination (a replay replaces the original).
        const byJob = new Map<string, RowPublication[]>();
        if (publicationsOf) {
          const latest = new Map<string, RowPublication>();
          const ids = page.flatMap((row) => (row.job_id ? [row.job_id] : []));
          for (const entry of await publicationsOf(ids))
            latest.set(`${entry.job_id} ${entry.destination}`, entry);
          for (const entry of latest.values())
            byJob.set(entry.job_id, [...(byJob.get(entry.job_id) ?? []), entry]);
        }
        for (const row of page) {
          while (nextInvalid < invalid.length && invalid[nextInvalid]!.row < row.line) {
            yield invalidLine(invalid[nextInvalid++]!);
          }
          const urls = row.asset_ids.map((id) => signer.signedUrl(id)).join(' ');
          const message =
            row.status === 'succeeded' || !row.error ? '' : `${row.error.code}: ${row.error.message}`;
          yield csvLine([
            String(row.line),
            ...groupColumns(row),
            row.row_key ?? '',
            row.job_id ?? '',
            row.status ?? 'queued',
            urls,
            message,
            lowestScoreText(row.asset_scores),
            attentionWarnings(normalizeJobWarnings(row.warnings))
              .map((warning) => `${warning.code}: ${warning.message}`)
              .join(' | '),
            row.status === 'succeeded' ? rowFileNames(row).join(' ') : '',
            row.status === 'succeeded' ? backgroundOf(normalizeJobWarnings(row.warnings)) : '',
            ...(publicationsOf ? [published(byJob, row.job_id)] : []),
          ]);
        }
        if (page.length < PAGE) break;
        after = page.at(-1)!.position;
      }
      for (const error of invalid.slice(nextInvalid)) yield invalidLine(error);
    }
    const encoder = new TextEncoder();
    return Readable.toWeb(
      Readable.from(lines(), { objectMode: false }).map((line: string) => encoder.encode(line)),
    ) as ReadableStream<Uint8Array>;
  }

  /**
   * A zip of the succeeded rows' images, named by the key column (`SKU.png`, or `SKU-2.png` for the
   * second image of a row; `row-LINE` when a row has no key; made unique at import, see
   * batch-files.ts). Images are stored, not deflated: they are compressed already.
   */
  zip(batch: BatchRecord): ReadableStream<Uint8Array> {
    const { db, batches, blobs } = this.#deps;
    const zip = new ZipFile();
    const addAll = async () => {
      let after = 0;
      for (;;) {
        const page = await batches.manifestPage(db, batch.id, after, PAGE);
        for (const row of page) {
          if (row.status !== 'succeeded') continue;
          const names = rowFileNames(row);
          for (const [index, sha] of row.asset_shas.entries()) {
            const name = names[index]!;
            zip.addReadStreamLazy(name, { compress: false }, (done) => {
              blobs.get(sha).then(
                (bytes) => {
                  if (bytes) done(null, Readable.from([Buffer.from(bytes)]));
                  else
                    done(
                      new AppError('storage_failed', `The image ${sha} is missing from storage`),
                      Readable.from([]),
                    );
                },
                (error: Error) => done(error, Readable.from([])),
              );
            });
          }
        }
        if (page.length < PAGE) break;
        after = page.at(-1)!.position;
      }
      zip.end();
    };
    addAll().catch((error: Error) => (zip.outputStream as Readable).destroy(error));
    return Readable.toWeb(zip.outputStream as Readable) as ReadableStream<Uint8Array>;
  }

  /** Every row of a batch with its job's state and images, in row order (for small batches: a script's). */
  async rows(batch: BatchRecord): Promise<Array<ManifestRow & { files: string[]; urls: string[] }>> {
    const { db, batches } = this.#deps;
    const all: Array<ManifestRow & { files: string[]; urls: string[] }> = [];
    let after = 0;
    for (;;) {
      const page = await batches.manifestPage(db, batch.id, after, PAGE);
      for (const row of page) {
        all.push({
          ...row,
          files: rowFileNames(row),
          urls: row.asset_ids.map((id) => this.#assets.signedUrl(id)),
        });
      }
      if (page.length < PAGE) return all;
      after = page.at(-1)!.position;
    }
  }
}

/** The zip names of a succeeded row's images (see batch-files.ts). */
function rowFileNames(row: ManifestRow): string[] {
  const stem = row.file_stem ?? fileStemForKey(row.row_key, row.line);
  return row.asset_shas.map((_sha, index) =>
    batchFileName(stem, index, row.asset_shas.length, row.asset_formats[index] ?? 'png'),
  );
}

function csvLine(values: readonly string[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** Quoted when needed; a leading =, +, - or @ is prefixed with ' so spreadsheets show it as text. */
function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function lowestScoreText(scores: ReadonlyArray<number | null>): string {
  const known = scores.filter((score): score is number => typeof score === 'number');
  return known.length > 0 ? Math.min(...known).toFixed(2) : '';
}

/**
 * How a row's `generated` background was made (docs/product-photos.md): `masked_edit openai/gpt-image-1`,
 * `generated …`, `procedural`; empty when its template has no generated background.
 */
function backgroundOf(warnings: readonly JobWarning[]): string {
  const call = warnings.find(
    (warning) => typeof warning.data?.background_path === 'string' && warning.data.provider,
  );
  if (call)
    return `${String(call.data?.background_path)} ${String(call.data?.provider)}/${String(call.data?.model)}`;
  const studio = warnings.find((warning) => typeof warning.data?.background_path === 'string');
  return studio ? String(studio.data?.background_path) : '';
}
