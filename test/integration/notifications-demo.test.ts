// The demo district shows every state of mail and notifications after `npm start`: a member whose
// pledge standing is overdue, a membership expiring within 30 days with its notification, read
// and unread notifications for creators, queue notifications for the district office, and
// today's digest in the outbox. Seeding again adds nothing.
import { expect } from 'chai';
import { MailModel } from '../../src/features/mail/model.js';
import { NotificationModel } from '../../src/features/notifications/model.js';
import { UserModel } from '../../src/features/users/model.js';
import { seedDemoDistrict } from '../../seeds/demo.js';
import { type TestApp, page, signIn, startTestApp } from '../support/app.js';
import { resetDatabase } from '../support/database.js';
import { demoPassword } from '../../seeds/district.js';

describe('notifications: demo data', function () {
  this.timeout(120_000);
  let portal: TestApp;
  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
    await resetDatabase();
    await seedDemoDistrict();
  });
  after(async function () {
    await portal.stop();
  });

  const signedIn = async (email: string) => {
    const agent = portal.agent();
    expect((await signIn(agent, email, demoPassword)).status).to.equal(303);
    return agent;
  };
  const idOf = async (email: string) => (await UserModel.findOne({ email }))!._id;

  it('shows the district officer an overdue member, waiting queue items and today’s digest', async function () {
    const office = await signedIn('office@lighthouse.example');
    const members = page(await office.get('/office/applications?status=approved'));
    expect(members('.standing-overdue').closest('tr').find('td').first().text()).to.equal('坪山夜读');
    expect(members('.standing-renewal_due').closest('tr').find('td').first().text()).to.equal('IN坪山');

    const $ = page(await office.get('/office/notifications'));
    const unread = $('.notification.unread .notification-title a')
      .map((_i, link) => $(link).attr('href'))
      .get();
    expect(unread).to.include.members(['/office/ownership', '/office/figures', '/office/conflicts']);
    expect(unread.filter((href) => href.startsWith('/office/applications/'))).to.have.length(2);
    expect($('.notification:not(.unread)').length).to.be.greaterThan(0);

    const digest = await MailModel.findOne({ template: 'officerDigest', to: 'office@lighthouse.example' });
    expect(digest?.subject).to.match(/^Lighthouse: \d+ item\(s\) waiting in your queues$/);
    expect(digest?.text).to.contain('Alliance applications: 2').and.to.contain('Conflicting claims: 1');
  });

  it('gives creators read and unread notifications, and the expiring member their notice', async function () {
    const expiring = await NotificationModel.find({ kind: 'membership.expiring' });
    expect(expiring.map((n) => String(n.person))).to.deep.equal([
      String(await idOf('inpingshan@lighthouse.example')),
    ]);
    const creator = await signedIn('inpingshan@lighthouse.example');
    const $ = page(await creator.get('/me/notifications'));
    expect($('.notification.unread .notification-title').text()).to.contain('Your membership expires on');
    expect($('.notification:not(.unread) .notification-title').text()).to.contain(
      'Welcome to the Lighthouse alliance',
    );
  });

  it('adds nothing when seeded again', async function () {
    const [notifications, mails] = [
      await NotificationModel.countDocuments(),
      await MailModel.countDocuments(),
    ];
    await seedDemoDistrict();
    expect(await NotificationModel.countDocuments()).to.equal(notifications);
    expect(await MailModel.countDocuments()).to.equal(mails);
  });
});
