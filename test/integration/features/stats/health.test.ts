// /office/stats: what an officer sees of the feed (platforms, the run in progress with a progress
// bar and a reload, repeatedly failing accounts) and an admin's pause, audited.
import { expect } from 'chai';
import { AuditEntryModel } from '../../../../src/features/audit/model.js';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { PlatformStateModel } from '../../../../src/features/stats/platformState.model.js';
import { StatRunModel } from '../../../../src/features/stats/run.model.js';
import { page, postForm, startTestApp, type TestApp } from '../../../support/app.js';
import { resetDatabase } from '../../../support/database.js';
import { signedIn } from '../registry/helpers.js';
import { insertAccounts } from './accounts.js';

describe("stats puller: the officers' feed-health page", function () {
  this.timeout(30_000);
  let portal: TestApp;
  before(async function () {
    portal = await startTestApp({ PULLER_ENABLED: '0', DEFAULT_LANGUAGE: 'en' });
  });
  beforeEach(resetDatabase);
  after(async function () {
    await portal?.stop();
  });

  it('shows the run in progress per platform with a progress bar, reloading itself, and failing accounts', async function () {
    const [failing] = await insertAccounts('bilibili', ['412']);
    await AccountModel.updateOne(
      { _id: failing },
      { $set: { 'pull.failures': 4, 'pull.lastError': 'blocked: -412' } },
    );
    const now = new Date();
    await StatRunModel.create({
      active: true,
      startedAt: now,
      dueBefore: now,
      heartbeatAt: now,
      instance: 'test',
      platforms: { bilibili: { due: 10, done: 4 } },
    });
    const agent = await signedIn(portal, 'officer@example.org', 'officer');
    const res = await agent.get('/office/stats');
    expect(res.status).to.equal(200);
    const $ = page(res);
    expect($('meta[http-equiv="refresh"]').attr('content')).to.equal('15');
    expect($('#active-run progress').first().attr('value')).to.equal('4');
    expect($('#active-run').text()).to.include('4 / 10');
    expect($('#failing').text()).to.include('blocked: -412');
    expect($('#platform-bilibili').length).to.equal(1);
  });

  it('lets an admin pause a platform (audited); no reload when no run is active', async function () {
    const agent = await signedIn(portal, 'admin@example.org', 'admin');
    const res = await postForm(agent, '/office/stats', { action: 'pause' }, '/office/stats/platforms/weibo');
    expect(res.status).to.equal(303);
    expect((await PlatformStateModel.findOne({ platform: 'weibo' }).lean())?.paused).to.equal(true);
    expect(await AuditEntryModel.countDocuments({ action: 'stats.platform.pause' })).to.equal(1);
    const $ = page(await agent.get('/office/stats'));
    expect($('#platform-weibo .paused').length).to.equal(1);
    expect($('meta[http-equiv="refresh"]').length).to.equal(0);
  });

  it('answers a pause without a valid action with 400 and an unknown platform with 404, changing nothing', async function () {
    const agent = await signedIn(portal, 'admin@example.org', 'admin');
    for (const fields of [{}, { action: 'explode' }] as Record<string, string>[]) {
      const res = await postForm(agent, '/office/stats', fields, '/office/stats/platforms/weibo');
      expect(res.status).to.equal(400);
      expect(page(res)('h1').text()).to.include('The request could not be understood');
    }
    const unknown = await postForm(
      agent,
      '/office/stats',
      { action: 'pause' },
      '/office/stats/platforms/myspace',
    );
    expect(unknown.status).to.equal(404);
    expect(await PlatformStateModel.countDocuments({ paused: true })).to.equal(0);
    expect(await AuditEntryModel.countDocuments({ action: /^stats\.platform\./ })).to.equal(0);
  });
});
