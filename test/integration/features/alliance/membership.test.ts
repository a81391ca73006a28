// The creator's side of the alliance over HTTP (/me/alliance): eligibility, applying, the
// application's status and history, updating it, withdrawing, renewing, expiry, and bad input.
import { expect } from 'chai';
import { AuditEntryModel } from '../../../../src/features/audit/model.js';
import { MembershipModel } from '../../../../src/features/alliance/membership.model.js';
import {
  approveApplication,
  expireLapsedMemberships,
  systemActor,
} from '../../../../src/features/alliance/membershipService.js';
import { runJobNow } from '../../../../src/scheduler/index.js';
import { resetDatabase } from '../../../support/database.js';
import { until } from '../../../support/wait.js';
import { type TestApp, page, postForm, startTestApp } from '../../../support/app.js';
import { application, eligibleCreator } from './helpers.js';

const officer = { id: '5f0000000000000000000001', email: 'officer@example.org' };

describe('alliance: the creator side (/me/alliance)', function () {
  let portal: TestApp;
  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en', SCHEDULER_POLL_MS: '100' });
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(resetDatabase);

  it('lists what is missing and refuses an application without a verified account', async function () {
    const { agent, creator } = await eligibleCreator(portal, 'Unverified', 'pingshan', { verified: false });
    const res = await agent.get('/me/alliance');
    expect(res.status).to.equal(200);
    expect(page(res)('#missing li').text()).to.contain('Prove that you own at least one of your accounts.');
    expect(page(res)('form[action="/me/alliance/apply"]')).to.have.length(0);
    const post = await postForm(agent, '/me/alliance', application, '/me/alliance/apply');
    expect(post.status).to.equal(409);
    expect(page(post)('#refusal').text()).to.contain('You cannot apply yet');
    expect(await MembershipModel.countDocuments({ creator: creator._id })).to.equal(0);
  });

  it('refuses an application from a creator whose email is not verified, saying why in their language', async function () {
    const { agent, creator } = await eligibleCreator(portal, 'Unconfirmed', 'pingshan', {
      emailVerified: false,
    });
    const res = await agent.get('/me/alliance').set('Cookie', 'lang=zh-TW');
    expect(page(res)('#missing li').text()).to.equal(
      '請驗證您的電子郵件：點選我們寄給您的郵件中的連結，或在帳戶的「電子郵件」頁面重新寄送。',
    );
    expect(page(res)('form[action="/me/alliance/apply"]')).to.have.length(0);
    const post = await postForm(agent, '/me/alliance', application, '/me/alliance/apply');
    expect(post.status).to.equal(409);
    expect(await MembershipModel.countDocuments({ creator: creator._id })).to.equal(0);
  });

  it('applies, shows the status at all times, and refuses a second application', async function () {
    const { agent, creator, userId } = await eligibleCreator(portal, 'Applicant');
    const res = await postForm(agent, '/me/alliance', application, '/me/alliance/apply');
    expect(res.status).to.equal(303);
    const status = await agent.get('/me/alliance');
    expect(page(status)('#status-label').text()).to.equal('Application waiting for review');
    expect(page(status)('#history').text()).to.contain('Applied');
    const stored = await MembershipModel.findOne({ creator: creator._id }).lean();
    expect(stored?.status).to.equal('applied');
    expect(stored?.activities).to.deep.equal(['good_stories']);
    expect(stored?.history[0]).to.include({ action: 'apply', from: 'none', to: 'applied' });
    expect(String(stored?.history[0]?.by)).to.equal(userId);
    const audit = await AuditEntryModel.findOne({ action: 'membership.apply' }).lean();
    expect(audit?.target).to.deep.equal({ type: 'membership', id: String(stored?._id) });

    // The pending application is edited, not duplicated.
    const again = await postForm(
      agent,
      '/me/alliance',
      { ...application, motivation: 'Updated.' },
      '/me/alliance/apply',
    );
    expect(again.status).to.equal(303);
    expect(await MembershipModel.countDocuments()).to.equal(1);
    expect((await MembershipModel.findOne().lean())?.motivation).to.equal('Updated.');
  });

  it('gives the form back with values and a message per field on bad input, writing nothing', async function () {
    const { agent } = await eligibleCreator(portal, 'Bad Input');
    const cases: { fields: Record<string, string | string[]>; field: string }[] = [
      { fields: { motivation: 'x'.repeat(10 * 1024), activities: 'good_stories' }, field: 'motivation' },
      { fields: { motivation: '', activities: 'good_stories' }, field: 'motivation' },
      { fields: { motivation: 'Fine.', activities: 'hacking' }, field: 'activities' },
      { fields: { motivation: 'Fine.' }, field: 'activities' },
      { fields: { motivation: ['a', 'b'], activities: 'good_stories' }, field: 'motivation' },
    ];
    for (const { fields, field } of cases) {
      const form = await agent.get('/me/alliance');
      const csrf = page(form)('input[name="_csrf"]').first().attr('value') ?? '';
      const res = await agent
        .post('/me/alliance/apply')
        .type('form')
        .send({ _csrf: csrf, ...fields });
      expect(res.status, JSON.stringify(fields).slice(0, 60)).to.equal(422);
      expect(page(res)(`#error-${field}`).text()).to.not.equal('');
      if (typeof fields.motivation === 'string' && fields.motivation.length < 100)
        expect(page(res)('#field-motivation').text()).to.equal(fields.motivation);
    }
    expect(await MembershipModel.countDocuments()).to.equal(0);
  });

  it('refuses a post without the CSRF token', async function () {
    const { agent } = await eligibleCreator(portal, 'No Token');
    const res = await agent.post('/me/alliance/apply').type('form').send(application);
    expect(res.status).to.equal(403);
    expect(await MembershipModel.countDocuments()).to.equal(0);
  });

  it('withdraws an application, refuses to withdraw twice, and applies again', async function () {
    const { agent, creator } = await eligibleCreator(portal, 'Withdrawer');
    await postForm(agent, '/me/alliance', application, '/me/alliance/apply');
    expect((await postForm(agent, '/me/alliance', {}, '/me/alliance/withdraw')).status).to.equal(303);
    expect((await MembershipModel.findOne({ creator: creator._id }).lean())?.status).to.equal('withdrawn');
    const twice = await postForm(agent, '/me/alliance', {}, '/me/alliance/withdraw');
    expect(twice.status).to.equal(409);
    expect(page(twice)('#refusal').text()).to.contain('no application or membership to withdraw');
    expect((await postForm(agent, '/me/alliance', application, '/me/alliance/apply')).status).to.equal(303);
    const stored = await MembershipModel.findOne({ creator: creator._id }).lean();
    expect(stored?.status).to.equal('applied');
    expect(stored?.history.map((h) => h.action)).to.deep.equal(['apply', 'withdraw', 'apply']);
  });

  it('renews only near the renewal date, and expiry ends lapsed memberships', async function () {
    const { agent, creator } = await eligibleCreator(portal, 'Renewer');
    await postForm(agent, '/me/alliance', application, '/me/alliance/apply');
    const applied = await MembershipModel.findOne({ creator: creator._id }).orFail();
    const approved = await approveApplication(officer, applied);
    const early = await postForm(agent, '/me/alliance', {}, '/me/alliance/renew');
    expect(early.status).to.equal(409);
    expect(page(early)('#refusal').text()).to.contain('cannot be renewed yet');

    // Twenty days before the renewal date: renewal is open and adds one year.
    const soon = new Date(Date.now() + 20 * 24 * 3600 * 1000);
    await MembershipModel.updateOne({ _id: approved._id }, { $set: { renewalDate: soon } });
    expect((await postForm(agent, '/me/alliance', {}, '/me/alliance/renew')).status).to.equal(303);
    const renewed = await MembershipModel.findById(approved._id).lean();
    expect(renewed?.renewalDate?.getUTCFullYear()).to.equal(soon.getUTCFullYear() + 1);

    // A lapsed renewal date: the scheduler's function expires it, once.
    await MembershipModel.updateOne(
      { _id: approved._id },
      { $set: { renewalDate: new Date(Date.now() - 1000) } },
    );
    // The daily scheduled job expires it; a second pass finds nothing left to do.
    await runJobNow('alliance.expire'); // registered through src/jobs.ts, as the portal does
    await until(async () => (await MembershipModel.findById(approved._id).lean())?.status === 'expired');
    expect(await expireLapsedMemberships()).to.equal(0);
    const expired = await MembershipModel.findById(approved._id).lean();
    expect(expired?.status).to.equal('expired');
    expect(expired?.history.at(-1)).to.include({ action: 'expire', from: 'approved', to: 'expired' });
    const audit = await AuditEntryModel.findOne({ action: 'membership.expire' }).lean();
    expect(audit?.actor?.email).to.equal(systemActor.email);
    const status = await agent.get('/me/alliance');
    expect(page(status)('#status-label').text()).to.equal('Expired');
    // An expired member may apply again; the member number stays theirs.
    expect((await postForm(agent, '/me/alliance', application, '/me/alliance/apply')).status).to.equal(303);
    expect((await MembershipModel.findById(approved._id).lean())?.memberNumber).to.equal(
      approved.memberNumber,
    );
  });

  it('keeps officers and anonymous visitors out of /me/alliance', async function () {
    expect((await portal.agent().get('/me/alliance')).status).to.equal(303);
  });
});
