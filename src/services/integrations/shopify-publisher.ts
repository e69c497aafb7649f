import type { PublicationRecord } from '../../db/publication.repository.ts';
import type { ShopifyRepository } from '../../db/shopify.repository.ts';
import type { JobRecord } from '../../domain/job.ts';
import { PublishError } from '../../integrations/publish-error.ts';
import { type AttachProgress, attachImages } from '../../integrations/shopify/shopify-media.ts';
import { numericId } from '../../integrations/shopify/shopify-product.ts';
import type { AssetService } from '../assets/asset.service.ts';
import type { ServiceDeps } from '../deps.ts';
import type { PublishContext, Publisher, PublishOutcome } from './publish.service.ts';
import type { ShopifyConnectionService } from './shopify-connection.service.ts';

type Deps = Pick<ServiceDeps, 'db' | 'limits'> & { shopify: ShopifyRepository };

const MEDIA_TYPES: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

/** The product gid a publication targets: a gid as is, a bare number (a CSV's product id) made one. */
export function productGid(target: string): string | null {
  if (/^gid:\/\/shopify\/Product\/\d+$/.test(target)) return target;
  if (/^\d+$/.test(target)) return `gid://shopify/Product/${target}`;
  return null;
}

/**
 * Attaches a job's images to its Shopify product (staged upload → productUpdate media → READY),
 * with alt text, and records the media as Vitrine's own as soon as Shopify names them, so the
 * products/update that follows is recognised and skipped.
 */
export class ShopifyPublisher implements Publisher {
  readonly #deps: Deps;
  readonly #connection: ShopifyConnectionService;
  readonly #assets: Pick<AssetService, 'read'>;
  /** Waits between media status reads (tests shorten them). */
  pollDelaysMs: readonly number[] | undefined;

  constructor(deps: Deps, connection: ShopifyConnectionService, assets: Pick<AssetService, 'read'>) {
    this.#deps = deps;
    this.#connection = connection;
    this.#assets = assets;
  }

  async publish({ publication, job, images, saveProgress }: PublishContext): Promise<PublishOutcome> {
    const connection = await this.#connection.open();
    if (!connection)
      throw new PublishError('shopify_not_connected', 'No Shopify shop is connected', { retryable: false });
    const productId = productGid(publication.target);
    if (!productId)
      throw new PublishError(
        'shopify_product_invalid',
        `'${publication.target}' is not a Shopify product id`,
        {
          retryable: false,
        },
      );
    if (images.length === 0)
      throw new PublishError('shopify_no_images', 'The job has no images to attach', { retryable: false });
    const { db, shopify, limits } = this.#deps;
    const title = job.params.title ?? '';
    const stem = numericId(productId);
    const files = await Promise.all(
      images.map(async (image, index) => {
        const { bytes } = await this.#assets.read(image.id);
        const extension = image.format === 'jpeg' ? 'jpg' : image.format;
        return {
          bytes,
          filename: `${stem}-${job.template ?? 'image'}-${index + 1}.${extension}`,
          mimeType: MEDIA_TYPES[image.format] ?? 'image/png',
          alt: altText(title, job, index, images.length),
        };
      }),
    );
    const known = await shopify.findProduct(db, productId);
    const mediaIds = await attachImages(connection.client, productId, files, {
      progress: publication.progress as AttachProgress,
      knownMedia: new Set(known?.attached_media ?? []),
      allowPrivateUrls: limits.allowPrivateUrls,
      pollDelaysMs: this.pollDelaysMs,
      saveProgress: async (progress) => {
        await saveProgress(progress as Record<string, unknown>);
        if (progress.mediaIds)
          await shopify.addAttachedMedia(db, productId, progress.mediaIds.map(numericId));
      },
    });
    return {
      statusCode: 200,
      request: { product_id: productId, shop: connection.shop, images: files.map((file) => file.filename) },
      responseExcerpt: `media READY: ${mediaIds.join(', ')}`,
    };
  }

  async onFailed(publication: PublicationRecord): Promise<void> {
    const productId = productGid(publication.target);
    if (productId)
      await this.#deps.shopify.markFailed(
        this.#deps.db,
        productId,
        `${publication.error_code}: ${publication.last_error}`,
      );
  }
}

/** Alt text that says what the image shows: the product, and which of the set it is. */
function altText(title: string, job: JobRecord, index: number, count: number): string {
  const what = job.template ? job.template.replaceAll(/[_-]+/g, ' ') : 'image';
  return `${title || 'Product'} — ${what}${count > 1 ? ` ${index + 1}` : ''}`.slice(0, 512);
}
