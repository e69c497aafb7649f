import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { STUDIO_DIST_DIR } from '../../src/api/routes/studio-web.routes.ts';
import { type InProcessServer, REPO_ROOT } from './server.ts';
import type { TempDirs } from './temp.ts';

/** Debian's Chromium (.ci/run installs it); no browser is ever downloaded. */
export const CHROMIUM = '/usr/bin/chromium';
/** Docs screenshots are rewritten only on demand, so a test run leaves the tracked PNGs alone. */
export const UPDATE_SCREENSHOTS = process.env.VITRINE_UPDATE_SCREENSHOTS === '1';

export interface StudioBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions of every page in the context: a test ends asserting none. */
  errors: string[];
  close(): Promise<void>;
}

/** Chromium with one page on the studio, recording every console error and page exception. */
export async function openStudioBrowser(
  server: InProcessServer,
  options: { locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<StudioBrowser> {
  assert.ok(
    existsSync(path.join(STUDIO_DIST_DIR, 'index.html')),
    'the studio is built (npm test builds it first)',
  );
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is installed (.ci/run installs Debian's chromium)`);
  const { chromium } = await import('playwright-core');
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const errors: string[] = [];
  context.on('page', (page) => watchErrors(page, errors));
  const page = await context.newPage();
  return { browser, context, page, errors, close: () => browser.close() };
}

function watchErrors(page: Page, errors: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
}

/** Signs in through the form (the server's admin key by default) and waits for the first screen. */
export async function signInWithKey(
  page: Page,
  server: InProcessServer,
  key = server.adminKey!,
): Promise<void> {
  // A fresh start: whoever was signed in before is not anymore.
  await page.context().clearCookies();
  await page.goto(`${server.url}/login`);
  await page.locator('#key').fill(key);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

/**
 * A full-page screenshot: into docs/screenshots/<name>.png with VITRINE_UPDATE_SCREENSHOTS=1, else
 * into a temp dir. Either way it must be a real rendered page, not an empty one.
 */
export async function takeScreenshot(page: Page, name: string, dirs: TempDirs): Promise<string> {
  const file = UPDATE_SCREENSHOTS
    ? path.join(REPO_ROOT, 'docs/screenshots', `${name}.png`)
    : path.join(dirs.make('vitrine-shot-'), `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  assert.ok(statSync(file).size > 10_000, `the screenshot ${name} shows a rendered page`);
  return file;
}

/** The parts of an <img> the tests read (this project's types are Node's, not the DOM's). */
interface PageImage {
  complete: boolean;
  naturalWidth: number;
  addEventListener(type: 'load' | 'error', listener: () => void, options: { once: boolean }): void;
}

/** Waits until an <img> has loaded and answers its natural width (0 when it failed to load). */
export async function loadedWidth(image: Locator): Promise<number> {
  // Awaits the image's own load/error event rather than polling: no eval in the page, so the
  // studio's CSP (no 'unsafe-eval') does not get in the way.
  return image.evaluate<number, undefined, PageImage>((img) =>
    img.complete
      ? img.naturalWidth
      : new Promise<number>((resolve) => {
          img.addEventListener('load', () => resolve(img.naturalWidth), { once: true });
          img.addEventListener('error', () => resolve(0), { once: true });
        }),
  );
}
