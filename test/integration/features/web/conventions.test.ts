// Web conventions over HTTP: robots.txt, the sitemap (exactly the public members), each public
// page's description, canonical address, hreflang alternates and Open Graph tags, cache headers
// (public for a visitor's copy, never for anything personal), fingerprinted static files and
// compression.
import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  MembershipModel,
  type MembershipStatus,
} from '../../../../src/features/alliance/membership.model.js';
import { refreshPublicListing } from '../../../../src/features/directory/listing.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import { resetDatabase } from '../../../support/database.js';
import {
  type TestApp,
  createTestUser,
  page,
  productionMailEnv,
  signIn,
  startTestApp,
} from '../../../support/app.js';

let seq = 0;
/** A creator with a membership in `status`, listed publicly or not (test glue: models directly). */
async function creatorWithMembership(
  slug: string,
  status: MembershipStatus | 'none',
  listed = true,
  emailVerified = true,
) {
  seq += 1;
  const user = await createTestUser({ email: `${slug}@example.org`, emailVerified });
  const creator = await CreatorModel.create({
    user: user._id,
    displayName: `Creator ${slug}`,
    slug,
    street: 'pingshan',
    categories: ['news'],
    bio: 'Stories from the district.',
    contact: { phone: '+86 139 0000 0000', wechat: 'private-wechat' },
    consent: { listed, at: new Date() },
  });
  if (status !== 'none') {
    await MembershipModel.create({
      creator: creator._id,
      status,
      motivation: 'To tell good stories.',
      appliedAt: new Date(),
      ...(status === 'applied' ? {} : { memberNumber: `LH-2026-${String(seq).padStart(4, '0')}` }),
    });
  }
  // Written straight to the models: the directory's public listing follows, as after a service's write.
  await refreshPublicListing(creator._id);
  return creator;
}

/** Whether robots.txt's Disallow lines keep crawlers off `path` (prefix match; `$` anchors the end). */
function disallowed(robots: string, path: string): boolean {
  return robots
    .split('\n')
    .filter((line) => line.startsWith('Disallow: '))
    .map((line) => line.slice('Disallow: '.length))
    .some((rule) => (rule.endsWith('$') ? path === rule.slice(0, -1) : path.startsWith(rule)));
}

interface SitemapUrl {
  loc: string;
  'xhtml:link': { '@_hreflang': string; '@_href': string }[];
}

