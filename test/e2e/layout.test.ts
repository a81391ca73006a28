/// <reference lib="dom" />
// The layout in a real browser (Debian's Chromium through playwright-core) at phone and desktop
// widths: sign up, sign out, sign in, with no horizontal scrolling and no CSP violations.
import { expect } from 'chai';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { type TestApp, startTestApp } from '../support/app.js';

const viewports = [
  {
    name: 'phone',
    width: 390,
    height: 844,
    locale: 'zh-CN',
    texts: { ready: '请查收邮件', signedOut: '您已退出登录。', logout: '退出', welcome: '欢迎' },
  },
  {
    name: 'desktop',
    width: 1280,
    height: 800,
    locale: 'en-GB',
    texts: {
      ready: 'Check your mail',
      signedOut: 'You are signed out.',
      logout: 'Sign out',
      welcome: 'Welcome',
    },
  },
] as const;

describe('layout in Chromium', function () {
  this.timeout(60_000);
  let portal: TestApp;
  let browser: Browser;

  before(async function () {
    portal = await startTestApp();
    browser = await launchChromium();
  });
  after(async function () {
    await browser?.close();
    await portal?.stop();
  });

  async function expectNoHorizontalScroll(page: Page): Promise<void> {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'page is wider than the viewport').to.be.at.most(0);
  }

  for (const viewport of viewports) {
    it(`signs up, signs out and signs in at ${viewport.name} width (${viewport.width}px)`, async function () {
      const context = await browser.newContext({
        viewport: { width: viewport.width, height: viewport.height },
        locale: viewport.locale,
      });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      const email = `e2e-${viewport.name}@example.org`;
      const password = 'browser-test-2026';

      await page.goto(`${portal.url}/register`);
      await expectNoHorizontalScroll(page);
      // The skip link is the first thing a keyboard reaches.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).to.equal('#main');

      await page.locator('#field-email').fill(email);
      await page.locator('#field-displayName').fill(`坪山 ${viewport.name}`);
      await page.locator('#field-password').fill(password);
      await page.locator('#field-privacy').check();
      await page.locator('form[action="/register"] button[type=submit]').click();
      // Registration answers "check your mail" (the same for a known address); then sign in.
      await page.waitForURL(`${portal.url}/register/sent`);
      expect(await page.locator('h1').innerText()).to.contain(viewport.texts.ready);
      await expectNoHorizontalScroll(page);

      await page.goto(`${portal.url}/login`);
      await page.locator('#field-email').fill(email);
      await page.locator('#field-password').fill(password);
      await page.locator('form[action="/login"] button[type=submit]').click();
      await page.waitForURL(`${portal.url}/me`);
      expect(await page.locator('.flash').innerText()).to.contain(viewport.texts.welcome);
      await expectNoHorizontalScroll(page);

      await page.getByRole('button', { name: viewport.texts.logout }).click();
      await page.waitForURL(`${portal.url}/`);
      expect(await page.locator('.flash').innerText()).to.contain(viewport.texts.signedOut);

      await page.screenshot({ path: `test-results/layout-${viewport.name}.png`, fullPage: true });
      expect(problems, 'console errors or CSP violations').to.deep.equal([]);
      await context.close();
    });
  }
});
