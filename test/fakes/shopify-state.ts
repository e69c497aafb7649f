/**
 * The fake shop's data and its GraphQL resolvers (see shopify-server.ts): products with variants
 * and media, and the REST-shaped product JSON that webhooks carry.
 */

export interface FakeProduct {
  id: number;
  title: string;
  productType: string;
  vendor: string;
  handle: string;
  status: 'ACTIVE' | 'DRAFT' | 'ARCHIVED';
  updatedAt: string;
  variants: Array<{ id: number; title: string; sku: string; price: string }>;
  mediaIds: string[];
}

export interface FakeMedia {
  id: string;
  numericId: number;
  alt: string | null;
  status: 'UPLOADED' | 'PROCESSING' | 'READY' | 'FAILED';
  /** Status reads so far (processing advances with them). */
  reads: number;
  bytes: Uint8Array | null;
  mimeType: string;
  /** Processing ends FAILED (the source could not be downloaded or decoded). */
  failAtReady: boolean;
  createdAt: string;
  productId: number | null;
}

interface ShopLike {
  url: string;
  shop: string;
  currencyCode: string;
  products: Map<number, FakeProduct>;
  media: Map<string, FakeMedia>;
  uploads: Map<string, { bytes: Uint8Array; type: string; filename: string }>;
}

interface Hooks {
  newMedia(input: {
    alt: string | null;
    status: FakeMedia['status'];
    bytes: Uint8Array | null;
    mimeType: string;
    failed?: boolean;
  }): FakeMedia;
  stagedTarget(input: { filename: string; mimeType: string }): {
    url: string;
    resourceUrl: string;
    parameters: Array<{ name: string; value: string }>;
  };
  mediaRead(media: FakeMedia): void;
  takeMediaFailure(): boolean;
}

const productGid = (id: number) => `gid://shopify/Product/${id}`;

function connection<T>(items: readonly T[], args: { first?: number; after?: string; last?: number }) {
  const after = args.after ? Number(Buffer.from(args.after, 'base64').toString()) + 1 : 0;
  // `last: n` is the final n items; `first: n` the n after the cursor.
  const start =
    args.first === undefined && args.last !== undefined ? Math.max(after, items.length - args.last) : after;
  const size = args.first ?? args.last ?? items.length;
  const page = items.slice(start, start + size);
  const cursor = (index: number) => Buffer.from(String(start + index)).toString('base64');
  return {
    edges: page.map((node, index) => ({ cursor: cursor(index), node })),
    nodes: page,
    pageInfo: {
      hasNextPage: start + page.length < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length > 0 ? cursor(0) : null,
      endCursor: page.length > 0 ? cursor(page.length - 1) : null,
    },
  };
}

