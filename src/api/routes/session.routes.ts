import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ApiKeyRecord } from '../../db/api-key.repository.ts';
import { AppError } from '../../domain/errors.ts';
import {
  SESSION_TTL_SECONDS,
  type StudioSessionService,
} from '../../services/access/studio-session.service.ts';
import { SESSION_COOKIE, STUDIO_HEADER } from '../auth.ts';
import type { ApiEnv } from '../context.ts';

/** What the studio may know about who signed in: never the key itself. */
function describeKey(key: ApiKeyRecord) {
  return { id: key.id, name: key.name, key_prefix: key.key_prefix, scopes: key.scopes };
}

/**
 * Studio sign-in and sign-out. `POST /login` takes `{"key": "..."}` as JSON (the studio) or a form
 * field `key` (a plain HTML form: answered with redirects, so it works without JavaScript).
 * The cookie is HttpOnly so page scripts never see it, SameSite=Strict so other sites' requests do
 * not carry it, and Secure whenever the request came over HTTPS.
 */
export function sessionRoutes(sessions: StudioSessionService) {
  const app = new Hono<ApiEnv>();
  const smallBody = bodyLimit({
    maxSize: 16 * 1024,
    onError: () => {
      throw new AppError('payload_too_large', 'A sign-in body is at most 16 KB');
    },
  });

  app.post('/login', smallBody, async (c) => {
    const isJson = (c.req.header('content-type') ?? '').includes('application/json');
    let key: unknown;
    if (isJson) {
      const body = await c.req.json<unknown>().catch(() => null);
      key = body && typeof body === 'object' ? (body as { key?: unknown }).key : undefined;
    } else {
      key = (await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)).key;
    }
    if (typeof key !== 'string' || key.trim() === '') {
      if (!isJson) return c.redirect('/login?error=missing_key', 303);
      throw new AppError('invalid_request', 'Send the API key as {"key": "..."}');
    }
    const session = await sessions.start(key.trim());
    if (!session) {
      if (!isJson) return c.redirect('/login?error=invalid_key', 303);
      throw new AppError('unauthorized', 'The API key is not valid or was revoked');
    }
    setCookie(c, SESSION_COOKIE, session.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'Strict',
      secure: isHttps(c.req.url, c.req.header('x-forwarded-proto')),
      maxAge: SESSION_TTL_SECONDS,
    });
    if (!isJson) return c.redirect('/', 303);
    return c.json({ key: describeKey(session.key), expires_at: session.expiresAt.toISOString() });
  });

  app.post('/logout', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await sessions.end(token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    if (c.req.header(STUDIO_HEADER) === '1') return c.body(null, 204);
    return c.redirect('/login', 303);
  });

  /**
   * Who the studio is signed in as; `{"key": null}` when the cookie is missing, expired or signed
   * out. Always 200: the studio asks on every load, and a 401 would be logged as a browser error.
   */
  app.get('/session', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    const key = token ? await sessions.resolve(token) : null;
    c.header('Cache-Control', 'no-store');
    return c.json({ key: key ? describeKey(key) : null });
  });
  return app;
}

function isHttps(url: string, forwardedProto: string | undefined): boolean {
  return url.startsWith('https:') || forwardedProto?.split(',')[0]?.trim() === 'https';
}
