// The app shell over real HTTP: role checks, languages, error pages, security headers, health.
import { expect } from 'chai';
import { MongoStore } from 'connect-mongo';
import cookieSignature from 'cookie-signature';
import { MemoryStore } from 'express-rate-limit';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createI18n } from '../../src/i18n/index.js';
import { createLogger } from '../../src/logger.js';
import { cookieName } from '../../src/http/cookies.js';
import { sessionCookieName } from '../../src/http/session.js';
import { type TestApp, createTestUser, page, signIn, startTestApp } from '../support/app.js';

describe('app shell', function () {
  let portal: TestApp;

  before(async function () {
    portal = await startTestApp();
    await createTestUser({ email: 'creator@example.org', role: 'creator' });
    await createTestUser({ email: 'officer@example.org', role: 'officer', streetScope: 'pingshan' });
    await createTestUser({ email: 'admin@example.org', role: 'admin' });
  });
  after(async function () {
    await portal.stop();
  });

  describe('roles are checked on the server', function () {
    const routes = { '/me': ['creator'], '/office': ['officer', 'admin'], '/admin': ['admin'] } as const;

    it('sends anonymous visitors to sign in, with the page to come back to', async function () {
      for (const path of Object.keys(routes)) {
        const res = await portal.agent().get(path);
        expect(res.status, path).to.equal(303);
        expect(res.headers.location, path).to.equal(`/login?next=${encodeURIComponent(path)}`);
      }
    });

    for (const role of ['creator', 'officer', 'admin'] as const) {
      it(`lets a ${role} into exactly the areas of that role (403 elsewhere)`, async function () {
        const agent = portal.agent();
        expect((await signIn(agent, `${role}@example.org`)).status).to.equal(303);
        for (const [path, allowed] of Object.entries(routes)) {
          const res = await agent.get(path);
          const mayEnter = (allowed as readonly string[]).includes(role);
          expect(res.status, `${role} on ${path}`).to.equal(mayEnter ? 200 : 403);
          if (!mayEnter) expect(res.text).to.contain('您无权访问此页面');
        }
      });
    }
  });

  describe('navigation', function () {
    const links = {
      anonymous: ['/pledge'],
      creator: ['/pledge', '/me/alliance'],
      officer: ['/pledge', '/office/applications', '/office/pool'],
      admin: ['/pledge', '/office/applications', '/office/pool', '/admin/pledges'],
    } as const;
    const all = ['/pledge', '/me/alliance', '/office/applications', '/office/pool', '/admin/pledges'];

    for (const [role, shown] of Object.entries(links)) {
      it(`gives the ${role} exactly their feature links, each leading to a page`, async function () {
        const agent = portal.agent();
        if (role !== 'anonymous') await signIn(agent, `${role}@example.org`);
        for (const href of shown) {
          const res = await agent.get(href).set('Cookie', 'lang=en');
          expect(res.status, href).to.equal(200);
          const current = page(res)(`header nav a[href="${href}"]`);
          expect(current.attr('aria-current'), href).to.equal('page');
          expect(current.text().trim(), href).not.to.equal('').and.not.to.contain('nav.');
        }
        const home = page(await agent.get('/'));
        for (const href of all) {
          const has = home(`header nav a[href="${href}"]`).length === 1;
          expect(has, `${role}: ${href}`).to.equal((shown as readonly string[]).includes(href));
        }
      });
    }

    it('labels the new links in all three languages', async function () {
      const agent = portal.agent();
      await signIn(agent, 'admin@example.org');
      const label = async (lang: string) =>
        page(await agent.get('/').set('Cookie', `lang=${lang}`))(
          'header nav a[href="/admin/pledges"]',
        ).text();
      expect(await label('zh-CN')).to.equal('承诺书版本');
      expect(await label('zh-TW')).to.equal('承諾書版本');
      expect(await label('en')).to.equal('Pledge versions');
    });
  });

  describe('languages', function () {
    it('defaults to Simplified Chinese', async function () {
      const res = await portal.agent().get('/');
      expect(res.text, 'the current page is marked in the navigation').to.contain(
        '<a href="/" aria-current="page">首页</a>',
      );
      expect(res.text).to.contain('<html lang="zh-CN">');
      expect(res.text).to.contain('灯塔联盟');
    });

    it('follows Accept-Language, reading zh-HK as Traditional Chinese', async function () {
      const hk = await portal.agent().get('/').set('Accept-Language', 'zh-HK,zh;q=0.8');
      expect(hk.text).to.contain('<html lang="zh-TW">');
      expect(hk.text).to.contain('燈塔聯盟');
      const en = await portal.agent().get('/').set('Accept-Language', 'en-GB,en;q=0.9');
      expect(en.text).to.contain('The Lighthouse alliance');
    });

    it('remembers the switcher choice in a cookie, over Accept-Language', async function () {
      const agent = portal.agent();
      const home = await agent.get('/');
      expect(home.text).to.contain('href="/language/en?next=%2F"');
      const res = await agent.get('/language/en?next=%2Flogin');
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/login');
      expect(String(res.headers['set-cookie'])).to.match(/lang=en;.*HttpOnly/);
      const login = await agent.get('/login').set('Accept-Language', 'zh-TW');
      expect(login.text).to.contain('<h1>Sign in</h1>');
    });

    it('ignores unknown languages and off-site redirect targets', async function () {
      const agent = portal.agent();
      const res = await agent.get('/language/xx?next=https://evil.example/');
      expect(res.headers.location).to.equal('/');
      expect(res.headers['set-cookie']).to.equal(undefined);
    });
  });

  describe('errors', function () {
    it('renders a 404 page with a request id', async function () {
      const res = await portal.agent().get('/no-such-page').set('Accept-Language', 'en');
      expect(res.status).to.equal(404);
      expect(res.text).to.contain('Page not found');
      expect(res.text).to.contain(`Request id: ${res.headers['x-request-id']}`);
    });

    it('translates an error raised while reading the body (413 for an oversized form)', async function () {
      const res = await portal
        .agent()
        .post('/login')
        .set('Accept-Language', 'en')
        .type('form')
        .send(`email=${'a'.repeat(300_000)}`);
      expect(res.status).to.equal(413);
      expect(res.text).to.contain('<html lang="en">');
      expect(res.text).to.contain('What was sent is too large');
      expect(res.text).to.contain('Please check what was sent');
    });

    it('explains an expired form (CSRF) in its own words', async function () {
      const res = await portal
        .agent()
        .post('/login')
        .set('Accept-Language', 'en')
        .type('form')
        .send({ email: 'a@b.c', password: 'x' });
      expect(res.status).to.equal(403);
      expect(res.text).to.contain('This form has expired');
      expect(res.text).to.contain('reload the page');
    });

    it('answers JSON under /api', async function () {
      const res = await portal.agent().get('/api/nothing');
      expect(res.status).to.equal(404);
      expect(res.body.error.status).to.equal(404);
      expect(res.body.error.requestId).to.equal(res.headers['x-request-id']);
    });

    it('renders a 500 page when the session database is unreachable, without a stack in production', async function () {
      // A real MongoStore pointed at a closed port: every request with a session fails inside express-session.
      const secret = 's'.repeat(32);
      for (const env of ['production', 'development'] as const) {
        const name = cookieName(sessionCookieName, env === 'production');
        const cookie = `${name}=${encodeURIComponent(`s:${cookieSignature.sign('abc', secret)}`)}`;
        const config = loadConfig({
          NODE_ENV: env,
          SESSION_SECRET: secret,
          MONGO_LANE: 'offline',
          LOG_LEVEL: 'silent',
          SMTP_URL: 'smtp://127.0.0.1:2525',
          MAIL_FROM: 'Lighthouse <no-reply@example.org>',
          PUBLIC_URL: 'https://lighthouse.example.org',
        });
        const store = MongoStore.create({
          mongoUrl: 'mongodb://127.0.0.1:1/none',
          mongoOptions: { serverSelectionTimeoutMS: 200 },
        });
        const app = createApp({
          config,
          logger: createLogger(config),
          sessionStore: store,
          i18n: await createI18n('en'),
          lane: { lane: 'uri', inMemory: false },
          isDatabaseReady: () => Promise.resolve(false),
          rateLimitStores: () => new MemoryStore(),
        });
        const res = await request(app).get('/').set('Cookie', cookie);
        await store.close().catch(() => undefined);
        expect(res.status, env).to.equal(500);
        expect(res.text).to.contain('Something went wrong on our side');
        expect(res.text).to.contain(`Request id: ${res.headers['x-request-id']}`);
        if (env === 'production') expect(res.text).not.to.contain('class="stack"');
        else expect(res.text).to.contain('class="stack"');
      }
    });
  });

  describe('security', function () {
    it('sends helmet headers with a strict CSP and no X-Powered-By', async function () {
      const res = await portal.agent().get('/');
      expect(res.headers['content-security-policy']).to.contain("script-src 'self'");
      expect(res.headers['content-security-policy']).to.contain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).not.to.contain('unsafe-inline');
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      expect(res.headers['x-frame-options']).to.equal('SAMEORIGIN');
      expect(res.headers['referrer-policy']).to.equal('same-origin');
      expect(res.headers['x-powered-by']).to.equal(undefined);
    });

    it('starts no session for a visitor; a form gets a signed httpOnly SameSite token cookie', async function () {
      expect((await portal.agent().get('/')).headers['set-cookie']).to.equal(undefined);
      const login = await portal.agent().get('/login');
      const cookie = String(login.headers['set-cookie']);
      expect(cookie).not.to.contain(`${sessionCookieName}=`);
      expect(cookie).to.match(/^lh\.csrf=s%3A/);
      expect(cookie).to.contain('HttpOnly');
      expect(cookie).to.contain('SameSite=Lax');
      const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)?.[1] ?? '');
      expect(expires - Date.now(), "a visitor's form token lasts hours, not weeks").to.be.within(
        60 * 60_000,
        3 * 60 * 60_000,
      );
    });

    it('marks signed-in pages no-store, so Back after sign-out shows nothing', async function () {
      expect((await portal.agent().get('/')).headers['cache-control']).not.to.equal('no-store');
      const agent = portal.agent();
      await signIn(agent, 'creator@example.org');
      expect((await agent.get('/me')).headers['cache-control']).to.equal('no-store');
    });

    it('says the data is demo data kept in memory on the offline lane', async function () {
      const res = await portal.agent().get('/').set('Accept-Language', 'en');
      if (portal.db.inMemory) expect(res.text).to.contain('Demo data, kept in memory');
      else expect(res.text).not.to.contain('Demo data, kept in memory');
    });
  });

  describe('health', function () {
    it('answers /healthz and /readyz', async function () {
      const health = await portal.agent().get('/healthz');
      expect(health.status).to.equal(200);
      expect(health.body).to.deep.equal({ status: 'ok' });
      const ready = await portal.agent().get('/readyz');
      expect(ready.status).to.equal(200);
      expect(ready.body).to.deep.equal({ status: 'ready' });
    });
  });
});
