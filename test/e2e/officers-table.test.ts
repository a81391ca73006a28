/// <reference lib="dom" />
// The responsive table at phone width (issue 6, finding 9): at 390px the officers table becomes
// labelled cards, nothing scrolls sideways, and the street and status of every officer are in
// view. Then an accessibility scan (axe-core) of every current page finds no content outside a
// landmark (`region`) and no other violation.
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { type TestApp, createTestUser, startTestApp, testPassword } from '../support/app.js';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeResults {
  violations: { id: string; nodes: { target: string[] }[] }[];
}

describe('officers table and accessibility in Chromium', function () {
  this.timeout(90_000);
  let portal: TestApp;
  let browser: Browser;

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
    browser = await launchChromium();
    await createTestUser({ email: 'admin@example.org', role: 'admin' });
    await createTestUser({
      email: 'longtian.street.officer@example.org',
      role: 'officer',
      streetScope: 'longtian',
      displayName: 'Longtian Street Community Media Liaison Officer',
    });
    await createTestUser({
      email: 'kengzi@example.org',
      role: 'officer',
      streetScope: 'kengzi',
      displayName: '坑梓街道 陈干事',
    });
  });
  after(async function () {
    await browser?.close();
    await portal?.stop();
  });

  async function signInAsAdmin(page: Page): Promise<void> {
    await page.goto(`${portal.url}/login`);
    await page.locator('#field-email').fill('admin@example.org');
    await page.locator('#field-password').fill(testPassword);
    await page.locator('form[action="/login"] button[type=submit]').click();
    await page.waitForURL(`${portal.url}/admin`);
  }

  it('shows each officer as a labelled card at 390px, street and status in view', async function () {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    const page = await context.newPage();
    await signInAsAdmin(page);
    await page.goto(`${portal.url}/admin/officers`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'page is wider than the viewport').to.be.at.most(0);

    for (const row of await page.locator('tbody tr').all()) {
      for (const label of ['Display name', 'Street', 'Status']) {
        const cell = row.locator(`td[data-label^="${label}"]`);
        const box = (await cell.boundingBox())!;
        expect(box.x, `${label} starts in view`).to.be.at.least(0);
        expect(box.x + box.width, `${label} ends in view`).to.be.at.most(390);
        // The label is shown next to the value (CSS ::before from data-label).
        const before = await cell.evaluate((element) => getComputedStyle(element, '::before').content);
        expect(before).to.contain(label);
      }
      // A name gets the card's width, not one character a line.
      const name = row.locator('td[data-label^="Display name"]');
      expect((await name.boundingBox())!.width).to.be.above(300);
      await expect(row.locator('select').isVisible()).to.eventually.equal(true);
      await expect(row.locator('.status').first().isVisible()).to.eventually.equal(true);
    }
    await page.screenshot({ path: 'test-results/officers-phone.png', fullPage: true });
    await context.close();
  });

  it('finds no accessibility violations (axe-core) on the current pages', async function () {
    // axe is injected by the test; the portal's CSP (rightly) forbids it, so this context bypasses CSP.
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      bypassCSP: true,
      locale: 'en-GB',
    });
    const page = await context.newPage();
    const scan = async (path: string): Promise<string[]> => {
      await page.goto(`${portal.url}${path}`);
      await page.addScriptTag({ path: axePath });
      const results = await page.evaluate(() =>
        (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
      );
      return results.violations.map(
        (violation) =>
          `${path}: ${violation.id} ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
      );
    };
    const violations = [...(await scan('/')), ...(await scan('/login')), ...(await scan('/register'))];
    await signInAsAdmin(page);
    for (const path of ['/admin', '/admin/officers', '/office', '/account/password'])
      violations.push(...(await scan(path)));
    expect(violations).to.deep.equal([]);
    await context.close();
  });
});
