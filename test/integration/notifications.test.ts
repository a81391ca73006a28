// Notifications over real HTTP and a real SMTP server: every decision kind reaches the person in
// the portal and by mail in their language, mail settings per kind, the unread count and
// mark-as-read, and an admin's decision about an officer (the officers' queues and daily digest:
// notifications-queues.test.ts).
import { expect } from 'chai';
import type { TFunction } from 'i18next';
import type { Language } from '../../src/config.js';
import { notificationKinds, type NotificationKind } from '../../src/features/notifications/catalogue.js';
import { NotificationModel } from '../../src/features/notifications/model.js';
import { notify } from '../../src/features/notifications/service.js';
import { UserModel } from '../../src/features/users/model.js';
import { createI18n } from '../../src/i18n/index.js';
import { type Agent, type TestApp, createTestUser, page, postForm, signIn } from '../support/app.js';
import { useMailPortal } from '../support/mailPortal.js';
import type { TestSmtpServer } from '../support/smtp.js';
import { sleep } from '../support/wait.js';

/** Parameters that fill every kind's message. */
const params = {
  account: '坪山之眼',
  platform: 'bilibili',
  reason: 'R-1',
  outcome: 'kept',
  number: 'LH-2026-0042',
  question: 'Q-1',
  date: '2027-01-01',
  version: 3,
  name: '坪山同镇',
  scope: 'kengzi',
};

const creatorKinds = (Object.keys(notificationKinds) as NotificationKind[]).filter(
  (kind) => notificationKinds[kind].audience === 'creator',
);

