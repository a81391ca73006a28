// The registry's notices on the creator's dashboard are keyed by the decision they tell about,
// like notify()'s notifications: a decision told twice (a retry, a job run again) shows once on
// the dashboard and in the notifications, and a different decision is a notice of its own.
import { expect } from 'chai';
import { NotificationModel } from '../../../../src/features/notifications/model.js';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import { notify } from '../../../../src/features/registry/notify.js';
import { type TestApp, page, startTestApp } from '../../../support/app.js';
import { resetDatabase } from '../../../support/database.js';
import { addAccountVia, signedIn } from './helpers.js';

describe('registry: notices to the creator', function () {
  let portal: TestApp;
  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(resetDatabase);

  it('tells a decision once however often it is told, and each decision once', async function () {
    const agent = await signedIn(portal, 'mei@example.org');
    await agent.get('/me');
    const accountId = await addAccountVia(agent, 'https://space.bilibili.com/546195');
    const account = (await AccountModel.findById(accountId))!;
    const creator = (await CreatorModel.findOne({}))!;
    const verified = { platform: 'bilibili', platformId: '546195', reason: '', state: 'verified' };
    const decision = `ownership:${account.id}:2026-12-01T08:00:00.000Z`;
    await notify(creator._id, 'ownership_decided', verified, account._id, decision);
    await notify(creator._id, 'ownership_decided', verified, account._id, decision);
    await Promise.all([
      notify(creator._id, 'ownership_decided', verified, account._id, decision),
      notify(creator._id, 'ownership_decided', verified, account._id, decision),
    ]);

    const dashboard = page(await agent.get('/me'));
    expect(dashboard('#notices li')).to.have.length(1);
    expect(dashboard('#notices li').text()).to.contain('546195');
    expect(await NotificationModel.countDocuments({ kind: 'ownership.verified' })).to.equal(1);

    // Another decision about the same account is a notice of its own.
    const rejected = { ...verified, state: 'rejected', reason: 'blurry screenshot' };
    await notify(creator._id, 'ownership_decided', rejected, account._id, `${decision}:later`);
    expect(page(await agent.get('/me'))('#notices li')).to.have.length(2);
    expect((await CreatorModel.findById(creator._id))!.notices.map((n) => n.key)).to.deep.equal([
      decision,
      `${decision}:later`,
    ]);
  });
});
