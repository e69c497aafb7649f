import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { AppError, notFound } from '../../domain/errors.ts';
import type { AssetRecord } from '../../domain/job.ts';
import { checkInputImage, convertImage, mediaTypeOf } from '../../imaging/image.processor.ts';
import type { ServiceDeps } from '../deps.ts';

type Deps = Pick<ServiceDeps, 'db' | 'assets' | 'blobs' | 'settings' | 'limits'>;

export type DerivedFormat = 'png' | 'jpeg' | 'webp' | 'avif';

/**
 * The widths a signed URL (no API key) may ask for: a public link reaches at most these × the four
 * formats, not every width from 16 to 4096. With a key any width is allowed.
 */
export const SIGNED_URL_WIDTHS: readonly number[] = [64, 128, 256, 384, 512, 768, 1024, 1536, 2048];

/** Derived images stored per source image; past it they are made for the request and not kept. */
export const MAX_STORED_VARIANTS = 40;

export interface AssetBytes {
  bytes: Uint8Array;
  mediaType: string;
  asset: AssetRecord;
}

/** Stored images: signed URLs that need no API key, and derived sizes and formats on request. */
export class AssetService {
  readonly #deps: Deps;
  readonly #secret: Buffer;
  #publicUrl: string;
  readonly #ttlSeconds: number;

  private constructor(deps: Deps, secret: Buffer, publicUrl: string, ttlSeconds: number) {
    this.#deps = deps;
    this.#secret = secret;
    this.#publicUrl = publicUrl;
    this.#ttlSeconds = ttlSeconds;
  }

  /** The signing secret lives in the database, so every API node of a fleet signs alike. */
  static async create(deps: Deps, options: { publicUrl: string; ttlSeconds: number }): Promise<AssetService> {
    const secret = await deps.settings.getOrCreate(
      deps.db,
      'asset_url_secret',
      randomBytes(32).toString('hex'),
    );
    return new AssetService(deps, Buffer.from(secret, 'hex'), options.publicUrl, options.ttlSeconds);
  }

  /** The base of signed URLs, once the server knows where it listens (PORT=0 picks a port then). */
  setPublicUrl(url: string): void {
    this.#publicUrl = url.replace(/\/+$/, '');
  }

  signedUrl(assetId: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
    // Rounded to the hour so repeated reads of one job hand out the same (cacheable) URL.
    const exp = Math.ceil((nowSeconds + this.#ttlSeconds) / 3600) * 3600;
    return `${this.#publicUrl}/v1/assets/${encodeURIComponent(assetId)}?exp=${exp}&sig=${this.#sign(assetId, exp)}`;
  }

  verifySignature(
    assetId: string,
    exp: string,
    sig: string,
    nowSeconds = Math.floor(Date.now() / 1000),
  ): boolean {
    const expSeconds = Number(exp);
    if (!Number.isInteger(expSeconds) || expSeconds < nowSeconds) return false;
    const expected = Buffer.from(this.#sign(assetId, expSeconds));
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  #sign(assetId: string, exp: number): string {
    return createHmac('sha256', this.#secret).update(`${assetId}.${exp}`).digest('base64url');
  }

  /**
   * Stores an uploaded image (a product photo to use in templates) as an asset. Only PNG, JPEG and
   * WebP are kept (the rule for image URLs too); the pixel limit is checked from the header, then the
   * whole image is decoded, so a damaged file is refused here and not at render time.
   */
  async upload(bytes: Uint8Array): Promise<AssetRecord> {
    const info = await checkInputImage(bytes, this.#deps.limits.maxInputPixels);
    if (info.format !== 'png' && info.format !== 'jpeg' && info.format !== 'webp') {
      throw new AppError('image_invalid', `Upload PNG, JPEG or WebP; this image is ${info.format}`);
    }
    const sha256 = await this.#deps.blobs.put(bytes);
    const record = {
      id: randomUUID(),
      job_id: null,
      position: null,
      sha256,
      format: info.format,
      width: info.width,
      height: info.height,
      bytes: bytes.byteLength,
      seed: null,
      provider: null,
      model: null,
      prompt: null,
      negative_prompt: null,
      template: null,
      template_version: null,
      brand: null,
      brand_version: null,
      quality: null,
    };
    await this.#deps.assets.insertMany(this.#deps.db, [record]);
    return { ...record, created_at: new Date() };
  }

  async read(assetId: string, options: { width?: number; format?: DerivedFormat } = {}): Promise<AssetBytes> {
    const asset = await this.#deps.assets.findById(this.#deps.db, assetId);
    if (!asset) throw notFound('Asset', assetId);
    const original = await this.#deps.blobs.get(asset.sha256);
    if (!original)
      throw new AppError('storage_failed', `The image of asset '${assetId}' is missing from storage`);
    const format = options.format ?? asset.format;
    const width = options.width && options.width < asset.width ? options.width : undefined;
    if (!width && format === asset.format) return { bytes: original, mediaType: mediaTypeOf(format), asset };
    const name = `${asset.sha256}.w${width ?? asset.width}.${format}`;
    let derived = await this.#deps.blobs.getDerived(name);
    if (!derived) {
      derived = await convertImage(original, { format, width });
      const { db, assets } = this.#deps;
      if (await assets.reserveVariant(db, asset.sha256, name, MAX_STORED_VARIANTS))
        await this.#deps.blobs.putDerived(name, derived);
    }
    return { bytes: derived, mediaType: mediaTypeOf(format), asset };
  }
}