describe('notifications', function () {
  this.timeout(60_000);
  const mail = useMailPortal({ DEFAULT_LANGUAGE: 'en' });
  let smtp: TestSmtpServer;
  let portal: TestApp;
  let translate: (language: Language) => TFunction;

  before(async function () {
    ({ smtp, portal } = mail);
    const i18n = await createI18n('en');
    translate = (language) => i18n.getFixedT(language);
  });

  async function creatorIn(language: Language, email = 'mei@example.org') {
    const user = await createTestUser({ email, displayName: 'Mei' });
    await UserModel.updateOne({ _id: user._id }, { $set: { language } });
    return user;
  }

  it('tells a creator about every decision, in the portal and by mail, in their language', async function () {
    const creator = await creatorIn('zh-TW');
    const zhTW = translate('zh-TW');
    for (const kind of creatorKinds) {
      await notify(creator.id, kind, { type: 'account', id: 'a1' }, params, `decision:${kind}`);
    }
    // The platform is stored as its key and read as its name in the recipient's language.
    const shown = { ...params, platform: '嗶哩嗶哩' };
    for (const kind of creatorKinds) {
      const title = zhTW(`notifications.kinds.${kind}.title`, shown);
      expect(title, kind).not.to.contain('notifications.kinds').and.not.to.contain('{{');
      const mail = await smtp.waitFor((m) => m.subject === `燈塔：${title}`);
      expect(mail.to).to.deep.equal(['mei@example.org']);
      expect(mail.text)
        .to.contain('Mei，您好')
        .and.to.contain(zhTW(`notifications.kinds.${kind}.body`, shown));
      expect(mail.text).to.contain('/me/notifications/settings');
      expect(`${mail.subject} ${mail.text}`, kind).not.to.contain('bilibili');
    }
    const verified = await smtp.waitFor((m) => m.subject.includes('已通過認證'));
    expect(verified.subject).to.equal('燈塔：您的嗶哩嗶哩帳號 坪山之眼 已通過認證');
    expect(smtp.received).to.have.length(creatorKinds.length);

    // The list reads in the viewer's language (the page's), newest first, all unread.
    const agent = portal.agent();
    await signIn(agent, 'mei@example.org');
    const res = await agent.get('/me/notifications').set('Cookie', 'lang=en');
    const $ = page(res);
    expect($('.notification.unread')).to.have.length(creatorKinds.length);
    expect($('.notification-title a').first().text()).to.equal('Please sign the new pledge (version 3)');
    expect($('.notification-title a').first().attr('href')).to.equal('/me/alliance/pledge');
    expect($('.notification-title a').text()).to.contain('Welcome to the Lighthouse alliance');
    expect($('.notification-title a').text()).to.contain('Your membership expires on 2027-01-01');
  });

  it('shows the unread count in the navigation and marks notifications read (POST with CSRF)', async function () {
    const creator = await creatorIn('en');
    const other = await creatorIn('en', 'other@example.org');
    const first = await notify(
      creator.id,
      'application.approved',
      { type: 'membership', id: 'm1' },
      params,
      'd1',
    );
    await notify(creator.id, 'pledge.newVersion', { type: 'pledge', id: '3' }, params, 'pledge:3');
    const foreign = await notify(
      other.id,
      'pledge.newVersion',
      { type: 'pledge', id: '3' },
      params,
      'pledge:3',
    );
    const agent: Agent = portal.agent();
    await signIn(agent, 'mei@example.org');
    const home = page(await agent.get('/me').set('Cookie', 'lang=en'));
    expect(home('nav a[href="/me/notifications"]').text()).to.equal('Notifications (2 new)');

    // Without the CSRF token: refused, nothing changes.
    const forged = await agent.post(`/me/notifications/${first!.id}/read`).type('form').send({});
    expect(forged.status).to.equal(403);
    expect((await NotificationModel.findById(first!.id))?.readAt).to.equal(undefined);

    const res = await postForm(agent, '/me/notifications', {}, `/me/notifications/${first!.id}/read`);
    expect(res.status).to.equal(303);
    expect((await NotificationModel.findById(first!.id))?.readAt).to.be.instanceOf(Date);
    const after = page(await agent.get('/me/notifications').set('Cookie', 'lang=en'));
    expect(after('nav a[href="/me/notifications"]').text()).to.equal('Notifications (1 new)');
    expect(after(`#notification-${first!.id}`).hasClass('unread')).to.equal(false);

    // Someone else's notification reads like an unknown one and stays unread.
    await postForm(agent, '/me/notifications', {}, `/me/notifications/${foreign!.id}/read`);
    expect((await NotificationModel.findById(foreign!.id))?.readAt).to.equal(undefined);
    const flashed = page(await agent.get('/me/notifications').set('Cookie', 'lang=en'));
    expect(flashed('.flash').text()).to.contain('That notification does not exist.');

    await postForm(agent, '/me/notifications', {}, '/me/notifications/read-all');
    const none = page(await agent.get('/me').set('Cookie', 'lang=en'));
    expect(none('nav a[href="/me/notifications"]').text()).to.equal('Notifications');
  });

  it('sends mail only for the kinds the person keeps switched on', async function () {
    const creator = await creatorIn('en');
    const agent = portal.agent();
    await signIn(agent, 'mei@example.org');
    const form = page(await agent.get('/me/notifications/settings'));
    expect(form('input[name=mail]:checked')).to.have.length(creatorKinds.length);
    const keep = creatorKinds.filter((kind) => kind !== 'application.rejected');
    const res = await postForm(agent, '/me/notifications/settings', {}, '/me/notifications/settings');
    expect(res.status).to.equal(303); // nothing ticked: every mail off
    const saved = await agent
      .post('/me/notifications/settings')
      .type('form')
      .send(
        `_csrf=${encodeURIComponent(page(await agent.get('/me/notifications/settings'))('input[name=_csrf]').val() as string)}&` +
          keep.map((kind) => `mail=${encodeURIComponent(kind)}`).join('&'),
      );
    expect(saved.status).to.equal(303);
    const shown = page(await agent.get('/me/notifications/settings'));
    expect(shown('#mail-application\\.rejected').is(':checked')).to.equal(false);
    expect(shown('#mail-application\\.approved').is(':checked')).to.equal(true);

    await notify(creator.id, 'application.rejected', { type: 'membership', id: 'm1' }, params, 'd1');
    await notify(creator.id, 'application.approved', { type: 'membership', id: 'm1' }, params, 'd2');
    await smtp.waitFor((m) => m.subject === 'Lighthouse: Welcome to the Lighthouse alliance');
    await sleep(600);
    expect(smtp.received.map((m) => m.subject)).to.deep.equal([
      'Lighthouse: Welcome to the Lighthouse alliance',
    ]);
    expect(await NotificationModel.countDocuments({ person: creator._id })).to.equal(2);
  });

  it('tells about one decision once, however often it is retried, and finishes a mail left half-way', async function () {
    const creator = await creatorIn('en');
    const other = await creatorIn('en', 'other@example.org');
    const approve = () =>
      notify(creator.id, 'application.approved', { type: 'membership', id: 'm1' }, params, 'membership:m1:3');
    const [first, second] = await Promise.all([approve(), approve()]);
    expect(second!.id).to.equal(first!.id);
    await approve();
    // The same key for someone else is their own decision.
    await notify(
      other.id,
      'application.approved',
      { type: 'membership', id: 'm2' },
      params,
      'membership:m1:3',
    );
    await smtp.waitFor((m) => m.to.includes('other@example.org'));
    await sleep(600);
    expect(smtp.received.map((m) => m.to[0]).sort()).to.deep.equal(['mei@example.org', 'other@example.org']);
    expect(await NotificationModel.countDocuments({ person: creator._id })).to.equal(1);

    // A process that stopped after storing the notification but before queuing its mail: the
    // retried decision queues the missing mail, once.
    await NotificationModel.create({
      person: creator._id,
      kind: 'application.rejected',
      target: { type: 'membership', id: 'm3' },
      params,
      key: 'membership:m3:2',
    });
    const retry = () =>
      notify(creator.id, 'application.rejected', { type: 'membership', id: 'm3' }, params, 'membership:m3:2');
    await retry();
    await retry();
    await smtp.waitFor((m) => m.subject === 'Lighthouse: Your alliance application was not approved');
    await sleep(600);
    expect(smtp.received).to.have.length(3);
    expect(await NotificationModel.countDocuments({ person: creator._id })).to.equal(2);
  });

  it('gives the form back for a setting that does not exist', async function () {
    await creatorIn('en');
    const agent = portal.agent();
    await signIn(agent, 'mei@example.org');
    const res = await postForm(agent, '/me/notifications/settings', { mail: 'mail.everything' });
    expect(res.status).to.equal(422);
    expect(page(res)('#error-mail').text()).to.not.equal('');
  });

  it('tells an officer, by mail in their language, that an admin changed their street scope', async function () {
    await createTestUser({ email: 'admin@example.org', role: 'admin' });
    const officer = await createTestUser({
      email: 'kz@example.org',
      role: 'officer',
      streetScope: 'pingshan',
      displayName: 'Lin',
    });
    await UserModel.updateOne({ _id: officer._id }, { $set: { language: 'zh-CN' } });
    const admin = portal.agent();
    await signIn(admin, 'admin@example.org');
    await postForm(
      admin,
      '/admin/officers',
      { streetScope: 'kengzi' },
      `/admin/officers/${officer.id}/scope`,
    );
    const mail = await smtp.waitFor((m) => m.to.includes('kz@example.org'));
    expect(mail.subject).to.equal('灯塔：您的街道范围现为：坑梓');
    const agent = portal.agent();
    await signIn(agent, 'kz@example.org');
    const list = page(await agent.get('/office/notifications').set('Cookie', 'lang=en'));
    expect(list('.notification-title a').text()).to.equal('Your street scope is now: Kengzi');
  });
});
