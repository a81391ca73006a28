// The officers' side over HTTP: queues scoped by street with counts in the navigation, ownership
// and figure decisions (state machine, history, audit entry, notice), conflicts, creator detail
// with private contact, evidence files, and the audit page's filters.
import { expect } from 'chai';
import { AuditEntryModel } from '../../../../src/features/audit/model.js';
import { NotificationModel } from '../../../../src/features/notifications/model.js';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { ConflictModel } from '../../../../src/features/registry/conflict.model.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import { StatSnapshotModel } from '../../../../src/features/registry/statSnapshot.model.js';
import { UserModel } from '../../../../src/features/users/model.js';
import { type Agent, type TestApp, page, postForm, startTestApp } from '../../../support/app.js';
import { resetDatabase } from '../../../support/database.js';
import { pngPhoto } from '../../../unit/features/files/images.js';
import { addAccountVia, postUpload, signedIn } from './helpers.js';

async function creatorIn(portal: TestApp, email: string, street: string): Promise<Agent> {
  const agent = await signedIn(portal, email);
  await agent.get('/me');
  await CreatorModel.updateOne(
    { displayName: email.split('@')[0] },
    { $set: { street, 'contact.phone': '13900000000' } },
  );
  return agent;
}

describe('registry: the office review', function () {
  let portal: TestApp;
  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(resetDatabase);

  it('scopes the ownership queue to the officer’s street and decides once, with history, audit and notice', async function () {
    const creator = await creatorIn(portal, 'kz@example.org', 'kengzi');
    const id = (await addAccountVia(creator, 'https://space.bilibili.com/546195')).toHexString();
    await postForm(creator, `/me/accounts/${id}`, {}, `/me/accounts/${id}/check`);
    const evidence = await postUpload(
      creator,
      `/me/accounts/${id}`,
      `/me/accounts/${id}/evidence`,
      'evidence',
      await pngPhoto(),
    );
    expect(evidence.status).to.equal(303);
    const fileId = (await AccountModel.findById(id))!.ownership.evidence[0]!.toHexString();

    const local = await signedIn(portal, 'kengzi@office.example', 'officer', 'kengzi');
    const elsewhere = await signedIn(portal, 'maluan@office.example', 'officer', 'maluan');
    const district = await signedIn(portal, 'district@office.example', 'officer', 'district');

    const queue = await local.get('/office/ownership');
    expect(page(queue)('#queue [data-account]').length).to.equal(1);
    expect(page(queue)('.office-nav').text()).to.contain('Ownership checks (1)');
    expect(page(await elsewhere.get('/office/ownership'))('.office-nav').text()).to.contain(
      'Ownership checks (0)',
    );
    expect(page(await district.get('/office/ownership'))('#queue [data-account]').length).to.equal(1);

    // evidence: the uploader and the covering officer, nobody else
    expect((await creator.get(`/files/${fileId}`)).status).to.equal(200);
    expect((await local.get(`/files/${fileId}`)).status).to.equal(200);
    expect((await elsewhere.get(`/files/${fileId}`)).status).to.equal(404);
    const stranger = await signedIn(portal, 'stranger@example.org');
    expect((await stranger.get(`/files/${fileId}`)).status).to.equal(404);
    expect((await portal.agent().get(`/files/${fileId}`)).status).to.equal(303);

    // another street's officer: 404, nothing changed
    const outOfScope = await postForm(
      elsewhere,
      '/office/ownership',
      { decision: 'approve', reason: '' },
      `/office/accounts/${id}/ownership`,
    );
    expect(outOfScope.status).to.equal(404);
    expect((await AccountModel.findById(id))?.ownership.state).to.equal('pending');

    const noReason = await postForm(
      local,
      '/office/ownership',
      { decision: 'reject', reason: '' },
      `/office/accounts/${id}/ownership`,
    );
    expect(noReason.status).to.equal(422);
    expect(page(noReason)(`#row-error-${id}`).text()).to.contain('Give a reason');

    const rejected = await postForm(
      local,
      '/office/ownership',
      { decision: 'reject', reason: 'Code not in the bio' },
      `/office/accounts/${id}/ownership`,
    );
    expect(rejected.status).to.equal(303);
    const again = await postForm(
      local,
      '/office/ownership',
      { decision: 'approve', reason: '' },
      `/office/accounts/${id}/ownership`,
    );
    expect(again.status).to.equal(303);
    const account = await AccountModel.findById(id);
    expect(account?.ownership.state).to.equal('rejected');
    expect(account?.ownership.reason).to.equal('Code not in the bio');
    expect(account?.ownership.history.map((entry) => entry.state)).to.deep.equal(['pending', 'rejected']);
    const audit = await AuditEntryModel.find({ action: /^account\.ownership/ });
    expect(audit.map((entry) => entry.action)).to.deep.equal(['account.ownership.reject']);
    expect(audit[0]?.actor?.email).to.equal('kengzi@office.example');
    expect(page(await creator.get('/me'))('#notices').text()).to.contain('Rejected. Code not in the bio');
    // …and the creator's notification, in their own language, linking to the account.
    const list = page(await creator.get('/me/notifications').set('Cookie', 'lang=zh-TW'));
    expect(list('.notification-title a').text()).to.equal('嗶哩嗶哩帳號 546195 的歸屬未獲確認');
    expect(list('.notification-title a').attr('href')).to.equal(`/me/accounts/${id}`);
    expect(list('.notification').text()).to.contain('Code not in the bio');
    const kengzi = await UserModel.findOne({ email: 'kengzi@office.example' });
    expect(await NotificationModel.countDocuments({ person: kengzi!._id })).to.equal(0);
    expect(page(await creator.get(`/me/accounts/${id}`))('#ownership-reason').text()).to.equal(
      'Code not in the bio',
    );
  });

  it('confirms or rejects manual figures (a rejected one leaves no snapshot)', async function () {
    const creator = await creatorIn(portal, 'ps@example.org', 'pingshan');
    const id = (
      await addAccountVia(creator, 'https://www.kuaishou.com/profile/3xabcdefgh12345')
    ).toHexString();
    await postUpload(
      creator,
      `/me/accounts/${id}`,
      `/me/accounts/${id}/figure`,
      'figureEvidence',
      await pngPhoto(),
      { count: '3.4萬' },
    );
    const officer = await signedIn(portal, 'ps@office.example', 'officer', 'pingshan');
    expect(page(await officer.get('/office/figures'))('#queue [data-account]').length).to.equal(1);
    const confirm = await postForm(
      officer,
      '/office/figures',
      { decision: 'approve', reason: '' },
      `/office/accounts/${id}/figure`,
    );
    expect(confirm.status).to.equal(303);
    expect((await AccountModel.findById(id))?.figure?.confirmedAt).to.be.instanceOf(Date);
    expect(page(await creator.get(`/me/accounts/${id}`))('#figure').text()).to.contain('confirmed');
    expect(page(await officer.get('/office/figures'))('#queue').length).to.equal(0);

    await StatSnapshotModel.deleteMany({});
    await postUpload(
      creator,
      `/me/accounts/${id}`,
      `/me/accounts/${id}/figure`,
      'figureEvidence',
      await pngPhoto(),
      { count: '40000' },
    );
    const reject = await postForm(
      officer,
      '/office/figures',
      { decision: 'reject', reason: 'Screenshot shows another account' },
      `/office/accounts/${id}/figure`,
    );
    expect(reject.status).to.equal(303);
    expect((await AccountModel.findById(id))?.figure).to.equal(undefined);
    expect(await StatSnapshotModel.countDocuments({})).to.equal(0);
    expect(await AuditEntryModel.countDocuments({ action: 'account.figure.reject' })).to.equal(1);
    // The creator hears about both decisions, the platform named in the reader's language.
    const list = page(await creator.get('/me/notifications').set('Cookie', 'lang=en'));
    const titles = list('.notification-title a')
      .map((_, link) => list(link).text())
      .get();
    expect(titles).to.deep.equal([
      'Your figures for the Kuaishou account 3xabcdefgh12345 were not confirmed',
      'Your figures for the Kuaishou account 3xabcdefgh12345 are confirmed',
    ]);
    expect(list('.notification').first().text()).to.contain('Reason: Screenshot shows another account.');
    expect(list('.notification-title a').first().attr('href')).to.equal(`/me/accounts/${id}`);
    const zhCN = page(await creator.get('/me/notifications').set('Cookie', 'lang=zh-CN'));
    expect(zhCN('.notification-title a').first().text()).to.equal(
      '您为快手账号 3xabcdefgh12345 填报的数据未获确认',
    );
  });

  it('decides a conflict by transferring the account, once', async function () {
    const holder = await creatorIn(portal, 'holder@example.org', 'biling');
    await addAccountVia(holder, 'https://weibo.com/u/1195230310');
    const claimant = await creatorIn(portal, 'claimant@example.org', 'shijing');
    await postForm(claimant, '/me/accounts', {
      profile: 'https://weibo.com/u/1195230310',
      platform: '',
      displayName: '',
    });
    const conflict = await ConflictModel.findOne({});
    const officer = await signedIn(portal, 'admin@office.example', 'admin');
    const unrelated = await signedIn(portal, 'kz@office.example', 'officer', 'kengzi');
    expect(page(await officer.get('/office/conflicts'))('#queue [data-conflict]').length).to.equal(1);
    expect(page(await unrelated.get('/office/conflicts'))('#queue').length).to.equal(0);
    const path = `/office/conflicts/${conflict!.id}`;
    expect(
      (await postForm(unrelated, '/office/conflicts', { decision: 'transfer', reason: 'x' }, path)).status,
    ).to.equal(404);
    expect(
      (
        await postForm(
          officer,
          '/office/conflicts',
          { decision: 'transfer', reason: 'Claimant showed the login' },
          path,
        )
      ).status,
    ).to.equal(303);
    expect(
      (await postForm(officer, '/office/conflicts', { decision: 'keep', reason: 'again' }, path)).status,
    ).to.equal(303);
    const account = await AccountModel.findOne({});
    const claimantCreator = await CreatorModel.findOne({ displayName: 'claimant' });
    expect(account?.creator.toHexString()).to.equal(claimantCreator?.id);
    expect(account?.ownership.state).to.equal('unverified');
    expect((await ConflictModel.findOne({}))?.state).to.equal('transferred');
    expect(await AuditEntryModel.countDocuments({ action: /^conflict\./ })).to.equal(1);
    expect(page(await holder.get('/me'))('#notices').text()).to.contain('moves to the claimant');
  });

  it('shows the creator detail with private contact only to covering officers', async function () {
    await creatorIn(portal, 'ml@example.org', 'maluan');
    const creator = await CreatorModel.findOne({});
    const path = `/office/creators/${creator!.id}`;
    const local = await signedIn(portal, 'ml@office.example', 'officer', 'maluan');
    const res = await local.get(path);
    expect(res.status).to.equal(200);
    expect(page(res)('#contact-phone').text()).to.equal('13900000000');
    const other = await signedIn(portal, 'sj@office.example', 'officer', 'shijing');
    expect((await other.get(path)).status).to.equal(404);
    const creatorAgent = await signedIn(portal, 'peer@example.org');
    expect((await creatorAgent.get(path)).status).to.equal(403);
    expect((await creatorAgent.get('/office/ownership')).status).to.equal(403);
  });

  it('filters the audit log by actor, action and date, and refuses bad dates', async function () {
    await AuditEntryModel.create([
      {
        actor: { userId: '000000000000000000000001', email: 'a@office.example' },
        action: 'account.ownership.verify',
        target: { type: 'account', id: '1' },
        at: new Date('2026-11-01T10:00:00Z'),
      },
      {
        actor: { userId: '000000000000000000000002', email: 'b@office.example' },
        action: 'conflict.keep',
        target: { type: 'conflict', id: '2' },
        at: new Date('2026-11-20T10:00:00Z'),
      },
    ]);
    const officer = await signedIn(portal, 'reader@office.example', 'officer', 'district');
    const all = page(await officer.get('/office/audit'));
    expect(all('#entries li').length).to.be.greaterThanOrEqual(2);
    const byActor = page(await officer.get('/office/audit?actor=A@office.example'));
    expect(byActor('#entries .action').text()).to.equal('account.ownership.verify');
    const byAction = page(await officer.get('/office/audit?action=conflict.keep'));
    expect(byAction('#entries .actor').text()).to.equal('b@office.example');
    const byDate = page(await officer.get('/office/audit?from=2026-11-15&to=2026-11-30'));
    expect(byDate('#entries .action').text()).to.equal('conflict.keep');
    const injected = await officer.get('/office/audit?actor[$ne]=x');
    // "actor[$ne]" stays a literal (unknown) parameter: no operator reaches the query, nothing is filtered
    expect(injected.status).to.equal(200);
    expect(page(injected)('#entries li').length).to.equal(all('#entries li').length);
    const bad = await officer.get('/office/audit?from=yesterday');
    expect(bad.status).to.equal(422);
    expect(page(bad)('#error-from').text()).to.contain('2026-12-01');
  });
});
