import { randomUUID } from 'node:crypto';
import type { DestinationRepository } from '../../db/destination.repository.ts';
import type {
  NewPublication,
  PublicationKind,
  PublicationRecord,
  PublicationRepository,
  PublicationStatus,
} from '../../db/publication.repository.ts';
import { notFound } from '../../domain/errors.ts';
import type { AssetRecord, JobRecord } from '../../domain/job.ts';
import { retryDelayMs } from '../../domain/retry.ts';
import { isPublishError } from '../../integrations/publish-error.ts';
import { PUBLISH_QUEUE } from '../../queue/jobs.ts';
import type { ServiceDeps } from '../deps.ts';

type Deps = Pick<ServiceDeps, 'db' | 'jobs' | 'batches' | 'assets' | 'queue' | 'logger'> & {
  publications: PublicationRepository;
  destinations: DestinationRepository;
};

/** What a publisher is handed: the publication, its job and the job's images in order. */
export interface PublishContext {
  publication: PublicationRecord;
  job: JobRecord;
  images: AssetRecord[];
  saveProgress(progress: Record<string, unknown>): Promise<void>;
}

/** What a successful attempt sent and got back, for the delivery log. */
export interface PublishOutcome {
  statusCode: number | null;
  request: Record<string, unknown>;
  responseExcerpt: string | null;
}

/** Delivers one publication (Shopify, a CMS, a bucket); throws a PublishError when it cannot. */
export interface Publisher {
  publish(context: PublishContext): Promise<PublishOutcome>;
  /** Called once a publication failed for good (no more retries). */
  onFailed?(publication: PublicationRecord, job: JobRecord): Promise<void>;
}

/** Attempts of one publication: 2 s, 4 s … capped at 10 minutes, about an hour in all. */
const MAX_ATTEMPTS = 10;
const RETRY_BASE_MS = 2000;
const RETRY_MAX_MS = 600_000;

/**
 * Publishing a succeeded job's images: to the shop for Shopify products, and to each destination
 * of a batch (a CMS call, a bucket copy). Each delivery is a publication row and a queue job —
 * created once per job and destination, retried with backoff when the other side may recover,
 * failed at once when it refused (a CMS 4xx), and replayable.
 */
export class PublishService {
  readonly #deps: Deps;
  readonly #publishers: Partial<Record<PublicationKind, Publisher>>;

  constructor(deps: Deps, publishers: Partial<Record<PublicationKind, Publisher>>) {
    this.#deps = deps;
    this.#publishers = publishers;
  }

  /** After a job succeeded: its Shopify product, or its batch's destinations. */
  async onJobSucceeded(jobId: string): Promise<void> {
    const { db, jobs } = this.#deps;
    const job = await jobs.findById(db, jobId);
    if (job?.status !== 'succeeded') return;
    const planned: NewPublication[] = [];
    const productId = job.metadata.shopify_product_id;
    if (typeof productId === 'string') {
      planned.push({
        id: randomUUID(),
        job_id: job.id,
        batch_id: job.batch_id,
        destination: 'shopify',
        kind: 'shopify',
        target: productId,
        replay_of: null,
      });
    }
    if (job.batch_id) {
      const kinds = await this.#batchDestinations(job.batch_id);
      for (const [destination, kind] of Object.entries(kinds)) {
        const target = kind === 'shopify' ? String(job.metadata.batch_key ?? '') : '';
        planned.push({
          id: randomUUID(),
          job_id: job.id,
          batch_id: job.batch_id,
          destination,
          kind,
          target,
          replay_of: null,
        });
      }
    }
    await this.#enqueue(planned);
  }

  /** Publications for every succeeded row of a batch that has none yet (cache hits, missed events). */
  async sweepBatch(batchId: string): Promise<number> {
    const { db, publications, queue } = this.#deps;
    const kinds = await this.#batchDestinations(batchId);
    const count = await db.transaction(async (tx) => {
      const ids = await publications.insertForBatch(tx, batchId, kinds);
      await queue.sendMany(
        PUBLISH_QUEUE,
        ids.map((id) => ({ id: randomUUID(), payload: { publicationId: id }, priority: 0 })),
        { sql: tx },
      );
      return ids.length;
    });
    if (count > 0) queue.wake(PUBLISH_QUEUE);
    return count;
  }

  /**
   * At a worker's start: publications a crash kept from being created (Shopify renders finished
   * just before it; every batch still running is swept when it finishes).
   */
  async resume(): Promise<number> {
    const { db, publications, queue } = this.#deps;
    const count = await db.transaction(async (tx) => {
      const ids = await publications.insertMissingShopify(tx);
      await queue.sendMany(
        PUBLISH_QUEUE,
        ids.map((id) => ({ id: randomUUID(), payload: { publicationId: id }, priority: 0 })),
        { sql: tx },
      );
      return ids.length;
    });
    if (count > 0) queue.wake(PUBLISH_QUEUE);
    return count;
  }

  async get(id: string): Promise<PublicationRecord> {
    const found = await this.#deps.publications.find(this.#deps.db, id);
    if (!found) throw notFound('Publication', id);
    return found;
  }

  listForBatch(
    batchId: string,
    filter: { status?: PublicationStatus; unreplayed?: boolean; limit: number; after?: string },
  ) {
    return this.#deps.publications.listForBatch(this.#deps.db, batchId, filter);
  }

