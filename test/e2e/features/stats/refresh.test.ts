/// <reference lib="dom" />
// "Refresh now" in Chromium at phone width (390 px), in each language: the creator's button on a
// pulled account, the message after it and the one when asked again within the hour, the new
// figure after the job ran; a manual platform's line instead of a button; the officer's button in
// the pool's quick view. Screenshots in test-results/.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Language } from '../../../../src/config.js';
import { backfillCreatorSearch } from '../../../../src/features/pool/creatorSearch.js';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { UserModel } from '../../../../src/features/users/model.js';
import { loadCatalogue, lookupKey } from '../../../../src/i18n/catalogue.js';
import { type TestApp, createTestUser, startTestApp, testPassword } from '../../../support/app.js';
import { launchChromium } from '../../../support/chromium.js';
import { until } from '../../../support/wait.js';
import { insertAccounts } from '../../../integration/features/stats/accounts.js';
import {
  type FixtureServer,
  pullerEnv,
  startFixtureServer,
} from '../../../integration/features/stats/helpers.js';

const languages = ['zh-CN', 'zh-TW', 'en'] as const satisfies readonly Language[];
const message = (language: Language, key: string) => String(lookupKey(loadCatalogue(language), key));
/** The message without its {{placeholders}}' parts: the text before the first one. */
const lead = (language: Language, key: string) => message(language, key).split('{{')[0]!;

describe('refresh now in Chromium (390 px, three languages)', function () {
  this.timeout(120_000);
  let server: FixtureServer;
  let portal: TestApp;
  let browser: Browser;

  before(async function () {
    server = await startFixtureServer();
    portal = await startTestApp(pullerEnv(server, { PULLER_ENABLED: '1', PULLER_INTERVAL_MINUTES: '10080' }));
    browser = await launchChromium();
  });
  after(async function () {
    await browser?.close();
    await portal?.stop();
    await server?.close();
  });

  async function signedInPage(language: Language, email: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: language });
    const page = await context.newPage();
    await page.goto(`${portal.url}/login?lang=${language}`);
    await page.locator('#field-email').fill(email);
    await page.locator('#field-password').fill(testPassword);
    await page.locator('form[action="/login"] button[type=submit]').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    return page;
  }

  async function expectNoHorizontalScroll(page: Page): Promise<void> {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'page is wider than the viewport').to.be.at.most(0);
  }

  for (const [index, language] of languages.entries()) {
    it(`the creator refreshes an account, is told to wait when asking again, and sees the new figure (${language})`, async function () {
      const email = `refresh-${index}@example.org`;
      await createTestUser({ email, displayName: `坪山之眼 ${index}` });
      const user = await UserModel.findOne({ email }).lean();
      const [pulled] = await insertAccounts('bilibili', [`2026000${index}`], {
        user: user?._id,
        followers: 1000,
      });
      const page = await signedInPage(language, email);

      await page.goto(`${portal.url}/me/accounts/${String(pulled)}`);
      const button = page.getByRole('button', { name: message(language, 'statsRefresh.button') });
      await button.click();
      await page.waitForLoadState();
      expect(await page.locator('.flash').textContent()).to.include(lead(language, 'statsRefresh.queued'));
      await expectNoHorizontalScroll(page);
      await page.screenshot({
        path: `test-results/stats-refresh-queued-${language}-390.png`,
        fullPage: true,
      });

      await page.getByRole('button', { name: message(language, 'statsRefresh.button') }).click();
      await page.waitForLoadState();
      expect(await page.locator('.flash').textContent()).to.include(lead(language, 'statsRefresh.tooSoon'));
      await page.screenshot({
        path: `test-results/stats-refresh-too-soon-${language}-390.png`,
        fullPage: true,
      });

      await until(async () => (await AccountModel.findById(pulled).lean())?.figure?.followers !== 1000);
      await page.reload();
      expect(await page.locator('#figure').textContent()).to.include(
        message(language, 'registry.figures.sources.public_web'),
      );
      expect(await page.locator('.last-pull').textContent()).to.include(
        message(language, 'statsRefresh.outcomes.figure'),
      );
      await page.context().close();
    });
  }

  for (const language of languages) {
    it(`shows "manual with evidence" instead of a button, and the officer's button in the quick view (${language})`, async function () {
      const email = `manual-${language.toLowerCase()}@example.org`;
      await createTestUser({ email, displayName: `李高兴 ${language}` });
      const user = await UserModel.findOne({ email }).lean();
      const [manual] = await insertAccounts('douyin', [`MS4wLjABAAAAe2e${language}`], { user: user?._id });
      const creatorPage = await signedInPage(language, email);
      await creatorPage.goto(`${portal.url}/me/accounts/${String(manual)}`);
      expect(await creatorPage.locator('.manual-only').textContent()).to.equal(
        message(language, 'statsRefresh.manualOnly'),
      );
      expect(
        await creatorPage.getByRole('button', { name: message(language, 'statsRefresh.button') }).count(),
      ).to.equal(0);
      await creatorPage.screenshot({
        path: `test-results/stats-refresh-manual-${language}-390.png`,
        fullPage: true,
      });
      await creatorPage.context().close();

      const officerEmail = `officer-${language.toLowerCase()}@example.org`;
      await createTestUser({ email: officerEmail, role: 'officer', streetScope: 'district' });
      const [pulled] = await insertAccounts('weibo', [`65432${languages.indexOf(language)}9999`], {
        followers: 5000,
      });
      await backfillCreatorSearch();
      const creatorId = String((await AccountModel.findById(pulled).lean())?.creator);
      const page = await signedInPage(language, officerEmail);
      await page.goto(`${portal.url}/office/pool/creators/${creatorId}`);
      await page.getByRole('button', { name: message(language, 'statsRefresh.button') }).click();
      await page.waitForURL(new RegExp(`/office/pool/creators/${creatorId}$`));
      expect(await page.locator('.flash').textContent()).to.include(lead(language, 'statsRefresh.queued'));
      await expectNoHorizontalScroll(page);
      await page.screenshot({
        path: `test-results/stats-refresh-officer-${language}-390.png`,
        fullPage: true,
      });
      await page.context().close();
    });
  }
});
