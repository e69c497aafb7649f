import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Config, Role } from '../config/env.ts';
import type { ProviderLimits } from '../config/providers.schema.ts';
import { ApiKeyRepository } from '../db/api-key.repository.ts';
import { AssetRepository } from '../db/asset.repository.ts';
import { BatchRepository } from '../db/batch.repository.ts';
import { CacheRepository } from '../db/cache.repository.ts';
import { BrandRepository, SettingsRepository, TemplateRepository } from '../db/catalog.repository.ts';
import { type Database, openPglite, openPostgres } from '../db/client.ts';
import { JobRepository } from '../db/job.repository.ts';
import { migrate } from '../db/migrator.ts';
import { UsageRepository } from '../db/usage.repository.ts';
import { WebhookRepository } from '../db/webhook.repository.ts';
import { DEFAULT_PRICES, mergePriceTables } from '../domain/pricing.ts';
import { createImageProvider, pacesOwnRequests } from '../providers/factory.ts';
import { CallLimiter } from '../providers/guard/call-limiter.ts';
import { guardProvider } from '../providers/guard/guarded-provider.ts';
import { ProviderRegistry, type RegisteredProvider } from '../providers/registry.ts';
import type { ImageProvider } from '../providers/spec.ts';
import { createStudioProvider } from '../providers/studio/studio-provider.ts';
import {
  BATCH_FANOUT_QUEUE,
  GENERATE_QUEUE,
  PUBLISH_QUEUE,
  SHOPIFY_EVENT_QUEUE,
  SHOPIFY_SYNC_QUEUE,
  SLACK_QUEUE,
  WEBHOOK_QUEUE,
} from '../queue/jobs.ts';
import { JobQueue } from '../queue/queue.ts';
import type { AccessCapability } from '../services/access/access.wiring.ts';
import { wireAccess } from '../services/access/access.wiring.ts';
import { AssetService } from '../services/assets/asset.service.ts';
import type { AssistantCapability } from '../services/assistant/assistant.wiring.ts';
import { wireAssistant } from '../services/assistant/assistant.wiring.ts';
import type { BatchesCapability } from '../services/batches/batches.wiring.ts';
import { wireBatches } from '../services/batches/batches.wiring.ts';
import { CatalogService } from '../services/brands/catalog.service.ts';
import type { ChatCapability } from '../services/chat/chat.wiring.ts';
import { wireChat } from '../services/chat/chat.wiring.ts';
import { type ChecksCapability, wireChecks } from '../services/checks/checks.wiring.ts';
import type { ServiceDeps } from '../services/deps.ts';
import type { FleetService } from '../services/fleet/fleet.service.ts';
import { newWorkerId, wireFleet } from '../services/fleet/fleet.wiring.ts';
import type { GenerationCapability } from '../services/generation/generation.wiring.ts';
import { wireGeneration } from '../services/generation/generation.wiring.ts';
import { type JobEvent, JobEvents } from '../services/generation/job-events.ts';
import {
  type IntegrationsCapability,
  prepareIntegrations,
  wireIntegrations,
} from '../services/integrations/integrations.wiring.ts';
import type { ProductsCapability } from '../services/products/products.wiring.ts';
import { wireProducts } from '../services/products/products.wiring.ts';
import type { ScriptsCapability } from '../services/scripts/scripts.wiring.ts';
import { wireScripts } from '../services/scripts/scripts.wiring.ts';
import type { StudioCapability } from '../services/studio/studio.wiring.ts';
import { wireStudio } from '../services/studio/studio.wiring.ts';
import type { WebhookService } from '../services/webhooks/webhook.service.ts';
import { wireWebhooks } from '../services/webhooks/webhooks.wiring.ts';
import { openBlobStore } from '../storage/open-store.ts';
import type { BlobStore } from '../storage/spec.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';

