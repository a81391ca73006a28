// Mail delivery against a real SMTP server on loopback: rendered in the recipient's language as
// text and HTML, idempotent per message, retried with backoff while the server is down or
// refuses, never answers or drops the connection mid-message, and delivered exactly once after an
// outage and a restart of the portal.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { MailModel } from '../../../src/features/mail/model.js';
import { queueMail } from '../../../src/features/mail/service.js';
import { type TestApp, createTestUser, page, postForm, signIn, startTestApp } from '../../support/app.js';
import { type TestDatabase, resetDatabase, startTestDatabase } from '../../support/database.js';
import { useMailPortal } from '../../support/mailPortal.js';
import { type TestSmtpServer, startSmtpServer } from '../../support/smtp.js';
import { sleep, until } from '../../support/wait.js';

const fastQueue = { SCHEDULER_POLL_MS: '100', MAIL_RETRY_SECONDS: '0.2' };

const reset = (key: string, language: 'en' | 'zh-CN' | 'zh-TW' = 'en', toName = 'Mei') =>
  queueMail({
    key,
    to: 'mei@example.org',
    toName,
    language,
    template: 'passwordReset',
    params: { link: 'http://127.0.0.1/password/reset/abc', minutes: 30 },
  });

describe('mail delivery', function () {
  this.timeout(60_000);

  describe('through an SMTP server', function () {
    const mail = useMailPortal({ ...fastQueue, MAIL_FROM: 'Lighthouse <no-reply@lighthouse.test>' });
    let smtp: TestSmtpServer;

    before(function () {
      smtp = mail.smtp;
    });

    it('sends text and HTML in the recipient language, from MAIL_FROM, and records it as delivered', async function () {
      const queued = await reset('reset:1', 'zh-TW');
      const mail = await smtp.waitFor((m) => m.to.includes('mei@example.org'));
      expect(mail.subject).to.equal('設定新的燈塔密碼');
      expect(mail.from).to.contain('no-reply@lighthouse.test');
      expect(mail.text).to.contain('Mei，您好');
      expect(mail.text).to.contain('30 分鐘後失效');
      expect(mail.html).to.contain('<a href="http://127.0.0.1/password/reset/abc">設定新密碼</a>');
      expect(mail.messageId).to.equal(`<${queued.id}@lighthouse.test>`);
      await until(async () => (await MailModel.findById(queued.id))?.status === 'sent');
      expect(await MailModel.findById(queued.id)).to.include({ via: 'smtp', attempts: 1 });
    });

    it('queues one mail per key however often it is asked for, and sends it once', async function () {
      await Promise.all([reset('reset:same'), reset('reset:same'), reset('reset:same')]);
      await smtp.waitFor(() => true);
      await sleep(800);
      expect(smtp.received).to.have.length(1);
      expect(await MailModel.countDocuments()).to.equal(1);
    });

    it('keeps a line break in a name out of the headers (no smuggled Bcc)', async function () {
      await reset('reset:inject', 'en', 'Mei\r\nBcc: thief@example.org');
      const mail = await smtp.waitFor(() => true);
      expect(mail.to).to.deep.equal(['mei@example.org']);
      expect(mail.headers.has('bcc')).to.equal(false);
      expect(mail.subject).to.equal('Choose a new Lighthouse password');
    });

    it('retries a temporary refusal with backoff and delivers once the server accepts', async function () {
      smtp.refuseWith = { code: 451, message: 'try again later' };
      const queued = await reset('reset:refused');
      await until(async () => ((await MailModel.findById(queued.id))?.attempts ?? 0) >= 2);
      const waiting = await MailModel.findById(queued.id);
      expect(waiting?.status).to.equal('queued');
      expect(waiting?.lastError).to.contain('try again later');
      smtp.refuseWith = undefined;
      await smtp.waitFor(() => true);
      await until(async () => (await MailModel.findById(queued.id))?.status === 'sent');
      await sleep(600);
      expect(smtp.received).to.have.length(1);
    });
  });

  describe('an SMTP server that refuses, never answers or drops the connection', function () {
    // Short timeouts, so that a silent server costs a test a second, not the default ten.
    const mail = useMailPortal({
      ...fastQueue,
      DEFAULT_LANGUAGE: 'en',
      SMTP_CONNECTION_TIMEOUT_MS: '1000',
      SMTP_GREETING_TIMEOUT_MS: '600',
      SMTP_SOCKET_TIMEOUT_MS: '800',
    });

    const misbehaviours: { name: string; start(smtp: TestSmtpServer): void; error: RegExp }[] = [
      {
        name: 'refuses every message (554)',
        start: (smtp) => (smtp.refuseWith = { code: 554, message: 'transaction failed' }),
        error: /554.*transaction failed/,
      },
      {
        name: 'accepts the connection and never answers',
        start: (smtp) => (smtp.fault = 'silent'),
        error: /greeting/i,
      },
      {
        name: 'falls silent in the middle of the message',
        start: (smtp) => (smtp.fault = 'hangInData'),
        error: /timeout/i,
      },
      {
        name: 'drops the connection in the middle of the message',
        start: (smtp) => (smtp.fault = 'dropInData'),
        error: /connection closed|ECONNRESET|socket/i,
      },
    ];

    for (const misbehaviour of misbehaviours) {
      it(`keeps the mail queued while the server ${misbehaviour.name}, retries with backoff, and delivers it once`, async function () {
        const { smtp, portal } = mail;
        await createTestUser({ email: 'mei@example.org' });
        misbehaviour.start(smtp);
        // The person who asked for the mail gets the usual answer at once.
        const res = await postForm(portal.agent(), '/password/forgot', { email: 'mei@example.org' });
        expect(res.status).to.equal(200);
        expect(page(res)('main').text()).to.contain('expires in 30 minutes');

        await until(
          async () => ((await MailModel.findOne({ to: 'mei@example.org' }))?.attempts ?? 0) >= 3,
          20_000,
        );
        const waiting = await MailModel.findOne({ to: 'mei@example.org' });
        expect(waiting?.status).to.equal('queued');
        expect(waiting?.lastError).to.match(misbehaviour.error);
        expect(smtp.received).to.have.length(0);
        expect(smtp.connections).to.be.at.least(3);
        // The delivery job counts its failures: each retry waits twice as long as the last (jobs.ts).
        const job = await mongoose.connection
          .collection('jobs')
          .findOne({ name: 'mail.send', 'data.mailId': waiting!.id });
        expect(job?.failCount).to.be.at.least(2);

        smtp.refuseWith = undefined;
        smtp.fault = undefined;
        const delivered = await smtp.waitFor((m) => m.to.includes('mei@example.org'), 30_000);
        expect(delivered.subject).to.equal('Choose a new Lighthouse password');
        await until(async () => (await MailModel.findById(waiting!.id))?.status === 'sent');
        await sleep(1000);
        expect(smtp.received).to.have.length(1);
        expect(await MailModel.findById(waiting!.id)).to.include({ via: 'smtp' });
      });
    }
  });

  describe('an SMTP outage across a restart of the portal', function () {
    let smtp: TestSmtpServer;
    let db: TestDatabase;

    before(async function () {
      smtp = await startSmtpServer();
      db = await startTestDatabase();
    });
    after(async function () {
      await smtp.close();
      await db.stop();
    });

    it('keeps the mail while the server is down, and delivers it once after the portal starts again', async function () {
      const env = { ...fastQueue, SMTP_URL: smtp.url };
      await smtp.stop(); // every connection is now reset
      const first = await startTestApp(env, db);
      const queued = await reset('reset:outage');
      await until(async () => ((await MailModel.findById(queued.id))?.attempts ?? 0) >= 2);
      await first.stop(); // the portal stops while the mail waits for its next retry
      await smtp.restart();
      const second = await startTestApp(env, db);
      try {
        const mail = await smtp.waitFor((m) => m.to.includes('mei@example.org'), 20_000);
        expect(mail.subject).to.equal('Choose a new Lighthouse password');
        await sleep(800);
        expect(smtp.received).to.have.length(1);
        const stored = await MailModel.findById(queued.id);
        expect(stored?.status).to.equal('sent');
        expect(stored?.attempts).to.be.at.least(3);
      } finally {
        await second.stop();
      }
    });
  });

  describe('without an SMTP server (development)', function () {
    let portal: TestApp;

    before(async function () {
      portal = await startTestApp({ ...fastQueue, DEFAULT_LANGUAGE: 'en' });
    });
    after(async function () {
      await portal.stop();
    });
    beforeEach(resetDatabase);

    it('keeps every mail in the outbox, which admins read with its text and HTML', async function () {
      const queued = await reset('reset:outbox', 'zh-CN');
      await until(async () => (await MailModel.findById(queued.id))?.status === 'sent');
      await createTestUser({ email: 'admin@example.org', role: 'admin' });
      const admin = portal.agent();
      await signIn(admin, 'admin@example.org');
      const res = await admin.get('/admin/outbox');
      expect(res.status).to.equal(200);
      const $ = page(res);
      const item = $(`#mail-${queued.id}`);
      expect(item.find('.outbox-subject').text()).to.equal('设置新的灯塔密码');
      expect(item.find('.outbox-to').text()).to.equal('Mei <mei@example.org>');
      expect(item.find('.outbox-status').text()).to.contain('outbox only');
      expect(item.find('.outbox-text').text()).to.contain('30 分钟后失效');
      expect(item.find('.outbox-html').text()).to.contain('<a href="http://127.0.0.1/password/reset/abc">');
      const html = await admin.get(`/admin/outbox/${queued.id}/html`);
      expect(html.headers['content-security-policy']).to.contain('sandbox');
      expect(html.text).to.contain('设置新密码');
    });

    it('is for admins only', async function () {
      await createTestUser({ email: 'officer@example.org', role: 'officer' });
      const officer = portal.agent();
      await signIn(officer, 'officer@example.org');
      expect((await officer.get('/admin/outbox')).status).to.equal(403);
      expect((await portal.agent().get('/admin/outbox')).status).to.equal(303);
    });
  });
});
