import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '../../domain/errors.ts';
import { normalizeInputImage } from '../../imaging/image.processor.ts';
import type { ServiceDeps } from '../deps.ts';

const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 15_000;
const MAX_INPUT_SIDE = 2048;

/**
 * Turns an image param (an asset id or an http(s) URL) into normalized PNG bytes: bounded in size,
 * time and pixels, and — unless allowed — never fetched from a private or loopback address.
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
  const parsed = new URL(url);
  if (!allowPrivate) await refusePrivateHost(parsed.hostname);
  let response: Response;
  try {
    response = await fetch(parsed, {
      redirect: 'error',
      signal: AbortSignal.any([signal, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)]),
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new AppError('image_invalid', `Could not download ${parsed.host}: ${(error as Error).message}`, {
      retryable: true,
    });
  }
  if (!response.ok) {
    throw new AppError('image_invalid', `Downloading the image answered HTTP ${response.status}`, {
      retryable: response.status >= 500,
    });
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_DOWNLOAD_BYTES) throw tooLarge();
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

async function refusePrivateHost(hostname: string): Promise<void> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [host]
    : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  if (addresses.length === 0) throw new AppError('image_invalid', `Cannot resolve ${hostname}`);
  if (addresses.some(isPrivateAddress)) {
    throw new AppError('image_invalid', `Refusing to fetch from a private address (${hostname})`);
  }
}

export function isPrivateAddress(address: string): boolean {
  if (address.includes(':')) {
    const lower = address.toLowerCase();
    if (lower.startsWith('::ffff:')) return isPrivateAddress(lower.slice(7));
    return lower === '::1' || lower === '::' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
  }
  const [a = 0, b = 0] = address.split('.').map(Number);
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}
