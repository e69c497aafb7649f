import type { Layer } from './layout.ts';

/**
 * Whether a layer is drawn for these params: every `when.has` param has a value (a non-blank text
 * or a non-empty image) and every `when.missing` param has none. A layer without `when` always
 * applies. Pure, so the renderer and the candidate scorer decide alike; skipped layers are neither
 * drawn nor checked.
 */
export function layerApplies(
  layer: Pick<Layer, 'when'>,
  params: Readonly<Record<string, string | undefined>>,
  images: Readonly<Record<string, Uint8Array | undefined>>,
): boolean {
  const when = layer.when;
  if (!when) return true;
  const present = (name: string) => (params[name]?.trim() ?? '') !== '' || (images[name]?.length ?? 0) > 0;
  return (when.has ?? []).every(present) && !(when.missing ?? []).some(present);
}

/** The layers of a list that apply (see layerApplies), in order. */
export function applicableLayers<T extends Pick<Layer, 'when'>>(
  layers: readonly T[],
  params: Readonly<Record<string, string | undefined>>,
  images: Readonly<Record<string, Uint8Array | undefined>>,
): T[] {
  return layers.filter((layer) => layerApplies(layer, params, images));
}