describe('web conventions: robots.txt, sitemap, page meta, caching, assets, compression', function () {
  let portal: TestApp;
  before(async function () {
    portal = await startTestApp();
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(resetDatabase);

  it('robots.txt keeps crawlers off the signed-in areas and the API, not off the public pages', async function () {
    const res = await portal.agent().get('/robots.txt');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/plain/);
    expect(res.headers['cache-control']).to.equal('public, max-age=600');
    expect(res.text).to.contain('User-agent: *');
    expect(res.text).to.contain(`Sitemap: ${portal.url}/sitemap.xml`);
    for (const path of [
      '/me',
      '/me/alliance',
      '/office/pool',
      '/admin',
      '/account/password',
      '/api/v1/members',
      '/language/en',
    ]) {
      expect(disallowed(res.text, path), path).to.equal(true);
    }
    for (const path of [
      '/',
      '/members',
      '/members/pingshanzhiyan',
      '/pledge',
      '/pledge/v/1',
      '/sitemap.xml',
    ]) {
      expect(disallowed(res.text, path), path).to.equal(false);
    }
  });

  it('the sitemap is well-formed XML listing the pages and exactly the public members, in three languages', async function () {
    await creatorWithMembership('listed-member', 'approved');
    await creatorWithMembership('unlisted-member', 'approved', false);
    await creatorWithMembership('applicant', 'applied');
    await creatorWithMembership('suspended-member', 'suspended');
    await creatorWithMembership('withdrawn-member', 'withdrawn');
    await creatorWithMembership('expired-member', 'expired');
    await creatorWithMembership('not-a-member', 'none');
    await creatorWithMembership('unverified-email', 'approved', true, false);

    const res = await portal.agent().get('/sitemap.xml');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^application\/xml/);
    expect(XMLValidator.validate(res.text)).to.equal(true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      isArray: (name) => ['url', 'xhtml:link'].includes(name),
    }).parse(res.text) as { urlset: { url: SitemapUrl[] } };
    const urls = parsed.urlset.url;
    const locs = urls.map((url) => url.loc);
    const paths = [...new Set(locs.map((loc) => new URL(loc).pathname))];
    expect(paths).to.deep.equal(['/', '/members', '/pledge', '/members/listed-member']);
    expect(locs).to.include.members([
      `${portal.url}/members/listed-member?lang=zh-CN`,
      `${portal.url}/members/listed-member?lang=zh-TW`,
      `${portal.url}/members/listed-member?lang=en`,
    ]);
    const entry = urls.find((url) => url.loc === `${portal.url}/members/listed-member?lang=en`);
    expect(entry?.['xhtml:link'].map((link) => [link['@_hreflang'], link['@_href']])).to.deep.equal([
      ['zh-CN', `${portal.url}/members/listed-member?lang=zh-CN`],
      ['zh-TW', `${portal.url}/members/listed-member?lang=zh-TW`],
      ['en', `${portal.url}/members/listed-member?lang=en`],
      ['x-default', `${portal.url}/members/listed-member`],
    ]);

    // Withdrawing consent takes the page out of the next sitemap.
    const withdrawn = await CreatorModel.findOneAndUpdate(
      { slug: 'listed-member' },
      { $set: { 'consent.listed': false } },
    );
    await refreshPublicListing(withdrawn!._id);
    const after = await portal.agent().get('/sitemap.xml');
    expect(after.text).to.not.contain('/members/listed-member');
  });

  it('a public page has its description, canonical address, hreflang alternates and Open Graph tags', async function () {
    const res = await portal.agent().get('/pledge');
    expect(res.status).to.equal(200);
    const $ = page(res);
    expect($('html').attr('lang')).to.equal('zh-CN');
    expect($('meta[name="description"]').attr('content')).to.equal(
      '坪山自媒体创作者的灯塔承诺书，以及签署承诺书的联盟成员。',
    );
    expect($('link[rel="canonical"]').attr('href')).to.equal(`${portal.url}/pledge`);
    const alternates = $('link[rel="alternate"][hreflang]')
      .toArray()
      .map((link) => [$(link).attr('hreflang'), $(link).attr('href')]);
    expect(alternates).to.deep.equal([
      ['zh-CN', `${portal.url}/pledge?lang=zh-CN`],
      ['zh-TW', `${portal.url}/pledge?lang=zh-TW`],
      ['en', `${portal.url}/pledge?lang=en`],
      ['x-default', `${portal.url}/pledge`],
    ]);
    expect($('meta[property="og:title"]').attr('content')).to.equal('灯塔承诺书');
    expect($('meta[property="og:description"]').attr('content')).to.equal(
      $('meta[name="description"]').attr('content'),
    );
    expect($('meta[property="og:url"]').attr('content')).to.equal(`${portal.url}/pledge`);
    expect($('meta[property="og:locale"]').attr('content')).to.equal('zh_CN');
    expect($('meta[name="robots"]').length).to.equal(0);
  });

  it('?lang= addresses one language: the page in it, canonical in it, and the switcher does not stick to it', async function () {
    const agent = portal.agent();
    const res = await agent.get('/?lang=en');
    const $ = page(res);
    expect($('html').attr('lang')).to.equal('en');
    expect($('meta[name="description"]').attr('content')).to.contain('The Lighthouse alliance of Pingshan');
    expect($('link[rel="canonical"]').attr('href')).to.equal(`${portal.url}/?lang=en`);
    expect($('meta[property="og:locale"]').attr('content')).to.equal('en_US');
    expect(
      $('meta[property="og:locale:alternate"]')
        .toArray()
        .map((meta) => $(meta).attr('content')),
    ).to.deep.equal(['zh_CN', 'zh_TW']);
    // The switcher brings the visitor back to the page without ?lang=, so the choice holds.
    expect($('.language-switcher a[lang="zh-TW"]').attr('href')).to.equal('/language/zh-TW?next=%2F');
    // Traditional Chinese by URL, whatever the browser asks for.
    const tw = page(await agent.get('/pledge?lang=zh-TW').set('Accept-Language', 'en'));
    expect(tw('html').attr('lang')).to.equal('zh-TW');
    // A value that is no language, or not a string, falls back without an error.
    for (const query of ['lang=xx', 'lang[]=en', 'lang[$ne]=en', `lang=${'a'.repeat(3000)}`]) {
      const odd = await agent.get(`/pledge?${query}`);
      expect(odd.status, query).to.equal(200);
      expect(page(odd)('link[rel="canonical"]').attr('href'), query).to.equal(`${portal.url}/pledge`);
    }
  });

  it('keeps ?page= in the canonical address of a list page, and drops other parameters', async function () {
    const $ = page(await portal.agent().get('/?page=2&utm_source=x'));
    expect($('link[rel="canonical"]').attr('href')).to.equal(`${portal.url}/?page=2`);
    expect($('link[hreflang="en"]').attr('href')).to.equal(`${portal.url}/?page=2&lang=en`);
  });

  it('pages that are not public say noindex and name no canonical address', async function () {
    for (const path of ['/login', '/register', '/no-such-page']) {
      const $ = page(await portal.agent().get(path));
      expect($('meta[name="robots"]').attr('content'), path).to.equal('noindex');
      expect($('link[rel="canonical"]').length, path).to.equal(0);
      expect($('meta[name="description"]').attr('content'), path).to.equal(
        '灯塔：坪山区自媒体创作者登记与联盟平台。',
      );
    }
  });

  it("caches a visitor's public page for a minute, and nothing personal", async function () {
    const visitor = await portal.agent().get('/');
    expect(visitor.status).to.equal(200);
    expect(visitor.headers['cache-control']).to.equal('public, max-age=60');
    expect(visitor.headers.vary).to.contain('Cookie').and.to.contain('Accept-Language');
    expect(visitor.headers['set-cookie']).to.equal(undefined);
    // The same copy again: 304 while unchanged.
    const again = await portal.agent().get('/').set('If-None-Match', String(visitor.headers.etag));
    expect(again.status).to.equal(304);
    expect(again.headers['cache-control']).to.equal('public, max-age=60');

    // A signed-in person's copy of the same page is never stored.
    await createTestUser({ email: 'creator@example.org' });
    const creator = portal.agent();
    expect((await signIn(creator, 'creator@example.org')).status).to.equal(303);
    expect((await creator.get('/')).headers['cache-control']).to.equal('no-store');
    // A page that sets a cookie (the sign-in form's token) is not public; nor is an error.
    expect((await portal.agent().get('/login')).headers['cache-control']).to.not.contain('public');
    expect((await portal.agent().get('/members/nobody-at-all')).headers['cache-control']).to.equal(
      'no-store',
    );
  });

  it('serves static files under their content hash for a year, and compresses', async function () {
    const $ = page(await portal.agent().get('/'));
    const stylesheet = $('link[rel="stylesheet"]').attr('href') ?? '';
    expect(stylesheet).to.match(/^\/css\/site\.[0-9a-f]{10}\.css$/);
    expect($('link[rel="icon"]').attr('href')).to.match(/^\/favicon\.[0-9a-f]{10}\.svg$/);

    const css = await portal.agent().get(stylesheet).set('Accept-Encoding', 'gzip');
    expect(css.status).to.equal(200);
    expect(css.headers['content-type']).to.match(/^text\/css/);
    expect(css.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    expect(css.headers['content-encoding']).to.equal('gzip');
    const plain = await portal.agent().get('/css/site.css');
    expect(plain.text).to.equal(css.text);
    expect(plain.headers['cache-control']).to.not.contain('immutable');
    // An address with another hash (a page cached before a deploy): the current file, not for a year.
    const stale = await portal.agent().get('/css/site.0123456789.css');
    expect(stale.status).to.equal(200);
    expect(stale.text).to.equal(css.text);
    expect(stale.headers['cache-control']).to.not.contain('immutable');
    expect((await portal.agent().get('/css/nothing.0123456789.css')).status).to.equal(404);

    const home = await portal.agent().get('/').set('Accept-Encoding', 'gzip');
    expect(home.headers['content-encoding']).to.equal('gzip');
    expect(home.headers.vary).to.contain('Accept-Encoding');
  });
});

describe('web conventions in production: addresses from PUBLIC_URL', function () {
  let portal: TestApp;
  before(async function () {
    portal = await startTestApp({ NODE_ENV: 'production', LOG_LEVEL: 'silent', ...productionMailEnv });
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(resetDatabase);

  it('names PUBLIC_URL in robots.txt, the sitemap and the canonical address, whatever Host says', async function () {
    const origin = productionMailEnv.PUBLIC_URL;
    await creatorWithMembership('listed-member', 'approved');
    const robots = await portal.agent().get('/robots.txt').set('Host', 'evil.example');
    expect(robots.text).to.contain(`Sitemap: ${origin}/sitemap.xml`);
    const sitemap = await portal.agent().get('/sitemap.xml').set('Host', 'evil.example');
    expect(sitemap.text).to.contain(`<loc>${origin}/members/listed-member?lang=en</loc>`);
    expect(sitemap.text).to.not.contain('evil.example');
    const $ = page(await portal.agent().get('/').set('Host', 'evil.example'));
    expect($('link[rel="canonical"]').attr('href')).to.equal(`${origin}/`);
    expect($('meta[property="og:url"]').attr('content')).to.equal(`${origin}/`);
  });
});
