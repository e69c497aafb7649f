import type { MiddlewareHandler } from 'hono';
import type { ApiKeyScope } from '../db/api-key.repository.ts';
import { AppError } from '../domain/errors.ts';
import { type ApiKeyService, hasScope } from '../services/api-key.service.ts';
import type { ApiEnv } from './context.ts';

/**
 * Bearer-key authentication for `/v1`. Signed asset URLs (`?exp=&sig=`) are checked by the asset
 * route itself and pass through here without a key.
 */
export function authenticate(apiKeys: ApiKeyService): MiddlewareHandler<ApiEnv> {
  return async function authenticateMiddleware(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      if (isSignedAssetRequest(c.req.path, c.req.query('sig'))) return next();
      throw new AppError('unauthorized', 'Send an API key as "Authorization: Bearer <key>"');
    }
    const record = await apiKeys.authenticate(match[1]!);
    if (!record) throw new AppError('unauthorized', 'The API key is not valid or was revoked');
    c.set('apiKey', record);
    await next();
  };
}

function isSignedAssetRequest(path: string, signature: string | undefined): boolean {
  return path.startsWith('/v1/assets/') && Boolean(signature);
}

/** Route guard: the key must hold `scope` (admin holds every scope). */
export function requireScope(scope: ApiKeyScope): MiddlewareHandler<ApiEnv> {
  return async function requireScopeMiddleware(c, next) {
    const key = c.get('apiKey');
    if (!key || !hasScope(key, scope)) {
      throw new AppError('forbidden', `This API key lacks the '${scope}' scope`);
    }
    await next();
  };
}
