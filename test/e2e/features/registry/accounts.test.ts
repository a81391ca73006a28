/// <reference lib="dom" />
// The creator's accounts in Chromium at phone width (390 px), in each language: paste a profile
// address, see the account listed with its ownership state, ask for a check and upload evidence
// (a real PNG made by sharp). The officer's import dry run is looked at the same way.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { loadCatalogue, lookupKey } from '../../../../src/i18n/catalogue.js';
import type { Language } from '../../../../src/config.js';
import { launchChromium } from '../../../support/chromium.js';
import { type TestApp, createTestUser, startTestApp, testPassword } from '../../../support/app.js';

const languages = ['zh-CN', 'zh-TW', 'en'] as const satisfies readonly Language[];
const message = (language: Language, key: string) => String(lookupKey(loadCatalogue(language), key));

describe('registry accounts in Chromium (390 px, three languages)', function () {
  this.timeout(120_000);
  let portal: TestApp;
  let browser: Browser;

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'zh-CN' });
    browser = await launchChromium();
  });
  after(async function () {
    await browser?.close();
    await portal?.stop();
  });

  async function open(language: Language, width = 390): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height: 844 }, locale: language });
    return { context, page: await context.newPage() };
  }

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${portal.url}/login`);
    await page.locator('#field-email').fill(email);
    await page.locator('#field-password').fill(testPassword);
    await page.locator('form[action="/login"] button[type=submit]').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  }

  async function expectNoHorizontalScroll(page: Page): Promise<void> {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'page is wider than the viewport').to.be.at.most(0);
  }

  for (const [index, language] of languages.entries()) {
    it(`pastes a profile address, sees the account with its state, asks for a check and uploads evidence (${language})`, async function () {
      const email = `creator-${index}@example.org`;
      await createTestUser({ email, displayName: `坪山之眼 ${index}` });
      const { context, page } = await open(language);
      await signIn(page, email);

      await page.goto(`${portal.url}/me/accounts`);
      await page
        .locator('#field-profile')
        .fill(`https://m.bilibili.com/space/54619${index}?spm_id_from=333.1007.0.0`);
      await page.locator('form[action="/me/accounts"] button[type=submit]').click();
      await page.waitForURL(/\/me\/accounts\/[0-9a-f]{24}$/);
      const accountUrl = page.url();

      await page.goto(`${portal.url}/me/accounts`);
      const card = page.locator('#accounts [data-account]');
      expect(await card.count()).to.equal(1);
      expect(await card.locator('code').textContent()).to.equal(`54619${index}`);
      expect(await card.locator('.status').textContent()).to.equal(
        message(language, 'registry.ownership.states.unverified'),
      );
      await expectNoHorizontalScroll(page);
      await page.screenshot({ path: `test-results/registry-accounts-${language}-390.png`, fullPage: true });

      await page.goto(accountUrl);
      await page.getByRole('button', { name: message(language, 'registry.ownership.request') }).click();
      await page.waitForLoadState();
      expect(await page.locator('#ownership-state').textContent()).to.equal(
        message(language, 'registry.ownership.states.pending'),
      );

      const screenshot = await sharp({
        create: { width: 390, height: 844, channels: 3, background: '#f4f4f4' },
      })
        .png()
        .toBuffer();
      await page
        .locator('#field-evidence')
        .setInputFiles({ name: 'screenshot.png', mimeType: 'image/png', buffer: screenshot });
      await page
        .getByRole('button', { name: message(language, 'registry.ownership.uploadEvidence') })
        .click();
      await page.waitForURL(accountUrl);
      expect(await page.locator('.flash').first().textContent()).to.contain(
        message(language, 'registry.ownership.evidenceAdded'),
      );
      await expectNoHorizontalScroll(page);
      await page.screenshot({ path: `test-results/registry-account-${language}-390.png`, fullPage: true });

      const desktop = await open(language, 1280);
      await desktop.context.addCookies(await context.cookies());
      await desktop.page.goto(accountUrl);
      await desktop.page.screenshot({
        path: `test-results/registry-account-${language}-1280.png`,
        fullPage: true,
      });
      await desktop.context.close();
      await context.close();
    });
  }

  it('shows the officer’s import dry run as readable cards at 390 px', async function () {
    await createTestUser({ email: 'officer@example.org', role: 'officer', streetScope: 'pingshan' });
    for (const language of languages) {
      for (const width of [390, 1280]) {
        const { context, page } = await open(language, width);
        await signIn(page, 'officer@example.org');
        await page.goto(`${portal.url}/office/import`);
        await page.locator('#field-file').setInputFiles({
          name: 'registry-import.csv',
          mimeType: 'text/csv',
          buffer: readFileSync(new URL('../../../../public/templates/registry-import.csv', import.meta.url)),
        });
        await page.locator('form[action="/office/import"] button[type=submit]').click();
        await page.waitForURL(/\/office\/import\/[0-9a-f]{24}$/);
        // 李高兴 is in 龙田: outside this officer's street
        expect(await page.locator('#import-errors tbody tr').count()).to.equal(1);
        expect(await page.locator('#import-rows tbody tr').count()).to.equal(3);
        await expectNoHorizontalScroll(page);
        await page.screenshot({
          path: `test-results/registry-import-${language}-${width}.png`,
          fullPage: true,
        });
        await context.close();
      }
    }
  });
});