export function buildResolvers(shop: ShopLike, hooks: Hooks) {
  const mediaNode = (media: FakeMedia) => {
    const status = () => {
      hooks.mediaRead(media);
      return media.status;
    };
    const image = () =>
      media.status === 'READY'
        ? {
            id: `gid://shopify/ImageSource/${media.numericId}`,
            url: `${shop.url}/cdn/${media.numericId}.png`,
            altText: media.alt,
            width: 64,
            height: 64,
          }
        : null;
    return {
      __typename: 'MediaImage',
      id: media.id,
      alt: media.alt,
      mediaContentType: 'IMAGE',
      status,
      fileStatus: status,
      mediaErrors: () =>
        media.status === 'FAILED'
          ? [{ code: 'IMAGE_DOWNLOAD_FAILURE', message: 'Image could not be downloaded.', details: null }]
          : [],
      fileErrors: () =>
        media.status === 'FAILED'
          ? [{ code: 'IMAGE_DOWNLOAD_FAILURE', message: 'Image could not be downloaded.', details: null }]
          : [],
      preview: () => ({ image: image(), status: media.status }),
      image,
      mimeType: media.mimeType,
      createdAt: media.createdAt,
    };
  };
  const productNode = (product: FakeProduct) => ({
    __typename: 'Product',
    id: productGid(product.id),
    legacyResourceId: String(product.id),
    title: product.title,
    handle: product.handle,
    productType: product.productType,
    vendor: product.vendor,
    status: product.status,
    updatedAt: product.updatedAt,
    featuredMedia: () => {
      const first = product.mediaIds[0];
      return first ? mediaNode(shop.media.get(first)!) : null;
    },
    media: (args: { first?: number; after?: string }) =>
      connection(
        product.mediaIds.map((id) => mediaNode(shop.media.get(id)!)),
        args,
      ),
    variants: (args: { first?: number; after?: string }) =>
      connection(
        product.variants.map((variant) => ({
          __typename: 'ProductVariant',
          id: `gid://shopify/ProductVariant/${variant.id}`,
          title: variant.title,
          sku: variant.sku,
          price: variant.price,
        })),
        args,
      ),
  });
  const lookup = (id: string) => {
    const match = /^gid:\/\/shopify\/Product\/(\d+)$/.exec(id);
    if (match) {
      const product = shop.products.get(Number(match[1]));
      return product ? productNode(product) : null;
    }
    const media = shop.media.get(id);
    return media ? mediaNode(media) : null;
  };
  const mediaFromSource = (source: string, alt: string | null) => {
    const key = source.startsWith(`${shop.url}/staged-uploads/`)
      ? source.slice(`${shop.url}/staged-uploads/`.length)
      : null;
    const upload = key ? shop.uploads.get(key) : undefined;
    // As on Shopify, an unusable source is accepted now and fails during processing.
    return hooks.newMedia({
      alt,
      status: 'UPLOADED',
      bytes: upload?.bytes ?? null,
      mimeType: upload?.type ?? 'image/png',
      failed: !upload || hooks.takeMediaFailure(),
    });
  };

  return {
    shop: () => ({ name: 'Vitrine Test Shop', myshopifyDomain: shop.shop, currencyCode: shop.currencyCode }),
    product: ({ id }: { id: string }) => {
      const found = lookup(id);
      return found?.__typename === 'Product' ? found : null;
    },
    products: (args: { first?: number; after?: string }) =>
      connection(
        [...shop.products.values()].map((product) => productNode(product)),
        args,
      ),
    node: ({ id }: { id: string }) => lookup(id),
    nodes: ({ ids }: { ids: string[] }) => ids.map(lookup),
    stagedUploadsCreate: ({
      input,
    }: {
      input: Array<{ resource: string; filename: string; mimeType: string; httpMethod: string }>;
    }) => {
      const userErrors = input.flatMap((entry, index) => {
        if (entry.resource !== 'IMAGE' && entry.resource !== 'FILE')
          return [
            {
              field: ['input', String(index), 'resource'],
              message: 'This fake shop stages IMAGE and FILE only',
            },
          ];
        if (entry.httpMethod !== 'POST')
          return [
            {
              field: ['input', String(index), 'httpMethod'],
              message: 'This fake shop stages POST targets only',
            },
          ];
        if (!/^image\/(png|jpeg|webp|gif)$/.test(entry.mimeType))
          return [
            { field: ['input', String(index), 'mimeType'], message: `Invalid mime type: ${entry.mimeType}` },
          ];
        return [];
      });
      if (userErrors.length > 0) return { stagedTargets: [], userErrors };
      return { stagedTargets: input.map((entry) => hooks.stagedTarget(entry)), userErrors: [] };
    },
    productUpdate: ({
      product: input,
      media,
    }: {
      product?: { id?: string };
      media?: Array<{ originalSource: string; mediaContentType: string; alt?: string }>;
    }) => {
      const match = /^gid:\/\/shopify\/Product\/(\d+)$/.exec(input?.id ?? '');
      const product = match ? shop.products.get(Number(match[1])) : undefined;
      if (!product)
        return {
          product: null,
          userErrors: [{ field: ['product', 'id'], message: 'Product does not exist' }],
        };
      for (const entry of media ?? []) {
        if (entry.mediaContentType !== 'IMAGE') continue;
        const created = mediaFromSource(entry.originalSource, entry.alt ?? null);
        created.productId = product.id;
        product.mediaIds.push(created.id);
      }
      return { product: productNode(product), userErrors: [] };
    },
    fileCreate: ({ files }: { files: Array<{ originalSource: string; alt?: string }> }) => ({
      files: files.map((file) => mediaNode(mediaFromSource(file.originalSource, file.alt ?? null))),
      userErrors: [],
    }),
    fileUpdate: ({ files }: { files: Array<{ id: string; alt?: string; referencesToAdd?: string[] }> }) => {
      const userErrors: Array<{ field: string[]; message: string; code: string }> = [];
      const updated = [];
      for (const [index, file] of files.entries()) {
        const media = shop.media.get(file.id);
        if (!media) {
          userErrors.push({
            field: ['files', String(index), 'id'],
            message: 'File id does not exist.',
            code: 'FILE_DOES_NOT_EXIST',
          });
          continue;
        }
        if (media.status !== 'READY') {
          userErrors.push({
            field: ['files', String(index)],
            message: 'Non-ready files cannot be updated.',
            code: 'NON_READY_STATE',
          });
          continue;
        }
        if (file.alt !== undefined) media.alt = file.alt;
        for (const reference of file.referencesToAdd ?? []) {
          const product = shop.products.get(Number(/\d+$/.exec(reference)?.[0]));
          if (!product) {
            userErrors.push({
              field: ['files', String(index), 'referencesToAdd'],
              message: 'Reference does not exist.',
              code: 'REFERENCE_TARGET_DOES_NOT_EXIST',
            });
            continue;
          }
          if (!product.mediaIds.includes(media.id)) product.mediaIds.push(media.id);
          media.productId = product.id;
        }
        updated.push(mediaNode(media));
      }
      return { files: updated, userErrors };
    },
  };
}

