/// <reference lib="dom" />
// The whole way in Chromium, as people click it: a creator registers at phone width (390 px),
// confirms the address from the link in the mail outbox, completes the profile, adds an account
// and asks for the ownership check; an officer at desktop width (1280 px) confirms the ownership;
// the creator applies to the alliance, the officer approves, the creator signs the pledge and is
// listed publicly (the member directory once the portal has one, the pledge wall always). Then the
// officer finds the creator in the resource pool and exports the filtered set as CSV, and the
// language switch turns the pages into Traditional Chinese and English. Screenshots of every step
// go to test-results/journey-*.png.
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { publishPledge } from '../../../src/features/alliance/pledgeService.js';
import { MailModel } from '../../../src/features/mail/model.js';
import { launchChromium } from '../../support/chromium.js';
import { type TestApp, createTestUser, startTestApp, testPassword } from '../../support/app.js';

const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 800 };

describe('journey in Chromium: register → verify → account → apply → approve → pledge → listed; pool export; languages', function () {
  this.timeout(180_000);
  let portal: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const email = 'journey@example.org';
  const name = '坪山旅程';

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'zh-CN' });
    browser = await launchChromium();
    const admin = await createTestUser({ email: 'admin@example.org', role: 'admin' });
    await publishPledge(
      { id: admin.id, email: admin.email },
      { title: '灯塔承诺书', body: '我承诺发布真实、准确的信息。', effectiveAt: new Date(), graceDays: 30 },
    );
    await createTestUser({ email: 'officer@example.org', role: 'officer', streetScope: 'pingshan' });
  });
  after(async function () {
    for (const context of contexts) await context.close();
    await browser?.close();
    await portal?.stop();
  });

  async function open(viewport: { width: number; height: number }, locale = 'zh-CN'): Promise<Page> {
    const context = await browser.newContext({ viewport, locale, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    return page;
  }

  async function step(page: Page, label: string): Promise<void> {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${label}: the page is wider than the viewport`).to.be.at.most(0);
    const width = page.viewportSize()?.width ?? 0;
    await page.screenshot({ path: `test-results/journey-${label}-${width}.png`, fullPage: true });
  }

  async function signIn(page: Page, address: string): Promise<void> {
    await page.goto(`${portal.url}/login`);
    await page.locator('#field-email').fill(address);
    await page.locator('#field-password').fill(testPassword);
    await page.locator('form[action="/login"] button[type=submit]').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  }

  /** Clicks a form's submit button and waits for the POST's answer and the page it leads to. */
  async function submit(page: Page, action: string, button = 'button[type=submit]'): Promise<void> {
    await Promise.all([
      page.waitForResponse(
        (res) => res.request().method() === 'POST' && new URL(res.url()).pathname === action,
      ),
      page.locator(`form[action="${action}"] ${button}`).first().click(),
    ]);
    await page.waitForLoadState('load');
  }

  it('takes a creator from registration to a listed member, and the officer through the pool', async function () {
    const creator = await open(phone);
    const officer = await open(desktop);

    // register, then confirm the address with the link from the outbox
    await creator.goto(`${portal.url}/register`);
    await creator.locator('#field-email').fill(email);
    await creator.locator('#field-displayName').fill(name);
    await creator.locator('#field-password').fill(testPassword);
    await creator.locator('#field-privacy').check();
    await submit(creator, '/register');
    await creator.waitForURL(`${portal.url}/register/sent`);
    await step(creator, '01-registered');
    const mail = await MailModel.findOne({ to: email }).orFail();
    const link = /\/verify\/[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
    expect(link, 'the verification link in the mail').to.be.a('string');
    await creator.goto(`${portal.url}${link}`);
    await submit(creator, link!);
    await step(creator, '02-verified');

    // profile and one account, with the ownership check asked for
    await signIn(creator, email);
    await creator.goto(`${portal.url}/me/profile`);
    await creator.locator('#field-kind').selectOption('person');
    await creator.locator('#field-street').selectOption('pingshan');
    await creator.locator('input[name=categories]').first().check();
    await creator.locator('#field-bio').fill('用镜头记录坪山的街坊与山水。');
    await creator.locator('#field-phone').fill('139 0000 0000');
    await creator.locator('input[name=listed]').check();
    await submit(creator, '/me/profile');
    expect(await creator.locator('.field-error').count(), 'profile errors').to.equal(0);
    await step(creator, '03-profile');
    await creator.goto(`${portal.url}/me/accounts`);
    await creator.locator('#field-profile').fill('https://space.bilibili.com/4300001');
    await submit(creator, '/me/accounts');
    // a new account opens its own page
    await creator.waitForURL(/\/me\/accounts\/[0-9a-f]{24}$/);
    const accountPath = new URL(creator.url()).pathname;
    await submit(creator, `${accountPath}/check`);
    await step(creator, '04-account');

    // the officer confirms the ownership
    await signIn(officer, 'officer@example.org');
    await officer.goto(`${portal.url}/office/ownership`);
    await step(officer, '05-ownership-queue');
    const accountId = accountPath.split('/').pop()!;
    await submit(officer, `/office/accounts/${accountId}/ownership`, 'button[value=approve]');

    // apply; the officer approves
    await creator.goto(`${portal.url}/me/alliance`);
    await step(creator, '06-eligible');
    await creator.locator('#field-motivation').fill('我想用视频记录坪山的变化。');
    await creator.locator('input[name=activities]').first().check();
    await submit(creator, '/me/alliance/apply');
    await creator.waitForURL(`${portal.url}/me/alliance`);
    expect(await creator.locator('#status-label').textContent()).to.equal('申请待审核');
    await step(creator, '07-applied');
    await officer.goto(`${portal.url}/office/applications`);
    await officer.getByRole('link', { name }).click();
    await officer.waitForURL(/\/office\/applications\/[0-9a-f]{24}$/);
    await submit(officer, new URL(officer.url()).pathname + '/approve');
    expect(await officer.locator('#status-label').textContent()).to.equal('成员');
    await step(officer, '08-approved');

    // sign the pledge
    await creator.goto(`${portal.url}/me/alliance/pledge`);
    await creator.locator('#field-typedName').fill(name);
    await creator.locator('#field-confirm').check();
    await submit(creator, '/me/alliance/pledge');
    await creator.waitForURL(`${portal.url}/me/alliance`);
    expect(await creator.locator('#standing').textContent()).to.equal('有效');
    await step(creator, '09-signed');

    // listed publicly: the pledge wall, and the member directory once there is one
    const visitor = await open(phone);
    await visitor.goto(`${portal.url}/pledge`);
    expect(await visitor.locator('#wall').textContent()).to.contain(name);
    await step(visitor, '10-pledge-wall');
    // (asked without the browser first: a 404 page would be a console error)
    if ((await portal.agent().get('/members')).status === 200) {
      await visitor.goto(`${portal.url}/members`);
      expect(await visitor.locator('main').textContent()).to.contain(name);
      await step(visitor, '11-directory');
    }

    // the officer finds the creator in the pool and exports the filtered set
    await officer.goto(`${portal.url}/office/pool`);
    await officer.locator('#pool-q').fill(name);
    await Promise.all([
      officer.waitForURL(/\/office\/pool\?/),
      officer.locator('form[role=search][action="/office/pool"] .pool-q-row button[type=submit]').click(),
    ]);
    expect(await officer.locator('main').textContent()).to.contain(name);
    await step(officer, '12-pool');
    const [download] = await Promise.all([
      officer.waitForEvent('download'),
      officer.locator('a[href^="/office/pool.csv"]').click(),
    ]);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv).to.contain(name);

    // the language switch, at both widths
    for (const page of [visitor, officer]) {
      await page.goto(`${portal.url}/pledge`);
      await page.locator('a[lang="zh-TW"]').first().click();
      await page.waitForLoadState('load');
      expect(await page.locator('html').getAttribute('lang')).to.equal('zh-TW');
      expect(await page.locator('#wall').textContent()).to.contain(name);
      await step(page, '13-zh-TW');
      await page.locator('a[lang="en"]').first().click();
      await page.waitForLoadState('load');
      expect(await page.locator('html').getAttribute('lang')).to.equal('en');
      await step(page, '14-en');
    }
    expect(problems, 'console errors or CSP violations').to.deep.equal([]);
  });
});
