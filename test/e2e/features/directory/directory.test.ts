/// <reference lib="dom" />
// The public directory in Chromium at phone width (390 px): search, open a member page, see the
// growth chart; no sideways scrolling, no CSP violation. Then an axe-core scan (served from
// node_modules) of home, directory and member page finds no serious or critical violation.
// Screenshots of each page in the three languages at 390 and 1280 px go to test-results/.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { type TestApp, startTestApp } from '../../../support/app.js';
import { launchChromium } from '../../../support/chromium.js';
import { seedDirectoryDemo } from '../../../integration/features/directory/support.js';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeResults {
  violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
}

describe('public directory in Chromium', function () {
  this.timeout(180_000);
  let portal: TestApp;
  let browser: Browser;

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'zh-CN' });
    await seedDirectoryDemo();
    browser = await launchChromium();
    mkdirSync('test-results', { recursive: true });
  });
  after(async function () {
    await browser?.close();
    await portal?.stop();
  });

  async function expectNoHorizontalScroll(page: Page): Promise<void> {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${page.url()} is wider than the viewport`).to.be.at.most(0);
  }

  it('searches the directory, opens a member page and sees the chart at 390 px', async function () {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`${portal.url}/`);
    await page.locator('nav a[href="/members"]').first().click();
    await page.waitForURL(`${portal.url}/members`);
    await expectNoHorizontalScroll(page);
    // pinyin initials find 坪山之眼
    await page.locator('#directory-q').fill('psz');
    await page.locator('form[role="search"] button[type=submit]').click();
    await page.waitForURL(/\/members\?q=psz/);
    const cards = page.locator('.member-card');
    expect(await cards.count()).to.equal(1);
    expect(await cards.first().locator('.member-name').innerText()).to.equal('坪山之眼');
    await expectNoHorizontalScroll(page);
    await cards.first().locator('.member-name a').click();
    await page.waitForURL(`${portal.url}/members/pingshanzhiyan`);
    expect(await page.locator('h1').innerText()).to.equal('坪山之眼');
    const chart = page.locator('svg.growth-chart').first();
    expect(await chart.isVisible()).to.equal(true);
    const box = await chart.boundingBox();
    expect(box!.width).to.be.greaterThan(300);
    expect(box!.width).to.be.at.most(390);
    expect(await chart.getAttribute('role')).to.equal('img');
    expect(await page.locator('.growth figcaption').first().innerText()).to.match(/粉丝数从/);
    await expectNoHorizontalScroll(page);
    expect(problems).to.deep.equal([]);
    await context.close();
  });

  it('renders home, directory and member page in three languages at 390 and 1280 px', async function () {
    for (const width of [390, 1280]) {
      for (const lang of ['zh-CN', 'zh-TW', 'en']) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, locale: lang });
        await context.addCookies([{ name: 'lang', value: lang, url: portal.url }]);
        const page = await context.newPage();
        for (const [name, path] of [
          ['home', '/'],
          ['directory', '/members'],
          ['member', '/members/pingshanzhiyan'],
        ] as const) {
          const res = await page.goto(`${portal.url}${path}`);
          expect(res?.status(), path).to.equal(200);
          expect(await page.locator('html').getAttribute('lang')).to.equal(lang);
          await expectNoHorizontalScroll(page);
          await page.screenshot({
            path: `test-results/directory-${name}-${lang}-${width}.png`,
            fullPage: true,
          });
        }
        await context.close();
      }
    }
  });

  it('finds no serious or critical accessibility violation (axe-core) on home, directory and member page', async function () {
    // axe is injected by the test; the portal's CSP (rightly) forbids it, so this context bypasses CSP.
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      bypassCSP: true,
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    const violations: string[] = [];
    for (const path of [
      '/',
      '/members',
      '/members?q=psz',
      '/members/pingshanzhiyan',
      '/members/pingshan-tongzhen',
    ]) {
      await page.goto(`${portal.url}${path}`);
      await page.addScriptTag({ path: axePath });
      const results = await page.evaluate(() =>
        (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
      );
      for (const violation of results.violations)
        if (violation.impact === 'serious' || violation.impact === 'critical')
          violations.push(
            `${path}: ${violation.id} (${violation.impact}) ${violation.nodes.map((n) => n.target.join(' ')).join(', ')}`,
          );
    }
    expect(violations).to.deep.equal([]);
    await context.close();
  });
});
