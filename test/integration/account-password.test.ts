// Changing one's own password at /account/password, over real HTTP, with the stored hash as the
// source of truth.
import { expect } from 'chai';
import { UserModel } from '../../src/features/users/model.js';
import { sessionCookieName } from '../../src/http/session.js';
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

const email = 'writer@example.org';
const newPassword = 'new-lighthouse-2027';

async function storedHash(): Promise<string> {
  const user = await UserModel.findOne({ email }).lean();
  return user!.passwordHash;
}

describe('change password (/account/password)', function () {
  let portal: TestApp;
  let agent: Agent;
  let hashBefore: string;

  before(async function () {
    portal = await startTestApp();
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(async function () {
    await resetDatabase();
    await createTestUser({ email, displayName: '坪山印象' });
    hashBefore = await storedHash();
    agent = portal.agent();
  });

  it('sends anonymous visitors to sign in', async function () {
    const res = await agent.get('/account/password');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login?next=%2Faccount%2Fpassword');
  });

  it('shows the form to every role', async function () {
    for (const role of ['creator', 'officer', 'admin'] as const) {
      const other = portal.agent();
      await createTestUser({ email: `${role}@example.org`, role });
      expect((await signIn(other, `${role}@example.org`)).status).to.equal(303);
      const page = await other.get('/account/password');
      expect(page.status, role).to.equal(200);
      expect(page.text).to.contain('修改密码');
      expect(page.text).to.match(/name="currentPassword" type="password"/);
      expect(page.text).to.match(/name="newPassword" type="password"/);
      expect(page.text).to.match(/name="confirmPassword" type="password"/);
    }
  });

  it('changes the password, regenerates the session id and keeps the user signed in', async function () {
    const login = await signIn(agent, email);
    const sessionBefore = sessionIdOf(login);
    expect(sessionBefore).to.be.a('string');

    const res = await postForm(agent, '/account/password', {
      currentPassword: testPassword,
      newPassword,
      confirmPassword: newPassword,
    });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/account/password');
    const sessionAfter = sessionIdOf(res);
    expect(sessionAfter, 'a new session cookie').to.be.a('string');
    expect(sessionAfter).not.to.equal(sessionBefore);

    const page = await agent.get('/account/password');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('密码已修改。');
    expect(page.text).to.contain('已登录：坪山印象');

    // The session id from before the change no longer signs anyone in.
    const stale = await portal
      .agent()
      .get('/account/password')
      .set('Cookie', `${sessionCookieName}=${sessionBefore}`);
    expect(stale.status).to.equal(303);
    expect(stale.headers.location).to.match(/^\/login/);

    const stored = await UserModel.findOne({ email }).lean();
    expect(stored!.passwordHash).to.match(/^\$argon2id\$/);
    expect(stored!.passwordHash).not.to.equal(hashBefore);
    expect(stored!.passwordChangedAt).to.be.instanceOf(Date);

    expect((await signIn(portal.agent(), email, testPassword)).status, 'old password').to.equal(401);
    expect((await signIn(portal.agent(), email, newPassword)).status, 'new password').to.equal(303);
  });

  it('signs out every other session of the account (another browser, another device)', async function () {
    const other = portal.agent();
    expect((await signIn(other, email)).status).to.equal(303);
    expect((await signIn(agent, email)).status).to.equal(303);
    expect((await other.get('/me')).status, 'both signed in').to.equal(200);
    const res = await postForm(agent, '/account/password', {
      currentPassword: testPassword,
      newPassword,
      confirmPassword: newPassword,
    });
    expect(res.status).to.equal(303);
    expect((await agent.get('/me')).status, 'the browser that changed it stays in').to.equal(200);
    const kicked = await other.get('/me');
    expect(kicked.status, 'the other browser is signed out').to.equal(303);
    expect(kicked.headers.location).to.equal('/login?next=%2Fme');
  });

  it('refuses a wrong current password with a message on that field and keeps no password', async function () {
    await signIn(agent, email);
    const res = await postForm(agent, '/account/password', {
      currentPassword: 'wrong-password-1',
      newPassword,
      confirmPassword: newPassword,
    });
    expect(res.status).to.equal(422);
    expect(res.text).to.match(/id="error-currentPassword">当前密码不正确。</);
    expect(res.text).not.to.contain('wrong-password-1');
    expect(res.text).not.to.contain(newPassword);
    expect(await storedHash()).to.equal(hashBefore);
  });

  it('refuses a confirmation that does not match, a weak password and the account email as password', async function () {
    await signIn(agent, email);
    const cases: [Record<string, string>, string, string][] = [
      [
        { currentPassword: testPassword, newPassword, confirmPassword: `${newPassword}x` },
        'confirmPassword',
        '两次输入的新密码不一致。',
      ],
      [
        { currentPassword: testPassword, newPassword: 'short1', confirmPassword: 'short1' },
        'newPassword',
        '密码至少 10 个字符。',
      ],
      [
        { currentPassword: testPassword, newPassword: 'qwertyuiop1', confirmPassword: 'qwertyuiop1' },
        'newPassword',
        '这个密码太容易被猜到',
      ],
      [
        {
          currentPassword: testPassword,
          newPassword: 'lighthouse-demo-2026',
          confirmPassword: 'lighthouse-demo-2026',
        },
        'newPassword',
        '这个密码太容易被猜到',
      ],
      [
        {
          currentPassword: testPassword,
          newPassword: 'Writer@Example.org',
          confirmPassword: 'Writer@Example.org',
        },
        'newPassword',
        '这个密码太容易被猜到',
      ],
      [{ currentPassword: '', newPassword, confirmPassword: newPassword }, 'currentPassword', '请填写此项。'],
    ];
    for (const [fields, field, message] of cases) {
      const res = await postForm(agent, '/account/password', fields);
      expect(res.status, JSON.stringify(fields)).to.equal(422);
      expect(res.text).to.match(new RegExp(`id="error-${field}">${message}`));
    }
    expect(await storedHash()).to.equal(hashBefore);
  });

  it('answers bad input with the form, never a 500: too long, wrongly typed, missing fields', async function () {
    await signIn(agent, email);
    const long = 'a1'.repeat(5000);
    const tooLong = await postForm(agent, '/account/password', {
      currentPassword: long,
      newPassword: long,
      confirmPassword: long,
    });
    expect(tooLong.status).to.equal(422);
    expect(tooLong.text).to.match(/id="error-currentPassword">内容过长。/);
    expect(tooLong.text).to.match(/id="error-newPassword">内容过长。/);

    const page = await agent.get('/account/password');
    const typed = await agent
      .post('/account/password')
      .type('form')
      .send(
        `_csrf=${encodeURIComponent(csrfFrom(page.text))}&currentPassword[$ne]=x&newPassword[]=a&confirmPassword=`,
      );
    expect(typed.status).to.equal(422);
    expect(typed.text).to.match(/id="error-currentPassword">请填写此项。/);
    expect(typed.text).to.match(/id="error-newPassword">请填写此项。/);
    expect(await storedHash()).to.equal(hashBefore);
  });

  it('refuses a missing or forged CSRF token with 403 and changes nothing', async function () {
    await signIn(agent, email);
    const fields = { currentPassword: testPassword, newPassword, confirmPassword: newPassword };
    const missing = await agent.post('/account/password').type('form').send(fields);
    expect(missing.status).to.equal(403);
    const forged = await agent
      .post('/account/password')
      .type('form')
      .send({ ...fields, _csrf: 'forged-token' });
    expect(forged.status).to.equal(403);
    expect(await storedHash()).to.equal(hashBefore);
  });
});

describe('change password rate limit', function () {
  let portal: TestApp;

  before(async function () {
    portal = await startTestApp({ AUTH_RATE_LIMIT: '3' });
    await createTestUser({ email });
  });
  after(async function () {
    await portal.stop();
  });

  it('answers 429 once an address has posted too often, and showing the form stays free', async function () {
    const agent = portal.agent();
    expect((await signIn(agent, email)).status).to.equal(303);
    const wrong = { currentPassword: 'wrong-password-1', newPassword, confirmPassword: newPassword };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await postForm(agent, '/account/password', wrong)).status).to.equal(422);
    }
    const limited = await postForm(agent, '/account/password', {
      currentPassword: testPassword,
      newPassword,
      confirmPassword: newPassword,
    });
    expect(limited.status).to.equal(429);
    expect((await agent.get('/account/password')).status).to.equal(200);
    const stored = await UserModel.findOne({ email }).lean();
    expect(stored!.passwordChangedAt).to.equal(undefined);
  });
});
