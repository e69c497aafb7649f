import { AppError } from '../../domain/errors.ts';
import { normalizeInputImage } from '../../imaging/image.processor.ts';
import { sharedSafeFetch, UnsafeDestinationError } from '../../net/safe-fetch.ts';
import type { ServiceDeps } from '../deps.ts';

const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 15_000;
const MAX_INPUT_SIDE = 2048;
/** CDNs redirect (http → https, a signed location); each hop goes through the SSRF checks. */
const MAX_REDIRECTS = 3;

/**
 * Turns an image param (an asset id or an http(s) URL) into normalized PNG bytes: bounded in size,
 * time and pixels, and — unless allowed — never fetched from a private or loopback address (see
 * net/safe-fetch.ts: the address connected to is the one checked).
 */
export async function loadInputImage(
  deps: Pick<ServiceDeps, 'db' | 'assets' | 'blobs' | 'limits'>,
  value: string,
  signal: AbortSignal,
): Promise<Uint8Array> {
  const bytes = /^https?:\/\//i.test(value)
    ? await download(value, deps.limits.allowPrivateUrls, signal)
    : await readAsset(deps, value);
  return normalizeInputImage(bytes, { maxPixels: deps.limits.maxInputPixels, maxSide: MAX_INPUT_SIDE });
}

async function readAsset(
  deps: Pick<ServiceDeps, 'db' | 'assets' | 'blobs'>,
  id: string,
): Promise<Uint8Array> {
  const asset = await deps.assets.findById(deps.db, id);
  const bytes = asset ? await deps.blobs.get(asset.sha256) : null;
  if (!bytes) throw new AppError('image_invalid', `Asset '${id}' was not found`);
  return bytes;
}

async function download(url: string, allowPrivate: boolean, signal: AbortSignal): Promise<Uint8Array> {
  const host = new URL(url).host;
  let response: Response;
  try {
    response = await sharedSafeFetch(allowPrivate).fetch(url, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)]),
      maxRedirects: MAX_REDIRECTS,
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (error instanceof UnsafeDestinationError) throw new AppError('image_invalid', error.message);
    throw new AppError('image_invalid', `Could not download ${host}: ${(error as Error).message}`, {
      retryable: true,
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new AppError('image_invalid', `Downloading the image answered HTTP ${response.status}`, {
      retryable: response.status >= 500,
    });
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_DOWNLOAD_BYTES) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body ?? []) {
    total += chunk.byteLength;
    if (total > MAX_DOWNLOAD_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(): AppError {
  return new AppError('image_invalid', `The image is larger than ${MAX_DOWNLOAD_BYTES / 1024 / 1024} MB`);
}
