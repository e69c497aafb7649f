import type { DestinationRepository } from '../../db/destination.repository.ts';
import type { PublicationRecord } from '../../db/publication.repository.ts';
import type { AssetRecord, JobRecord } from '../../domain/job.ts';
import {
  MissingPlaceholderError,
  renderJsonTemplate,
  renderTemplate,
} from '../../domain/publish-template.ts';
import { outboundFetch } from '../../integrations/outbound-fetch.ts';
import { excerpt, PublishError, retryAfterMs } from '../../integrations/publish-error.ts';
import type { AssetService } from '../assets/asset.service.ts';
import type { ServiceDeps } from '../deps.ts';
import type { HttpDestinationConfig } from './destination.service.ts';
import type { PublishContext, Publisher, PublishOutcome } from './publish.service.ts';
import type { SecretBox } from './secret-box.ts';

type Deps = Pick<ServiceDeps, 'db' | 'batches' | 'limits'> & {
  destinations: DestinationRepository;
  secrets: SecretBox;
};

const TIMEOUT_MS = 15_000;

/**
 * What a row's placeholders can name: its params (`{{title}}`), its key under `key` and under the
 * key column's own name (`{{sku}}`), `line`, `batch_id`, `job_id`, `template`, `brand`, and
 * `images` (`{{images.0.url}}`: signed URLs, with id, width, height, format, bytes).
 */
export function rowContext(
  publication: Pick<PublicationRecord, 'batch_id' | 'job_id'>,
  job: JobRecord,
  images: readonly AssetRecord[],
  keyColumn: string | null,
  signedUrl: (assetId: string) => string,
): Record<string, unknown> {
  const key = typeof job.metadata.batch_key === 'string' ? job.metadata.batch_key : null;
  return {
    ...job.params,
    ...(keyColumn && key !== null ? { [keyColumn]: key } : {}),
    key,
    line: job.metadata.batch_row ?? null,
    batch_id: publication.batch_id,
    job_id: job.id,
    template: job.template,
    brand: job.brand,
    images: images.map((image) => ({
      url: signedUrl(image.id),
      id: image.id,
      width: image.width,
      height: image.height,
      format: image.format,
      bytes: image.bytes,
    })),
  };
}

/**
 * The CMS step: one templated HTTP call per row (e.g. `PATCH …/products/{{sku}}` with
 * `{"image_url": "{{images.0.url}}"}`), the stored secret in the auth header. 2xx publishes; 408,
 * 429 and 5xx are retried with backoff (honouring Retry-After); any other 4xx fails the row's
 * publication at once with the status and the start of the body (`cms_rejected`), to replay later.
 */
export class HttpPublisher implements Publisher {
  readonly #deps: Deps;
  readonly #assets: Pick<AssetService, 'signedUrl'>;

  constructor(deps: Deps, assets: Pick<AssetService, 'signedUrl'>) {
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
    const config = destination.config as unknown as HttpDestinationConfig;
    const batch = publication.batch_id ? await batches.findById(db, publication.batch_id) : null;
    const context = rowContext(publication, job, images, batch?.key_column ?? null, (id) =>
      this.#assets.signedUrl(id),
    );
    let url: string;
    let body: string | undefined;
    try {
      url = renderTemplate(config.url, context, encodeURIComponent);
      body = config.body === undefined ? undefined : JSON.stringify(renderJsonTemplate(config.body, context));
    } catch (error) {
      if (!(error instanceof MissingPlaceholderError)) throw error;
      throw new PublishError(
        'cms_template_unfilled',
        `The row cannot fill the destination: ${error.message}`,
        {
          retryable: false,
        },
      );
    }
    const headers: Record<string, string> = {
      'user-agent': 'Vitrine-Publish/1',
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(config.headers ?? {}),
    };
    const secret = destination.secret ? secrets.open(destination.secret, 'destination.secret') : null;
    if (secret) headers[(config.auth_header ?? 'Authorization').toLowerCase()] = secret;
    const request = { method: config.method, url, ...(body === undefined ? {} : { body: excerpt(body) }) };
    let response: Response;
    try {
      response = await outboundFetch(
        url,
        { method: config.method, headers, body },
        {
          allowPrivateUrls: limits.allowPrivateUrls,
          timeoutMs: TIMEOUT_MS,
          errorPrefix: 'cms',
        },
      );
    } catch (error) {
      if (error instanceof PublishError) error.request = request;
      throw error;
    }
    const text = excerpt(await response.text());
    const status = response.status;
    if (status >= 200 && status < 300) return { statusCode: status, request, responseExcerpt: text };
    const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
    const failure = new PublishError(
      retryable ? 'cms_unavailable' : status >= 300 && status < 400 ? 'cms_redirected' : 'cms_rejected',
      `${config.method} ${url} answered HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`,
      {
        retryable,
        statusCode: status,
        retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
        bodyExcerpt: text,
      },
    );
    failure.request = request;
    throw failure;
  }
}
