import { createReadStream, openAsBlob } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { presentBatch, presentJob } from '../../api/presenters.ts';
import type { Container } from '../../app/container.ts';
import type { BatchRequest, BatchSource } from '../../services/batches/batch-import.service.ts';
import { encodeCursor } from '../../services/generation/generation.service.ts';
import { type ApiClient, CliError } from '../api-client.ts';

export type BatchView = ReturnType<typeof presentBatch>;
export type JobView = ReturnType<typeof presentJob>;

const PAGE = 200;

/** What the batch commands need, from a server (`--server`) or from this process. */
export interface BatchTarget {
  kind: 'remote' | 'local';
  /** Where the batch lives, for messages: the server's URL or the data directory. */
  where: string;
  create(file: string, request: BatchRequest): Promise<BatchView>;
  state(id: string): Promise<BatchView>;
  cancel(id: string): Promise<BatchView>;
  list(limit: number): Promise<BatchView[]>;
  /** The batch's jobs with `status`, newest first, a page at a time. */
  jobs(id: string, status: 'succeeded' | 'failed'): AsyncGenerator<JobView>;
  bytes(image: JobView['images'][number]): Promise<Uint8Array>;
  manifest(id: string): Promise<Uint8Array>;
}

export async function readJsonRows(file: string): Promise<Array<Record<string, unknown>>> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
  const rows = Array.isArray(parsed) ? parsed : (parsed as { rows?: unknown })?.rows;
  if (!Array.isArray(rows))
    throw new CliError(`${file}: a JSON batch is an array of rows, or {"rows": [...]}`);
  return rows as Array<Record<string, unknown>>;
}

export const isJsonFile = (file: string) => path.extname(file).toLowerCase() === '.json';

export function localBatchTarget(container: Container, dataDir: string): BatchTarget {
  const view = async (id: string) => presentBatch(await container.batches.state(id));
  return {
    kind: 'local',
    where: dataDir,
    async create(file, request) {
      const source: BatchSource = isJsonFile(file)
        ? { kind: 'json', rows: await readJsonRows(file) }
        : { kind: 'csv', bytes: createReadStream(file) };
      const { batch } = await container.batchImports.create(request, source, { apiKeyId: null });
      return view(batch.id);
    },
    state: view,
    cancel: async (id) => presentBatch(await container.batches.cancel(id)),
    list: async (limit) => (await container.batches.list({ limit })).map(presentBatch),
    async *jobs(id, status) {
      let cursor: string | undefined;
      for (;;) {
        const page = await container.generations.list({ batchId: id, status, limit: PAGE, cursor });
        const assets = await container.deps.assets.listForJobs(
          container.db,
          page.map((job) => job.id),
        );
        for (const job of page) {
          const own = assets.filter((asset) => asset.job_id === job.id);
          yield presentJob(job, own, container.assets);
        }
        if (page.length < PAGE) return;
        cursor = encodeCursor(page.at(-1)!);
      }
    },
    bytes: async (image) => (await container.assets.read(image.id)).bytes,
    async manifest(id) {
      const batch = await container.batches.get(id);
      return new Uint8Array(await new Response(container.batchExports.manifest(batch)).arrayBuffer());
    },
  };
}

export function remoteBatchTarget(client: ApiClient): BatchTarget {
  const batchPath = (id: string) => `/v1/batches/${encodeURIComponent(id)}`;
  return {
    kind: 'remote',
    where: client.baseUrl,
    async create(file, request) {
      if (isJsonFile(file))
        return client.request<BatchView>('POST', '/v1/batches', {
          ...request,
          rows: await readJsonRows(file),
        });
      const form = new FormData();
      for (const [name, value] of Object.entries(request))
        if (value !== undefined)
          form.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
      form.set('file', await openAsBlob(file, { type: 'text/csv' }), path.basename(file));
      return client.requestForm<BatchView>('/v1/batches', form);
    },
    state: (id) => client.request<BatchView>('GET', batchPath(id)),
    cancel: (id) => client.request<BatchView>('POST', `${batchPath(id)}/cancel`),
    list: async (limit) =>
      (await client.request<{ data: BatchView[] }>('GET', `/v1/batches?limit=${limit}`)).data,
    async *jobs(id, status) {
      let cursor: string | null = null;
      do {
        const query = `batch_id=${encodeURIComponent(id)}&status=${status}&limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`;
        const page: { data: JobView[]; next_cursor: string | null } = await client.request(
          'GET',
          `/v1/jobs?${query}`,
        );
        yield* page.data;
        cursor = page.next_cursor;
      } while (cursor);
    },
    bytes: (image) => client.download(image.url),
    manifest: (id) => client.getBytes(`${batchPath(id)}/manifest.csv`),
  };
}
