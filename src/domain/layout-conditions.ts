import type { Layer, LayerCondition } from './layout.ts';

/**
 * Whether a layer is drawn for these values (layout.ts, `when`): every `has` param has a value
 * and every `missing` param has none. A value is a non-blank text param or a non-empty image.
 */
export function layerApplies(
  layer: { when?: LayerCondition | undefined },
  params: Readonly<Record<string, string | undefined>>,
  images: Readonly<Record<string, Uint8Array | undefined>> = {},
): boolean {
  const when = layer.when;
  if (!when) return true;
  const present = (name: string) => (params[name]?.trim() ?? '') !== '' || (images[name]?.length ?? 0) > 0;
  return (when.has ?? []).every(present) && !(when.missing ?? []).some(present);
}

/** The layers drawn for these values. */
export function applicableLayers(
  layers: readonly Layer[],
  params: Readonly<Record<string, string | undefined>>,
  images: Readonly<Record<string, Uint8Array | undefined>> = {},
): Layer[] {
  return layers.filter((layer) => layerApplies(layer, params, images));
}