  async listForJob(jobId: string): Promise<PublicationRecord[]> {
    if (!/^[0-9a-f-]{36}$/i.test(jobId)) throw notFound('Job', jobId);
    return this.#deps.publications.listForJobs(this.#deps.db, [jobId]);
  }

  listForJobs(jobIds: readonly string[]) {
    return this.#deps.publications.listForJobs(this.#deps.db, jobIds);
  }

  /** Per destination (by name): how many rows are published, pending or failed (replays counted once). */
  async summaryForBatch(batchId: string): Promise<Record<string, Record<PublicationStatus, number>>> {
    const { db, publications, destinations } = this.#deps;
    const counts = await publications.countForBatch(db, batchId);
    const names = new Map<string, string>();
    for (const id of new Set(counts.map((row) => row.destination))) {
      names.set(id, id === 'shopify' ? id : ((await destinations.find(db, id))?.name ?? id));
    }
    const summary: Record<string, Record<PublicationStatus, number>> = {};
    for (const row of counts) {
      const name = names.get(row.destination)!;
      summary[name] ??= { pending: 0, succeeded: 0, failed: 0 };
      summary[name]![row.status] += row.count;
    }
    return summary;
  }

  /** Sends a publication again, as a new one (the original stays in the log). */
  async replay(id: string): Promise<PublicationRecord> {
    const original = await this.get(id);
    const replayId = randomUUID();
    await this.#enqueue([{ ...original, id: replayId, replay_of: original.id }]);
    return this.get(replayId);
  }

  /** Replays every failed publication of a batch not replayed yet; returns how many. */
  async replayFailed(batchId: string): Promise<number> {
    let replayed = 0;
    for (;;) {
      const page = await this.listForBatch(batchId, { status: 'failed', unreplayed: true, limit: 200 });
      for (const publication of page) await this.replay(publication.id);
      replayed += page.length;
      if (page.length < 200) return replayed;
    }
  }

  /** The queue handler: one attempt; a retryable failure comes back through the queue after a backoff. */
  async deliver(publicationId: string, signal?: AbortSignal): Promise<void> {
    const { db, jobs, assets, publications, queue, logger } = this.#deps;
    const publication = await publications.find(db, publicationId);
    if (publication?.status !== 'pending') return;
    const job = await jobs.findById(db, publication.job_id);
    const publisher = this.#publishers[publication.kind];
    if (!job || !publisher) {
      await publications.recordAttempt(db, publicationId, {
        ok: false,
        final: true,
        statusCode: null,
        errorCode: 'publish_unavailable',
        error: job ? `No ${publication.kind} publisher is configured` : 'The job was deleted',
        request: {},
        responseExcerpt: null,
      });
      return;
    }
    const images = await assets.listForJobs(db, [job.id]);
    let outcome: Parameters<PublicationRepository['recordAttempt']>[2];
    let retryAfter: number | undefined;
    try {
      const done = await publisher.publish({
        publication,
        job,
        images,
        saveProgress: (progress) => publications.saveProgress(db, publicationId, progress),
      });
      outcome = { ok: true, final: true, errorCode: null, error: null, ...done };
    } catch (error) {
      if (signal?.aborted) throw error;
      const known = isPublishError(error);
      const attempt = publication.attempts + 1;
      const retryable = known ? error.retryable : true;
      retryAfter = known ? error.retryAfterMs : undefined;
      outcome = {
        ok: false,
        final: !retryable || attempt >= MAX_ATTEMPTS,
        statusCode: known ? error.statusCode : null,
        errorCode: known ? error.code : 'publish_failed',
        error: (error as Error).message.slice(0, 500),
        request: (known ? error.request : undefined) ?? publication.request,
        responseExcerpt: known ? error.bodyExcerpt : null,
      };
      if (!known) logger.warn({ err: error, publicationId }, 'publication failed unexpectedly');
    }
    const recorded = await publications.recordAttempt(db, publicationId, outcome);
    if (!recorded) return;
    if (recorded.status === 'failed') {
      await publisher.onFailed?.(recorded, job);
      logger.warn(
        { publicationId, destination: recorded.destination, code: recorded.error_code },
        'publication failed',
      );
      return;
    }
    if (recorded.status === 'pending') {
      const delay = retryDelayMs(recorded.attempts, {
        baseMs: RETRY_BASE_MS,
        maxMs: RETRY_MAX_MS,
        retryAfterMs: retryAfter,
      });
      await queue.send(PUBLISH_QUEUE, { publicationId }, { priority: 0, startAfterMs: delay });
    }
  }

  async #batchDestinations(batchId: string): Promise<Record<string, PublicationKind>> {
    const { db, batches, destinations } = this.#deps;
    const batch = await batches.findById(db, batchId);
    const kinds: Record<string, PublicationKind> = {};
    for (const id of batch?.destinations ?? []) {
      if (id === 'shopify') kinds[id] = 'shopify';
      else {
        const destination = await destinations.find(db, id);
        if (destination) kinds[id] = destination.kind;
      }
    }
    return kinds;
  }

  async #enqueue(planned: readonly NewPublication[]): Promise<void> {
    if (planned.length === 0) return;
    const { db, publications, queue } = this.#deps;
    await db.transaction(async (tx) => {
      const ids = await publications.insertMany(tx, planned);
      await queue.sendMany(
        PUBLISH_QUEUE,
        ids.map((id) => ({ id: randomUUID(), payload: { publicationId: id }, priority: 0 })),
        { sql: tx },
      );
    });
    queue.wake(PUBLISH_QUEUE);
  }
}
