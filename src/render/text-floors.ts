import type { BadgeLayer, TextLayer, TextRole } from '../domain/layout.ts';

/**
 * The smallest size each text role may be drawn at, as a fraction of the canvas's shorter side.
 * A headline on a 1024 px square is never below 46 px, a price never below 51 px, a subtitle never
 * below 25 px. Text never shrinks below its floor: the engine tries other line breaking and other
 * candidates, and when nothing fits the image fails its `text_floor` check (docs/quality.md).
 * The values follow what reads on a phone at thumbnail size in a marketplace grid.
 */
export const TEXT_FLOORS: Readonly<Record<TextRole, number>> = {
  headline: 0.045,
  price: 0.05,
  subtitle: 0.024,
  body: 0.02,
  badge: 0.02,
  fine: 0.016,
};

/** The floor of a role in pixels on a canvas of this size. */
export function floorPx(role: TextRole, width: number, height: number): number {
  return TEXT_FLOORS[role] * Math.min(width, height);
}

/** A layer's role: as written, else from what it is (badge) and its font (body → body). */
export function roleOf(layer: Pick<TextLayer, 'type' | 'role' | 'font' | 'param'> | BadgeLayer): TextRole {
  if (layer.role) return layer.role;
  if (layer.type === 'badge') return layer.param === 'price' ? 'price' : 'badge';
  if (layer.param === 'price') return 'price';
  return layer.font === 'body' ? (layer.param === 'subtitle' ? 'subtitle' : 'body') : 'headline';
}
