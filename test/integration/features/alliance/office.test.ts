// The office's review of alliance applications over HTTP (/office/applications): every decision,
// legal and illegal, two concurrent approvals, the street scope, roles, CSRF and the audit trail.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { AuditEntryModel } from '../../../../src/features/audit/model.js';
import { MemberCounterModel, MembershipModel } from '../../../../src/features/alliance/membership.model.js';
import { approveApplication } from '../../../../src/features/alliance/membershipService.js';
import { memberNumberPattern } from '../../../../src/features/alliance/memberNumber.js';
import { AllianceRefusal } from '../../../../src/features/alliance/refusal.js';
import { NotificationModel } from '../../../../src/features/notifications/model.js';
import { resetDatabase } from '../../../support/database.js';
import { type Agent, type TestApp, page, postForm, startTestApp } from '../../../support/app.js';
import { application, eligibleCreator, signedInOfficer } from './helpers.js';

describe('alliance: the office review (/office/applications)', function () {
  let portal: TestApp;
  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(resetDatabase);

  async function applicationOf(name: string, street: 'pingshan' | 'kengzi' = 'pingshan') {
    const creator = await eligibleCreator(portal, name, street);
    await postForm(creator.agent, '/me/alliance', application, '/me/alliance/apply');
    const membership = await MembershipModel.findOne({ creator: creator.creator._id }).orFail();
    return { ...creator, membership, path: `/office/applications/${membership.id}` };
  }

  const decide = (agent: Agent, path: string, action: string, reason?: string) =>
    postForm(agent, path, reason === undefined ? {} : { reason }, `${path}/${action}`);

  it('walks every legal transition with history and audit entries', async function () {
    const officer = await signedInOfficer(portal, 'ps@example.org', 'pingshan');
    const { path, membership, agent } = await applicationOf('Alpha');

    const queue = await officer.get('/office/applications');
    expect(page(queue)(`#membership-${membership.id}`).text()).to.contain('Alpha');

    expect((await decide(officer, path, 'info', 'Which accounts do you run?')).status).to.equal(303);
    let status = await agent.get('/me/alliance');
    expect(page(status)('#status-label').text()).to.equal('More information needed');
    expect(page(status)('#info-request').text()).to.contain('Which accounts do you run?');
    await postForm(
      agent,
      '/me/alliance',
      { ...application, motivation: 'Bilibili and Weibo.' },
      '/me/alliance/apply',
    );
    expect((await MembershipModel.findById(membership._id).lean())?.infoRequest?.at).to.equal(undefined);

    expect((await decide(officer, path, 'approve')).status).to.equal(303);
    let stored = await MembershipModel.findById(membership._id).lean();
    expect(stored?.status).to.equal('approved');
    expect(stored?.memberNumber).to.match(memberNumberPattern);
    const inAYear = new Date(stored?.approvedAt ?? 0);
    inAYear.setUTCFullYear(inAYear.getUTCFullYear() + 1);
    expect(stored?.renewalDate?.getTime()).to.equal(inAYear.getTime());
    status = await agent.get('/me/alliance');
    expect(page(status)('#member-number').text()).to.equal(stored?.memberNumber);
    const told = page(await agent.get('/me/notifications'));
    expect(told('.notification').text()).to.contain(`Your member number is ${stored?.memberNumber}.`);

    expect((await decide(officer, path, 'suspend', 'Posted misleading figures.')).status).to.equal(303);
    status = await agent.get('/me/alliance');
    expect(page(status)('#status-label').text()).to.equal('Suspended');
    expect(page(status)('#reason').text()).to.equal('Posted misleading figures.');

    expect((await decide(officer, path, 'reinstate')).status).to.equal(303);
    stored = await MembershipModel.findById(membership._id).lean();
    expect(stored?.status).to.equal('approved');
    expect(stored?.history.map((h) => h.action)).to.deep.equal([
      'apply',
      'request_info',
      'update',
      'approve',
      'suspend',
      'reinstate',
    ]);
    const actions = (await AuditEntryModel.find({ 'target.id': membership.id }).sort({ at: 1 }).lean()).map(
      (entry) => entry.action,
    );
    expect(actions).to.include.members([
      'membership.request_info',
      'membership.approve',
      'membership.suspend',
      'membership.reinstate',
    ]);
    const suspend = await AuditEntryModel.findOne({ action: 'membership.suspend' }).lean();
    expect(suspend?.details).to.include({
      from: 'approved',
      to: 'suspended',
      reason: 'Posted misleading figures.',
    });
    expect(suspend?.actor?.email).to.equal('ps@example.org');
  });

  it('rejects with a reason the creator sees', async function () {
    const officer = await signedInOfficer(portal, 'ps@example.org', 'pingshan');
    const { path, agent, membership, userId } = await applicationOf('Beta');
    const noReason = await decide(officer, path, 'reject', '');
    expect(noReason.status).to.equal(422);
    expect(page(noReason)('#error-reason-reject').text()).to.equal('Please fill this in.');
    expect((await MembershipModel.findById(membership._id).lean())?.status).to.equal('applied');
    expect((await decide(officer, path, 'reject', 'Not in Pingshan.')).status).to.equal(303);
    const status = await agent.get('/me/alliance');
    expect(page(status)('#status-label').text()).to.equal('Application rejected');
    expect(page(status)('#reason').text()).to.equal('Not in Pingshan.');
    // The creator is told, in the language they read the portal in; the officer is not.
    const told = page(await agent.get('/me/notifications').set('Cookie', 'lang=zh-CN'));
    expect(told('.notification-title a').text()).to.equal('您的入盟申请未获批准');
    expect(told('.notification-title a').attr('href')).to.equal('/me/alliance');
    expect(told('.notification').text()).to.contain('原因：Not in Pingshan.。');
    const stored = await NotificationModel.find({ kind: 'application.rejected' }).lean();
    expect(stored.map((notification) => String(notification.person))).to.deep.equal([userId]);
  });

  it('refuses every illegal transition with a message and changes nothing', async function () {
    const officer = await signedInOfficer(portal, 'ps@example.org', 'pingshan');
    const { path, membership } = await applicationOf('Gamma');
    const illegalWhileApplied = [
      ['suspend', 'x'],
      ['reinstate', undefined],
    ] as const;
    for (const [action, reason] of illegalWhileApplied) {
      const res = await decide(officer, path, action, reason);
      expect(res.status, action).to.equal(409);
      expect(page(res)('#refusal').text()).to.not.equal('');
    }
    await decide(officer, path, 'reject', 'No.');
    const before = await MembershipModel.findById(membership._id).lean();
    for (const [action, reason] of [
      ['approve', undefined],
      ['reject', 'again'],
      ['info', 'more'],
      ['suspend', 'x'],
      ['reinstate', undefined],
    ] as const) {
      const res = await decide(officer, path, action, reason);
      expect(res.status, action).to.equal(409);
    }
    const res = await decide(officer, path, 'approve');
    expect(page(res)('#refusal').text()).to.equal(
      'This application has already been decided: nothing was changed.',
    );
    const after = await MembershipModel.findById(membership._id).lean();
    expect(after?.history).to.have.length(before?.history.length ?? -1);
    expect(after?.status).to.equal('rejected');
    expect(after?.memberNumber).to.equal(undefined);
  });

  it('issues exactly one member number when two officers approve at the same moment', async function () {
    const { membership } = await applicationOf('Delta');
    const first = { id: '5f0000000000000000000001', email: 'one@example.org' };
    const second = { id: '5f0000000000000000000002', email: 'two@example.org' };
    const results = await Promise.allSettled([
      approveApplication(first, membership),
      approveApplication(second, membership),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.reason).to.be.instanceOf(AllianceRefusal);
    const stored = await MembershipModel.findById(membership._id).lean();
    expect(stored?.history.filter((h) => h.action === 'approve')).to.have.length(1);
    expect(stored?.memberNumber).to.match(memberNumberPattern);
    // Each approval took a number before its update; the loser's is left unused, never reused.
    const counter = await MemberCounterModel.findOne().lean();
    expect(counter?.seq).to.equal(2);

    // Two different approvals at once get two different numbers.
    const [a, b] = await Promise.all([applicationOf('Epsilon'), applicationOf('Zeta')]);
    const [ma, mb] = await Promise.all([
      approveApplication(first, a.membership),
      approveApplication(second, b.membership),
    ]);
    expect(new Set([stored?.memberNumber, ma.memberNumber, mb.memberNumber]).size).to.equal(3);
  });

  it('approves and numbers the member in one write, so no crash can leave a member without a number', async function () {
    const { membership } = await applicationOf('Theta');
    const year = new Date().getUTCFullYear();
    // A number written elsewhere that the counter does not know: the approval takes the next one.
    const other = await applicationOf('Iota');
    await MembershipModel.updateOne(
      { _id: other.membership._id },
      { $set: { status: 'approved', memberNumber: `LH-${year}-0001` } },
    );
    const writes: string[] = [];
    mongoose.set('debug', (collection: string, method: string, _query: unknown, update: unknown) => {
      if (collection !== MembershipModel.collection.collectionName || /^find(One)?$/.test(method)) return;
      const set = ((update ?? {}) as { $set?: Record<string, unknown> }).$set ?? {};
      writes.push(`${method} ${['status', 'memberNumber'].filter((key) => key in set).join('+')}`);
    });
    let approved;
    try {
      approved = await approveApplication(
        { id: '5f0000000000000000000001', email: 'one@example.org' },
        membership,
      );
    } finally {
      mongoose.set('debug', false);
    }
    // The update that lost on the taken number and the one that won: each sets both fields at once.
    expect(writes).to.deep.equal([
      'findOneAndUpdate status+memberNumber',
      'findOneAndUpdate status+memberNumber',
    ]);
    expect(approved.memberNumber).to.equal(`LH-${year}-0002`);
    const stored = await MembershipModel.findById(membership._id).lean();
    expect(stored).to.include({ status: 'approved', memberNumber: `LH-${year}-0002` });
    expect(stored?.history.filter((h) => h.action === 'approve')).to.have.length(1);
    // No approved membership anywhere lacks a number.
    expect(
      await MembershipModel.countDocuments({ status: 'approved', memberNumber: { $exists: false } }),
    ).to.equal(0);
    const told = await NotificationModel.findOne({ kind: 'application.approved' }).lean();
    expect(told?.params).to.include({ number: `LH-${year}-0002` });
  });

  it('over HTTP, a second approval of the same application is refused', async function () {
    const one = await signedInOfficer(portal, 'one@example.org', 'district');
    const two = await signedInOfficer(portal, 'two@example.org', 'pingshan');
    const { path } = await applicationOf('Eta');
    const [a, b] = await Promise.all([decide(one, path, 'approve'), decide(two, path, 'approve')]);
    expect([a.status, b.status].sort()).to.deep.equal([303, 409]);
    expect(await MembershipModel.countDocuments({ memberNumber: { $exists: true } })).to.equal(1);
  });

  it('limits a street officer to their street; district officers and admins see all', async function () {
    const kengzi = await signedInOfficer(portal, 'kz@example.org', 'kengzi');
    const district = await signedInOfficer(portal, 'district@example.org', 'district');
    const admin = await signedInOfficer(portal, 'admin@example.org', 'district', 'admin');
    const pingshan = await applicationOf('Pingshan Voice', 'pingshan');
    const local = await applicationOf('Kengzi Voice', 'kengzi');

    const queue = page(await kengzi.get('/office/applications'));
    expect(queue('#queue').text()).to.contain('Kengzi Voice');
    expect(queue('#queue').text()).to.not.contain('Pingshan Voice');
    expect((await kengzi.get(pingshan.path)).status).to.equal(404);
    const foreign = await decide(kengzi, pingshan.path, 'approve');
    expect(foreign.status).to.equal(404);
    expect((await MembershipModel.findById(pingshan.membership._id).lean())?.status).to.equal('applied');
    expect((await kengzi.get(local.path)).status).to.equal(200);

    for (const agent of [district, admin]) {
      const all = page(await agent.get('/office/applications'))('#queue').text();
      expect(all).to.contain('Kengzi Voice');
      expect(all).to.contain('Pingshan Voice');
    }
    expect((await decide(admin, pingshan.path, 'approve')).status).to.equal(303);
  });

  it('answers 404 for unknown or malformed ids, and keeps creators and visitors out', async function () {
    const officer = await signedInOfficer(portal, 'ps@example.org', 'district');
    const { path, agent } = await applicationOf('Theta');
    for (const id of ['000000000000000000000000', 'not-an-id', '{"$ne":null}']) {
      expect((await officer.get(`/office/applications/${encodeURIComponent(id)}`)).status, id).to.equal(404);
    }
    expect((await agent.get('/office/applications')).status).to.equal(403);
    expect((await decide(agent, path, 'approve')).status).to.equal(403);
    expect((await portal.agent().get(path)).status).to.equal(303);
    const noToken = await officer.post(`${path}/approve`).type('form').send({});
    expect(noToken.status).to.equal(403);
    expect(await MembershipModel.countDocuments({ status: 'approved' })).to.equal(0);
  });
});
