import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { apiKeyScopes } from '../../db/api-key.repository.ts';
import { AppError } from '../../domain/errors.ts';
import {
  PICKER_TOKEN_DEFAULT_TTL_SECONDS,
  PICKER_TOKEN_MAX_TTL_SECONDS,
  type PickerTokenService,
} from '../../services/access/picker-token.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { validationHook } from '../validation.ts';

const PickerTokenCreateSchema = z
  .object({
    ttl_seconds: z
      .number()
      .int()
      .min(60)
      .max(PICKER_TOKEN_MAX_TTL_SECONDS)
      .optional()
      .openapi({ description: `Lifetime; default ${PICKER_TOKEN_DEFAULT_TTL_SECONDS} (1 h), at most 12 h` }),
    allowed_origin: z
      .url()
      .transform((value) => new URL(value).origin)
      .optional()
      .openapi({
        description: 'Only browser requests from this origin may use the token',
        example: 'https://cms.example.com',
      }),
  })
  .strict()
  .openapi('PickerTokenCreate');

const PickerTokenSchema = z
  .object({
    token: z.string().openapi({ description: 'The bearer credential for <vitrine-picker token="...">' }),
    expires_at: z.string(),
    scopes: z.array(z.enum(apiKeyScopes)),
    allowed_origin: z.string().nullable(),
  })
  .openapi('PickerToken');

/**
 * `POST /v1/picker-tokens`: a CMS backend trades its API key (scope `generate`) for a short-lived
 * token to put in the page that hosts <vitrine-picker>; the key itself never reaches the browser.
 */
export function pickerTokenRoutes(pickerTokens: PickerTokenService) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  app.use('/picker-tokens', requireScope('generate'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/picker-tokens',
      tags: ['Picker'],
      summary: 'Mint a short-lived picker token (generate + read) for a page on another origin',
      request: {
        body: { content: { 'application/json': { schema: PickerTokenCreateSchema } }, required: false },
      },
      responses: {
        201: { description: 'Minted', content: { 'application/json': { schema: PickerTokenSchema } } },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      // A token that could mint tokens would outlive its 12 hours by renewing itself.
      if (c.get('credential') === 'picker_token') {
        throw new AppError('forbidden', 'A picker token cannot mint picker tokens; use the API key');
      }
      const body = c.req.valid('json') ?? {};
      const minted = await pickerTokens.mint(c.get('apiKey'), {
        ttlSeconds: body.ttl_seconds,
        allowedOrigin: body.allowed_origin ?? null,
      });
      return c.json(
        {
          token: minted.token,
          expires_at: minted.expiresAt.toISOString(),
          scopes: minted.scopes,
          allowed_origin: minted.allowedOrigin,
        },
        201,
      );
    },
  );
  return app;
}
