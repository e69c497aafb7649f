import { useEffect, useState } from 'preact/hooks';
import { type Brand, type Provider, request, type StylePack, type Template } from './api.ts';
import type { StylePreset } from './labels.ts';

/** What the screens' selects offer: templates, brands, providers and style presets. */
export interface Catalog {
  templates: Template[];
  brands: Brand[];
  providers: Provider[];
  styles: StylePreset[];
  stylePacks: StylePack[];
  /**
   * Where a plain prompt goes: the first configured image model; null when none is configured (a
   * description then needs the typographic card); undefined until the list has loaded.
   */
  imageModel: string | null | undefined;
}

interface ProviderList {
  image_model?: string | null;
  data: Provider[];
}

const EMPTY: Catalog = {
  templates: [],
  brands: [],
  providers: [],
  styles: [],
  stylePacks: [],
  imageModel: undefined,
};

/** Loads the catalog once when a screen opens; a failure goes to `onError` as a message. */
export function useCatalog(onError: (message: string) => void): Catalog {
  const [catalog, setCatalog] = useState<Catalog>(EMPTY);
  useEffect(() => {
    Promise.all([
      request<{ data: Template[] }>('GET', '/v1/templates'),
      request<{ data: Brand[] }>('GET', '/v1/brands'),
      request<ProviderList>('GET', '/v1/providers'),
      request<{ data: StylePreset[] }>('GET', '/v1/styles'),
      request<{ data: StylePack[] }>('GET', '/v1/style-packs'),
    ]).then(
      ([templates, brands, providers, styles, stylePacks]) =>
        setCatalog({
          templates: templates.data,
          brands: brands.data,
          providers: providers.data,
          styles: styles.data,
          stylePacks: stylePacks.data,
          imageModel:
            providers.image_model !== undefined
              ? providers.image_model
              : (providers.data.find((provider) => !provider.capabilities?.layouts)?.id ?? null),
        }),
      (failure: Error) => onError(failure.message),
    );
  }, []);
  return catalog;
}
