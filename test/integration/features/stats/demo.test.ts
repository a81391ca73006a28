// The demo as `npm start` runs it: the portal serves the platforms' fixtures itself (development),
// the demo district's accounts map to fixture answers (successes, hidden, not found, blocked), the
// seeded feed state shows on /office/stats, the recurring pull and "refresh now" work offline, and
// the fixture server stops with the portal.
import { expect } from 'chai';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import type { PlatformKey } from '../../../../src/features/registry/platforms/index.js';
import { StatSnapshotModel } from '../../../../src/features/registry/statSnapshot.model.js';
import { StatRunModel } from '../../../../src/features/stats/run.model.js';
import { runJobNow } from '../../../../src/scheduler/index.js';
import { seedDemoDistrict } from '../../../../seeds/demo.js';
import { demoPassword } from '../../../../seeds/district.js';
import { page, postForm, signIn, startTestApp, type TestApp } from '../../../support/app.js';
import { until } from '../../../support/wait.js';

const account = (platform: PlatformKey, platformId: string) =>
  AccountModel.findOne({ platform, platformId }).lean();

describe('stats puller: the demo (fixture server in the portal, seeded feed state)', function () {
  this.timeout(60_000);
  let portal: TestApp;
  let fixtureUrl: string;

  before(async function () {
    portal = await startTestApp({
      PULLER_FIXTURE_SERVER: '1',
      PULLER_ENABLED: '1',
      PULLER_MIN_INTERVAL_MS: '0',
      PULLER_JITTER_MS: '0',
      PULLER_RETRIES: '0',
      PULLER_LOCK_SECONDS: '3',
      SCHEDULER_POLL_MS: '200',
      DEFAULT_LANGUAGE: 'en',
    });
    fixtureUrl = portal.config.puller.platforms.bilibili.baseUrl;
    await seedDemoDistrict();
  });
  after(async function () {
    await portal?.stop();
  });

  it('points the platforms at its own fixture server on a free loopback port', function () {
    expect(fixtureUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\/bilibili$/);
    expect(fixtureUrl).to.not.include(':4010/');
  });

  it('pulls the demo accounts offline: successes, a hidden count, a paused platform and an open breaker', async function () {
    const seededAt = new Date();
    await runJobNow('stats.pull');
    await until(
      async () => Boolean(await StatRunModel.exists({ state: 'finished', startedAt: { $gte: seededAt } })),
      30_000,
    );
    expect((await account('bilibili', '546195'))?.figure).to.include({
      followers: 48960,
      source: 'public_web',
    });
    expect((await account('weibo', '6543210002'))?.figure).to.include({
      followers: 31480,
      source: 'public_web',
    });
    expect((await account('youtube', '@inpingshan'))?.pull?.lastOutcome).to.equal('hidden');
    // X is paused and Toutiao's breaker is open: neither is asked, their seeded state stays
    expect((await account('x', 'inpingshan'))?.pull).to.include({ failures: 4, lastOutcome: 'not_found' });
    expect((await account('toutiao', '4000000000004'))?.pull?.lastOutcome).to.equal('blocked');
    // the flagged figure was tried an hour ago: not due, still flagged
    const flagged = await account('weibo', '6543210001');
    expect(flagged?.figure?.anomaly).to.equal('jumped');
    // and its history says so: the figure is a hundredfold the snapshot before it
    const [latest, before] = await StatSnapshotModel.find({ account: flagged?._id })
      .sort({ at: -1 })
      .limit(2)
      .lean();
    expect(latest?.followers).to.equal(flagged?.figure?.followers);
    expect(latest!.followers).to.be.at.least(100 * before!.followers);
  });

  it('shows every state of the feed on /office/stats', async function () {
    const agent = portal.agent();
    expect((await signIn(agent, 'admin@lighthouse.example', demoPassword)).status).to.equal(303);
    const $ = page(await agent.get('/office/stats'));
    expect($('#platform-x .paused').length).to.equal(1);
    expect($('#platform-toutiao').text()).to.include('stopped after a ban answer');
    expect($('#failing').text()).to.include('inpingshan');
    expect($('#flagged').text()).to.include('6543210001').and.include('jumped a hundredfold');
    const runs = $('#runs').text();
    expect(runs).to.include('finished');
    expect(runs).to.match(/[1-9]\d* errors/);
  });

  it('refreshes a demo account from the office creator page through the in-process fixture server', async function () {
    const agent = portal.agent();
    expect((await signIn(agent, 'admin@lighthouse.example', demoPassword)).status).to.equal(303);
    await AccountModel.updateOne({ platform: 'bilibili', platformId: '546195' }, { $unset: { figure: '' } });
    const target = await account('bilibili', '546195');
    const creatorPage = `/office/creators/${String(target?.creator)}`;
    const res = await postForm(
      agent,
      creatorPage,
      { back: 'creator' },
      `/office/accounts/${String(target?._id)}/refresh`,
    );
    expect(res.status).to.equal(303);
    await until(async () => (await account('bilibili', '546195'))?.figure?.followers === 48960, 20_000);
  });

  it('stops the fixture server with the portal', async function () {
    await portal.stop();
    const answer = await fetch(`${fixtureUrl}/x/relation/stat?vmid=546195`).catch((error: unknown) => error);
    expect(answer).to.be.instanceOf(Error);
    // restarted for after(): stop() twice must not fail the suite
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
  });
});
