import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { STYLE_PACKS } from '../../domain/style-packs.ts';
import { STYLE_PRESETS } from '../../domain/style-presets.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { errorResponses } from '../schemas/common.schema.ts';

const StylePresetSchema = z
  .object({ id: z.string(), description: z.string(), prompt: z.string(), negative: z.string() })
  .openapi('StylePreset');

const Bilingual = z.object({ en: z.string(), zh: z.string() });
const StylePackSchema = z
  .object({
    id: z.string(),
    name: Bilingual,
    description: Bilingual,
    decoration: z.string(),
    uppercase: z.boolean(),
    swatches: z
      .array(z.string())
      .openapi({ description: 'The first arrangement: background, primary, accent, text, price' }),
  })
  .openapi('StylePack');

/** `GET /v1/styles`: the style presets a generation's `style` may name; `GET /v1/style-packs`: the design packs. */
export function styleRoutes() {
  const app = new OpenAPIHono<ApiEnv>();
  app.use('/styles', requireScope('read'));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/styles',
      tags: ['Templates'],
      summary: 'List style presets',
      responses: {
        200: {
          description: 'Style presets',
          content: { 'application/json': { schema: z.object({ data: z.array(StylePresetSchema) }) } },
        },
        ...errorResponses(401),
      },
    }),
    (c) => c.json({ data: STYLE_PRESETS.map((preset) => ({ ...preset })) }, 200),
  );
  app.use('/style-packs', requireScope('read'));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/style-packs',
      tags: ['Templates'],
      summary: 'List style packs',
      description:
        "The design packs a request's `style_pack` may name, with their names and descriptions in English and Chinese.",
      responses: {
        200: {
          description: 'Style packs',
          content: { 'application/json': { schema: z.object({ data: z.array(StylePackSchema) }) } },
        },
        ...errorResponses(401),
      },
    }),
    (c) =>
      c.json(
        {
          data: STYLE_PACKS.map((pack) => {
            const palette = pack.arrangements[0];
            return {
              id: pack.id,
              name: { ...pack.name },
              description: { ...pack.description },
              decoration: pack.decoration,
              uppercase: pack.uppercase,
              swatches: [palette.background, palette.primary, palette.accent, palette.text, palette.price],
            };
          }),
        },
        200,
      ),
  );
  return app;
}
