import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openStudioBrowser, type StudioBrowser, signInWithKey } from '../support/browser.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The studio's screens, each checked signed in, in both languages. */
const SCREENS: Array<{ path: string; heading: Record<Lang, string>; ready?: Record<Lang, string> }> = [
  { path: '/', heading: { en: 'Generate', zh: '生成' } },
  { path: '/batches', heading: { en: 'Batches', zh: '批量' } },
  // `ready`: text that shows once the screen's data has loaded, so axe sees the whole screen.
  {
    path: '/brands',
    heading: { en: 'Brands', zh: '品牌' },
    ready: { en: 'Preview updated.', zh: '预览已更新。' },
  },
  {
    path: '/history',
    heading: { en: 'History & costs', zh: '历史与费用' },
    ready: { en: 'No jobs match these filters.', zh: '没有符合筛选条件的任务。' },
  },
];
type Lang = 'en' | 'zh';

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is. The script goes in through the
 * DevTools protocol, which the page's CSP does not govern; the studio itself stays strict.
 */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    "axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))",
  )) as AxeViolation[];
  return violations.map(
    (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}

/** The focus ring of the focused element: its outline, which must be visible. */
async function focusOutline(page: Page): Promise<string> {
  return String(
    await page.evaluate(
      "(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth; })()",
    ),
  );
}

describe('web studio accessibility: axe-core rules, keyboard, focus', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let studio: StudioBrowser;

  before(async () => {
    testConfig = buildConfig('pglite', dirs.make('vitrine-a11y-'));
    server = await startInProcessServer(testConfig.config);
    studio = await openStudioBrowser(server);
  });
  after(async () => {
    await studio?.close();
    await server?.stop();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test('the sign-in page passes axe in English and Chinese', async () => {
    const { page } = studio;
    await studio.context.clearCookies();
    for (const lang of ['en', 'zh'] as const) {
      await page.goto(`${server.url}/login`);
      await page.evaluate(`localStorage.setItem('vitrine.locale', '${lang}')`);
      await page.reload();
      await page.locator('#key').waitFor();
      assert.deepEqual(await axeViolations(page), [], `/login in ${lang}`);
    }
    // The check can fail: an unlabelled input is reported.
    await page.evaluate("document.querySelector('form').append(document.createElement('input'))");
    assert.match((await axeViolations(page)).join('\n'), /label/);
    await page.evaluate("localStorage.removeItem('vitrine.locale')");
  });

  for (const screen of SCREENS) {
    test(`${screen.path} passes axe in English and Chinese`, async () => {
      const { page } = studio;
      await signInWithKey(page, server);
      for (const lang of ['en', 'zh'] as const) {
        await page.evaluate(`localStorage.setItem('vitrine.locale', '${lang}')`);
        await page.goto(`${server.url}${screen.path}`);
        await page.getByRole('heading', { name: screen.heading[lang], level: 1 }).waitFor();
        if (screen.ready) await page.getByText(screen.ready[lang]).waitFor();
        assert.deepEqual(await axeViolations(page), [], `${screen.path} in ${lang}`);
      }
      await page.evaluate("localStorage.removeItem('vitrine.locale')");
    });
  }

  test('the picker demo, with the picker dialog open, passes axe', async () => {
    const { page } = studio;
    await signInWithKey(page, server);
    await page.goto(`${server.url}/demo/editor`);
    await page.getByRole('button', { name: 'Generate image' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate an image' });
    await dialog.waitFor();
    await dialog.locator('#vp-style option[value="festive"]').waitFor({ state: 'attached' });
    assert.deepEqual(await axeViolations(page), [], '/demo/editor with the picker open');
    await page.keyboard.press('Escape');
  });

  test('the keyboard reaches the skip link, the navigation and the form, each with a visible focus ring', async () => {
    const { page } = studio;
    await signInWithKey(page, server);
    // Signing in moved focus to the screen's content, so the next Tab is inside it.
    assert.equal(await page.evaluate('document.activeElement.id'), 'content');
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Generate', level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    assert.equal(await page.evaluate('document.activeElement.textContent'), await skip.textContent());
    assert.match(await focusOutline(page), /^solid [1-9]/);
    // The skip link moves focus past the header to the screen itself.
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate('document.activeElement.id'), 'content');
    await page.keyboard.press('Tab');
    assert.match(String(await page.evaluate('document.activeElement.name')), /mode/);
    assert.match(await focusOutline(page), /^solid [1-9]/);

    // Every interactive control has an accessible name (axe checks too; this lists what Tab visits).
    const unnamed =
      (await page.evaluate(`[...document.querySelectorAll('a[href], button, input, select, textarea')]
      .filter((el) => !el.closest('[hidden]'))
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.textContent.trim()))
      .map((el) => el.outerHTML.slice(0, 80))`)) as string[];
    assert.deepEqual(unnamed, []);
    assert.deepEqual(studio.errors, []);
  });
});