/** The product as a `products/create|update` webhook carries it (REST shape, API ≥ 2024-07). */
export function productPayload(shop: ShopLike, product: FakeProduct) {
  const created = product.updatedAt;
  const ready = product.mediaIds.map((id) => shop.media.get(id)!).filter((media) => media.status === 'READY');
  const images = ready.map((media, index) => ({
    id: media.numericId,
    alt: media.alt,
    position: index + 1,
    product_id: product.id,
    created_at: media.createdAt,
    updated_at: media.createdAt,
    admin_graphql_api_id: `gid://shopify/ProductImage/${media.numericId}`,
    width: 64,
    height: 64,
    src: `${shop.url}/cdn/${media.numericId}.png?v=1`,
    variant_ids: [],
  }));
  return {
    id: product.id,
    title: product.title,
    body_html: '',
    vendor: product.vendor,
    product_type: product.productType,
    created_at: created,
    handle: product.handle,
    updated_at: product.updatedAt,
    published_at: created,
    template_suffix: null,
    published_scope: 'global',
    tags: '',
    status: product.status.toLowerCase(),
    admin_graphql_api_id: productGid(product.id),
    variants: product.variants.map((variant, index) => ({
      id: variant.id,
      product_id: product.id,
      title: variant.title,
      price: variant.price,
      position: index + 1,
      inventory_policy: 'deny',
      compare_at_price: null,
      option1: 'Default Title',
      option2: null,
      option3: null,
      created_at: created,
      updated_at: product.updatedAt,
      taxable: true,
      barcode: null,
      sku: variant.sku,
      inventory_quantity: 0,
      admin_graphql_api_id: `gid://shopify/ProductVariant/${variant.id}`,
      image_id: null,
    })),
    options: [
      { id: product.id + 7, product_id: product.id, name: 'Title', position: 1, values: ['Default Title'] },
    ],
    images,
    image: images[0] ?? null,
    media: product.mediaIds.map((id, index) => {
      const media = shop.media.get(id)!;
      return {
        id: media.numericId,
        product_id: product.id,
        position: index + 1,
        created_at: media.createdAt,
        updated_at: media.createdAt,
        alt: media.alt,
        status: media.status,
        media_content_type: 'IMAGE',
        preview_image:
          media.status === 'READY'
            ? { width: 64, height: 64, src: `${shop.url}/cdn/${media.numericId}.png?v=1`, status: 'READY' }
            : null,
        variant_ids: [],
        admin_graphql_api_id: media.id,
      };
    }),
  };
}
