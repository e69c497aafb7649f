import { useEffect, useState } from 'preact/hooks';
import { type Brand, type Provider, request, type Template } from './api.ts';
import type { StylePreset } from './labels.ts';

/** What the screens' selects offer: templates, brands, providers and style presets. */
export interface Catalog {
  templates: Template[];
  brands: Brand[];
  providers: Provider[];
  styles: StylePreset[];
}

const EMPTY: Catalog = { templates: [], brands: [], providers: [], styles: [] };

/** Loads the catalog once when a screen opens; a failure goes to `onError` as a message. */
export function useCatalog(onError: (message: string) => void): Catalog {
  const [catalog, setCatalog] = useState<Catalog>(EMPTY);
  useEffect(() => {
    Promise.all([
      request<{ data: Template[] }>('GET', '/v1/templates'),
      request<{ data: Brand[] }>('GET', '/v1/brands'),
      request<{ data: Provider[] }>('GET', '/v1/providers'),
      request<{ data: StylePreset[] }>('GET', '/v1/styles'),
    ]).then(
      ([templates, brands, providers, styles]) =>
        setCatalog({
          templates: templates.data,
          brands: brands.data,
          providers: providers.data,
          styles: styles.data,
        }),
      (failure: Error) => onError(failure.message),
    );
  }, []);
  return catalog;
}
