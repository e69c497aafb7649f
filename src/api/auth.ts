import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { ApiKeyScope } from '../db/api-key.repository.ts';
import { AppError } from '../domain/errors.ts';
import { type ApiKeyService, hasScope } from '../services/access/api-key.service.ts';
import { isPickerToken, type PickerTokenService } from '../services/access/picker-token.service.ts';
import type { StudioSessionService } from '../services/access/studio-session.service.ts';
import {
  type AssistantTokenService,
  isAssistantToken,
} from '../services/assistant/assistant-token.service.ts';
import type { ApiEnv } from './context.ts';

/** The web studio's session cookie (see session.routes.ts). */
export const SESSION_COOKIE = 'vitrine_session';
/**
 * Cookie requests that change state must carry this header. A cross-site form cannot set a custom
 * header, and a cross-site fetch with one needs a CORS preflight we never grant: together with
 * SameSite=Strict this keeps other sites from acting with a signed-in browser's session.
 */
export const STUDIO_HEADER = 'x-vitrine-studio';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Authentication for `/v1`: a Bearer key or picker token, or the studio's session cookie. Signed
 * asset URLs (`?exp=&sig=`) are checked by the asset route itself and pass through here without either.
 */
export function authenticate(
  apiKeys: ApiKeyService,
  sessions: StudioSessionService,
  pickerTokens: PickerTokenService,
  assistantTokens?: AssistantTokenService,
): MiddlewareHandler<ApiEnv> {
  return async function authenticateMiddleware(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match && assistantTokens && isAssistantToken(match[1]!)) {
      // A shopper's widget token opens the assistant's conversations and nothing else.
      if (!c.req.path.startsWith('/v1/assistant/conversations')) {
        throw new AppError('forbidden', 'An assistant token can only talk to /v1/assistant/conversations');
      }
      const grant = await assistantTokens.resolve(match[1]!, c.req.header('origin'));
      if (!grant)
        throw new AppError('unauthorized', 'The assistant token expired, was revoked or is not valid');
      c.set('apiKey', grant.key);
      c.set('credential', 'assistant_token');
      c.set('assistantGrant', { customerId: grant.customerId, sku: grant.sku });
      return next();
    }
    if (match && isPickerToken(match[1]!)) {
      const record = await pickerTokens.resolve(match[1]!, c.req.header('origin'));
      if (!record)
        throw new AppError('unauthorized', 'The picker token expired, was revoked or is not valid');
      c.set('apiKey', record);
      c.set('credential', 'picker_token');
      return next();
    }
    if (match) {
      const record = await apiKeys.authenticate(match[1]!);
      if (!record) throw new AppError('unauthorized', 'The API key is not valid or was revoked');
      c.set('apiKey', record);
      c.set('credential', 'api_key');
      return next();
    }
    // A signed URL stands on its own, even when the browser also sends a stale session cookie.
    if (isSignedAssetRequest(c.req.path, c.req.query('sig'))) return next();
    const token = getCookie(c, SESSION_COOKIE);
    if (token) {
      if (!SAFE_METHODS.has(c.req.method) && c.req.header(STUDIO_HEADER) !== '1') {
        throw new AppError(
          'forbidden',
          `A session request that changes state needs the "${STUDIO_HEADER}: 1" header`,
        );
      }
      const record = await sessions.resolve(token);
      if (!record)
        throw new AppError('unauthorized', 'The studio session expired or was signed out; sign in again');
      c.set('apiKey', record);
      c.set('credential', 'session');
      return next();
    }
    throw new AppError('unauthorized', 'Send an API key as "Authorization: Bearer <key>"');
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
