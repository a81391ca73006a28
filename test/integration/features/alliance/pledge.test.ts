// The pledge over HTTP: admins publish versions (/admin/pledges), members sign the current one
// (/me/alliance/pledge), a new version asks them to sign again, the public page and its wall
// (/pledge, /pledge/v/:version), and the badge (/members/:slug/badge.svg).
import { expect } from 'chai';
import { AuditEntryModel } from '../../../../src/features/audit/model.js';
import { MembershipModel } from '../../../../src/features/alliance/membership.model.js';
import { approveApplication, suspendMember } from '../../../../src/features/alliance/membershipService.js';
import { PledgeVersionModel } from '../../../../src/features/alliance/pledge.model.js';
import {
  ImmutableSignatureError,
  PledgeSignatureModel,
} from '../../../../src/features/alliance/signature.model.js';
import { resetDatabase } from '../../../support/database.js';
import { type Agent, type TestApp, page, postForm, startTestApp } from '../../../support/app.js';
import { type TestCreator, application, eligibleCreator, signedInOfficer } from './helpers.js';

const officer = { id: '5f0000000000000000000001', email: 'officer@example.org' };
const today = (): string => new Date().toISOString().slice(0, 10);

describe('alliance: the pledge, its signatures, the public page and the badge', function () {
  let portal: TestApp;
  let admin: Agent;
  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(async function () {
    await resetDatabase();
    admin = await signedInOfficer(portal, 'admin@example.org', 'district', 'admin');
  });

  const publish = (title: string, fields: Record<string, string> = {}) =>
    postForm(admin, '/admin/pledges', {
      title,
      body: `${title}: we tell true stories.\n\nWe respect our audience.`,
      effectiveAt: today(),
      graceDays: '30',
      ...fields,
    });

  async function member(name: string, listed = true): Promise<TestCreator> {
    const creator = await eligibleCreator(portal, name, 'pingshan', { listed });
    await postForm(creator.agent, '/me/alliance', application, '/me/alliance/apply');
    await approveApplication(
      officer,
      await MembershipModel.findOne({ creator: creator.creator._id }).orFail(),
    );
    return creator;
  }

  /** The badge as text (supertest reads image/* bodies as a Buffer). */
  async function badgeOf(
    path: string,
  ): Promise<{ status: number; headers: Record<string, string>; svg: string }> {
    const res = await portal.agent().get(path);
    const body: unknown = res.body;
    return {
      status: res.status,
      headers: res.headers,
      svg: Buffer.isBuffer(body) ? body.toString('utf8') : '',
    };
  }

  const sign = (creator: TestCreator, typedName: string, version: string, confirm = 'yes') =>
    postForm(creator.agent, '/me/alliance/pledge', { version, typedName, confirm });

  it('publishes versions (admins only), with bad input given back and earlier versions readable', async function () {
    const bad = await publish('', { effectiveAt: '2026-13-45', graceDays: '-1' });
    expect(bad.status).to.equal(422);
    for (const field of ['title', 'effectiveAt', 'graceDays'])
      expect(page(bad)(`#error-${field}`).text()).to.not.equal('');
    expect(page(bad)('#field-body').text()).to.contain('we tell true stories');
    expect(await PledgeVersionModel.countDocuments()).to.equal(0);

    expect((await publish('First pledge')).status).to.equal(303);
    expect((await publish('Second pledge')).status).to.equal(303);
    expect(await AuditEntryModel.countDocuments({ action: 'pledge.publish' })).to.equal(2);
    const list = page(await admin.get('/admin/pledges'));
    expect(list('#pledge-2').text()).to.contain('current');

    const current = page(await portal.agent().get('/pledge'));
    expect(current('#pledge-text h1').text()).to.equal('Second pledge');
    expect(current('#earlier-versions a').attr('href')).to.equal('/pledge/v/1');
    const first = await portal.agent().get('/pledge/v/1');
    expect(first.status).to.equal(200);
    expect(page(first)('#pledge-text h1').text()).to.equal('First pledge');
    expect(page(first)('#not-current').text()).to.contain('earlier version');
    for (const version of ['3', '0', 'abc', '1e3']) {
      expect((await portal.agent().get(`/pledge/v/${version}`)).status, version).to.equal(404);
    }

    const creator = await eligibleCreator(portal, 'Not Admin');
    const refused = await postForm(creator.agent, '/me/alliance', { title: 'x' }, '/admin/pledges');
    expect(refused.status).to.equal(403);
    expect(await PledgeVersionModel.countDocuments()).to.equal(2);
  });

  it('signs the current version with the profile name; refuses other names, old versions and twice', async function () {
    await publish('First pledge');
    const alice = await member('Alice Chen');
    const form = await alice.agent.get('/me/alliance/pledge');
    expect(page(form)('#pledge-text h2').text()).to.contain('First pledge');

    const wrong = await sign(alice, 'Bob', '1');
    expect(wrong.status).to.equal(422);
    expect(page(wrong)('#error-typedName').text()).to.contain('Type your name exactly');
    expect(page(wrong)('#field-typedName').attr('value')).to.equal('Bob');
    const unconfirmed = await sign(alice, 'Alice Chen', '1', '');
    expect(unconfirmed.status).to.equal(422);
    expect(page(unconfirmed)('#error-confirm').text()).to.not.equal('');
    const old = await sign(alice, 'Alice Chen', '7');
    expect(old.status).to.equal(409);
    expect(page(old)('#refusal').text()).to.contain('not the current version');
    expect(await PledgeSignatureModel.countDocuments()).to.equal(0);

    // Case and width do not matter; a hidden creator field is ignored (one signs for oneself only).
    const bob = await member('Bob');
    const ok = await postForm(alice.agent, '/me/alliance/pledge', {
      version: '1',
      typedName: 'alice chen',
      confirm: 'yes',
      creator: bob.creator.id,
    });
    expect(ok.status).to.equal(303);
    const signatures = await PledgeSignatureModel.find().lean();
    expect(signatures).to.have.length(1);
    expect(String(signatures[0]?.creator)).to.equal(alice.creator.id);
    expect(await AuditEntryModel.countDocuments({ action: 'pledge.sign' })).to.equal(1);
    const twice = await sign(alice, 'Alice Chen', '1');
    expect(twice.status).to.equal(409);
    expect(page(twice)('#refusal').text()).to.contain('already signed');

    // An applicant who is not yet a member cannot sign.
    const applicant = await eligibleCreator(portal, 'Applicant');
    await postForm(applicant.agent, '/me/alliance', application, '/me/alliance/apply');
    expect((await sign(applicant, 'Applicant', '1')).status).to.equal(409);
  });

  it('keeps signatures immutable: no update path', async function () {
    await publish('First pledge');
    const alice = await member('Alice');
    await sign(alice, 'Alice', '1');
    await expect(PledgeSignatureModel.updateOne({}, { $set: { typedName: 'Mallory' } })).to.be.rejectedWith(
      ImmutableSignatureError,
    );
    await expect(PledgeSignatureModel.findOneAndUpdate({}, { $set: { version: 2 } })).to.be.rejectedWith(
      ImmutableSignatureError,
    );
    const signature = await PledgeSignatureModel.findOne().orFail();
    signature.typedName = 'Mallory';
    await expect(signature.save()).to.be.rejectedWith(ImmutableSignatureError);
    expect((await PledgeSignatureModel.findOne().lean())?.typedName).to.equal('Alice');
  });

  it('asks every member to sign a new version: status and badge say renewal due until they do', async function () {
    await publish('First pledge');
    const alice = await member('Alice');
    await sign(alice, 'Alice', '1');
    const badgePath = `/members/${alice.creator.slug}/badge.svg`;
    let badge = await badgeOf(badgePath);
    expect(badge.status).to.equal(200);
    expect(badge.headers['content-type']).to.contain('image/svg+xml');
    expect(badge.headers['cache-control']).to.equal('public, max-age=300');
    const number = (await MembershipModel.findOne({ creator: alice.creator._id }).lean())?.memberNumber ?? '';
    expect(badge.svg).to.contain(number).and.to.contain('Current');

    await publish('Second pledge', { graceDays: '14' });
    const status = page(await alice.agent.get('/me/alliance'));
    expect(status('#standing').text()).to.equal('Renewal due');
    expect(status('#pledge-due').text()).to.contain('version 2');
    const told = page(await alice.agent.get('/me/notifications'))('.notification-title a');
    expect(told.first().text()).to.equal('Please sign the new pledge (version 2)');
    expect(told.first().attr('href')).to.equal('/me/alliance/pledge');
    badge = await badgeOf(badgePath);
    expect(badge.svg).to.contain('Renewal due');

    expect((await sign(alice, 'Alice', '1')).status).to.equal(409);
    expect((await sign(alice, 'Alice', '2')).status).to.equal(303);
    expect(page(await alice.agent.get('/me/alliance'))('#standing').text()).to.equal('Current');
    expect((await badgeOf(badgePath)).svg).to.contain('Current');
    expect(await PledgeSignatureModel.countDocuments({ creator: alice.creator._id })).to.equal(2);
  });

  it('says "pledge overdue" once the grace period of a version has ended, on the badge, /me/alliance and the office pages', async function () {
    await publish('First pledge');
    const bob = await member('Bob');
    await sign(bob, 'Bob', '1');
    await publish('Second pledge', { graceDays: '3' });
    const membership = await MembershipModel.findOne({ creator: bob.creator._id }).orFail();
    const badgePath = `/members/${bob.creator.slug}/badge.svg`;
    expect((await badgeOf(badgePath)).svg).to.contain('Renewal due');

    // The grace period ends: version 2 took effect five days ago with three days to sign.
    await PledgeVersionModel.updateOne(
      { version: 2 },
      { $set: { effectiveAt: new Date(Date.now() - 5 * 24 * 60 * 60 * 1000) } },
    );
    expect((await badgeOf(badgePath)).svg)
      .to.contain('Pledge overdue')
      .and.to.contain('#b3261e');
    const status = page(await bob.agent.get('/me/alliance'));
    expect(status('#standing').text()).to.equal('Pledge overdue');
    expect(status('#pledge-due').text()).to.contain('Version 2');
    const zhCN = page(await bob.agent.get('/me/alliance').set('Cookie', 'lang=zh-CN'));
    expect(zhCN('#standing').text()).to.equal('承诺书逾期未签');

    const office = await signedInOfficer(portal, 'ps@example.org', 'pingshan');
    const review = page(await office.get(`/office/applications/${membership.id}`));
    expect(review('#standing').text()).to.equal('Pledge overdue');
    const queue = page(await office.get('/office/applications?status=approved'));
    expect(queue(`#membership-${membership.id}`).text()).to.contain('(Pledge overdue)');

    // Signing ends it.
    expect((await sign(bob, 'Bob', '2')).status).to.equal(303);
    expect((await badgeOf(badgePath)).svg).to.contain('Current');
    expect(page(await office.get(`/office/applications/${membership.id}`))('#standing').text()).to.equal(
      'Current',
    );
  });

  it('lists on the wall only approved members who signed and consented, with counts', async function () {
    await publish('First pledge');
    const listed = await member('Listed Member');
    const unlisted = await member('Quiet Member', false);
    await member('Not Signed');
    await sign(listed, 'Listed Member', '1');
    await sign(unlisted, 'Quiet Member', '1');
    const wall = page(await portal.agent().get('/pledge'));
    expect(wall('#wall').text()).to.contain('Listed Member');
    expect(wall('#wall').text()).to.not.contain('Quiet Member');
    expect(wall('#wall').text()).to.not.contain('Not Signed');
    expect(wall('#wall-counts').text()).to.equal('2 of the alliance’s 3 members have signed this version.');

    // A suspended member leaves the wall.
    await suspendMember(
      officer,
      await MembershipModel.findOne({ creator: listed.creator._id }).orFail(),
      'x',
    );
    const after = page(await portal.agent().get('/pledge'));
    expect(after('#wall').text()).to.not.contain('Listed Member');
  });

  it('badges: suspended and expired states, 404 for unknown slugs and non-members', async function () {
    await publish('First pledge');
    const alice = await member('Alice');
    await sign(alice, 'Alice', '1');
    const path = `/members/${alice.creator.slug}/badge.svg`;
    const membership = await MembershipModel.findOne({ creator: alice.creator._id }).orFail();
    await suspendMember(officer, membership, 'Misleading figures.');
    expect((await badgeOf(path)).svg).to.contain('Suspended');
    await MembershipModel.updateOne({ _id: membership._id }, { $set: { status: 'expired' } });
    expect((await badgeOf(path)).svg).to.contain('Expired');

    const applicant = await eligibleCreator(portal, 'Applicant');
    await postForm(applicant.agent, '/me/alliance', application, '/me/alliance/apply');
    for (const slug of [applicant.creator.slug, 'nobody-here', 'LH-2026-0001', '..%2F..%2Fetc']) {
      expect((await portal.agent().get(`/members/${slug}/badge.svg`)).status, slug).to.equal(404);
    }
  });

  it('shows the member the badge snippet linking to their member page', async function () {
    await publish('First pledge');
    const alice = await member('Alice');
    await sign(alice, 'Alice', '1');
    const snippet = page(await alice.agent.get('/me/alliance'))('#badge-snippet').text();
    expect(snippet).to.contain(`/members/${alice.creator.slug}"`);
    expect(snippet).to.contain(`/members/${alice.creator.slug}/badge.svg`);
  });
});
