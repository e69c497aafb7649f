import type { ApiKeyRepository } from '../db/api-key.repository.ts';
import type { AssetRepository } from '../db/asset.repository.ts';
import type { BatchRepository } from '../db/batch.repository.ts';
import type { CacheRepository } from '../db/cache.repository.ts';
import type { BrandRepository, SettingsRepository, TemplateRepository } from '../db/catalog.repository.ts';
import type { Database } from '../db/client.ts';
import type { JobRepository } from '../db/job.repository.ts';
import type { UsageRepository } from '../db/usage.repository.ts';
import type { WebhookRepository } from '../db/webhook.repository.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { JobQueue } from '../queue/queue.ts';
import type { RenderLayoutInput } from '../render/layout-renderer.ts';
import type { SceneInit } from '../render/scene-init.ts';
import type { BlobStore } from '../storage/spec.ts';
import type { JobEvents } from './generation/job-events.ts';

/** Everything the services may use; each service takes only the part it needs (a `Pick`). */
export interface ServiceDeps {
  db: Database;
  jobs: JobRepository;
  batches: BatchRepository;
  cache: CacheRepository;
  usage: UsageRepository;
  webhooks: WebhookRepository;
  assets: AssetRepository;
  brands: BrandRepository;
  templates: TemplateRepository;
  apiKeys: ApiKeyRepository;
  settings: SettingsRepository;
  queue: Pick<JobQueue, 'send' | 'sendMany' | 'wake' | 'cancel'>;
  providers: ProviderRegistry;
  blobs: BlobStore;
  events: JobEvents;
  /**
   * Lays out a template and builds the init image and mask of a background painted around its
   * product — in the studio's render processes (the composition root wires the studio's). Absent
   * (tests), it runs in this process.
   */
  layoutScene?: (input: RenderLayoutInput) => Promise<SceneInit | null>;
  logger: { info(object: object, message: string): void; warn(object: object, message: string): void };
  limits: {
    maxInputPixels: number;
    allowPrivateUrls: boolean;
    maxAttempts: number;
    retryBaseMs: number;
    retryMaxMs: number;
    /** Images a job may make again with a new seed when they fail their checks. */
    qualityRetries: number;
  };
}
