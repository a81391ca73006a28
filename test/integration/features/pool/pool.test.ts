// The resource pool over HTTP on the offline lane: a hand-made district of creators and accounts,
// searched as an admin and as a street officer, exported as CSV, and fed bad input.
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { AuditEntryModel } from '../../../../src/features/audit/model.js';
import { backfillCreatorSearch } from '../../../../src/features/pool/creatorSearch.js';
import { AccountModel, type OwnershipState } from '../../../../src/features/registry/account.model.js';
import type { Category, Street } from '../../../../src/features/registry/catalogue.js';
import type { PlatformKey } from '../../../../src/features/registry/platforms/index.js';
import { renameAccount } from '../../../../src/features/registry/accountService.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import { type Agent, type TestApp, page, startTestApp } from '../../../support/app.js';
import { xlsxCells } from '../../../support/xlsx.js';
import { signedIn } from '../registry/helpers.js';

// name, slug, street, categories, bio, accounts: [platform, id, name, followers, ownership]
type Seed = [
  string,
  string,
  Street,
  Category[],
  string,
  [PlatformKey, string, string, number, OwnershipState][],
];
const district: Seed[] = [
  [
    '坪山之眼',
    'pingshan-eye',
    'pingshan',
    ['news'],
    '記錄坪山的日與夜',
    [
      ['weibo', '1001', '坪山之眼', 120_000, 'verified'],
      ['douyin', 'MS4wLjABAAAAeye', 'pingshan_eye', 30_000, 'pending'],
    ],
  ],
  [
    'IN坪山',
    'in-pingshan',
    'pingshan',
    ['food', 'lifestyle'],
    '坪山吃喝玩樂',
    [['xiaohongshu', '5f1e0c1a2b3c4d5e6f708192', 'in坪山', 8_000, 'unverified']],
  ],
  [
    '龍田小記',
    'longtian',
    'longtian',
    ['culture_tourism'],
    '龍田社區的故事',
    [['bilibili', '2002', '龍田小記', 500, 'verified']],
  ],
  [
    '阿宝美食',
    'abao',
    'kengzi',
    ['food'],
    '坑梓美食',
    [['douyin', 'MS4wLjABAAAAabao', '阿宝', 2_000_000, 'verified']],
  ],
  ['=HYPERLINK("x")', 'formula', 'maluan', ['news'], '-1+1', [['weibo', '3003', '@evil', 10, 'rejected']]],
];

