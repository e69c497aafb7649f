import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { STYLE_PRESETS } from '../../domain/style-presets.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { errorResponses } from '../schemas/common.schema.ts';

const StylePresetSchema = z
  .object({ id: z.string(), description: z.string(), prompt: z.string(), negative: z.string() })
  .openapi('StylePreset');

/** `GET /v1/styles`: the style presets a generation's `style` may name. */
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
  return app;
}
