import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { ApiEnv } from '../context.ts';

/** Where `npm run build:web` (run by prestart and pretest) writes the studio. */
export const STUDIO_DIST_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../web/dist',
);
/** The studio's own client-side routes: each answers with index.html. */
export const STUDIO_PAGES = [
  '/',
  '/login',
  '/generate',
  '/batches',
  '/scripts',
  '/brands',
  '/history',
  '/assistant',
] as const;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

// The studio loads only its own bundle and talks only to this origin; images may come from signed
// asset URLs on this origin or blob:/data: previews. No framing: nothing embeds the studio itself.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Vitrine</title></head>
<body><h1>Vitrine is running</h1><p>The web studio is not built: run <code>npm run build:web</code>
(<code>npm start</code> does it) and reload. The API reference is at <a href="/docs">/docs</a>.</p></body></html>`;

/**
 * Serves the built single-page studio: index.html for its pages (never cached, so a new release
 * shows at the next load) and its content-hashed files under /static (cached for a year).
 */
export function studioWebRoutes(distDir: string = STUDIO_DIST_DIR) {
  const app = new Hono<ApiEnv>();
  const indexFile = path.join(distDir, 'index.html');
  // Read once: the build does not change while the process runs.
  const index = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : null;
  for (const page of STUDIO_PAGES) {
    app.get(page, (c) => {
      if (!index) return c.html(NOT_BUILT_PAGE, 503);
      return c.html(index, 200, {
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'same-origin',
      });
    });
  }
  // The picker demo: a rich-text editor that loads /picker.js the way a CMS would, under the
  // studio's strict policy (TipTap's style injection is off; its CSS ships in the bundle).
  const demoFile = path.join(distDir, 'demo', 'editor.html');
  const demo = existsSync(demoFile) ? readFileSync(demoFile, 'utf8') : null;
  app.get('/demo/editor', (c) => {
    if (!demo) return c.html(NOT_BUILT_PAGE, 503);
    return c.html(demo, 200, {
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
    });
  });
  // <vitrine-picker>'s one script, at a stable address other sites include: any origin may load it,
  // and a short cache lets a release reach CMS pages within minutes.
  const pickerFile = path.join(distDir, 'picker.js');
  const picker = existsSync(pickerFile) ? readFileSync(pickerFile) : null;
  app.get('/picker.js', (c) => {
    if (!picker) return c.notFound();
    return c.body(picker, 200, {
      'Content-Type': CONTENT_TYPES['.js']!,
      'Cache-Control': 'public, max-age=300',
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
    });
  });
  // <vitrine-assistant>'s one script, for shop pages, served the same way.
  const assistantFile = path.join(distDir, 'assistant.js');
  const assistantScript = existsSync(assistantFile) ? readFileSync(assistantFile) : null;
  app.get('/assistant.js', (c) => {
    if (!assistantScript) return c.notFound();
    return c.body(assistantScript, 200, {
      'Content-Type': CONTENT_TYPES['.js']!,
      'Cache-Control': 'public, max-age=300',
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
    });
  });
  app.get('/static/:file', (c) => {
    const file = c.req.param('file');
    const type = CONTENT_TYPES[path.extname(file)];
    // One flat directory of generated names: anything else (dot segments, unknown types) is no file.
    if (!type || !/^[\w.-]+$/.test(file) || file.startsWith('.')) return c.notFound();
    const full = path.join(distDir, 'static', file);
    if (!existsSync(full)) return c.notFound();
    return c.body(readFileSync(full), 200, {
      'Content-Type': type,
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    });
  });
  return app;
}
