// Data download and account deletion over HTTP: both ask for the password again; deletion removes
// the profile, accounts, files and user and keeps only anonymous figures.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { AuditEntryModel } from '../../../../src/features/audit/model.js';
import { imageBucketName } from '../../../../src/features/files/storage.js';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import { StatSnapshotModel } from '../../../../src/features/registry/statSnapshot.model.js';
import { StatTotalModel } from '../../../../src/features/registry/statTotal.model.js';
import { UserModel } from '../../../../src/features/users/model.js';
import { type TestApp, page, postForm, startTestApp, testPassword } from '../../../support/app.js';
import { resetDatabase } from '../../../support/database.js';
import { pngPhoto } from '../../../unit/features/files/images.js';
import { addAccountVia, postUpload, signedIn } from './helpers.js';

describe('registry: my data (download and deletion)', function () {
  let portal: TestApp;
  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(resetDatabase);

  it('downloads everything as JSON after the password, and audits the export', async function () {
    const agent = await signedIn(portal, 'me@example.org');
    await addAccountVia(agent, 'https://space.bilibili.com/546195');
    const wrong = await postForm(
      agent,
      '/me/privacy',
      { password: 'not my password' },
      '/me/privacy/download',
    );
    expect(wrong.status).to.equal(422);
    expect(page(wrong)('#error-password').text()).to.contain('not correct');
    const res = await postForm(agent, '/me/privacy', { password: testPassword }, '/me/privacy/download');
    expect(res.status).to.equal(200);
    expect(res.headers['content-disposition']).to.contain('attachment');
    const data = JSON.parse(res.text) as { user: { email: string }; accounts: { platformId: string }[] };
    expect(data.user.email).to.equal('me@example.org');
    expect(data.accounts.map((account) => account.platformId)).to.deep.equal(['546195']);
    expect(res.text).not.to.contain('passwordHash');
    expect(await AuditEntryModel.countDocuments({ action: 'creator.export' })).to.equal(1);
    const forged = await agent.post('/me/privacy/download').type('form').send({ password: testPassword });
    expect(forged.status).to.equal(403);
  });

  it('deletes the account after confirmation, keeping only anonymous figures', async function () {
    const agent = await signedIn(portal, 'me@example.org');
    const id = (
      await addAccountVia(
        agent,
        'https://www.douyin.com/user/MS4wLjABAAAAv7iSuuXDJGDvJkmH_vz1qkDZYo1apxgzaxdBlluhDvo',
      )
    ).toHexString();
    await postUpload(
      agent,
      `/me/accounts/${id}`,
      `/me/accounts/${id}/figure`,
      'figureEvidence',
      await pngPhoto(),
      { count: '1.5万' },
    );
    const unconfirmed = await postForm(
      agent,
      '/me/privacy',
      { password: testPassword },
      '/me/privacy/delete',
    );
    expect(unconfirmed.status).to.equal(422);
    expect(page(unconfirmed)('#error-confirm').text()).to.contain('Tick');
    expect(await CreatorModel.countDocuments({})).to.equal(1);
    const res = await postForm(
      agent,
      '/me/privacy',
      { password: testPassword, confirm: 'yes' },
      '/me/privacy/delete',
    );
    expect(res.status).to.equal(303);
    expect(await CreatorModel.countDocuments({})).to.equal(0);
    expect(await AccountModel.countDocuments({})).to.equal(0);
    expect(await UserModel.countDocuments({ email: 'me@example.org' })).to.equal(0);
    const files = await mongoose.connection.db!.collection(`${imageBucketName}.files`).countDocuments({});
    expect(files).to.equal(0);
    // the stat history stays only as an anonymous district total: no snapshot names the account
    expect(await StatSnapshotModel.countDocuments({})).to.equal(0);
    const totals = await StatTotalModel.find({}, { _id: 0, __v: 0 }).lean();
    expect(totals).to.deep.equal([
      {
        day: new Date().toISOString().slice(0, 10),
        street: null,
        platform: 'douyin',
        source: 'manual',
        followers: 15000,
        snapshots: 1,
      },
    ]);
    expect(JSON.stringify(totals)).not.to.contain(id);
    expect((await agent.get('/me')).status).to.equal(303);
  });

  it('leaves the audit log under a pseudonym: no entry keeps the deleted person’s address or name', async function () {
    const agent = await signedIn(portal, 'eye@example.org');
    await agent.get('/me');
    await CreatorModel.updateOne({}, { $set: { displayName: '坪山之眼', street: 'kengzi' } });
    const id = (await addAccountVia(agent, 'https://space.bilibili.com/546195')).toHexString();
    await postForm(agent, `/me/accounts/${id}`, {}, `/me/accounts/${id}/check`);
    await postForm(agent, '/me/privacy', { password: testPassword }, '/me/privacy/download');
    const officer = await signedIn(portal, 'officer@office.example', 'officer', 'kengzi');
    await postForm(
      officer,
      '/office/ownership',
      { decision: 'reject', reason: '坪山之眼 did not show the code' },
      `/office/accounts/${id}/ownership`,
    );
    const creatorId = (await CreatorModel.findOne())!.id;
    await AuditEntryModel.updateOne(
      { action: 'account.ownership.reject' },
      { $set: { 'details.creatorName': '坪山之眼', 'details.contact': 'mail eye@example.org' } },
    );
    expect(await AuditEntryModel.countDocuments({ 'actor.email': 'eye@example.org' })).to.equal(1);

    const res = await postForm(
      agent,
      '/me/privacy',
      { password: testPassword, confirm: 'yes' },
      '/me/privacy/delete',
    );
    expect(res.status).to.equal(303);
    const entries = await AuditEntryModel.find({}).sort({ at: 1 }).lean();
    const text = JSON.stringify(entries);
    expect(text).not.to.contain('eye@example.org');
    expect(text).not.to.contain('"坪山之眼"');
    const own = entries.filter((entry) => ['creator.export', 'creator.delete'].includes(entry.action));
    expect(own).to.have.length(2);
    const pseudonym = own[0]?.actor?.email;
    expect(pseudonym).to.match(/^deleted-[0-9a-f]{10}$/);
    expect(own[1]?.actor?.email).to.equal(pseudonym);
    expect(own[1]?.target).to.deep.equal({ type: 'creator', id: creatorId });
    // the officer's entry stays the officer's; what it said about the person is pseudonymous
    const decision = entries.find((entry) => entry.action === 'account.ownership.reject');
    expect(decision?.actor?.email).to.equal('officer@office.example');
    expect(decision?.details).to.deep.include({ creatorName: pseudonym, contact: `mail ${pseudonym}` });
  });
});
