/// <reference lib="dom" />
// The resource pool in Chromium, at phone and desktop width, on the demo district: filter, remove
// a chip, sort, page, open a quick view and come back, export the filtered set (CSV, .xlsx, and a
// ticked selection as .xlsx); nothing scrolls
// sideways. Screenshots of the pool and the dashboard in the three languages go to test-results/.
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { backfillCreatorSearch } from '../../../src/features/pool/creatorSearch.js';
import { CreatorModel } from '../../../src/features/registry/creator.model.js';
import { seedDemoDistrict } from '../../../seeds/demo.js';
import { demoPassword } from '../../../seeds/district.js';
import { launchChromium } from '../../support/chromium.js';
import { resetDatabase } from '../../support/database.js';
import { xlsxRows } from '../../support/xlsx.js';
import { type TestApp, startTestApp } from '../../support/app.js';

describe('resource pool in Chromium', function () {
  this.timeout(180_000);
  let portal: TestApp;
  let browser: Browser;

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
    await resetDatabase();
    await seedDemoDistrict();
    // three more creators, so that ten per page makes two pages (15 creators)
    for (const [displayName, slug] of [
      ['坪山小记', 'ps-xiaoji'],
      ['坑梓故事', 'kz-gushi'],
      ['石井田园', 'sj-tianyuan'],
    ])
      await CreatorModel.create({ displayName, slug, street: 'pingshan', categories: ['news'] });
    await backfillCreatorSearch();
    browser = await launchChromium();
  });
  after(async function () {
    await browser?.close();
    await portal?.stop();
  });

  async function signedInPage(width: number, lang = 'en'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
    await context.addCookies([{ name: 'lang', value: lang, url: portal.url }]);
    const page = await context.newPage();
    await page.goto(`${portal.url}/login`);
    await page.locator('#field-email').fill('office@lighthouse.example');
    await page.locator('#field-password').fill(demoPassword);
    await page.locator('form[action="/login"] button[type=submit]').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    return page;
  }
  const overflow = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const cardNames = (page: Page) => page.locator('.pool-card h2').allInnerTexts();
  const search = async (page: Page) => {
    await page.locator('.pool-q-row button[type=submit]').click();
    await page.waitForLoadState('load');
  };

  for (const width of [390, 1280]) {
    it(`filters, removes a chip, sorts, pages, opens a quick view and exports at ${width}px`, async function () {
      const page = await signedInPage(width);
      await page.goto(`${portal.url}/office/pool`);
      expect(await overflow(page), 'wider than the viewport').to.be.at.most(0);
      expect(await page.locator('.pool-total').innerText()).to.include('15 creators');

      // filter: news, then members only
      await page.locator('fieldset[data-facet=category] input[value=news]').check();
      await search(page);
      expect(page.url()).to.include('category=news');
      expect(await page.locator('.pool-total').innerText()).to.include('9 creators');
      await page.locator('fieldset[data-facet=membership] input[value=approved]').check();
      await search(page);
      expect(await cardNames(page)).to.have.members(['坪山同镇', '坪山之眼']);

      // remove the category chip: members of any category
      await page.locator('.pool-chips a.chip', { hasText: 'Category' }).click();
      await page.waitForURL((url) => !url.search.includes('category='));
      expect(await cardNames(page)).to.have.length(6);
      await page.locator('.pool-chips a', { hasText: 'Clear all' }).click();
      await page.waitForURL(`${portal.url}/office/pool`);

      // sort by name (pinyin order), ten per page: two pages
      await page.locator('#field-sort').selectOption('name');
      await page.locator('#field-perPage').selectOption('10');
      await search(page);
      const first = await cardNames(page);
      expect(first).to.have.length(10);
      expect(first.slice(0, 3)).to.deep.equal(['碧岭光影', 'IN坪山', '坑梓故事']); // bi · in · keng
      await page.locator('a[rel=next]').click();
      await page.waitForURL((url) => url.search.includes('page=2'));
      // ping shan yin · ping shan zhi · shi jing pao · shi jing she · shi jing tian
      expect(await cardNames(page)).to.deep.equal([
        '坪山印象',
        '坪山之眼',
        '石井跑团',
        '石井社区志愿者',
        '石井田园',
      ]);
      expect(await overflow(page), 'results wider than the viewport').to.be.at.most(0);
      if (width === 390) await page.screenshot({ path: 'test-results/pool-phone-page2.png', fullPage: true });

      // quick view and back to the same page of the same search
      const name = (await cardNames(page))[0]!;
      await page.locator('.pool-card h2 a').first().click();
      await page.waitForURL((url) => url.pathname.startsWith('/office/pool/creators/'));
      expect(await page.locator('h1').innerText()).to.equal(name);
      expect(await overflow(page), 'quick view wider than the viewport').to.be.at.most(0);
      await page.locator('.pool-back').click();
      await page.waitForURL((url) => url.pathname === '/office/pool' && url.search.includes('page=2'));

      // export the filtered set: members only
      await page.goto(`${portal.url}/office/pool?membership=approved`);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('a.pool-export').click(),
      ]);
      const csv = await readFile(await download.path());
      expect([...csv.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      expect(csv.toString('utf8').trim().split(/\r?\n/)).to.have.length(1 + 6);

      // the same set as a workbook, then two ticked creators only
      const [workbook] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('a.pool-export-xlsx').click(),
      ]);
      expect(workbook.suggestedFilename()).to.match(/^pool-.*\.xlsx$/);
      expect(await xlsxRows(await readFile(await workbook.path()))).to.have.length(1 + 6);
      const ticked = (await cardNames(page)).slice(0, 2);
      await page.locator('.pool-card input[name=id]').nth(0).check();
      await page.locator('.pool-card input[name=id]').nth(1).check();
      const [selection] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('button[formaction="/office/pool.xlsx"]').click(),
      ]);
      const rows = await xlsxRows(await readFile(await selection.path()));
      expect(rows.slice(1).map((row) => row[0])).to.have.members(ticked);
      await page.context().close();
    });
  }

  for (const lang of ['zh-CN', 'zh-TW', 'en'])
    it(`renders the pool and the dashboard in ${lang} at 390px and 1280px`, async function () {
      for (const width of [390, 1280]) {
        const page = await signedInPage(width, lang);
        for (const [path, name] of [
          ['/office', 'dashboard'],
          ['/office/pool?category=news&sort=followers', 'pool'],
        ] as const) {
          await page.goto(`${portal.url}${path}`);
          expect(await overflow(page), `${path} ${lang} ${width}px`).to.be.at.most(0);
          await page.screenshot({ path: `test-results/${name}-${lang}-${width}.png`, fullPage: true });
        }
        await page.context().close();
      }
    });
});
