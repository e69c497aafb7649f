import type { SKRSContext2D } from '@napi-rs/canvas';
import type { OfferLayer, TextRole } from '../domain/layout.ts';
import type { Rgba } from './colors.ts';
import { missingGlyphs } from './fonts.ts';
import type { PixelBox } from './layer-painters.ts';
import {
  BASELINE_BELOW_CENTER,
  cssFont,
  type Face,
  faceOf,
  legibleInk,
  type Palette,
  type RenderedOfferText,
  reportText,
  sampleBand,
  textWidth,
} from './offer-text.ts';
import { floorPx } from './text-floors.ts';
import type { LayoutTextInput } from './text-layers.ts';

// One fitted line of an offer shape's text, shared by the coupon, ribbon, seal and service line.

export interface OfferCtx {
  ctx: SKRSContext2D;
  layer: OfferLayer;
  layerIndex: number;
  input: LayoutTextInput;
  palette: Palette;
  scale: number;
}

/**
 * One line of text fitted into a box: the largest size up to `max` that fits, never below the
 * role's floor (then drawn at the floor and reported outside its box). Drawn centered or left.
 */
export function line(
  c: OfferCtx,
  at: PixelBox,
  text: string,
  options: {
    param: string;
    role: TextRole;
    max: number;
    ink: Rgba;
    backdrop: readonly Rgba[] | null;
    align?: 'left' | 'center';
    face?: Face;
  },
): RenderedOfferText {
  const face = options.face ?? faceOf(c.input, 'heading');
  // A character no font can draw is left out (the check names it), never drawn as tofu.
  const drawable = withoutMissing(text, face);
  const fit = Math.min(options.max, at.w / Math.max(0.01, textWidth(drawable, face, 1)), at.h / 1.1);
  const floor = floorPx(options.role, c.input.width, c.input.height);
  const size = Math.max(fit, floor);
  const width = textWidth(drawable, face, size);
  const left = options.align === 'left' ? at.x : at.x + (at.w - width) / 2;
  const band = { x: left, y: at.y + at.h / 2 - size * 0.5, w: width, h: size };
  const ink = legibleInk(options.ink, options.backdrop ?? sampleBand(c.ctx, band), c.palette);
  c.ctx.save();
  c.ctx.fillStyle = ink.css;
  c.ctx.font = cssFont(face, size);
  c.ctx.textBaseline = 'alphabetic';
  c.ctx.textAlign = 'left';
  c.ctx.fillText(drawable, left, at.y + at.h / 2 + size * BASELINE_BELOW_CENTER);
  c.ctx.restore();
  return reportText({
    layerIndex: c.layerIndex,
    type: 'offer',
    param: options.param,
    role: options.role,
    text,
    box: at,
    face,
    fontSize: size,
    floor,
    width,
    ink,
    inside: fit >= floor - 0.01,
  });
}

export const withoutMissing = (text: string, face: Face) =>
  missingGlyphs(text, face.family).reduce((rest, character) => rest.replaceAll(character, ''), text);
