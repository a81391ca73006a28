// Security findings about accounts (issue 6: findings 4, 5 and 6), reproduced over real HTTP:
// disabling ends every session, a disabled account answers like a wrong password, and lock-out
// cannot be used to keep someone out (device cookies, admin unlock, per-IP limit on failures only).
import { expect } from 'chai';
import { AuditEntryModel } from '../../src/features/audit/model.js';
import { resetDatabase } from '../support/database.js';
import {
  type Agent,
  type TestApp,
  createTestUser,
  page,
  postForm,
  signIn,
  startTestApp,
} from '../support/app.js';

const adminEmail = 'admin@example.org';
const officerEmail = 'pingshan@example.org';

describe('security: accounts, lock-out and devices', function () {
  let portal: TestApp;
  let admin: Agent;

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en', LOGIN_MAX_FAILURES: '3', AUTH_RATE_LIMIT: '5' });
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(async function () {
    await resetDatabase();
    await createTestUser({ email: adminEmail, role: 'admin' });
    await createTestUser({ email: officerEmail, role: 'officer', streetScope: 'pingshan' });
    admin = portal.agent();
    expect((await signIn(admin, adminEmail)).status).to.equal(303);
  });

  const officerId = async (): Promise<string> =>
    page(await admin.get('/admin/officers'))('tr[id^="officer-"]')
      .attr('id')!
      .replace('officer-', '');
  const setStatus = async (status: 'active' | 'disabled') =>
    postForm(admin, '/admin/officers', { status }, `/admin/officers/${await officerId()}/status`);
  /** Failed sign-ins from fresh clients (an attacker elsewhere, each with a new cookie jar). */
  const failFromElsewhere = async (email: string, times: number) => {
    for (let i = 0; i < times; i++) await signIn(portal.agent(), email, 'wrong-password-1');
  };

  it('ends every session of an account when it is disabled, for good (enabling does not revive it)', async function () {
    const officer = portal.agent();
    await signIn(officer, officerEmail);
    expect((await officer.get('/office')).status).to.equal(200);
    expect((await setStatus('disabled')).status).to.equal(303);
    // The officer sends no request while disabled; then the account is enabled again.
    expect((await setStatus('active')).status).to.equal(303);
    const res = await officer.get('/office');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login?next=%2Foffice');
  });

  it('answers a disabled account with its right password exactly like a wrong password', async function () {
    await setStatus('disabled');
    const right = await signIn(portal.agent(), officerEmail);
    const wrong = await signIn(portal.agent(), officerEmail, 'wrong-password-1');
    expect(right.status).to.equal(401);
    expect(wrong.status).to.equal(401);
    expect(page(right)('#form-error').text()).to.equal(page(wrong)('#form-error').text());
  });

  it('lets a device that signed in before through while failures elsewhere lock the account', async function () {
    const ownDevice = portal.agent();
    expect((await signIn(ownDevice, officerEmail)).status).to.equal(303);
    await postForm(ownDevice, '/', {}, '/logout');
    await failFromElsewhere(officerEmail, 3);
    // Locked for everyone else, the right password included…
    expect((await signIn(portal.agent(), officerEmail)).status).to.equal(423);
    // …but not for the device that has signed in before.
    expect((await signIn(ownDevice, officerEmail)).status).to.equal(303);
  });

  it('lets an admin unlock an account from the officers page, and records it', async function () {
    await failFromElsewhere(officerEmail, 3);
    expect((await signIn(portal.agent(), officerEmail)).status).to.equal(423);
    const $ = page(await admin.get('/admin/officers'));
    expect($(`form[action="/admin/officers/${await officerId()}/unlock"] button`).text()).to.equal(
      'Unlock sign-in',
    );
    const res = await postForm(admin, '/admin/officers', {}, `/admin/officers/${await officerId()}/unlock`);
    expect(res.status).to.equal(303);
    expect((await signIn(portal.agent(), officerEmail)).status).to.equal(303);
    const entry = await AuditEntryModel.findOne({ action: 'user.unlock' }).lean();
    expect(entry).to.deep.include({ target: { type: 'user', id: await officerId() } });
    expect(entry?.actor?.email).to.equal(adminEmail);
    // Only admins may unlock.
    const officer = portal.agent();
    await signIn(officer, officerEmail);
    expect(
      (await postForm(officer, '/office', {}, `/admin/officers/${await officerId()}/unlock`)).status,
    ).to.equal(403);
  });

  it('counts only failures per address, and never blocks the right password from a known device', async function () {
    const ownDevice = portal.agent();
    expect((await signIn(ownDevice, adminEmail)).status).to.equal(303);
    // Successful sign-ins from this address do not use up the allowance.
    for (let i = 0; i < 5; i++) expect((await signIn(portal.agent(), adminEmail)).status).to.equal(303);
    // Five failures for unknown emails exhaust this address's allowance (AUTH_RATE_LIMIT=5)…
    for (let i = 0; i < 5; i++) await signIn(portal.agent(), `nobody${i}@example.org`, 'wrong-password-1');
    expect((await signIn(portal.agent(), adminEmail)).status).to.equal(429);
    // …but the device that signed in to this account before still gets in.
    expect((await signIn(ownDevice, adminEmail)).status).to.equal(303);
  });
});
