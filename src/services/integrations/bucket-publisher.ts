import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { DestinationRepository } from '../../db/destination.repository.ts';
import { MissingPlaceholderError, renderTemplate } from '../../domain/publish-template.ts';
import { PublishError } from '../../integrations/publish-error.ts';
import { sharedSafeFetch } from '../../net/safe-fetch.ts';
import { createS3Client, s3ErrorName, s3Status } from '../../storage/s3-client.ts';
import type { AssetService, DerivedFormat } from '../assets/asset.service.ts';
import type { ServiceDeps } from '../deps.ts';
import type { BucketDestinationConfig } from './destination.service.ts';
import { rowContext } from './http-publisher.ts';
import type { PublishContext, Publisher, PublishOutcome } from './publish.service.ts';
import type { SecretBox } from './secret-box.ts';

type Deps = Pick<ServiceDeps, 'db' | 'batches' | 'limits'> & {
  destinations: DestinationRepository;
  secrets: SecretBox;
};

const FORMAT_BY_EXTENSION: Record<string, DerivedFormat> = {
  jpg: 'jpeg',
  jpeg: 'jpeg',
  png: 'png',
  webp: 'webp',
  avif: 'avif',
};
const MEDIA_TYPES: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
};

/**
 * A copy of each image of a succeeded row to a customer's bucket (any S3-compatible service) under
 * a key pattern — `{{sku}}/{{template}}-{{n}}.jpg` — with the row's placeholders, `n` (1-based) and
 * the image's own. The key's extension picks the format (a `.jpg` key gets a JPEG). 5xx and network
 * failures are retried with backoff; a refusal (403, no such bucket) fails the row's publication.
 */
export class BucketPublisher implements Publisher {
  readonly #deps: Deps;
  readonly #assets: Pick<AssetService, 'read' | 'signedUrl'>;

  constructor(deps: Deps, assets: Pick<AssetService, 'read' | 'signedUrl'>) {
    this.#deps = deps;
    this.#assets = assets;
  }

  async publish({ publication, job, images }: PublishContext): Promise<PublishOutcome> {
    const { db, destinations, batches, secrets, limits } = this.#deps;
    const destination = await destinations.find(db, publication.destination);
    if (!destination)
      throw new PublishError('destination_missing', `Destination ${publication.destination} was deleted`, {
        retryable: false,
      });
    const config = destination.config as unknown as BucketDestinationConfig;
    const secret = destination.secret ? secrets.open(destination.secret, 'destination.secret') : null;
    if (config.endpoint) {
      const problem = await sharedSafeFetch(limits.allowPrivateUrls).checkDestination(config.endpoint);
      if (problem) throw new PublishError('bucket_refused', problem, { retryable: false });
    }
    const client = createS3Client({
      region: config.region ?? 'us-east-1',
      endpoint: config.endpoint,
      forcePathStyle: config.force_path_style ?? false,
      credentials:
        config.access_key_id && secret
          ? { accessKeyId: config.access_key_id, secretAccessKey: secret }
          : undefined,
    });
    const batch = publication.batch_id ? await batches.findById(db, publication.batch_id) : null;
    const context = rowContext(publication, job, images, batch?.key_column ?? null, (id) =>
      this.#assets.signedUrl(id),
    );
    const keys: string[] = [];
    try {
      for (const [index, image] of images.entries()) {
        let key: string;
        try {
          key = renderTemplate(
            config.key_pattern,
            { ...context, n: index + 1, image: { ...image } },
            (value) => value.replaceAll(/[^\p{L}\p{N}._ -]+/gu, '_'),
          ).replace(/^\/+/, '');
        } catch (error) {
          if (!(error instanceof MissingPlaceholderError)) throw error;
          throw new PublishError(
            'bucket_key_unfilled',
            `The row cannot fill the key pattern: ${error.message}`,
            {
              retryable: false,
            },
          );
        }
        const extension = /\.([a-z0-9]+)$/i.exec(key)?.[1]?.toLowerCase() ?? '';
        const format = FORMAT_BY_EXTENSION[extension] ?? (image.format as DerivedFormat);
        const { bytes } = await this.#assets.read(image.id, format === image.format ? {} : { format });
        await client.send(
          new PutObjectCommand({
            Bucket: config.bucket,
            Key: key,
            Body: bytes,
            ContentType: MEDIA_TYPES[format] ?? 'application/octet-stream',
            CacheControl: config.cache_control ?? 'public, max-age=86400',
          }),
        );
        keys.push(key);
      }
    } catch (error) {
      if (error instanceof PublishError) throw error;
      const status = s3Status(error);
      const name = s3ErrorName(error);
      const retryable = status === undefined || status >= 500 || status === 429;
      const failure = new PublishError(
        retryable ? 'bucket_unavailable' : 'bucket_rejected',
        `Copying to s3://${config.bucket} failed: ${name}${status ? ` (HTTP ${status})` : ''}`,
        { retryable, statusCode: status ?? null, cause: error },
      );
      failure.request = { bucket: config.bucket, keys };
      throw failure;
    } finally {
      client.destroy();
    }
    return {
      statusCode: 200,
      request: { bucket: config.bucket, keys },
      responseExcerpt: `${keys.length} object(s) written`,
    };
  }
}
