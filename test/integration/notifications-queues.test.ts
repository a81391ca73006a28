// Officers' queues from real decisions, over HTTP and a real SMTP server: what lands in a review
// queue (an application, an ownership check, a manual figure, a conflict) becomes an in-app
// notification for the officers whose street scope shows it (and the district's officers and
// admins), never a mail per item; the daily digest mails each of them once a day what waits in
// their queues, counted as their office pages count it, in their language.
import { expect } from 'chai';
import { MailModel } from '../../src/features/mail/model.js';
import { digestJob, sendOfficerDigests } from '../../src/features/notifications/digest.js';
import { NotificationModel } from '../../src/features/notifications/model.js';
import { UserModel } from '../../src/features/users/model.js';
import { runJobNow } from '../../src/scheduler/index.js';
import { type Agent, type TestApp, page, postForm } from '../support/app.js';
import { useMailPortal } from '../support/mailPortal.js';
import type { TestSmtpServer } from '../support/smtp.js';
import { sleep } from '../support/wait.js';
import { pngPhoto } from '../unit/features/files/images.js';
import { application, eligibleCreator } from './features/alliance/helpers.js';
import { addAccountVia, postUpload, signedIn } from './features/registry/helpers.js';

describe('notifications: officers’ queues and the daily digest', function () {
  this.timeout(90_000);
  const mail = useMailPortal({ DEFAULT_LANGUAGE: 'en' });
  let smtp: TestSmtpServer;
  let portal: TestApp;
  let pingshan: Agent;
  let kengzi: Agent;
  let district: Agent;
  let admin: Agent;

  before(function () {
    ({ smtp, portal } = mail);
  });

  beforeEach(async function () {
    pingshan = await signedIn(portal, 'ps@office.example', 'officer', 'pingshan');
    kengzi = await signedIn(portal, 'kz@office.example', 'officer', 'kengzi');
    district = await signedIn(portal, 'district@office.example', 'officer', 'district');
    admin = await signedIn(portal, 'admin@office.example', 'admin');
    // The Pingshan officer reads in Traditional Chinese; the others in the portal's default (en).
    await UserModel.updateOne({ email: 'ps@office.example' }, { $set: { language: 'zh-TW' } });
  });

  const titles = async (agent: Agent): Promise<string[]> => {
    const $ = page(await agent.get('/office/notifications').set('Cookie', 'lang=en'));
    return $('.notification-title a')
      .map((_i, link) => $(link).text())
      .get();
  };

  it('puts a new application in the street’s officers’ notifications, not another street’s, with no mail', async function () {
    const creator = await eligibleCreator(portal, 'Pingshan Eye', 'pingshan');
    const res = await postForm(creator.agent, '/me/alliance', application, '/me/alliance/apply');
    expect(res.status).to.equal(303);

    expect(await titles(pingshan)).to.deep.equal(['New alliance application: Pingshan Eye']);
    expect(await titles(district)).to.deep.equal(['New alliance application: Pingshan Eye']);
    expect(await titles(admin)).to.deep.equal(['New alliance application: Pingshan Eye']);
    expect(await titles(kengzi)).to.deep.equal([]);
    const nav = page(await pingshan.get('/office').set('Cookie', 'lang=en'))(
      'nav a[href="/office/notifications"]',
    );
    expect(nav.text()).to.equal('Notifications (1 new)');
    const link = page(await pingshan.get('/office/notifications'))('.notification-title a').attr('href');
    expect(link).to.match(/^\/office\/applications\/[0-9a-f]{24}$/);
    expect((await pingshan.get(link!)).status).to.equal(200);

    // The same submit again changes nothing, and queue items are never mailed one by one.
    await postForm(creator.agent, '/me/alliance', application, '/me/alliance/apply');
    await sleep(800);
    expect(await NotificationModel.countDocuments({ kind: 'queue.application' })).to.equal(3);
    expect(smtp.received).to.have.length(0);
  });

  it('puts a creator’s answer to a request for more information back in the street’s queue', async function () {
    const creator = await eligibleCreator(portal, 'Pingshan Eye', 'pingshan');
    await postForm(creator.agent, '/me/alliance', application, '/me/alliance/apply');
    const link = page(await pingshan.get('/office/notifications'))('.notification-title a').attr('href')!;
    // Changing the application before anyone asked for more is not an answer: nobody is told.
    const edited = { ...application, motivation: 'Bilibili only.' };
    expect((await postForm(creator.agent, '/me/alliance', edited, '/me/alliance/apply')).status).to.equal(
      303,
    );
    expect(await NotificationModel.countDocuments({ kind: 'queue.answer' })).to.equal(0);

    const asked = await postForm(pingshan, link, { reason: 'Which accounts do you run?' }, `${link}/info`);
    expect(asked.status).to.equal(303);
    const answer = { ...application, motivation: 'Bilibili and Weibo.' };
    expect((await postForm(creator.agent, '/me/alliance', answer, '/me/alliance/apply')).status).to.equal(
      303,
    );

    const answered = 'Answer to review: Pingshan Eye';
    expect((await titles(district))[0]).to.equal(answered);
    expect((await titles(admin))[0]).to.equal(answered);
    expect(await titles(kengzi)).to.deep.equal([]);
    const $ = page(await pingshan.get('/office/notifications').set('Cookie', 'lang=zh-TW'));
    expect($('.notification.unread .notification-title a').first().text()).to.equal(
      '待複核的補充材料：Pingshan Eye',
    );
    expect($('.notification.unread .notification-title a').first().attr('href')).to.equal(link);
    // The creator was mailed the officer's question; the officers get no mail per item.
    await sleep(800);
    expect(smtp.received.flatMap((m) => m.to).filter((to) => to.endsWith('@office.example'))).to.deep.equal(
      [],
    );
  });

  it('puts ownership checks, manual figures and conflicts in the queues of the streets involved', async function () {
    const holder = await eligibleCreator(portal, 'Pingshan Eye', 'pingshan', { verified: false });
    const claimant = await eligibleCreator(portal, 'Kengzi Voice', 'kengzi');
    const id = (await addAccountVia(holder.agent, 'https://space.bilibili.com/546195')).toHexString();
    await postForm(holder.agent, `/me/accounts/${id}`, {}, `/me/accounts/${id}/check`);
    const figure = await postUpload(
      holder.agent,
      `/me/accounts/${id}`,
      `/me/accounts/${id}/figure`,
      'figureEvidence',
      await pngPhoto(),
      { count: '3.4萬' },
    );
    expect(figure.status).to.equal(303);
    // Kengzi Voice adds the same account: a conflict between the two streets.
    await postForm(claimant.agent, '/me/accounts', {
      profile: 'https://space.bilibili.com/546195',
      platform: '',
      displayName: '',
    });

    expect(await titles(pingshan)).to.have.members([
      'Ownership proof to review: 546195',
      'Figures to check: 546195',
      'Conflicting claims on 546195',
    ]);
    // Kengzi's officer sees the conflict (their creator is a party), not Pingshan's own items.
    expect(await titles(kengzi)).to.deep.equal(['Conflicting claims on 546195']);
    expect(await titles(district)).to.have.length(3);
    const links = page(await kengzi.get('/office/notifications'))('.notification-title a').attr('href');
    expect(links).to.equal('/office/conflicts');
    // The two creators hear about the conflict by mail; the officers only in their digest.
    await smtp.waitFor((m) => m.to.includes(claimant.email));
    await sleep(500);
    expect(smtp.received.flatMap((m) => m.to)).to.have.members([holder.email, claimant.email]);
  });

  it('tells the street’s officers about proof added to an ownership check already waiting', async function () {
    const holder = await eligibleCreator(portal, 'Pingshan Eye', 'pingshan', { verified: false });
    const id = (await addAccountVia(holder.agent, 'https://space.bilibili.com/546195')).toHexString();
    const addEvidence = async () =>
      postUpload(
        holder.agent,
        `/me/accounts/${id}`,
        `/me/accounts/${id}/evidence`,
        'evidence',
        await pngPhoto(),
      );
    // Proof added before the check is asked for is part of the request, not an item of its own.
    expect((await addEvidence()).status).to.equal(303);
    expect(await titles(pingshan)).to.deep.equal([]);
    await postForm(holder.agent, `/me/accounts/${id}`, {}, `/me/accounts/${id}/check`);
    expect(await titles(pingshan)).to.deep.equal(['Ownership proof to review: 546195']);
    // While the check waits, each new screenshot is news for its reviewers.
    expect((await addEvidence()).status).to.equal(303);
    const proof = ['Ownership proof to review: 546195', 'Ownership proof to review: 546195'];
    expect(await titles(pingshan)).to.deep.equal(proof);
    expect(await titles(district)).to.deep.equal(proof);
    expect(await titles(kengzi)).to.deep.equal([]);
  });

  it('mails each officer one digest of their waiting queues in their language, once a day', async function () {
    const applicant = await eligibleCreator(portal, 'Pingshan Eye', 'pingshan');
    await postForm(applicant.agent, '/me/alliance', application, '/me/alliance/apply');
    const id = (await addAccountVia(applicant.agent, 'https://space.bilibili.com/546195')).toHexString();
    await postForm(applicant.agent, `/me/accounts/${id}`, {}, `/me/accounts/${id}/check`);
    const claimant = await eligibleCreator(portal, 'Kengzi Voice', 'kengzi');
    await postForm(claimant.agent, '/me/accounts', {
      profile: 'https://space.bilibili.com/546195',
      platform: '',
      displayName: '',
    });
    // An officer of a street with nothing waiting gets no digest; one who switched it off neither.
    await signedIn(portal, 'ml@office.example', 'officer', 'maluan');
    const quiet = await signedIn(portal, 'quiet@office.example', 'officer', 'district');
    const settings = await postForm(quiet, '/office/notifications/settings', {});
    expect(settings.status).to.equal(303);

    await runJobNow(digestJob);
    const zhTW = await smtp.waitFor((m) => m.to.includes('ps@office.example'));
    expect(zhTW.subject).to.equal('燈塔：您的審核隊列中有 3 項待處理');
    expect(zhTW.text)
      .to.contain('您的審核隊列中共有 3 項待處理')
      .and.to.contain('- 入盟申請：1 項')
      .and.to.contain('- 歸屬證明：1 項')
      .and.to.contain('- 認領爭議：1 項')
      .and.to.contain('/office/applications\n');
    expect(zhTW.text).to.contain('自上次匯總以來新增').and.to.contain('新的入盟申請：Pingshan Eye');
    const kz = await smtp.waitFor((m) => m.to.includes('kz@office.example'));
    expect(kz.subject).to.equal('Lighthouse: 1 item(s) waiting in your queues');
    expect(kz.text).to.contain('- Conflicting claims: 1').and.not.to.contain('Alliance applications');
    const whole = await smtp.waitFor((m) => m.to.includes('district@office.example'));
    expect(whole.subject).to.equal('Lighthouse: 3 item(s) waiting in your queues');
    await smtp.waitFor((m) => m.to.includes('admin@office.example'));
    await sleep(800);
    const digests = () => smtp.received.filter((m) => m.to[0]?.endsWith('@office.example'));
    expect(digests().map((m) => m.to[0])).to.have.members([
      'ps@office.example',
      'kz@office.example',
      'district@office.example',
      'admin@office.example',
    ]);
    const queueKinds = ['queue.application', 'queue.ownership', 'queue.figure', 'queue.conflict'] as const;
    expect(await NotificationModel.countDocuments({ kind: { $in: queueKinds }, digestedAt: null })).to.equal(
      0,
    );

    // The same day again (the job run twice, or a restart): nothing is sent twice.
    await runJobNow(digestJob);
    expect(await sendOfficerDigests()).to.equal(0);
    await sleep(800);
    expect(digests()).to.have.length(4);
    expect(await MailModel.countDocuments({ template: 'officerDigest' })).to.equal(4);
  });
});
