// Registration over real HTTP: a creator account is created, signed in, and stored with an
// argon2id hash; every kind of bad input gets the form back and writes nothing.
import { expect } from 'chai';
import { UserModel } from '../../src/features/users/model.js';
import {
  type Agent,
  type TestApp,
  createTestUser,
  csrfFrom,
  page,
  postForm,
  signIn,
  startTestApp,
} from '../support/app.js';
import { resetDatabase } from '../support/database.js';

const valid = {
  email: 'New.Creator@Example.org',
  displayName: '坪山新声',
  password: 'good-password-42',
  privacy: 'yes',
};

describe('registration', function () {
  let portal: TestApp;
  let agent: Agent;

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(async function () {
    await resetDatabase();
    agent = portal.agent();
  });

  it('creates an unverified creator and asks them to check their mail', async function () {
    const res = await postForm(agent, '/register', valid);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/register/sent');
    const stored = await UserModel.findOne({ email: 'new.creator@example.org' }).lean();
    expect(stored, 'stored with a normalised email').to.exist;
    expect(stored!.role).to.equal('creator');
    expect(stored!.passwordHash).to.match(/^\$argon2id\$/);
    expect(stored!.passwordHash).not.to.contain(valid.password);
    expect(stored!.privacyAcceptedAt).to.be.instanceOf(Date);
    expect(stored!.emailVerifiedAt).to.equal(undefined);
    expect(stored!.language).to.equal('en');
    const sent = await agent.get('/register/sent');
    expect(page(sent)('h1').text()).to.equal('Check your mail');
    // The account works before the address is confirmed.
    expect((await signIn(agent, valid.email, valid.password)).headers.location).to.equal('/me');
    const dashboard = await agent.get('/me');
    expect(dashboard.status).to.equal(200);
    expect(dashboard.text).to.contain('Signed in as 坪山新声');
  });

  it('answers an email that is already registered exactly as a fresh registration, and writes nothing', async function () {
    await createTestUser({ email: 'taken@example.org' });
    const res = await postForm(agent, '/register', { ...valid, email: 'TAKEN@Example.ORG' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/register/sent');
    expect(res.headers['set-cookie'] ?? []).to.deep.equal([]);
    expect(await UserModel.countDocuments()).to.equal(1);
  });

  const badInputs: [string, Record<string, string>, string, string][] = [
    [
      'an empty form',
      { email: '', displayName: '', password: '', privacy: '' },
      'email',
      'Please fill this in.',
    ],
    ['a 10 kB email', { ...valid, email: `${'a'.repeat(10_000)}@example.org` }, 'email', 'This is too long.'],
    [
      'a 10 kB display name',
      { ...valid, displayName: '灯'.repeat(10_000) },
      'displayName',
      'This is too long.',
    ],
    [
      'a display name of 31 emoji (62 UTF-16 units)',
      { ...valid, displayName: '😀'.repeat(31) },
      'displayName',
      'This is too long.',
    ],
    [
      'a display name with bidi controls',
      { ...valid, displayName: '坪山\u202Eevil' },
      'displayName',
      'Please use plain text',
    ],
    [
      'a malformed email',
      { ...valid, email: 'not-an-email' },
      'email',
      'Please enter a valid email address.',
    ],
    ['a short password', { ...valid, password: 'short1' }, 'password', 'Use at least 10 characters.'],
    ['a common password', { ...valid, password: 'password123' }, 'password', 'too easy to guess'],
    // The demo district's password is published in the README.
    ['the demo password', { ...valid, password: 'lighthouse-demo-2026' }, 'password', 'too easy to guess'],
    [
      'the email as password',
      { ...valid, email: 'river.lantern@example.org', password: 'River.Lantern@example.org' },
      'password',
      'too easy to guess',
    ],
    [
      'a script in the display name',
      { ...valid, displayName: '<script>alert(1)</script>' },
      'displayName',
      'Please use plain text',
    ],
    ['no privacy acceptance', { ...valid, privacy: '' }, 'privacy', 'Please accept the privacy notice'],
  ];
  for (const [name, fields, field, message] of badInputs) {
    it(`answers ${name} with the form, a message on ${field}, and no write`, async function () {
      const res = await postForm(agent, '/register', fields);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(`id="error-${field}"`);
      expect(res.text).to.contain(message);
      expect(res.text).not.to.contain('<script>alert(1)</script>');
      if (fields.password) expect(res.text).not.to.contain(`value="${fields.password}"`);
      expect(await UserModel.countDocuments()).to.equal(0);
    });
  }

  it('keeps the typed values (escaped) when the form comes back', async function () {
    const res = await postForm(agent, '/register', { ...valid, displayName: '<b>hi</b>', password: 'x' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain(
      'value="new.creator@example.org"'.replace('new.creator@example.org', valid.email),
    );
    expect(res.text).to.contain('value="&lt;b&gt;hi&lt;/b&gt;"');
  });

  it('treats operator-shaped and repeated fields as bad input, not as queries', async function () {
    const page = await agent.get('/register');
    const body = `_csrf=${encodeURIComponent(csrfFrom(page.text))}&email%5B%24ne%5D=x&email%5B%24gt%5D=&displayName=a&displayName=b&password=good-password-42&privacy=yes`;
    const res = await agent.post('/register').type('form').send(body);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('id="error-email"');
    expect(res.text).to.contain('id="error-displayName"');
    expect(await UserModel.countDocuments()).to.equal(0);
  });

  it('answers malformed UTF-8 with a message, not a 500', async function () {
    const page = await agent.get('/register');
    const body = `_csrf=${encodeURIComponent(csrfFrom(page.text))}&email=ok%40example.org&displayName=%E5%9D%AA%FF%FE&password=good-password-42&privacy=yes`;
    const res = await agent.post('/register').type('form').send(body);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('could not be read');
    expect(await UserModel.countDocuments()).to.equal(0);
  });

  it('refuses a missing or forged CSRF token with 403 and writes nothing', async function () {
    await agent.get('/register');
    const missing = await agent.post('/register').type('form').send(valid);
    expect(missing.status).to.equal(403);
    expect(missing.text).to.contain('This form has expired');
    const forged = await agent
      .post('/register')
      .type('form')
      .send({ ...valid, _csrf: 'forged-token' });
    expect(forged.status).to.equal(403);
    expect(await UserModel.countDocuments()).to.equal(0);
  });
});
