import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { AppError, invalidRequest } from '../../domain/errors.ts';
import type { ProviderRegistry } from '../../providers/registry.ts';
import { hasScope } from '../../services/access/api-key.service.ts';
import { type AssetService, SIGNED_URL_WIDTHS } from '../../services/assets/asset.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { readMultipart } from '../multipart.ts';
import { ProviderSchema } from '../schemas/catalog.schema.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { validationHook } from '../validation.ts';

export const MAX_UPLOAD_BYTES = 20 * 2 ** 20;

const UploadedAssetSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    format: z.enum(['png', 'jpeg', 'webp']),
    bytes: z.number().int(),
  })
  .openapi('UploadedAsset');

export function assetRoutes(deps: { assets: AssetService; providers: ProviderRegistry }) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/assets/{id}',
      tags: ['Assets'],
      summary: 'Download an image, or a derived size/format of it',
      description: `Needs an API key with \`read\`, or a signed URL (\`exp\` and \`sig\`, as in a job's \`images[].url\`). \`w\` gives a narrower copy (aspect kept); \`format\` converts. With a signed URL \`w\` is one of ${SIGNED_URL_WIDTHS.join(', ')}; with a key any width from 16 to 4096.`,
      request: {
        params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) }),
        query: z.object({
          w: z.coerce.number().int().min(16).max(4096).optional(),
          format: z.enum(['png', 'jpeg', 'webp', 'avif']).optional(),
          exp: z.string().optional(),
          sig: z.string().optional(),
        }),
      },
      responses: {
        200: {
          description: 'The image bytes',
          content: { 'image/*': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        302: {
          description:
            'With `VITRINE_ASSET_URLS=presigned` (S3 storage): a redirect to a presigned URL of the object, valid for an hour',
        },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      const key = c.get('apiKey');
      if (key) {
        if (!hasScope(key, 'read')) throw new AppError('forbidden', "This API key lacks the 'read' scope");
      } else if (!query.exp || !query.sig || !deps.assets.verifySignature(id, query.exp, query.sig)) {
        throw new AppError('forbidden', 'The signed URL is invalid or has expired');
      } else if (query.w !== undefined && !SIGNED_URL_WIDTHS.includes(query.w)) {
        // A public link must not be a way to make (and store) thousands of variants of one image.
        const message = `with a signed URL, w is one of ${SIGNED_URL_WIDTHS.join(', ')}`;
        throw invalidRequest(`Invalid request: w: ${message}`, [{ field: 'w', message }]);
      }
      const location = await deps.assets.locate(id, { width: query.w, format: query.format });
      if (location.kind === 'redirect') {
        // The bytes come from the bucket; the presigned target lives an hour, the redirect less.
        return c.body(null, 302, {
          Location: location.url,
          'Cache-Control': 'private, max-age=300',
        });
      }
      const { bytes, mediaType } = location;
      return c.body(new Uint8Array(bytes), 200, {
        'Content-Type': mediaType,
        'Content-Length': String(bytes.byteLength),
        // Assets never change: the id names immutable content.
        'Cache-Control': key ? 'private, max-age=31536000, immutable' : 'public, max-age=86400, immutable',
        'X-Content-Type-Options': 'nosniff',
      });
    },
  );

  app.use('/assets', requireScope('generate'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/assets',
      tags: ['Assets'],
      summary: 'Upload an image (e.g. a product photo) to use as a template param',
      description: `The body is the image itself (Content-Type image/png, image/jpeg or image/webp), or multipart/form-data with the image as \`file\` (\`curl -F file=@shirt.jpg\`), at most ${MAX_UPLOAD_BYTES / 2 ** 20} MB. The answer's \`id\` can be given as \`params.product_image\`.`,
      request: {
        body: {
          content: { 'image/*': { schema: z.string().openapi({ format: 'binary' }) } },
          required: true,
        },
      },
      responses: {
        201: { description: 'Stored', content: { 'application/json': { schema: UploadedAssetSchema } } },
        ...errorResponses(400, 401, 403, 413, 422),
      },
    }),
    async (c) => {
      const type = c.req.header('content-type') ?? '';
      let bytes: Uint8Array;
      if (type.startsWith('multipart/form-data')) {
        // `curl -F file=@shirt.jpg`: the image is the form's `file` (or its only file).
        const form = await readMultipart(c);
        const file = form.get('file') ?? [...form.values()].find((value) => typeof value !== 'string');
        if (!file || typeof file === 'string') {
          throw new AppError('invalid_request', 'Attach the image as the form field `file`', {
            details: { issues: [{ field: 'file', message: 'is required' }] },
          });
        }
        bytes = new Uint8Array(await file.arrayBuffer());
      } else if (type.startsWith('image/')) {
        bytes = new Uint8Array(await c.req.arrayBuffer());
      } else {
        throw new AppError(
          'unsupported_media_type',
          'Send the image bytes with Content-Type image/png, image/jpeg or image/webp, or multipart/form-data with the image as `file`',
        );
      }
      if (bytes.byteLength === 0)
        throw new AppError('invalid_request', 'The body is empty; send the image bytes');
      const asset = await deps.assets.upload(bytes);
      return c.json(
        {
          id: asset.id,
          url: deps.assets.signedUrl(asset.id),
          width: asset.width,
          height: asset.height,
          format: asset.format,
          bytes: asset.bytes,
        },
        201,
      );
    },
  );

  app.use('/providers', requireScope('read'));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/providers',
      tags: ['Providers'],
      summary: 'Configured image providers with health and capabilities',
      request: { query: z.object({ refresh: z.enum(['true', 'false']).optional() }) },
      responses: {
        200: {
          description: 'Providers',
          content: {
            'application/json': {
              schema: z.object({
                default: z.string(),
                image_model: z.string().nullable().openapi({
                  description:
                    'Where a plain prompt goes by default: the first configured image model; null when none is configured (a prompt-only request then answers 422 no_image_model)',
                }),
                data: z.array(ProviderSchema),
              }),
            },
          },
        },
        ...errorResponses(401),
      },
    }),
    async (c) => {
      const refresh = c.req.valid('query').refresh === 'true';
      const data = await deps.providers.describe({ refresh });
      return c.json(
        {
          default: deps.providers.defaultId,
          image_model: deps.providers.defaultImageModelId,
          data: data.map((info) => ({
            ...info,
            models: [...info.models],
            capabilities: { ...info.capabilities, formats: [...info.capabilities.formats] },
          })),
        },
        200,
      );
    },
  );
  return app;
}
