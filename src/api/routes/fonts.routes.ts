import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { BUNDLED_FONT_FAMILIES, FALLBACK_FONT_FAMILY } from '../../render/fonts.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { errorResponses } from '../schemas/common.schema.ts';

const FontSchema = z
  .object({
    family: z.string(),
    scripts: z
      .array(z.enum(['latin', 'han']))
      .openapi({ description: 'Scripts the family draws; others fall back to the default family' }),
  })
  .openapi('Font');

/** `GET /v1/fonts`: the families a brand kit can name and the render engine really draws. */
export function fontRoutes() {
  const app = new OpenAPIHono<ApiEnv>();
  app.use('/fonts', requireScope('read'));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/fonts',
      tags: ['Brands'],
      summary: 'Font families the render engine ships with',
      description:
        "A brand's `fonts.heading` and `fonts.body` should be one of these. Any other family is drawn only if the host has it, else the default family is used.",
      responses: {
        200: {
          description: 'The bundled families',
          content: {
            'application/json': {
              schema: z.object({ default: z.string(), data: z.array(FontSchema) }),
            },
          },
        },
        ...errorResponses(401),
      },
    }),
    (c) =>
      c.json(
        {
          default: FALLBACK_FONT_FAMILY,
          data: BUNDLED_FONT_FAMILIES.map((font) => ({ family: font.family, scripts: [...font.scripts] })),
        },
        200,
      ),
  );
  return app;
}
