/// <reference lib="dom" />
// Accessibility in Chromium: axe-core on every page type of the app — every GET route of the
// authorization matrix that answers a page (200) to someone, opened as the first actor who may
// see it (anonymous, creator A, officer X, admin), with the matrix's world (test/support/world.ts)
// behind it — must find no serious or critical violation. Then a keyboard-only sign-in (Tab and
// Enter, nothing else) with a visible focus ring on each stop, and the member directory the same
// way once the portal has one.
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { type TestApp, startTestApp, testPassword } from '../support/app.js';
import { type Actor, type World, buildWorld } from '../support/world.js';
import { fillPath, matrix } from '../integration/quality/authorization-matrix.table.js';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeResults {
  violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
}

const viewers: Actor[] = ['anonymous', 'creatorA', 'officerX', 'admin'];
// Not pages: health checks, files, the JSON API, CSV and .xlsx downloads, badges, robots.txt, the sitemap, avatars, a
// mail's own HTML, redirects.
const notPages = /^\/(healthz|readyz|files\/|api\/)|\.(csv|xlsx|svg|txt|xml)$|\/(html|avatar)$/;
const pageRows = Object.entries(matrix).filter(([key, row]) => {
  const [method, path = ''] = key.split(' ');
  return method === 'GET' && !notPages.test(path) && viewers.some((actor) => row.expect[actor] === 200);
});

describe(`accessibility in Chromium (axe-core on ${pageRows.length} page types; keyboard-only sign-in)`, function () {
  this.timeout(60_000);
  let portal: TestApp;
  let world: World;
  let browser: Browser;
  const contexts = new Map<Actor, BrowserContext>();

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
    world = await buildWorld(portal);
    browser = await launchChromium();
  });
  after(async function () {
    await browser?.close();
    await portal?.stop();
  });

  /** A browser context holding the actor's cookies from the world (signed in, no form needed). */
  async function contextOf(actor: Actor): Promise<BrowserContext> {
    const known = contexts.get(actor);
    if (known) return known;
    // axe is injected by the test; the portal's CSP (rightly) forbids it, so this context bypasses CSP.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const cookies = world.cookies[actor]
      .split('; ')
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf('=');
        return { name: pair.slice(0, at), value: pair.slice(at + 1), url: portal.url };
      });
    if (cookies.length) await context.addCookies(cookies);
    contexts.set(actor, context);
    return context;
  }

  async function scan(page: Page): Promise<string[]> {
    await page.addScriptTag({ path: axePath });
    // only the violations are needed: axe skips collecting the passes (much faster)
    const results = await page.evaluate(() =>
      (window as unknown as { axe: { run(options: object): Promise<AxeResults> } }).axe.run({
        resultTypes: ['violations'],
      }),
    );
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) =>
          `${violation.impact} ${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
      );
  }

  for (const [key, row] of pageRows) {
    const actor = viewers.find((candidate) => row.expect[candidate] === 200) as Actor;
    it(`${key} (as ${actor}): no serious or critical violation`, async function () {
      const [, path = ''] = key.split(' ');
      const page = await (await contextOf(actor)).newPage();
      const response = await page.goto(`${portal.url}${fillPath(key, path, row, world)}`);
      expect(response?.status(), `${key} as ${actor}`).to.equal(200);
      const violations = await scan(page);
      await page.close();
      expect(violations, key).to.deep.equal([]);
    });
  }

  /** Presses Tab until the focused element matches, checking that every stop shows its focus. */
  async function tabTo(page: Page, selector: string, limit = 40): Promise<void> {
    for (let presses = 0; presses < limit; presses += 1) {
      await page.keyboard.press('Tab');
      const state = await page.evaluate((wanted) => {
        const active = document.activeElement as HTMLElement | null;
        if (!active || active === document.body) return { match: false, visible: true, what: 'body' };
        const style = getComputedStyle(active);
        const ring =
          (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
        return { match: active.matches(wanted), visible: ring, what: active.outerHTML.slice(0, 80) };
      }, selector);
      expect(state.visible, `no visible focus on ${state.what}`).to.equal(true);
      if (state.match) return;
    }
    throw new Error(`${selector} was not reached with ${limit} Tab presses`);
  }

  it('signs in with the keyboard only, the focus visible at every stop', async function () {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${portal.url}/`);
    await tabTo(page, 'a[href^="/login"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/login/);
    await tabTo(page, '#field-email');
    await page.keyboard.type(world.emails.creatorA);
    await tabTo(page, '#field-password');
    await page.keyboard.type(testPassword);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${portal.url}/me`);
    await page.screenshot({ path: 'test-results/keyboard-signed-in-390.png', fullPage: true });

    // The member directory, once the portal has one (/members is being built alongside).
    const directory = await page.goto(`${portal.url}/members`);
    if (directory?.status() === 200) {
      await tabTo(page, 'a[href^="/members/"]', 80);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/members\/[^/]+$/);
      await page.screenshot({ path: 'test-results/keyboard-member-390.png', fullPage: true });
    }
    await context.close();
  });
});
