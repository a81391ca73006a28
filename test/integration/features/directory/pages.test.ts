// The public pages over HTTP: home, the directory (search, filters, sort, pages, bad input), a
// member's page (figures, growth chart and its text alternative, badge), the CSV, and the privacy
// rules: no private field anywhere, and the same 404 for unknown, non-member, suspended and
// withdrawn-consent slugs.
import { expect } from 'chai';
import { refreshPublicListing } from '../../../../src/features/directory/listing.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import { type TestApp, page, startTestApp } from '../../../support/app.js';
import { evidenceId, hiddenNames, privateValues, seedDirectoryDemo, withdrawnSlug } from './support.js';

describe('directory: public pages', function () {
  this.timeout(120_000);
  let portal: TestApp;
  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
    await seedDirectoryDemo();
  });
  after(async function () {
    await portal.stop();
  });

  const get = (path: string) => portal.agent().get(path).set('Accept-Language', 'en');
  function expectNothingPrivate(text: string) {
    for (const value of [...privateValues, evidenceId.toHexString(), ...hiddenNames])
      expect(text, value).to.not.include(value);
  }

  it('home shows live totals with their as-of date, newest members, the pledge and how to join', async function () {
    const res = await get('/');
    expect(res.status).to.equal(200);
    const $ = page(res);
    const totals = $('.totals dd')
      .map((_i, el) => $(el).text())
      .get();
    expect(totals[0]).to.equal('4'); // five founders, one withdrew consent
    expect($('.home-totals .as-of').text()).to.match(/Figures as of/);
    expect($('#by-platform-heading').text()).to.equal('By platform');
    expect($('.home-totals table').text()).to.include('Bilibili');
    expect($('#newest-heading').next('.member-cards').find('.member-card')).to.have.length(4);
    expect($('a[href="/pledge"]').length).to.be.greaterThan(0);
    expect($('.join-steps li')).to.have.length(4);
    expectNothingPrivate(res.text);
  });

  it('lists the four listed founders with figures and as-of dates, and nobody else', async function () {
    const res = await get('/members?sort=name');
    expect(res.status).to.equal(200);
    const $ = page(res);
    expect($('.member-card')).to.have.length(4);
    expect($('.directory-total').text()).to.equal('4 members found');
    expect($('.member-card').text()).to.include('坪山之眼');
    expect($('.member-card').text()).to.not.include('李高兴');
    expect($('.member-card .as-of').first().text()).to.match(/^as of /);
    expectNothingPrivate(res.text);
  });

  it('searches in Traditional characters and pinyin, and filters by platform, category and street', async function () {
    const cases: [string, string[]][] = [
      ['/members?q=%E5%9D%AA%E5%B1%B1%E5%90%8C%E9%8E%AE', ['坪山同镇']], // 坪山同鎮
      ['/members?q=psz', ['坪山之眼']],
      ['/members?platform=bilibili', ['坪山之眼']],
      ['/members?platform=weibo&platform=youtube', ['坪山同镇', '坪山之眼', 'IN坪山']],
      ['/members?platform=youtube', ['IN坪山']],
      // the form as a browser submits it, "any" chosen in two filters
      ['/members?q=&platform=youtube&category=&street=&sort=followers', ['IN坪山']],
      ['/members?category=food', ['坪山印象']],
      ['/members?street=kengzi&street=pingshan&sort=name', ['坪山之眼', '坪山同镇']],
    ];
    for (const [path, expected] of cases) {
      const res = await get(path);
      expect(res.status, path).to.equal(200);
      const $ = page(res);
      const found = $('.member-card .member-name')
        .map((_i, el) => $(el).text().trim())
        .get();
      expect(found.sort(), path).to.deep.equal([...expected].sort());
    }
  });

  it('pages in the query string, and says so past the last page (404)', async function () {
    const first = await get('/members?perPage=3&sort=name');
    const $ = page(first);
    expect($('.member-card')).to.have.length(3);
    expect($('.directory-pages').text()).to.include('Page 1 of 2');
    const nextHref = $('a[rel="next"]').attr('href');
    expect(nextHref).to.equal('/members?sort=name&perPage=3&page=2');
    const second = await get(nextHref!);
    expect(page(second)('.member-card')).to.have.length(1);
    const past = await get('/members?perPage=3&page=9');
    expect(past.status).to.equal(404);
    expect(page(past)('.directory').text()).to.include('past the end');
  });

  it('answers bad filters, operators, brackets, repeated and long values with the page and a message', async function () {
    const bad = [
      '/members?platform=myspace',
      '/members?q=a&q=b',
      '/members?sort=%24where',
      '/members?page=abc',
      `/members?q=${'坪'.repeat(500)}`,
      '/members?street[$ne]=x&category=food',
      '/members?q[$regex]=.*',
    ];
    for (const path of bad) {
      const res = await get(path);
      expect(res.status, path).to.be.oneOf([200, 400]);
      expect(res.status, path).to.not.equal(500);
      expect(page(res)('h1').text(), path).to.equal('Members');
    }
    const res = await get('/members?platform=myspace');
    expect(res.status).to.equal(400);
    expect(page(res)('.flash-error').text()).to.include('Unknown platform.');
    // the bad value is left out: everyone listed is shown
    expect(page(res)('.member-card')).to.have.length(4);
    const long = await get(`/members?q=${'x'.repeat(300)}`);
    expect(long.status).to.equal(400);
    expect(page(long)('.flash-error').text()).to.include('too long');
    // a regex in q is searched for as text, never run
    expect(page(await get('/members?q=.*'))('.member-card')).to.have.length(0);
  });

  it('shows a member page: accounts, figures with source and as-of, a chart with a text alternative, pledge, badge', async function () {
    const res = await get('/members/pingshanzhiyan');
    expect(res.status).to.equal(200);
    const $ = page(res);
    expect($('h1').text()).to.equal('坪山之眼');
    expect($('.member-facts').text()).to.match(/LH-\d{4}-\d{4}/);
    expect($('.member-facts').text()).to.include('Signed the current pledge (version 1)');
    const accounts = $('.member-account');
    expect(accounts).to.have.length(2); // Bilibili and Weibo verified; the rejected Xiaohongshu is not shown
    expect(accounts.first().find('a[href^="https://space.bilibili.com/"]')).to.have.length(1);
    expect(accounts.first().find('.figure').text()).to.include('Source: official API');
    const svg = accounts.first().find('svg.growth-chart');
    expect(svg).to.have.length(1);
    expect(svg.attr('role')).to.equal('img');
    expect(svg.find('title').text()).to.equal('Followers on Bilibili over time');
    expect(svg.find('circle').length).to.be.greaterThan(3);
    expect(accounts.first().find('figcaption').text()).to.match(
      /Followers on Bilibili went from .+ to 48,211/,
    );
    expect(accounts.first().find('.growth-data tbody tr').length).to.equal(svg.find('circle').length);
    expect($('#badge-snippet').text()).to.include('/members/pingshanzhiyan/badge.svg');
    expectNothingPrivate(res.text);
  });

  it('never shows an unconfirmed manual figure, nor evidence, on a member page', async function () {
    const res = await get('/members/pingshan-tongzhen');
    const $ = page(res);
    // the pending Douyin account (152,000, unconfirmed) is not there at all
    expect($('.member-account')).to.have.length(2);
    expect(res.text).to.not.include('152,000');
    expect($('.member-account').text()).to.include('confirmed by an officer');
    expectNothingPrivate(res.text);
  });

  it('answers the same 404 for unknown, suspended, applicant, rejected and withdrawn slugs', async function () {
    const unknown = await get('/members/no-such-member');
    expect(unknown.status).to.equal(404);
    const slugs = await CreatorModel.find({ displayName: { $in: hiddenNames } }, { slug: 1 }).lean();
    expect(slugs).to.have.length(hiddenNames.length);
    for (const slug of [...slugs.map((c) => c.slug), withdrawnSlug, '..%2F..', 'A%24ne']) {
      const res = await get(`/members/${slug}`);
      expect(res.status, slug).to.equal(404);
      const withoutRequestId = (text: string) => text.replace(/[0-9a-f-]{36}/g, '');
      expect(withoutRequestId(page(res)('main').text()), slug).to.equal(
        withoutRequestId(page(unknown)('main').text()),
      );
      expect(page(res)('h1').text()).to.equal(page(unknown)('h1').text());
    }
  });

  it('downloads the directory as CSV: BOM, public members only, formula-safe', async function () {
    const res = await get('/members.csv?sort=name')
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/csv/);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = body.toString('utf8');
    const lines = text.trim().split('\n');
    expect(lines).to.have.length(5); // header + four listed founders
    expect(text).to.include('/members/pingshanzhiyan');
    expectNothingPrivate(text);
    // a name a spreadsheet would run as a formula is written as text
    const renamed = await CreatorModel.findOneAndUpdate(
      { slug: 'pingshan-yinxiang' },
      { $set: { displayName: '=1+2' } },
    );
    await refreshPublicListing(renamed!._id); // as the profile form's service does after saving
    const formula = await get('/members.csv?category=food');
    await CreatorModel.updateOne({ slug: 'pingshan-yinxiang' }, { $set: { displayName: '坪山印象' } });
    await refreshPublicListing(renamed!._id);
    expect(formula.text.split('\n')[1]).to.match(/^'=1\+2,/);
    const bad = await get('/members.csv?street=atlantis');
    expect(bad.status).to.equal(400);
  });
});
