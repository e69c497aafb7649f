import type { Brand } from '../../domain/brand.ts';
import { isAppError } from '../../domain/errors.ts';
import type { Template } from '../../domain/template.ts';
import type { LayoutCall } from '../../providers/spec.ts';
import type { ServiceDeps } from '../deps.ts';
import { loadInputImage } from './input-images.ts';

type Deps = Pick<ServiceDeps, 'db' | 'assets' | 'blobs' | 'limits' | 'logger'>;

/**
 * What the studio engine needs to draw a template: its text params as they are, its image params
 * fetched and normalized, and the brand's logo. Used by the job runner and by previews alike.
 */
export async function loadLayoutInputs(
  deps: Deps,
  template: Template,
  brand: Brand,
  values: Readonly<Record<string, string>>,
  signal: AbortSignal,
  stylePack?: string,
): Promise<LayoutCall> {
  const params: Record<string, string> = {};
  const images: Record<string, Uint8Array> = {};
  for (const param of template.params) {
    const value = values[param.name];
    if (!value) continue;
    if (param.kind === 'image') images[param.name] = await loadInputImage(deps, value, signal);
    else params[param.name] = value;
  }
  const logo = await loadBrandLogo(deps, brand, signal);
  return { template, brand, params, images, logo, ...(stylePack ? { stylePack } : {}) };
}

/** The brand's logo for `logo` layers; a logo that is gone is left out rather than failing the render. */
async function loadBrandLogo(
  deps: Deps,
  brand: Pick<Brand, 'slug' | 'logo_asset_id'>,
  signal: AbortSignal,
): Promise<Uint8Array | undefined> {
  if (!brand.logo_asset_id) return undefined;
  try {
    return await loadInputImage(deps, brand.logo_asset_id, signal);
  } catch (error) {
    if (isAppError(error) && error.retryable) throw error;
    deps.logger.warn(
      { err: error, brand: brand.slug },
      'the brand logo could not be loaded; drawn without it',
    );
    return undefined;
  }
}
