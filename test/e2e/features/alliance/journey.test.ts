/// <reference lib="dom" />
// A creator's way into the alliance in Chromium at phone width (390 px): the creator applies, an
// officer approves, the creator signs the pledge, and the public pledge wall lists them.
import { expect } from 'chai';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../../../support/chromium.js';
import { publishPledge } from '../../../../src/features/alliance/pledgeService.js';
import { type TestApp, createTestUser, startTestApp, testPassword } from '../../../support/app.js';
import { eligibleCreator } from '../../../integration/features/alliance/helpers.js';

describe('alliance journey in Chromium (390 px)', function () {
  this.timeout(90_000);
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

  async function phone(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
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

  it('applies, is approved, signs the pledge and appears on the wall', async function () {
    const admin = await createTestUser({ email: 'admin@example.org', role: 'admin' });
    await publishPledge(
      { id: admin.id, email: admin.email },
      {
        title: '灯塔承诺书',
        body: '我承诺发布真实、准确的信息。\n\n我愿意讲好坪山故事。',
        effectiveAt: new Date(),
        graceDays: 30,
      },
    );
    const { email } = await eligibleCreator(portal, '坪山新声', 'pingshan');
    await createTestUser({ email: 'officer@example.org', role: 'officer', streetScope: 'pingshan' });

    const creator = await phone();
    await signIn(creator.page, email);
    await creator.page.goto(`${portal.url}/me/alliance`);
    await creator.page.locator('#field-motivation').fill('我想用视频记录坪山的变化。');
    await creator.page.locator('input[name=activities][value=good_stories]').check();
    await creator.page.locator('form[action="/me/alliance/apply"] button[type=submit]').click();
    await creator.page.waitForURL(`${portal.url}/me/alliance`);
    expect(await creator.page.locator('#status-label').textContent()).to.equal('申请待审核');
    await expectNoHorizontalScroll(creator.page);
    await creator.page.screenshot({ path: 'test-results/alliance-applied-390.png', fullPage: true });

    const officer = await phone();
    await signIn(officer.page, 'officer@example.org');
    await officer.page.goto(`${portal.url}/office/applications`);
    await expectNoHorizontalScroll(officer.page);
    await officer.page.getByRole('link', { name: '坪山新声' }).click();
    await officer.page.getByRole('button', { name: '批准' }).click();
    await officer.page.waitForLoadState();
    expect(await officer.page.locator('#status-label').textContent()).to.equal('成员');
    await expectNoHorizontalScroll(officer.page);
    await officer.page.screenshot({ path: 'test-results/alliance-approved-390.png', fullPage: true });

    await creator.page.goto(`${portal.url}/me/alliance`);
    expect(await creator.page.locator('#member-number').textContent()).to.match(/^LH-\d{4}-\d{4}$/);
    await creator.page.getByRole('link', { name: '阅读并签署承诺书' }).click();
    await creator.page.locator('#field-typedName').fill('坪山新声');
    await creator.page.locator('#field-confirm').check();
    await creator.page.locator('form[action="/me/alliance/pledge"] button[type=submit]').click();
    await creator.page.waitForURL(`${portal.url}/me/alliance`);
    expect(await creator.page.locator('#standing').textContent()).to.equal('有效');
    await expectNoHorizontalScroll(creator.page);
    await creator.page.screenshot({ path: 'test-results/alliance-member-390.png', fullPage: true });

    const visitor = await phone();
    await visitor.page.goto(`${portal.url}/pledge`);
    expect(await visitor.page.locator('#wall').textContent()).to.contain('坪山新声');
    expect(await visitor.page.locator('#wall-counts').textContent()).to.contain('1');
    await expectNoHorizontalScroll(visitor.page);
    await visitor.page.screenshot({ path: 'test-results/alliance-pledge-wall-390.png', fullPage: true });

    for (const party of [creator, officer, visitor]) await party.context.close();
  });
});
