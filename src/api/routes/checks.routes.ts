import { OpenAPIHono, z } from '@hono/zod-openapi';
import { AppError } from '../../domain/errors.ts';
import { marketplaceProfileIds } from '../../domain/marketplace-profiles.ts';
import type { ImageCheckService } from '../../services/checks/image-check.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { validationHook } from '../validation.ts';

const CheckSchema = z
  .object({ name: z.string(), passed: z.boolean(), detail: z.string() })
  .openapi('QualityCheck');

export const CheckResultSchema = z
  .object({
    profile: z.enum(marketplaceProfileIds),
    title: z.string(),
    description: z.string(),
    passed: z.boolean().openapi({ description: 'Every check passed' }),
    checks: z.array(CheckSchema),
    measured: z.object({
      width: z.number().int(),
      height: z.number().int(),
      border_white: z.number().openapi({ description: 'Share of the border ring that is pure #FFFFFF' }),
      product_fill: z
        .number()
        .openapi({ description: "The content's longer extent as a share of the frame" }),
      objects: z.number().int().openapi({ description: 'Separate things on the background' }),
    }),
    not_checked: z
      .array(z.string())
      .openapi({ description: 'Rules of the profile that pixels alone cannot show' }),
  })
  .openapi('CheckResult');

const JsonBodySchema = z
  .object({
    asset_id: z
      .string()
      .min(1)
      .max(200)
      .openapi({ description: 'A stored image: an upload or a generated one' }),
    profile: z.enum(marketplaceProfileIds),
  })
  .strict();

const MultipartBodySchema = z.object({
  image: z.any().openapi({ type: 'string', format: 'binary', description: 'The photo (PNG, JPEG or WebP)' }),
  profile: z.enum(marketplaceProfileIds),
});

export function checkRoutes(deps: { imageChecks: ImageCheckService }) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  app.use('/checks', requireScope('read'));
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/checks',
    tags: ['Checks'],
    summary: 'Check an image against a marketplace profile',
    description:
      'Runs `amazon_main`, `taobao_main`, `white_background` or `live_cover` on an uploaded photo (multipart: `image`, `profile`) or a stored asset (JSON: `asset_id`, `profile`). The answer lists every rule with what was measured; `passed` is true only when all pass. A failing image is still a 200: the checks are the answer. An unknown profile or a missing image is 400 naming the field, a file that is not an image 422, an unknown asset 404.',
    request: {
      body: {
        content: {
          'application/json': { schema: JsonBodySchema },
          'multipart/form-data': { schema: MultipartBodySchema },
        },
        required: true,
      },
    },
    responses: {
      200: { description: 'The checks', content: { 'application/json': { schema: CheckResultSchema } } },
      ...errorResponses,
    },
  });
  // A plain handler: the body is JSON or multipart, the multipart image read as bytes.
  app.post('/checks', async (c) => {
    const contentType = c.req.header('content-type') ?? '';
    if (contentType.startsWith('multipart/form-data')) {
      const form = await c.req.parseBody();
      const image = form.image;
      if (!(image instanceof File)) {
        throw new AppError('invalid_request', 'The multipart field `image` must be a file', {
          details: { field: 'image' },
        });
      }
      const profile = typeof form.profile === 'string' ? form.profile : '';
      if (profile === '') {
        throw new AppError('invalid_request', 'The multipart field `profile` is missing', {
          details: { field: 'profile' },
        });
      }
      const result = await deps.imageChecks.check({
        bytes: new Uint8Array(await image.arrayBuffer()),
        profile,
      });
      return c.json(result, 200);
    }
    if (!contentType.startsWith('application/json')) {
      throw new AppError(
        'unsupported_media_type',
        'Send application/json with `asset_id` or multipart/form-data with `image`',
      );
    }
    const parsed = JsonBodySchema.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) {
      throw new AppError('invalid_request', 'The body needs `asset_id` and `profile`', {
        details: {
          issues: parsed.error.issues.map((issue) => ({
            field: issue.path.join('.'),
            message: issue.message,
          })),
        },
      });
    }
    return c.json(
      await deps.imageChecks.check({ assetId: parsed.data.asset_id, profile: parsed.data.profile }),
      200,
    );
  });
  return app;
}
