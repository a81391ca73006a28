// Sign-in, lock-out and sign-out over real HTTP, with the stored user as the source of truth.
import { expect } from 'chai';
import { LoginThrottleModel } from '../../src/features/auth/throttleModel.js';
import { UserModel } from '../../src/features/users/model.js';
import {
  type Agent,
  type TestApp,
  createTestUser,
  csrfFrom,
  postForm,
  sessionIdOf,
  signIn,
  startTestApp,
  testPassword,
} from '../support/app.js';
import { resetDatabase } from '../support/database.js';

describe('sign in and sign out', function () {
  let portal: TestApp;
  let agent: Agent;
  const email = 'creator@example.org';

  before(async function () {
    portal = await startTestApp({
      DEFAULT_LANGUAGE: 'en',
      LOGIN_MAX_FAILURES: '3',
      LOGIN_LOCK_MINUTES: '15',
    });
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(async function () {
    await resetDatabase();
    await createTestUser({ email, displayName: '坪山之眼' });
    agent = portal.agent();
  });

  it('signs in with the right password and lands on the role home page', async function () {
    const res = await signIn(agent, 'Creator@Example.org');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/me');
    const page = await agent.get('/me');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Welcome, 坪山之眼.');
    const stored = await UserModel.findOne({ email }).lean();
    expect(stored!.lastLoginAt).to.be.instanceOf(Date);
    expect(await LoginThrottleModel.countDocuments({ _id: email }), 'a success clears the count').to.equal(0);
  });

  it('gives a new session id at sign-in (no session fixation)', async function () {
    // A visitor's session (here the one that carries "you are signed out") must not survive sign-in.
    expect((await signIn(agent, email)).status).to.equal(303);
    const signedOut = await postForm(agent, '/me', {}, '/logout');
    const before = sessionIdOf(signedOut);
    expect(before, 'the sign-out message is kept in a visitor session').to.be.a('string');
    const res = await signIn(agent, email);
    expect(res.status).to.equal(303);
    const after = sessionIdOf(res);
    expect(after).to.be.a('string');
    expect(after).not.to.equal(before);
    const expires = Date.parse(/Expires=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1] ?? '');
    expect(expires - Date.now(), 'a signed-in session lasts two weeks').to.be.greaterThan(
      13 * 24 * 60 * 60_000,
    );
  });

  it('returns to the page that asked for sign-in, but never to another site', async function () {
    const guarded = await agent.get('/me');
    expect(guarded.status).to.equal(303);
    expect(guarded.headers.location).to.equal('/login?next=%2Fme');
    const back = await postForm(
      agent,
      '/login?next=%2Fme',
      { email, password: testPassword, next: '/me' },
      '/login',
    );
    expect(back.headers.location).to.equal('/me');
    const other = portal.agent();
    const offsite = await postForm(other, '/login', {
      email,
      password: testPassword,
      next: '//evil.example/',
    });
    expect(offsite.headers.location).to.equal('/me');
  });

  it('refuses a wrong password with the form, the email kept, and counts the failure', async function () {
    const res = await signIn(agent, email, 'wrong-password-1');
    expect(res.status).to.equal(401);
    expect(res.text).to.contain('That email and password do not match an account.');
    expect(res.text).to.contain(`value="${email}"`);
    expect(res.text).not.to.contain('wrong-password-1');
    expect((await LoginThrottleModel.findById(email).lean())!.attempts).to.equal(1);
    expect((await agent.get('/me')).status).to.equal(303);
  });

  it('gives an unknown email the same answer as a wrong password', async function () {
    const res = await signIn(agent, 'nobody@example.org', 'wrong-password-1');
    expect(res.status).to.equal(401);
    expect(res.text).to.contain('That email and password do not match an account.');
  });

  it('locks the account after repeated failures, says until when, and refuses even the right password', async function () {
    await signIn(agent, email, 'wrong-password-1');
    await signIn(agent, email, 'wrong-password-2');
    const third = await signIn(agent, email, 'wrong-password-3');
    expect(third.status).to.equal(423);
    expect(third.text).to.match(/locked for 1[45] more minute/);
    const stored = await LoginThrottleModel.findById(email).lean();
    expect(stored!.lockedUntil!.getTime()).to.be.greaterThan(Date.now() + 14 * 60_000);
    const right = await signIn(agent, email);
    expect(right.status).to.equal(423);
    expect((await agent.get('/me')).status).to.equal(303);
  });

  it('lets the person in again once the lock has expired', async function () {
    for (let i = 0; i < 3; i++) await signIn(agent, email, 'wrong-password-1');
    expect((await signIn(agent, email)).status, 'locked').to.equal(423);
    await LoginThrottleModel.updateOne(
      { _id: email },
      { $set: { lockedUntil: new Date(Date.now() - 1000) } },
    );
    const res = await signIn(agent, email);
    expect(res.status).to.equal(303);
    expect(await LoginThrottleModel.countDocuments({ _id: email })).to.equal(0);
  });

  it('answers bad sign-in input with the form and a message per field', async function () {
    const page = await agent.get('/login');
    const token = encodeURIComponent(csrfFrom(page.text));
    const res = await agent
      .post('/login')
      .type('form')
      .send(`_csrf=${token}&email%5B%24ne%5D=x&password%5B%24ne%5D=x`);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('id="error-email"');
    expect(res.text).to.contain('id="error-password"');
    const long = await postForm(agent, '/login', {
      email: `${'a'.repeat(10_000)}@example.org`,
      password: 'x'.repeat(10_000),
    });
    expect(long.status).to.equal(422);
    expect(long.text).to.contain('This is too long.');
    expect(await LoginThrottleModel.countDocuments(), 'input refused before any attempt is counted').to.equal(
      0,
    );
  });

  it('checks no more than the allowed number of passwords when attempts arrive all at once', async function () {
    // Each client loads its own form first, then all post wrong passwords together.
    const clients = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const client = portal.agent();
        return { client, token: csrfFrom((await client.get('/login')).text) };
      }),
    );
    const results = await Promise.all(
      clients.map(({ client, token }, i) =>
        client
          .post('/login')
          .type('form')
          .send({ _csrf: token, email, password: `wrong-password-${i}` }),
      ),
    );
    const statuses = results.map((res) => res.status);
    expect(
      statuses.filter((status) => status === 401).length,
      'wrong passwords checked without locking',
    ).to.equal(2);
    expect(statuses.filter((status) => status === 423).length).to.equal(10);
    expect((await signIn(agent, email)).status, 'the right password, after the burst').to.equal(423);
  });

  it('answers an unknown email exactly like a known one, lock included', async function () {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await signIn(agent, 'nobody@example.org', 'wrong-password-1')).status);
    expect(statuses).to.deep.equal([401, 401, 423, 423]);
  });

  it('signs out with a POST carrying the CSRF token', async function () {
    await signIn(agent, email);
    const dashboard = await agent.get('/me');
    const refused = await agent.post('/logout').type('form').send({});
    expect(refused.status).to.equal(403);
    expect((await agent.get('/me')).status, 'still signed in after a forged sign-out').to.equal(200);
    const res = await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom(dashboard.text) });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/');
    const home = await agent.get('/');
    expect(home.text).to.contain('You are signed out.');
    expect((await agent.get('/me')).status).to.equal(303);
  });

  it('throttles repeated sign-in posts from one address', async function () {
    const limited = await startTestAppWithLimit();
    try {
      const client = limited.agent();
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await signIn(client, 'nobody@example.org', 'wrong-password-1')).status);
      expect(statuses).to.deep.equal([401, 401, 401, 429]);
    } finally {
      await limited.stop();
      portal = await startTestApp({
        DEFAULT_LANGUAGE: 'en',
        LOGIN_MAX_FAILURES: '3',
        LOGIN_LOCK_MINUTES: '15',
      });
    }
  });

  async function startTestAppWithLimit(): Promise<TestApp> {
    // mongoose's connection is process-wide: stop this file's app before starting another.
    await portal.stop();
    return startTestApp({ DEFAULT_LANGUAGE: 'en', AUTH_RATE_LIMIT: '3' });
  }
});
