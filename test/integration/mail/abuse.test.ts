// Mail links and mails under abuse: per-IP limits on the mail-link forms (forgotten password,
// "send again"), a line break in a notification's parameters kept out of the mail's headers,
// the forgotten-password answer taking the same time whether or not the address has an account,
// and the outbox closed (404) in production.
import { expect } from 'chai';
import { notify } from '../../../src/features/notifications/service.js';
import {
  type TestApp,
  createTestUser,
  csrfFrom,
  page,
  postForm,
  productionMailEnv,
  signIn,
  startTestApp,
  testPassword,
} from '../../support/app.js';
import { useMailPortal } from '../../support/mailPortal.js';
import { secureBrowser } from '../../support/secureBrowser.js';
import { sleep } from '../../support/wait.js';

describe('mail links and mails under abuse', function () {
  this.timeout(120_000);

  describe('per-IP limits on the mail-link forms', function () {
    const mail = useMailPortal({ DEFAULT_LANGUAGE: 'en', REGISTER_RATE_LIMIT: '2' });

    it('refuses a flood of "forgot password" from one address, whatever the emails, and mails nothing more', async function () {
      for (const email of ['a@example.org', 'b@example.org', 'c@example.org'])
        await createTestUser({ email });
      const answers: number[] = [];
      for (const email of ['a@example.org', 'b@example.org', 'c@example.org']) {
        answers.push((await postForm(mail.portal.agent(), '/password/forgot', { email })).status);
      }
      expect(answers).to.deep.equal([200, 200, 429]);
      await mail.smtp.waitFor((m) => m.to.includes('b@example.org'));
      await sleep(600);
      expect(mail.smtp.received.map((m) => m.to[0]).sort()).to.deep.equal(['a@example.org', 'b@example.org']);
    });

    it('refuses "send again" from one address across accounts', async function () {
      await createTestUser({ email: 'one@example.org', emailVerified: false });
      await createTestUser({ email: 'two@example.org', emailVerified: false });
      const one = mail.portal.agent();
      await signIn(one, 'one@example.org');
      const two = mail.portal.agent();
      await signIn(two, 'two@example.org');
      expect((await postForm(one, '/account/email', {}, '/account/verify/resend')).status).to.equal(303);
      expect((await postForm(one, '/account/email', {}, '/account/verify/resend')).status).to.equal(303);
      const refused = await postForm(two, '/account/email', {}, '/account/verify/resend');
      expect(refused.status).to.equal(429);
      expect(page(refused)('main').text()).to.not.contain('two@example.org');
      await sleep(800);
      expect(mail.smtp.received.filter((m) => m.to.includes('two@example.org'))).to.have.length(0);
    });
  });

  describe('headers and timing', function () {
    const mail = useMailPortal({ DEFAULT_LANGUAGE: 'en', REGISTER_RATE_LIMIT: '1000' });

    it('keeps a line break in a subject parameter out of the headers (no smuggled Bcc)', async function () {
      const user = await createTestUser({ email: 'mei@example.org', displayName: 'Mei\nBcc: x@example.org' });
      await notify(
        user.id,
        'ownership.verified',
        { type: 'account', id: 'a1' },
        { account: 'pingshan\r\nBcc: thief@example.org\r\nX-Evil: 1', platform: 'bilibili' },
        'inject:1',
      );
      const sent = await mail.smtp.waitFor(() => true);
      expect(sent.to).to.deep.equal(['mei@example.org']);
      expect(sent.headers.has('bcc')).to.equal(false);
      expect(sent.headers.has('x-evil')).to.equal(false);
      expect(sent.subject).to.equal(
        'Lighthouse: Your Bilibili account pingshan Bcc: thief@example.org X-Evil: 1 is verified',
      );
    });

    it('answers "forgot password" as fast for an address with an account as for one without', async function () {
      await createTestUser({ email: 'known@example.org' });
      const agent = mail.portal.agent();
      const csrf = csrfFrom((await agent.get('/password/forgot')).text);
      const timed = async (email: string): Promise<number> => {
        const started = process.hrtime.bigint();
        const res = await agent.post('/password/forgot').type('form').send({ _csrf: csrf, email });
        expect(res.status).to.equal(200);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 9; i++) {
        // Alternating, so that a busy moment of the machine falls on both.
        known.push(await timed('known@example.org'));
        unknown.push(await timed(`nobody${i}@example.org`));
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
      // The lookup, the token and the mail happen after the answer: the difference is noise. A
      // handler that awaited them would add several database round trips and an argon-free but
      // real token write; the bound is generous because the test machine is shared.
      const difference = Math.abs(median(known) - median(unknown));
      expect(difference, `known ${median(known)} ms, unknown ${median(unknown)} ms`).to.be.below(
        Math.max(100, median(unknown)),
      );
    });
  });

  describe('the outbox in production', function () {
    let portal: TestApp;
    before(async function () {
      portal = await startTestApp({
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        TRUST_PROXY_HOPS: '1',
        DEFAULT_LANGUAGE: 'en',
        ...productionMailEnv,
      });
    });
    after(async function () {
      await portal?.stop();
    });

    it('answers 404 to a signed-in admin', async function () {
      await createTestUser({ email: 'admin@example.org', role: 'admin' });
      const browser = secureBrowser(portal.url);
      const form = await browser.get('/login');
      const signedIn = await browser.post('/login', {
        _csrf: csrfFrom(form.text),
        email: 'admin@example.org',
        password: testPassword,
      });
      expect(signedIn.status).to.equal(303);
      expect((await browser.get('/admin/officers')).status, 'signed in as an admin').to.equal(200);
      expect((await browser.get('/admin/outbox')).status).to.equal(404);
      expect((await browser.get('/admin/outbox/5f0000000000000000000001/html')).status).to.equal(404);
    });
  });
});
