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

/** Where a client gets an asset: its bytes from Vitrine, or a redirect to the object store. */
export type AssetLocation = ({ kind: 'bytes' } & AssetBytes) | { kind: 'redirect'; url: string };

/** How long a presigned S3 URL handed out in a redirect stays valid. */
export const PRESIGNED_URL_SECONDS = 3600;

/** Stored images: signed URLs that need no API key, and derived sizes and formats on request. */
export class AssetService {
  readonly #deps: Deps;
  readonly #secret: Buffer;
  #publicUrl: string;
  readonly #ttlSeconds: number;
  readonly #presigned: boolean;

  private constructor(
    deps: Deps,
    secret: Buffer,
    options: { publicUrl: string; ttlSeconds: number; urls?: 'signed' | 'presigned' },
  ) {
    this.#deps = deps;
    this.#secret = secret;
    this.#publicUrl = options.publicUrl;
    this.#ttlSeconds = options.ttlSeconds;
    this.#presigned = options.urls === 'presigned' && Boolean(deps.blobs.presignedUrl);
  }

  /** The signing secret lives in the database, so every API node of a fleet signs alike. */
  static async create(
    deps: Deps,
    options: { publicUrl: string; ttlSeconds: number; urls?: 'signed' | 'presigned' },
  ): Promise<AssetService> {
    const secret = await deps.settings.getOrCreate(
      deps.db,
      'asset_url_secret',
      randomBytes(32).toString('hex'),
    );
    return new AssetService(deps, Buffer.from(secret, 'hex'), options);
  }

  /** Where this server is reached (links in notifications). */
  get publicUrl(): string {
    return this.#publicUrl;
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
   * whole image is decoded, so a damaged file is refused here and not at render time. `encoded`: the
   * format and size of bytes Vitrine itself just encoded from a decoded image (a normalized shopper
   * photo), which need no second decode to be trusted.
   */
  async upload(
    bytes: Uint8Array,
    encoded?: { format: 'jpeg' | 'png' | 'webp'; width: number; height: number },
  ): Promise<AssetRecord> {
    const info = encoded ?? (await checkInputImage(bytes, this.#deps.limits.maxInputPixels));
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

  /**
   * With presigned URLs (S3), a redirect to the object — a derived size is made and stored first
   * when it is new — so the bytes come from the bucket, not through the API node. Otherwise the bytes.
   */
  async locate(
    assetId: string,
    options: { width?: number; format?: DerivedFormat } = {},
  ): Promise<AssetLocation> {
    const presign = this.#deps.blobs.presignedUrl?.bind(this.#deps.blobs);
    if (!this.#presigned || !presign) return { kind: 'bytes', ...(await this.read(assetId, options)) };
    const asset = await this.#find(assetId);
    const { format, width, derivedName } = this.#variant(asset, options);
    const fileName = `${asset.id}${width ? `-w${width}` : ''}.${format === 'jpeg' ? 'jpg' : format}`;
    if (!derivedName) {
      return {
        kind: 'redirect',
        url: await presign({ sha256: asset.sha256 }, { seconds: PRESIGNED_URL_SECONDS, fileName }),
      };
    }
    if (!(await this.#deps.blobs.hasDerived(derivedName))) {
      const made = await this.#makeDerived(asset, derivedName, format, width);
      // Past the per-image cap nothing more is stored: the bytes come from this node instead.
      if (!made.stored) return { kind: 'bytes', bytes: made.bytes, mediaType: mediaTypeOf(format), asset };
    }
    return {
      kind: 'redirect',
      url: await presign({ derived: derivedName }, { seconds: PRESIGNED_URL_SECONDS, fileName }),
    };
  }

  async #find(assetId: string): Promise<AssetRecord> {
    const asset = await this.#deps.assets.findById(this.#deps.db, assetId);
    if (!asset) throw notFound('Asset', assetId);
    return asset;
  }

  /** The format and width asked, and the derived blob's name when they differ from the original. */
  #variant(asset: AssetRecord, options: { width?: number; format?: DerivedFormat }) {
    const format = options.format ?? asset.format;
    const width = options.width && options.width < asset.width ? options.width : undefined;
    const derivedName =
      !width && format === asset.format ? null : `${asset.sha256}.w${width ?? asset.width}.${format}`;
    return { format, width, derivedName };
  }

  async read(assetId: string, options: { width?: number; format?: DerivedFormat } = {}): Promise<AssetBytes> {
    const asset = await this.#find(assetId);
    const { format, width, derivedName } = this.#variant(asset, options);
    if (!derivedName) return { bytes: await this.#original(asset), mediaType: mediaTypeOf(format), asset };
    // The original is fetched only when the derived copy has to be made (with S3, a whole GET).
    const derived =
      (await this.#deps.blobs.getDerived(derivedName)) ??
      (await this.#makeDerived(asset, derivedName, format, width)).bytes;
    return { bytes: derived, mediaType: mediaTypeOf(format), asset };
  }

  async #original(asset: AssetRecord): Promise<Uint8Array> {
    const original = await this.#deps.blobs.get(asset.sha256);
    if (!original)
      throw new AppError('storage_failed', `The image of asset '${asset.id}' is missing from storage`);
    return original;
  }

  async #makeDerived(
    asset: AssetRecord,
    name: string,
    format: DerivedFormat,
    width: number | undefined,
  ): Promise<{ bytes: Uint8Array; stored: boolean }> {
    const derived = await convertImage(await this.#original(asset), { format, width });
    const { db, assets } = this.#deps;
    // Each image keeps at most MAX_STORED_VARIANTS derived copies; past that they are made per request.
    const stored = await assets.reserveVariant(db, asset.sha256, name, MAX_STORED_VARIANTS);
    if (stored) await this.#deps.blobs.putDerived(name, derived);
    return { bytes: derived, stored };
  }
}