/** Everything a process built, by capability; routes and commands take what they use. */
export interface Container
  extends Pick<GenerationCapability, 'generations' | 'runner' | 'budget'>,
    StudioCapability,
    ChecksCapability,
    AccessCapability,
    BatchesCapability,
    ChatCapability,
    ProductsCapability,
    Omit<AssistantCapability, 'stopAssistant'>,
    ScriptsCapability {
  config: Config;
  logger: Logger;
  db: Database;
  queue: JobQueue;
  deps: ServiceDeps;
  catalog: CatalogService;
  assets: AssetService;
  webhooks: WebhookService;
  fleet: FleetService;
  metrics: Metrics;
  /** Shopify, publish destinations and the publications log. */
  integrations: IntegrationsCapability;
  /** The embedded data dir's lock, to record the server's URL in it once it listens. */
  announceUrl(url: string): void;
  /** Starts this process's workers on the queue. */
  startWorkers(concurrency: number): Promise<void>;
  close(options?: { graceful?: boolean }): Promise<void>;
}

export interface ContainerOptions {
  roles: ReadonlySet<Role>;
  logger?: Logger;
}

/** The composition root: builds everything once, from the validated config, in dependency order. */
export async function createContainer(config: Config, options: ContainerOptions): Promise<Container> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const lock = config.database.kind === 'pglite' ? lockDataDir(config.dataDir, null) : null;
  let db: Database | undefined;
  let startedQueue: JobQueue | undefined;
  let blobs: BlobStore | undefined;
  try {
    // Storage first: an unusable bucket stops the start before anything else is opened.
    blobs = await openBlobStore(config.storage);
    db =
      config.database.kind === 'pglite'
        ? await openPglite(config.database.dir)
        : await openPostgres(config.database.url, { schema: config.database.schema });
    await migrate(db);
    const queue = await JobQueue.start(db, {
      logger,
      supervise: true,
      queues: [
        GENERATE_QUEUE,
        BATCH_FANOUT_QUEUE,
        WEBHOOK_QUEUE,
        SHOPIFY_EVENT_QUEUE,
        SHOPIFY_SYNC_QUEUE,
        PUBLISH_QUEUE,
        SLACK_QUEUE,
      ],
    });
    startedQueue = queue;
    const store = blobs;
    const events = new JobEvents();
    // Only a process that runs jobs renders; an API-only node needs no render processes.
    const studio = createStudioProvider({
      renderProcesses: options.roles.has('worker')
        ? (config.worker.renderProcesses ?? Math.min(4, availableParallelism()))
        : 0,
      mattingModel: config.vision.mattingModel,
    });

    const jobRepository = new JobRepository();
    const metrics = createMetrics({ events, countJobs: () => jobRepository.countByStatus(openDb) });
    const openDb = db;
    const deps: ServiceDeps = {
      db,
      jobs: jobRepository,
      batches: new BatchRepository(),
      cache: new CacheRepository(),
      usage: new UsageRepository(),
      webhooks: new WebhookRepository(),
      assets: new AssetRepository(),
      brands: new BrandRepository(),
      templates: new TemplateRepository(),
      apiKeys: new ApiKeyRepository(),
      settings: new SettingsRepository(),
      queue,
      providers: buildProviderRegistry(config, studio, metrics),
      blobs: store,
      events,
      logger,
      layoutScene: (input) => studio.sceneInit(input),
      limits: {
        maxInputPixels: config.limits.maxInputPixels,
        allowPrivateUrls: config.limits.allowPrivateUrls,
        maxAttempts: config.worker.maxAttempts,
        retryBaseMs: 1000,
        retryMaxMs: 60_000,
        qualityRetries: config.worker.qualityRetries,
      },
    };
    const stopRelay = await relayJobEvents(db, events, logger);
    const catalog = new CatalogService(deps);
    await catalog.seed(config.file);
    const workerId = newWorkerId();
    const generation = wireGeneration(deps, {
      workerId,
      cache: config.cache,
      onCacheLookup: (kind, hit) => metrics.observeCacheLookup(kind, hit),
      onImageChecked: (passed) => metrics.observeQualityCheck(passed),
    });
    const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
    const assets = await AssetService.create(deps, {
      publicUrl,
      ttlSeconds: config.limits.signedUrlTtlSeconds,
      urls: config.storage.urls,
    });
    const prepared = await prepareIntegrations(deps);
    const batching = wireBatches(deps, {
      generation,
      assets,
      window: config.batches.window,
      presignedUrls: config.storage.urls === 'presigned',
      destinations: prepared.destinations,
      publications: async (jobIds) => {
        const names = new Map((await prepared.destinations.list()).map((entry) => [entry.id, entry.name]));
        return (await integrations.publish.listForJobs(jobIds)).map((entry) => ({
          ...entry,
          destination: names.get(entry.destination) ?? entry.destination,
        }));
      },
    });
    const outgoing = wireWebhooks(deps, { batches: batching.batches, assets, logger });
    const integrations = wireIntegrations(deps, prepared, {
      generation,
      batching,
      assets,
      webhooks: outgoing.webhooks,
      logger,
    });
    const { runner, budget, generations } = generation;
    const { fleet, heartbeat } = wireFleet(deps, {
      workerId,
      runsWorkers: options.roles.has('worker'),
      heartbeatSeconds: config.fleet.heartbeatSeconds,
      staleSeconds: config.fleet.workerStaleSeconds,
      activity: () => runner.activity(),
    });
    const { batches } = batching;
    const { webhooks } = outgoing;
    const chatting = wireChat(deps, {
      config: config.chat,
      budget,
      onCallFinished: (outcome, seconds) => metrics.observeProviderCall('chat', outcome, seconds),
    });
    const productsCapability = wireProducts(deps);
    // Scripts match their products against the catalog and, when a chat model is configured, may
    // be analysed by it (metered to the caller like the assistant's calls).
    const scripting = wireScripts(deps, {
      batching,
      chat: chatting.chat,
      products: productsCapability.products,
      ffmpeg: config.ffmpeg,
    });
    const { stopAssistant, ...assisting } = await wireAssistant(deps, {
      config,
      products: productsCapability.products,
      chat: chatting.chat,
      assets,
      webhooks,
      warm: config.assistant.warm && options.roles.has('api'),
    });

    return {
      config,
      logger,
      db,
      queue,
      deps,
      generations,
      runner,
      budget,
      catalog,
      assets,
      ...wireStudio(deps, generations),
      ...wireChecks(deps, assets),
      ...wireAccess(deps),
      ...batching,
      ...chatting,
      ...productsCapability,
      ...assisting,
      ...scripting,
      webhooks,
      fleet,
      metrics,
      integrations,
      announceUrl: (url) => {
        lock?.setUrl(url);
        // Without VITRINE_PUBLIC_URL, signed URLs point where the server really listens.
        if (!config.publicUrl) assets.setPublicUrl(url);
      },
      async startWorkers(concurrency) {
        if (config.database.kind === 'pglite') {
          // This process holds the embedded database alone: attempts still marked running were
          // cut off by a crash, so they go back to the queue now instead of after a heartbeat.
          const orphans = await deps.jobs.listRunningQueueJobIds(openDb);
          await queue.redeliverOrphans(GENERATE_QUEUE, orphans);
          if (orphans.length > 0)
            logger.info({ count: orphans.length }, 'requeued jobs interrupted by a crash');
        }
        studio.warm();
        await queue.work(GENERATE_QUEUE, { concurrency }, (payload, queueJob) =>
          runner.run(payload, queueJob.signal),
        );
        await queue.work(BATCH_FANOUT_QUEUE, { concurrency: 1 }, (payload) =>
          batches.runFanout(payload.batchId),
        );
        await queue.work(WEBHOOK_QUEUE, { concurrency: 4 }, (payload) =>
          webhooks.deliver(payload.deliveryId),
        );
        await integrations.startWorkers(queue);
        // Batches a stop or a crash interrupted go on where their rows stopped getting jobs.
        const resumed = await batches.resumeActive();
        if (resumed > 0) logger.info({ count: resumed }, 'resumed unfinished batches');
        await heartbeat?.start(concurrency);
      },
      async close({ graceful = true } = {}) {
        outgoing.stop();
        integrations.stop();
        await stopAssistant();
        await queue.stop({ graceful, timeoutMs: 10_000 }).catch(() => {});
        // After the queue: running jobs finished (or went back) before the worker says goodbye.
        await heartbeat?.stop();
        await stopRelay().catch(() => {});
        await studio.close();
        await openDb.close().catch(() => {});
        store.close?.();
        lock?.release();
      },
    };
  } catch (error) {
    // Whatever started must stop, or its timers keep a failed process alive.
    await startedQueue?.stop({ graceful: false, timeoutMs: 1000 }).catch(() => {});
    await db?.close().catch(() => {});
    blobs?.close?.();
    lock?.release();
    throw error;
  }
}

