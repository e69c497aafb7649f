import { outboundFetch } from '../outbound-fetch.ts';
import { excerpt, PublishError } from '../publish-error.ts';
import { assertNoUserErrors, type ShopifyAdminClient } from './shopify-admin.client.ts';

export interface ImageToAttach {
  bytes: Uint8Array;
  filename: string;
  mimeType: string;
  alt: string;
}

/** What an attach already did, saved between attempts so a retry never attaches twice. */
export interface AttachProgress {
  /** Set just before `productUpdate`: an attempt cut off after it looks for what it created. */
  attaching?: boolean;
  /** The media this attach created, once `productUpdate` answered. */
  mediaIds?: string[];
}

export interface AttachOptions {
  progress: AttachProgress;
  /** Media of the product Vitrine attached before (numbers or gids): never taken for this attach's. */
  knownMedia?: ReadonlySet<string>;
  saveProgress(progress: AttachProgress): Promise<void>;
  allowPrivateUrls: boolean;
  signal?: AbortSignal;
  /** Waits between media status reads; the last one repeats until `readyTimeoutMs`. */
  pollDelaysMs?: readonly number[];
  readyTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const STAGED_UPLOADS = /* GraphQL */ `mutation StageImages($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) {
    stagedTargets { url resourceUrl parameters { name value } }
    userErrors { field message }
  }
}`;

const ATTACH_MEDIA = /* GraphQL */ `mutation AttachImages($product: ProductUpdateInput!, $media: [CreateMediaInput!], $count: Int!) {
  productUpdate(product: $product, media: $media) {
    product { id media(last: $count) { nodes { id alt } } }
    userErrors { field message }
  }
}`;

/** 2 + 20 media + the product: 23 points, only when an attempt was cut off mid-attach. */
const RECENT_MEDIA = /* GraphQL */ `query RecentMedia($id: ID!) {
  product(id: $id) { id media(last: 20) { nodes { id alt } } }
}`;

const MEDIA_STATUS = /* GraphQL */ `query MediaStatus($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on MediaImage { id status mediaErrors { code message details } }
  }
}`;

const DEFAULT_POLL_DELAYS_MS = [250, 500, 1000, 2000, 4000];
const UPLOAD_TIMEOUT_MS = 60_000;

interface StagedTarget {
  url: string;
  resourceUrl: string;
  parameters: Array<{ name: string; value: string }>;
}

/**
 * Attaches images to a product the way Shopify documents for bytes that are not public URLs:
 * `stagedUploadsCreate` → a multipart POST of each file to its staged target → `productUpdate`
 * with `media: [{originalSource: resourceUrl, mediaContentType: IMAGE, alt}]`, then reads the
 * media status until every one is READY (processing is asynchronous). Resumable: the media ids
 * are saved as soon as Shopify names them, so a retry after a failure only polls again.
 */
export async function attachImages(
  client: ShopifyAdminClient,
  productId: string,
  images: readonly ImageToAttach[],
  options: AttachOptions,
): Promise<string[]> {
  let mediaIds = options.progress.mediaIds;
  if (!mediaIds) {
    // An earlier attempt may have attached and stopped before saving: find what it created.
    if (options.progress.attaching) mediaIds = await findAttachedEarlier(client, productId, images, options);
    if (!mediaIds || mediaIds.length === 0)
      mediaIds = await stageAndAttach(client, productId, images, options);
    await options.saveProgress({ mediaIds });
  }
  await waitUntilReady(client, mediaIds, options);
  return mediaIds;
}

async function stageAndAttach(
  client: ShopifyAdminClient,
  productId: string,
  images: readonly ImageToAttach[],
  options: AttachOptions,
): Promise<string[]> {
  const staged = await client.graphql<{
    stagedUploadsCreate: {
      stagedTargets: StagedTarget[] | null;
      userErrors: Array<{ field: string[] | null; message: string }>;
    };
  }>(
    STAGED_UPLOADS,
    {
      input: images.map((image) => ({
        resource: 'IMAGE',
        filename: image.filename,
        mimeType: image.mimeType,
        httpMethod: 'POST',
        fileSize: String(image.bytes.byteLength),
      })),
    },
    { cost: 10, signal: options.signal },
  );
  assertNoUserErrors('stagedUploadsCreate', staged.stagedUploadsCreate.userErrors);
  const targets = staged.stagedUploadsCreate.stagedTargets ?? [];
  if (targets.length !== images.length)
    throw new PublishError(
      'shopify_upload_failed',
      `Shopify staged ${targets.length} targets for ${images.length} images`,
      {
        retryable: true,
      },
    );
  for (const [index, target] of targets.entries()) await upload(target, images[index]!, options);

  await options.saveProgress({ ...options.progress, attaching: true });
  const attached = await client.graphql<{
    productUpdate: {
      product: { id: string; media: { nodes: Array<{ id: string; alt: string | null }> } } | null;
      userErrors: Array<{ field: string[] | null; message: string }>;
    };
  }>(
    ATTACH_MEDIA,
    {
      product: { id: productId },
      media: images.map((image, index) => ({
        originalSource: targets[index]!.resourceUrl,
        mediaContentType: 'IMAGE',
        alt: image.alt,
      })),
      count: images.length,
    },
    { cost: 10, signal: options.signal },
  );
  const refused = attached.productUpdate.userErrors;
  if (refused.some((error) => error.field?.join('.') === 'product.id'))
    throw new PublishError('shopify_product_missing', `Product ${productId} does not exist in the shop`, {
      retryable: false,
    });
  assertNoUserErrors('productUpdate', refused);
  if (!attached.productUpdate.product)
    throw new PublishError('shopify_product_missing', `Product ${productId} does not exist in the shop`, {
      retryable: false,
    });
  // New media are appended: the last ones, with this attach's alt texts in order.
  const created = attached.productUpdate.product.media.nodes;
  const matches =
    created.length === images.length && created.every((media, index) => media.alt === images[index]!.alt);
  if (!matches)
    throw new PublishError(
      'shopify_media_failed',
      `Shopify did not list the ${images.length} new media on the product`,
      {
        retryable: false,
      },
    );
  return created.map((media) => media.id);
}

/** One file to its staged target: the target's fields in order, then `file` (GCS wants it last). */
async function upload(target: StagedTarget, image: ImageToAttach, options: AttachOptions): Promise<void> {
  const form = new FormData();
  for (const parameter of target.parameters) form.append(parameter.name, parameter.value);
  form.append('file', new Blob([image.bytes], { type: image.mimeType }), image.filename);
  const response = await outboundFetch(
    target.url,
    { method: 'POST', body: form },
    {
      allowPrivateUrls: options.allowPrivateUrls,
      timeoutMs: UPLOAD_TIMEOUT_MS,
      signal: options.signal,
      errorPrefix: 'shopify_upload',
    },
  );
  const text = await response.text();
  if (response.status === 201 || response.status === 204 || response.status === 200) return;
  // A signature that expired (403) or a storage hiccup (5xx) gets new targets on the next attempt.
  throw new PublishError('shopify_upload_failed', `The staged upload answered HTTP ${response.status}`, {
    retryable:
      response.status >= 500 || response.status === 403 || response.status === 408 || response.status === 429,
    statusCode: response.status,
    bodyExcerpt: excerpt(text),
  });
}

async function findAttachedEarlier(
  client: ShopifyAdminClient,
  productId: string,
  images: readonly ImageToAttach[],
  options: AttachOptions,
): Promise<string[]> {
  const answer = await client.graphql<{
    product: { media: { nodes: Array<{ id: string; alt: string | null }> } } | null;
  }>(RECENT_MEDIA, { id: productId }, { cost: 23, signal: options.signal });
  const known = options.knownMedia ?? new Set<string>();
  const isKnown = (id: string) => known.has(id) || known.has(id.replace(/^.*\//, ''));
  const alts = new Set(images.map((image) => image.alt));
  const created = (answer.product?.media.nodes ?? []).filter(
    (media) => !isKnown(media.id) && alts.has(media.alt ?? ''),
  );
  return created.length >= images.length ? created.slice(-images.length).map((media) => media.id) : [];
}

async function waitUntilReady(
  client: ShopifyAdminClient,
  mediaIds: readonly string[],
  options: AttachOptions,
): Promise<void> {
  const delays = options.pollDelaysMs ?? DEFAULT_POLL_DELAYS_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  for (let read = 0; ; read++) {
    const answer = await client.graphql<{
      nodes: Array<{
        id: string;
        status: string;
        mediaErrors: Array<{ code: string; message: string; details: string | null }>;
      } | null>;
    }>(MEDIA_STATUS, { ids: mediaIds }, { cost: 1 + mediaIds.length, signal: options.signal });
    if (answer.nodes.some((node) => node === null))
      throw new PublishError(
        'shopify_media_failed',
        'An attached image disappeared from the shop while processing',
        {
          retryable: false,
        },
      );
    const failed = answer.nodes.find((node) => node?.status === 'FAILED');
    if (failed) {
      const reason = failed.mediaErrors.map((error) => `${error.code}: ${error.message}`).join('; ');
      throw new PublishError(
        'shopify_media_failed',
        `Shopify could not process image ${failed.id}: ${reason || 'FAILED'}`,
        {
          retryable: false,
        },
      );
    }
    if (answer.nodes.every((node) => node?.status === 'READY')) return;
    if (Date.now() > deadline)
      throw new PublishError(
        'shopify_media_timeout',
        'Shopify did not finish processing the images in time',
        { retryable: true },
      );
    await sleep(delays[Math.min(read, delays.length - 1)]!);
  }
}
