import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Checks `X-Shopify-Hmac-Sha256`: base64 of HMAC-SHA256 over the raw body bytes with the app's
 * secret, compared in constant time. Runs before the body is parsed.
 */
export function verifyShopifyHmac(rawBody: Uint8Array, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const given = Buffer.from(header.trim(), 'base64');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The part of a `products/create|update` payload Vitrine reads (a deliberately minimal schema). */
export const ProductPayloadSchema = z
  .object({
    id: z.number(),
    title: z.string(),
    product_type: z.string().nullish(),
    admin_graphql_api_id: z.string().optional(),
    variants: z
      .array(z.object({ price: z.string().nullish(), sku: z.string().nullish() }).loose())
      .default([]),
    media: z
      .array(
        z
          .object({
            id: z.number(),
            admin_graphql_api_id: z.string().optional(),
            media_content_type: z.string().optional(),
            status: z.string().optional(),
            preview_image: z.object({ src: z.string() }).loose().nullish(),
          })
          .loose(),
      )
      .optional(),
    images: z.array(z.object({ id: z.number(), src: z.string() }).loose()).default([]),
  })
  .loose();
export type ProductPayload = z.infer<typeof ProductPayloadSchema>;

/** What templates are rendered from: the product's title, price, type and its own photo. */
export interface ProductInputs {
  productId: string;
  title: string;
  /** The first variant's price as Shopify sends it ("199.00"), without the currency. */
  price: string | null;
  sku: string | null;
  productType: string;
  /** The product's own photo (never an image Vitrine attached): its media number and URL. */
  imageId: string | null;
  imageUrl: string | null;
}

/** The trailing number of a gid (`gid://shopify/MediaImage/123` → `123`); Shopify shares them between media and images. */
export function numericId(id: string | number): string {
  return String(id).replace(/^.*\//, '');
}

export function inputsFromPayload(payload: ProductPayload, attached: ReadonlySet<string>): ProductInputs {
  const own = (id: number) => !attached.has(String(id));
  const media = payload.media
    ?.filter((entry) => (entry.media_content_type ?? 'IMAGE') === 'IMAGE' && own(entry.id))
    .find((entry) => entry.preview_image?.src);
  const image = media
    ? { id: String(media.id), src: media.preview_image!.src }
    : payload.images.find((entry) => own(entry.id));
  const variant = payload.variants[0];
  return {
    productId: payload.admin_graphql_api_id ?? `gid://shopify/Product/${payload.id}`,
    title: payload.title,
    price: variant?.price ?? null,
    sku: variant?.sku ?? null,
    productType: payload.product_type ?? '',
    imageId: image ? String(image.id) : null,
    imageUrl: image ? (image as { src: string }).src : null,
  };
}

/**
 * What a render depends on, hashed: an event whose fingerprint equals the last render's changed
 * nothing Vitrine draws (a stock change, or the update Shopify sends after Vitrine's own media).
 */
export function productFingerprint(
  inputs: ProductInputs,
  settings: { templates: readonly string[]; brand: string | null },
): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        settings.templates,
        settings.brand,
        inputs.title,
        inputs.price,
        inputs.productType,
        inputs.imageId,
      ]),
    )
    .digest('base64url');
}

/** The price as shoppers read it: `$19.99`, `¥199.00`, in the shop's currency. */
export function formatPrice(price: string | null, currencyCode: string | null): string | undefined {
  if (price === null || price === '') return undefined;
  const amount = Number(price);
  if (!Number.isFinite(amount) || !currencyCode) return price;
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: currencyCode }).format(amount);
  } catch {
    return `${price} ${currencyCode}`;
  }
}