/** The studio engine renders in this process's own render pool: the pool is its limit, not the guard. */
const STUDIO_LIMITS = { max_concurrency: 256, timeout_ms: 120_000 };

/**
 * Every configured provider behind its guard (limits, deadline, circuit), with its price table: the
 * kind's list prices, overridden by the entry's. A ComfyUI workflow file that is not valid stops the
 * start with a message naming it.
 */
function buildProviderRegistry(config: Config, studio: ImageProvider, metrics: Metrics): ProviderRegistry {
  const guarded = (
    provider: ImageProvider,
    limits: ProviderLimits,
    pacing: { limiter?: CallLimiter; pacedByAdapter?: boolean } = {},
  ) =>
    guardProvider(provider, {
      limits,
      ...pacing,
      onCallFinished: (outcome, seconds) => metrics.observeProviderCall(provider.id, outcome, seconds),
    });
  const registered: RegisteredProvider[] = [
    { provider: guarded(studio, STUDIO_LIMITS), prices: mergePriceTables(DEFAULT_PRICES.studio, undefined) },
  ];
  for (const entry of config.providers) {
    // Where the adapter can, each request takes its turn in the pace as it leaves (pacedFetch).
    const limiter = new CallLimiter({
      requestsPerSecond: entry.limits.requests_per_second,
      maxConcurrency: entry.limits.max_concurrency,
    });
    const pacedByAdapter = pacesOwnRequests(entry.kind);
    const adapter = createImageProvider(entry, pacedByAdapter ? { fetch: limiter.pacedFetch(fetch) } : {});
    registered.push({
      provider: guarded(adapter, entry.limits, { limiter, pacedByAdapter }),
      prices: mergePriceTables(DEFAULT_PRICES[entry.kind], entry.prices),
      quality: entry.kind === 'openai' ? entry.quality : undefined,
    });
  }
  return new ProviderRegistry(registered, { defaultId: 'studio', routing: config.file.routing });
}

const JOB_EVENTS_CHANNEL = 'vitrine_job_events';

/**
 * With PostgreSQL, API and worker processes are separate: job events travel through NOTIFY so a
 * `?wait=` request or an event stream on one process hears a worker on another at once.
 */
async function relayJobEvents(db: Database, events: JobEvents, logger: Logger): Promise<() => Promise<void>> {
  const notifications = db.notifications;
  if (!notifications) return async () => {};
  const origin = randomUUID();
  const stop = await notifications.listen(JOB_EVENTS_CHANNEL, (payload) => {
    const message = JSON.parse(payload) as { origin: string; event: JobEvent };
    if (message.origin !== origin) events.receive(message.event);
  });
  events.setRelay((event) => {
    notifications.notify(JOB_EVENTS_CHANNEL, JSON.stringify({ origin, event })).catch((error: Error) => {
      logger.warn({ err: error }, 'could not relay a job event');
    });
  });
  return stop;
}
