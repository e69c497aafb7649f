import { z } from 'zod';

/**
 * The layout format (version 1) the studio engine renders. Boxes are fractions of the canvas
 * (0..1) so one layout serves several sizes of the same aspect. Colors are either a hex value or a
 * role of the brand palette, so one template renders in every brand.
 */
const fraction = z.number().min(0).max(1);
export const boxSchema = z.object({ x: fraction, y: fraction, w: fraction, h: fraction });
export type Box = z.infer<typeof boxSchema>;

export const paletteRoles = ['primary', 'secondary', 'accent', 'background', 'text'] as const;
export const colorRefSchema = z.union([
  z.enum(paletteRoles),
  z
    .string()
    .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/, 'must be a palette role or a hex color'),
]);
export type ColorRef = z.infer<typeof colorRefSchema>;

export const backgroundLayerSchema = z.object({
  type: z.literal('background'),
  style: z.enum(['solid', 'linear-gradient', 'radial-gradient']),
  colors: z.array(colorRefSchema).min(1).max(4),
  /** Degrees for linear gradients; 90 is top to bottom. */
  angle: z.number().min(0).max(360).default(90),
});

export const shapeLayerSchema = z.object({
  type: z.literal('shape'),
  shape: z.enum(['rect', 'ellipse']),
  box: boxSchema,
  color: colorRefSchema,
  opacity: z.number().min(0).max(1).default(1),
  /** Corner radius in pixels; `brand` uses the brand kit's radius. */
  radius: z.union([z.number().min(0), z.literal('brand')]).default(0),
});

export const textLayerSchema = z.object({
  type: z.literal('text'),
  /** The template param whose value this layer shows. */
  param: z.string().min(1),
  box: boxSchema,
  font: z.enum(['heading', 'body']).default('heading'),
  weight: z.union([z.literal(400), z.literal(700)]).default(700),
  color: colorRefSchema.default('text'),
  align: z.enum(['left', 'center', 'right']).default('left'),
  valign: z.enum(['top', 'middle', 'bottom']).default('top'),
  /** Font sizes in pixels at the layout's reference width; scaled with the canvas. */
  maxSize: z.number().min(4).max(800),
  minSize: z.number().min(4).max(800),
  maxLines: z.number().int().min(1).max(20).default(3),
  lineHeight: z.number().min(0.8).max(3).default(1.2),
});

export const badgeLayerSchema = z.object({
  type: z.literal('badge'),
  param: z.string().min(1),
  box: boxSchema,
  shape: z.enum(['pill', 'circle', 'rect']).default('pill'),
  fill: colorRefSchema.default('accent'),
  color: colorRefSchema.default('#ffffff'),
  maxSize: z.number().min(4).max(800),
  minSize: z.number().min(4).max(800),
});

export const imageLayerSchema = z.object({
  type: z.literal('image'),
  /** The template param holding an asset id or URL of the image. */
  param: z.string().min(1),
  box: boxSchema,
  fit: z.enum(['contain', 'cover']).default('contain'),
  shadow: z.boolean().default(true),
});

export const layerSchema = z.discriminatedUnion('type', [
  backgroundLayerSchema,
  shapeLayerSchema,
  textLayerSchema,
  badgeLayerSchema,
  imageLayerSchema,
]);
export type Layer = z.infer<typeof layerSchema>;
export type TextLayer = z.infer<typeof textLayerSchema>;
export type BadgeLayer = z.infer<typeof badgeLayerSchema>;
export type ImageLayer = z.infer<typeof imageLayerSchema>;
export type ShapeLayer = z.infer<typeof shapeLayerSchema>;
export type BackgroundLayer = z.infer<typeof backgroundLayerSchema>;

export const layoutSchema = z.object({
  version: z.literal(1),
  /** The width the font sizes were designed at; text scales by canvasWidth / referenceWidth. */
  referenceWidth: z.number().int().min(16).max(8192),
  layers: z.array(layerSchema).min(1).max(64),
});
export type Layout = z.infer<typeof layoutSchema>;
