// "Your membership expires in 30 days": the daily job (registered through src/jobs.ts) tells each
// member whose renewal date is near, in the portal and by mail in their language, once per
// membership term however often it runs; a renewal starts a new term.
import { expect } from 'chai';
import { expiringJob } from '../../../../src/features/alliance/jobs.js';
import { notifyExpiringMemberships } from '../../../../src/features/alliance/expiring.js';
import { MembershipModel } from '../../../../src/features/alliance/membership.model.js';
import { NotificationModel } from '../../../../src/features/notifications/model.js';
import { ensureCreatorOfUser } from '../../../../src/features/registry/creatorService.js';
import { UserModel } from '../../../../src/features/users/model.js';
import { runJobNow } from '../../../../src/scheduler/index.js';
import { createTestUser, page, signIn } from '../../../support/app.js';
import { useMailPortal } from '../../../support/mailPortal.js';
import { sleep } from '../../../support/wait.js';

const dayMs = 24 * 60 * 60 * 1000;

describe('alliance: membership expiring in 30 days', function () {
  this.timeout(60_000);
  const mail = useMailPortal({ DEFAULT_LANGUAGE: 'en' });

  async function memberRenewingIn(days: number, email: string, language: 'zh-CN' | 'zh-TW' | 'en') {
    const user = await createTestUser({ email, displayName: email.split('@')[0] });
    await UserModel.updateOne({ _id: user._id }, { $set: { language } });
    const creator = await ensureCreatorOfUser({ id: user.id, displayName: user.displayName });
    const approvedAt = new Date(Date.now() - 300 * dayMs);
    return MembershipModel.create({
      creator: creator._id,
      status: 'approved',
      motivation: 'stories',
      appliedAt: approvedAt,
      approvedAt,
      renewalDate: new Date(Date.now() + days * dayMs),
      memberNumber: `LH-2026-${String(days).padStart(4, '0')}`,
    });
  }

  it('tells each member once per term, by mail in their language, however often the job runs', async function () {
    const soon = await memberRenewingIn(20, 'soon@example.org', 'zh-TW');
    await memberRenewingIn(45, 'later@example.org', 'en');
    await memberRenewingIn(-2, 'lapsed@example.org', 'en');

    await runJobNow(expiringJob); // as the scheduler runs it, registered through src/jobs.ts
    const sent = await mail.smtp.waitFor((m) => m.to.includes('soon@example.org'), 30_000);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(soon.renewalDate!);
    expect(sent.subject).to.equal(`燈塔：您的會員資格將於 ${day} 到期`);
    expect(sent.text).to.contain('/me/alliance');

    // Again, and twice at once (two instances, a restart): nothing new.
    await Promise.all([notifyExpiringMemberships(), notifyExpiringMemberships()]);
    await runJobNow(expiringJob);
    await sleep(800);
    expect(mail.smtp.received.map((m) => m.to[0])).to.deep.equal(['soon@example.org']);
    expect(await NotificationModel.countDocuments({ kind: 'membership.expiring' })).to.equal(1);

    const agent = mail.portal.agent();
    await signIn(agent, 'soon@example.org');
    const list = page(await agent.get('/me/notifications').set('Cookie', 'lang=en'));
    expect(list('.notification-title a').text()).to.equal(`Your membership expires on ${day}`);
    expect(list('.notification-title a').attr('href')).to.equal('/me/alliance');

    // Renewed for a year: the next term is told again when its end is near, once.
    const nextTerm = new Date(soon.renewalDate!.getTime() + 365 * dayMs);
    await MembershipModel.updateOne({ _id: soon._id }, { $set: { renewalDate: nextTerm } });
    expect(await notifyExpiringMemberships(), 'not yet near').to.equal(0);
    expect(await notifyExpiringMemberships(new Date(nextTerm.getTime() - 10 * dayMs))).to.equal(1);
    await notifyExpiringMemberships(new Date(nextTerm.getTime() - 5 * dayMs));
    await mail.smtp.waitFor((m) =>
      m.subject.includes(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(nextTerm)),
    );
    await sleep(600);
    expect(mail.smtp.received).to.have.length(2);
    expect(await NotificationModel.countDocuments({ kind: 'membership.expiring' })).to.equal(2);
  });
});
