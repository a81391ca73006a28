// Accounts over HTTP: pasting addresses, refusals, the ownership request, evidence and manual
// figures, the conflict path, and another creator's ids (404, nothing changed).
import { expect } from 'chai';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { ConflictModel } from '../../../../src/features/registry/conflict.model.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import { StatSnapshotModel } from '../../../../src/features/registry/statSnapshot.model.js';
import { type TestApp, page, postForm, startTestApp } from '../../../support/app.js';
import { resetDatabase } from '../../../support/database.js';
import { pngPhoto } from '../../../unit/features/files/images.js';
import { addAccountVia, postUpload, signedIn } from './helpers.js';

describe('registry: a creator’s accounts', function () {
  let portal: TestApp;
  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(resetDatabase);

  it('fills platform and id from a pasted address and lists the account with its state', async function () {
    const agent = await signedIn(portal, 'a@example.org');
    const res = await postForm(agent, '/me/accounts', {
      profile: 'https://m.weibo.cn/u/1195230310?from=share&t=1',
      platform: '',
      displayName: '坪山之眼',
    });
    expect(res.status).to.equal(303);
    const account = await AccountModel.findOne({});
    expect(account?.platform).to.equal('weibo');
    expect(account?.platformId).to.equal('1195230310');
    expect(account?.ownership.state).to.equal('unverified');
    expect(res.headers.location).to.equal(`/me/accounts/${account!.id}`);
    const list = page(await agent.get('/me/accounts'));
    expect(list('#accounts').text()).to.contain('Weibo · 坪山之眼');
    expect(list('#accounts').text()).to.contain('Not verified');
  });

  it('refuses javascript:, data:, wrong-platform, short links without an id, and 10 kB input', async function () {
    const agent = await signedIn(portal, 'a@example.org');
    const cases: [string, string, string][] = [
      ['javascript:alert(1)//weibo.com/u/1', '', 'http:// or https://'],
      ['data:text/html,<b>x</b>', '', 'http:// or https://'],
      ['https://space.bilibili.com/546195', 'weibo', 'Bilibili address'],
      ['https://v.douyin.com/iRNBho6/', '', 'short links'],
      ['https://example.org/u/1', '', 'not recognised'],
      ['x'.repeat(10_000), 'weibo', 'too long'],
      ['12ab', 'weibo', 'format'],
    ];
    for (const [profile, platform, message] of cases) {
      const res = await postForm(agent, '/me/accounts', { profile, platform, displayName: '' });
      expect(res.status, profile.slice(0, 40)).to.equal(422);
      expect(page(res)('#error-profile').text(), profile.slice(0, 40)).to.contain(message);
    }
    const unknown = await postForm(agent, '/me/accounts', {
      profile: '123',
      platform: 'myspace',
      displayName: '',
    });
    expect(unknown.status).to.equal(422);
    expect(page(unknown)('#error-platform').text()).to.contain('Choose a platform');
    expect(await AccountModel.countDocuments({})).to.equal(0);
  });

  it('accepts a short-link platform with the id typed, and a double submit adds one account', async function () {
    const agent = await signedIn(portal, 'a@example.org');
    const fields = {
      profile: 'MS4wLjABAAAAv7iSuuXDJGDvJkmH_vz1qkDZYo1apxgzaxdBlluhDvo',
      platform: 'douyin',
      displayName: '',
    };
    expect((await postForm(agent, '/me/accounts', fields)).status).to.equal(303);
    const again = await postForm(agent, '/me/accounts', fields);
    expect(again.status).to.equal(303);
    expect(await AccountModel.countDocuments({})).to.equal(1);
  });

  it('moves ownership to pending on request, keeps the history, and takes evidence', async function () {
    const agent = await signedIn(portal, 'a@example.org');
    const id = await addAccountVia(agent, 'https://space.bilibili.com/546195');
    const accountPage = page(await agent.get(`/me/accounts/${id.toHexString()}`));
    const account = await AccountModel.findById(id);
    expect(accountPage('#ownership-code').text()).to.contain(account!.ownership.code);
    const check = await postForm(
      agent,
      `/me/accounts/${id.toHexString()}`,
      {},
      `/me/accounts/${id.toHexString()}/check`,
    );
    expect(check.status).to.equal(303);
    const twice = await postForm(
      agent,
      `/me/accounts/${id.toHexString()}`,
      {},
      `/me/accounts/${id.toHexString()}/check`,
    );
    expect(twice.status).to.equal(303);
    const pending = await AccountModel.findById(id);
    expect(pending?.ownership.state).to.equal('pending');
    expect(pending?.ownership.history.map((entry) => entry.state)).to.deep.equal(['pending']);
    const upload = await postUpload(
      agent,
      `/me/accounts/${id.toHexString()}`,
      `/me/accounts/${id.toHexString()}/evidence`,
      'evidence',
      await pngPhoto(),
    );
    expect(upload.status).to.equal(303);
    expect((await AccountModel.findById(id))?.ownership.evidence).to.have.length(1);
    const hostile = await postUpload(
      agent,
      `/me/accounts/${id.toHexString()}`,
      `/me/accounts/${id.toHexString()}/evidence`,
      'evidence',
      Buffer.from('GIF89a but not really'),
    );
    expect(hostile.status).to.equal(422);
    expect((await AccountModel.findById(id))?.ownership.evidence).to.have.length(1);
  });

  it('records a manual figure as unconfirmed with a snapshot, and refuses unreadable counts', async function () {
    const agent = await signedIn(portal, 'a@example.org');
    const id = (
      await addAccountVia(agent, 'https://www.xiaohongshu.com/user/profile/5ff0e6410000000001008400')
    ).toHexString();
    const bad = await postUpload(
      agent,
      `/me/accounts/${id}`,
      `/me/accounts/${id}/figure`,
      'figureEvidence',
      await pngPhoto(),
      { count: 'lots' },
    );
    expect(bad.status).to.equal(422);
    expect(page(bad)('#error-count').text()).to.contain('cannot be read');
    const res = await postUpload(
      agent,
      `/me/accounts/${id}`,
      `/me/accounts/${id}/figure`,
      'figureEvidence',
      await pngPhoto(),
      { count: '1.2万' },
    );
    expect(res.status).to.equal(303);
    const account = await AccountModel.findById(id);
    expect(account?.figure?.followers).to.equal(12000);
    expect(account?.figure?.precision).to.equal('abbreviated');
    expect(account?.figure?.confirmedAt).to.equal(undefined);
    expect(page(await agent.get(`/me/accounts/${id}`))('#figure').text()).to.contain('unconfirmed');
    const again = await postUpload(
      agent,
      `/me/accounts/${id}`,
      `/me/accounts/${id}/figure`,
      'figureEvidence',
      await pngPhoto(),
      { count: '12,345' },
    );
    expect(again.status).to.equal(303);
    const snapshots = await StatSnapshotModel.find({ account: id });
    expect(snapshots).to.have.length(1);
    expect(snapshots[0]?.followers).to.equal(12345);
  });

  it('opens a conflict when the account is held by someone else, and tells both', async function () {
    const holder = await signedIn(portal, 'holder@example.org');
    await addAccountVia(holder, 'https://weibo.com/u/1195230310');
    const claimant = await signedIn(portal, 'claimant@example.org');
    const res = await postForm(claimant, '/me/accounts', {
      profile: 'weibo.com/1195230310',
      platform: '',
      displayName: '',
    });
    expect(res.status).to.equal(303);
    expect(
      page(await claimant.get('/me/accounts'))('.flash, [role=status]').text() +
        (await claimant.get('/me')).text,
    ).to.contain('held by');
    const again = await postForm(claimant, '/me/accounts', {
      profile: 'weibo.com/1195230310',
      platform: '',
      displayName: '',
    });
    expect(again.status).to.equal(303);
    expect(await ConflictModel.countDocuments({ state: 'open' })).to.equal(1);
    expect(await AccountModel.countDocuments({})).to.equal(1);
    expect(page(await holder.get('/me'))('#notices').text()).to.contain(
      'Someone else claimed your Weibo account 1195230310',
    );
    expect(page(await claimant.get('/me'))('#notices').text()).to.contain('held by someone else');
  });

  it('answers 404 for another creator’s account on every route and changes nothing', async function () {
    const owner = await signedIn(portal, 'owner@example.org');
    const id = (await addAccountVia(owner, 'https://space.bilibili.com/546195')).toHexString();
    const before = await AccountModel.findById(id).lean();
    const intruder = await signedIn(portal, 'intruder@example.org');
    expect((await intruder.get(`/me/accounts/${id}`)).status).to.equal(404);
    for (const action of ['', '/remove', '/check'])
      expect(
        (await postForm(intruder, '/me', { displayName: 'x' }, `/me/accounts/${id}${action}`)).status,
        action,
      ).to.equal(404);
    for (const action of ['/evidence', '/figure'])
      expect(
        (
          await postUpload(intruder, '/me', `/me/accounts/${id}${action}`, 'evidence', await pngPhoto(), {
            count: '5',
          })
        ).status,
        action,
      ).to.equal(404);
    expect(await AccountModel.findById(id).lean()).to.deep.equal(before);
    // an officer's id in the URL is no way around it either
    expect((await intruder.get('/me/accounts/not-an-id')).status).to.equal(404);
    expect(await CreatorModel.countDocuments({})).to.equal(2);
  });

  it('renames and removes an account', async function () {
    const agent = await signedIn(portal, 'a@example.org');
    const id = (await addAccountVia(agent, 'https://x.com/pingshan_eye')).toHexString();
    expect((await postForm(agent, `/me/accounts/${id}`, { displayName: '坪山之眼 X' })).status).to.equal(303);
    expect((await AccountModel.findById(id))?.displayName).to.equal('坪山之眼 X');
    expect((await postForm(agent, `/me/accounts/${id}`, {}, `/me/accounts/${id}/remove`)).status).to.equal(
      303,
    );
    expect(await AccountModel.countDocuments({})).to.equal(0);
  });
});