describe('resource pool /office/pool', function () {
  this.timeout(30_000);
  let portal: TestApp;
  let admin: Agent;
  let officer: Agent;

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
    let day = 1;
    for (const [displayName, slug, street, categories, bio, accounts] of district) {
      const creator = await CreatorModel.create({ displayName, slug, street, categories, bio });
      // distinct creation times for the "newest" sort
      await CreatorModel.collection.updateOne(
        { _id: creator._id },
        { $set: { createdAt: new Date(2026, 0, day++) } },
      );
      for (const [platform, platformId, name, followers, state] of accounts) {
        await AccountModel.create({
          creator: creator._id,
          platform,
          platformId,
          displayName: name,
          ownership: { state, code: 'LH-TEST', history: [] },
          figure: { followers, precision: 'exact', source: 'manual', asOf: new Date('2026-11-30T00:00:00Z') },
        });
      }
    }
    // Written around the services, as documents from before the keys existed: the backfill keys them.
    expect(await backfillCreatorSearch()).to.equal(district.length);
    admin = await signedIn(portal, 'admin@example.org', 'admin');
    officer = await signedIn(portal, 'ps@example.org', 'officer', 'pingshan');
  });

  after(async function () {
    await portal.stop();
  });

  async function names(agent: Agent, path: string): Promise<string[]> {
    const res = await agent.get(path);
    expect(res.status, path).to.be.below(500);
    const $ = page(res);
    return $('.pool-card h2')
      .map((_, el) => $(el).text())
      .get();
  }
  const count = async (agent: Agent, path: string, facet: string, value: string) => {
    const res = await agent.get(path);
    const label = page(res)(`fieldset[data-facet="${facet}"] input[value="${value}"]`).parent().text();
    return Number(/\((\d+)\)/.exec(label)?.[1]);
  };

  it('lists every creator for an admin, most followers first', async function () {
    expect(await names(admin, '/office/pool')).to.deep.equal([
      '阿宝美食',
      '坪山之眼',
      'IN坪山',
      '龍田小記',
      '=HYPERLINK("x")',
    ]);
  });

  it('filters by each facet, OR within one and AND across them', async function () {
    expect(await names(admin, '/office/pool?street=longtian')).to.deep.equal(['龍田小記']);
    expect(await names(admin, '/office/pool?category=food')).to.have.members(['IN坪山', '阿宝美食']);
    expect(await names(admin, '/office/pool?platform=douyin')).to.have.members(['坪山之眼', '阿宝美食']);
    expect(await names(admin, '/office/pool?ownership=rejected')).to.deep.equal(['=HYPERLINK("x")']);
    expect(await names(admin, '/office/pool?followers=1m')).to.deep.equal(['阿宝美食']);
    expect(await names(admin, '/office/pool?street=longtian&street=kengzi')).to.have.members([
      '龍田小記',
      '阿宝美食',
    ]);
    expect(await names(admin, '/office/pool?platform=douyin&street=pingshan')).to.deep.equal(['坪山之眼']);
    expect(await names(admin, '/office/pool?category=food&followers=1k')).to.deep.equal(['IN坪山']);
  });

  it('counts each facet value in the current result', async function () {
    expect(await count(admin, '/office/pool', 'platform', 'douyin')).to.equal(2);
    expect(await count(admin, '/office/pool', 'street', 'pingshan')).to.equal(2);
    expect(await count(admin, '/office/pool?category=food', 'street', 'pingshan')).to.equal(1);
    expect(await count(admin, '/office/pool?category=food', 'ownership', 'verified')).to.equal(1);
    expect(await count(admin, '/office/pool?category=food', 'platform', 'weibo')).to.equal(0);
  });

  it('shows active filters as chips whose links remove just that filter', async function () {
    const res = await admin.get('/office/pool?q=坪山&platform=douyin&platform=weibo');
    const $ = page(res);
    const chips = $('.pool-chips a.chip');
    expect(chips.map((_, el) => $(el).text().trim()).get()).to.deep.equal([
      'Text: 坪山 ×',
      'Platform: Douyin ×',
      'Platform: Weibo ×',
    ]);
    const removeDouyin = chips.eq(1).attr('href') ?? '';
    expect(await names(admin, removeDouyin)).to.deep.equal(['坪山之眼']);
    expect(decodeURIComponent(removeDouyin))
      .to.include('q=坪山')
      .and.include('platform=weibo')
      .and.not.include('douyin');
  });

  it('keeps a street officer to the street, whatever the query string asks', async function () {
    expect(await names(officer, '/office/pool')).to.deep.equal(['坪山之眼', 'IN坪山']);
    expect(await names(officer, '/office/pool?street=kengzi')).to.deep.equal([]);
    expect(await names(officer, '/office/pool?q=abao')).to.deep.equal([]);
    const csv = await officer.get('/office/pool.csv');
    expect(csv.text).to.include('坪山之眼').and.not.include('阿宝美食');
  });

  it('matches Simplified, Traditional, pinyin and initials, exact and prefix first', async function () {
    for (const q of ['坪山之眼', '坪山之眼', 'pingshanzhiyan', 'ping shan zhi yan', 'psz']) {
      expect(await names(admin, `/office/pool?q=${encodeURIComponent(q)}`), q).to.include('坪山之眼');
    }
    expect(await names(admin, `/office/pool?q=${encodeURIComponent('龙田')}`)).to.deep.equal(['龍田小記']);
    expect(await names(admin, '/office/pool?q=abao')).to.deep.equal(['阿宝美食']);
    // Traditional typed, Simplified stored (and the other way round above)
    expect(await names(admin, `/office/pool?q=${encodeURIComponent('阿寶美食')}`)).to.deep.equal([
      '阿宝美食',
    ]);
    expect(await names(admin, '/office/pool?q=ABMS')).to.deep.equal(['阿宝美食']);
    // 坪山之眼 starts with 坪山, IN坪山 only contains it; a bio match (吃喝) ranks last
    expect((await names(admin, `/office/pool?q=${encodeURIComponent('坪山')}`))[0]).to.equal('坪山之眼');
    expect(await names(admin, `/office/pool?q=${encodeURIComponent('吃喝')}`)).to.deep.equal(['IN坪山']);
  });

  it('sorts names in pinyin order, and by newest', async function () {
    // a bao · in ping shan · long tian · ping shan: pinyin order, not code-point order
    expect(
      await names(admin, '/office/pool?sort=name&street=pingshan&street=longtian&street=kengzi'),
    ).to.deep.equal(['阿宝美食', 'IN坪山', '龍田小記', '坪山之眼']);
    expect((await names(admin, '/office/pool?sort=newest'))[0]).to.equal('=HYPERLINK("x")');
  });

  it('pages with a per-page choice', async function () {
    expect(await names(admin, '/office/pool?perPage=10&page=1')).to.have.length(5);
    const res = await admin.get('/office/pool?perPage=10&page=2');
    expect(res.status).to.equal(200);
    expect(page(res)('.pool-card')).to.have.length(0);
    expect(page(res)('main').text()).to.include('past the end');
  });

  it('exports exactly the filtered set as UTF-8 CSV with a BOM, formula-safe, and audits it', async function () {
    const res = await admin.get('/office/pool.csv?category=news');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).to.match(/^attachment; filename="pool-/);
    const body = Buffer.from(res.text, 'utf8'); // the BOM survives decoding as U+FEFF
    expect([...body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const lines = body.toString('utf8').slice(1).trim().split(/\r?\n/);
    expect(lines[0]).to.equal(
      'Name,Address name,Street,Categories,Platforms,Followers (total),Followers per platform,Growth over 30 days,Membership,Figures as of',
    );
    expect(lines).to.have.length(3);
    expect(lines[1]).to.equal(
      '坪山之眼,pingshan-eye,Pingshan,News,Douyin、Weibo,150000,Weibo 120000、Douyin 30000,,Not applied,2026-11-30',
    );
    expect(lines[2]).to.equal(
      `"'=HYPERLINK(""x"")",formula,Maluan,News,Weibo,10,Weibo 10,,Not applied,2026-11-30`,
    );
    const entry = await AuditEntryModel.findOne({ action: 'pool.export' }).sort({ at: -1 }).lean();
    expect(entry?.details).to.deep.include({ rows: 2 });
    expect((entry?.details as { filter: unknown }).filter).to.deep.include({ category: ['news'] });
  });

  it('downloads the same filtered set as an .xlsx workbook, figures typed, no formula, and audits it', async function () {
    const res = await admin.get('/office/pool.xlsx?category=news&sort=name').responseType('blob');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).to.match(
      /^attachment; filename="pool-\d{4}-\d\d-\d\d\.xlsx"$/,
    );
    const cells = await xlsxCells(res.body as Buffer);
    // a date cell as the sheet shows it with its yyyy-mm-dd format
    const shown = (cell: (typeof cells)[number][number]) =>
      cell.value instanceof Date ? cell.value.toISOString().slice(0, 10) : cell.text;
    expect(cells.map((row) => row.map(shown))).to.deep.equal([
      [
        'Name',
        'Address name',
        'Street',
        'Categories',
        'Platforms',
        'Followers (total)',
        'Followers per platform',
        'Growth over 30 days',
        'Membership',
        'Figures as of',
      ],
      [
        `'=HYPERLINK("x")`,
        'formula',
        'Maluan',
        'News',
        'Weibo',
        '10',
        'Weibo 10',
        '',
        'Not applied',
        '2026-11-30',
      ],
      [
        '坪山之眼',
        'pingshan-eye',
        'Pingshan',
        'News',
        'Douyin、Weibo',
        '150000',
        'Weibo 120000、Douyin 30000',
        '',
        'Not applied',
        '2026-11-30',
      ],
    ]);
    // nothing is a formula: the total followers is a number, the as-of date a date, every other
    // filled cell a string
    const followers = 5;
    const asOf = 9;
    for (const row of cells.slice(1)) {
      expect(row[followers]).to.include({ type: ExcelJS.ValueType.Number, numFmt: '#,##0' });
      expect(row[asOf]).to.include({ type: ExcelJS.ValueType.Date, numFmt: 'yyyy-mm-dd' });
      expect(row[asOf]?.value).to.deep.equal(new Date('2026-11-30T00:00:00Z'));
    }
    const types = new Set(
      cells
        .flatMap((row, r) => row.filter((cell, c) => r === 0 || (c !== followers && c !== asOf)))
        .filter((cell) => cell.text !== '')
        .map((cell) => cell.type),
    );
    expect([...types]).to.deep.equal([ExcelJS.ValueType.String]);
    const entry = await AuditEntryModel.findOne({ action: 'pool.export', 'target.id': 'xlsx' })
      .sort({ at: -1 })
      .lean();
    expect(entry?.details).to.deep.include({ rows: 2, format: 'xlsx' });
    expect((entry?.details as { filter: unknown }).filter).to.deep.include({
      category: ['news'],
      sort: 'name',
    });
  });

  it('keeps a street officer’s .xlsx to the street, in the officer’s language', async function () {
    const res = await officer.get('/office/pool.xlsx?lang=zh-CN').responseType('blob');
    expect(res.status).to.equal(200);
    const rows = (await xlsxCells(res.body as Buffer)).map((row) => row.map((cell) => cell.text));
    expect(rows[0]?.[0]).to.equal('名称');
    expect(rows.slice(1).map((row) => [row[0], row[2]])).to.deep.equal([
      ['坪山之眼', '坪山'],
      ['IN坪山', '坪山'],
    ]);
    const entry = await AuditEntryModel.findOne({ action: 'pool.export', 'target.id': 'xlsx' })
      .sort({ at: -1 })
      .lean();
    expect(entry?.actor?.email).to.equal('ps@example.org');
    expect(entry?.details).to.deep.include({ rows: 2 });
  });

  it('answers bad input with a page or an empty result, never a 5xx', async function () {
    const bad = [
      '/office/pool?q=a&q=b',
      '/office/pool?q[$ne]=x',
      '/office/pool?q=' + encodeURIComponent('.*(['),
      '/office/pool?q=' + 'x'.repeat(10_000),
      '/office/pool?page=-1',
      '/office/pool?page=99999999999',
      '/office/pool?page=abc',
      '/office/pool?perPage=1000',
      '/office/pool?platform=myspace&street[$gt]=a&sort=evil',
      '/office/pool.csv?q[$ne]=x&page=-3',
    ];
    for (const path of bad) {
      const res = await admin.get(path);
      expect(res.status, path).to.be.below(500);
    }
    expect(await names(admin, '/office/pool?q=' + encodeURIComponent('.*'))).to.deep.equal([]);
    const res = await admin.get('/office/pool?page=-1');
    expect(res.status).to.equal(400);
    expect(page(res)('[role=alert]').text()).to.include('whole number');
    expect(await names(admin, '/office/pool?platform=myspace')).to.have.length(5);
  });

  it('answers each bad input with a message naming it or an empty result, and keeps the scope', async function () {
    const everyone = ['阿宝美食', '坪山之眼', 'IN坪山', '龍田小記', '=HYPERLINK("x")'];
    const shown = async (agent: Agent, path: string) => {
      const res = await agent.get(path);
      const $ = page(res);
      return {
        status: res.status,
        alert: $('[role=alert]').text().replace(/\s+/g, ' '),
        names: $('.pool-card h2')
          .map((_, el) => $(el).text())
          .get(),
      };
    };
    // a 10 kB query: left out, said so
    const long = await shown(admin, `/office/pool?q=${'x'.repeat(10_240)}`);
    expect(long).to.deep.include({ status: 400, names: everyone });
    expect(long.alert).to.include('too long');
    // repeated parameters: one value each, said so (a repeated sort used to answer 500)
    const cases: [string, string][] = [
      [`q=${encodeURIComponent('坪山')}&q=abao`, 'single piece of text'],
      ['sort=name&sort=newest', 'Unknown sort order'],
      ['page=1&page=2', 'page must be a whole number'],
      ['perPage=10&perPage=20', 'Per page must be 10, 20, 50 or 100'],
      ['perPage=1000', 'Per page must be 10, 20, 50 or 100'],
      ['perPage=-10', 'Per page must be 10, 20, 50 or 100'],
      ['page=0', 'page must be a whole number'],
      ['page=1001', 'page must be a whole number'],
      ['followers=-5&followers=10k-1k', 'unknown value “-5, 10k-1k”'],
    ];
    for (const [query, message] of cases) {
      const result = await shown(admin, `/office/pool?${query}`);
      expect(result, query).to.deep.include({ status: 400, names: everyone });
      expect(result.alert, query).to.include(message);
    }
    // page numbers past the end: an empty page that says so
    const past = await shown(admin, '/office/pool?page=1000');
    expect(past).to.deep.include({ status: 200, names: [] });
    expect(page((await admin.get('/office/pool?page=1000')).text)('main').text()).to.include('past the end');
    // $-operators and brackets are parameter names the pool does not know: ignored, never queried
    for (const query of ['q[$ne]=x', 'street[$in][]=kengzi', 'sort[$gt]=a', '$where=1', 'platform[]=weibo']) {
      expect(await shown(admin, `/office/pool?${query}`), query).to.deep.include({
        status: 200,
        names: everyone,
      });
    }
    // regular-expression metacharacters are text: nothing holds them, except the one name with a "("
    for (const q of ['.*', '[a-z]+', '\\', '^坪', '$', '(?=)']) {
      expect((await shown(admin, `/office/pool?q=${encodeURIComponent(q)}`)).names, q).to.deep.equal([]);
    }
    expect((await shown(admin, '/office/pool?q=' + encodeURIComponent('("'))).names).to.deep.equal([
      '=HYPERLINK("x")',
    ]);
    // none of it reaches outside a street officer's street
    for (const query of ['street=kengzi&street=pingshan', 'q[$ne]=x', 'sort=name&sort=newest', 'id[$ne]=1']) {
      expect((await shown(officer, `/office/pool?${query}`)).names, query).to.have.members([
        '坪山之眼',
        'IN坪山',
      ]);
    }
    // the downloads take the same query string: bad parts left out, never a 5xx
    const csv = await admin.get('/office/pool.csv?sort=name&sort=newest&page=-3&q[$ne]=x');
    expect(csv.status).to.equal(200);
    expect(csv.text.slice(1).trim().split(/\r?\n/)).to.have.length(1 + everyone.length);
    const xlsx = await officer
      .get('/office/pool.xlsx?perPage=10&perPage=1000&street=kengzi')
      .responseType('blob');
    expect(xlsx.status).to.equal(200);
    expect(await xlsxCells(xlsx.body as Buffer)).to.have.length(1); // the header: kengzi is not the officer's
  });

  it('stores keys by backfill and refreshes them when the registry renames an account', async function () {
    const creator = await CreatorModel.findOne({ slug: 'abao' }).lean();
    expect(creator?.search?.names).to.include('abms').and.include('abao');
    expect(creator?.search?.sortKey).to.equal('a bao mei shi');
    const account = await AccountModel.findOne({ platformId: 'MS4wLjABAAAAabao' });
    await renameAccount(account!, '坑梓吃货');
    expect(await names(admin, '/office/pool?q=kzch')).to.deep.equal(['阿宝美食']);
    expect(await names(admin, `/office/pool?q=${encodeURIComponent('阿宝')}`)).to.deep.equal(['阿宝美食']);
  });
});
