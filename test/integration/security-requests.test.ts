// Security findings about requests, cookies and sessions (issue 6: findings 1, 3 and 8), each
// reproduced over real HTTP.
import { request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { startPortal } from '../../src/portal.js';
import { resetDatabase } from '../support/database.js';
import { secureBrowser } from '../support/secureBrowser.js';
import {
  type TestApp,
  createTestUser,
  csrfFrom,
  page,
  productionMailEnv,
  signIn,
  startTestApp,
  testEnv,
} from '../support/app.js';

/** A raw request, for targets that HTTP clients refuse to send (`*`). */
function rawRequest(url: string, method: string, target: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path: target }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const sessionCount = () => mongoose.connection.db!.collection('sessions').countDocuments();

describe('security: requests, cookies and sessions', function () {
  let portal: TestApp;

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en', SESSION_IDLE_MINUTES: '30' });
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(resetDatabase);

  it('answers OPTIONS * and GET * with 400, not 500', async function () {
    for (const method of ['OPTIONS', 'GET']) {
      const res = await rawRequest(portal.url, method, '*');
      expect(res.status, method).to.equal(400);
      expect(res.body).to.contain('The request could not be understood');
    }
  });

  it('answers a JSON body with a 415 page that says what is wrong', async function () {
    const res = await portal.agent().post('/login').send({ email: 'a@example.org', password: 'x' });
    expect(res.status).to.equal(415);
    const $ = page(res);
    expect($('h1').text()).to.equal('This was sent in a format the portal does not accept');
    expect($('main').text()).to.contain('application/x-www-form-urlencoded');
  });

  it('marks the sign-in and registration forms no-store and stores no session for a visitor who views them', async function () {
    const agent = portal.agent();
    for (const path of ['/login', '/register']) {
      const res = await agent.get(path);
      expect(res.status, path).to.equal(200);
      expect(res.headers['cache-control'], path).to.equal('no-store');
    }
    expect(await sessionCount()).to.equal(0);
    // The form still works: its token lives in a signed cookie until the first session.
    await createTestUser({ email: 'writer@example.org' });
    expect((await signIn(agent, 'writer@example.org')).status).to.equal(303);
    expect(await sessionCount()).to.equal(1);
  });

  it('refuses a visitor form whose token does not match the signed cookie', async function () {
    await createTestUser({ email: 'writer@example.org' });
    const victim = portal.agent();
    const token = csrfFrom((await portal.agent().get('/login')).text); // someone else's token
    await victim.get('/login');
    const res = await victim
      .post('/login')
      .type('form')
      .send({ _csrf: token, email: 'writer@example.org', password: 'lighthouse-test-2026' });
    expect(res.status).to.equal(403);
  });

  it('ends a signed-in session that was idle longer than SESSION_IDLE_MINUTES', async function () {
    await createTestUser({ email: 'writer@example.org' });
    const agent = portal.agent();
    await signIn(agent, 'writer@example.org');
    expect((await agent.get('/me')).status).to.equal(200);
    // Forty minutes pass without a request.
    const sessions = mongoose.connection.db!.collection<{ _id: string; session: string }>('sessions');
    const stored = (await sessions.findOne({}))!;
    const data = JSON.parse(stored.session) as { lastSeenAt: number };
    data.lastSeenAt -= 40 * 60 * 1000;
    await sessions.updateOne({ _id: stored._id }, { $set: { session: JSON.stringify(data) } });
    const res = await agent.get('/me');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login?next=%2Fme');
  });

  describe('in production', function () {
    let production: TestApp;

    before(async function () {
      production = await startTestApp(
        { NODE_ENV: 'production', TRUST_PROXY_HOPS: '1', DEFAULT_LANGUAGE: 'en', ...productionMailEnv },
        portal.db,
      );
    });
    after(async function () {
      await production?.stop();
    });

    it('uses __Host- cookies, Secure, for the form token and the session', async function () {
      await createTestUser({ email: 'writer@example.org' });
      const browser = secureBrowser(production.url);
      const form = await browser.get('/login');
      const setCookie = String(form.headers['set-cookie']);
      expect(setCookie).to.match(/^__Host-lh\.csrf=.*; Path=\/;.*Secure/);
      expect(setCookie).not.to.contain('Domain=');
      const res = await browser.post('/login', {
        _csrf: csrfFrom(form.text),
        email: 'writer@example.org',
        password: 'lighthouse-test-2026',
      });
      expect(res.status).to.equal(303);
      expect(browser.cookieNames()).to.include('__Host-lh.sid');
      expect((await browser.get('/me')).status).to.equal(200);
    });

    it('refuses the seeded demo log-ins exactly like a wrong password', async function () {
      await createTestUser({ email: 'admin@lighthouse.example', role: 'admin', demo: true });
      const refuse = async (password: string) => {
        const browser = secureBrowser(production.url);
        const form = await browser.get('/login');
        return browser.post('/login', {
          _csrf: csrfFrom(form.text),
          email: 'admin@lighthouse.example',
          password,
        });
      };
      const demo = await refuse('lighthouse-test-2026');
      const wrong = await refuse('not-the-password-1');
      expect(demo.status).to.equal(401);
      expect(page(demo)('#form-error').text()).to.equal(page(wrong)('#form-error').text());
      // Outside production the same account signs in (the offline lane's demo district).
      expect((await signIn(portal.agent(), 'admin@lighthouse.example')).status).to.equal(303);
    });

    it('says at start-up that the database holds demo log-ins that are refused', async function () {
      await createTestUser({ email: 'admin@lighthouse.example', role: 'admin', demo: true });
      const lines: string[] = [];
      const capture = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      const config = loadConfig(testEnv(portal.db, { NODE_ENV: 'production', ...productionMailEnv }));
      const started = await startPortal({
        config,
        lane: portal.db,
        logger: pino({ level: 'warn' }, capture),
      });
      await started.stop();
      expect(lines.join('')).to.contain('demo log-ins').and.to.contain('refused in production');
    });
  });
});
