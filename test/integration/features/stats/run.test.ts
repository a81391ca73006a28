// The recurring pull end to end: a portal (startPortal) on its own database, its platforms pointed
// at the fixture server, the run walking the due accounts and storing what a user then sees:
// latest figures with source and as-of, one snapshot per account and day, the run's counts per
// platform, failing accounts' last errors, anomaly flags, automatic ownership verification.
import { expect } from 'chai';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import { StatSnapshotModel } from '../../../../src/features/registry/statSnapshot.model.js';
import { syntheticCount, syntheticOwnershipCode } from '../../../../src/features/stats/fixtureSynth.js';
import { StatRunModel } from '../../../../src/features/stats/run.model.js';
import { runPull } from '../../../../src/features/stats/runService.js';
import { runJobNow } from '../../../../src/scheduler/index.js';
import { startTestApp, type TestApp } from '../../../support/app.js';
import { resetDatabase } from '../../../support/database.js';
import { until } from '../../../support/wait.js';
import { insertAccounts } from './accounts.js';
import { type FixtureServer, pullerEnv, requestsFor, startFixtureServer } from './helpers.js';
import { createLogger } from '../../../../src/logger.js';

describe('stats puller: the recurring run against the fixture server', function () {
  this.timeout(30_000);
  let server: FixtureServer;
  let portal: TestApp;
  const run = () =>
    runPull({
      config: portal.config,
      logger: createLogger(portal.config),
      signal: new AbortController().signal,
    });

  before(async function () {
    server = await startFixtureServer();
    portal = await startTestApp(pullerEnv(server));
  });
  beforeEach(async function () {
    await resetDatabase();
    server.requests.length = 0;
  });
  after(async function () {
    await portal?.stop();
    await server?.close();
  });

  it('stores each figure with its source and as-of, one snapshot each, and the run with counts per platform', async function () {
    const [bili, missing, failing] = await insertAccounts('bilibili', ['10000001', '404', 'fault-500']);
    const [weibo] = await insertAccounts('weibo', ['2000000002']);
    const [youtube] = await insertAccounts('youtube', ['UCsyntheticchannel000001']);
    const [douyin] = await insertAccounts('douyin', ['manual-only']);
    if (!bili || !weibo || !youtube) throw new Error('accounts were not stored');

    const result = await run();
    expect(result.outcome).to.equal('finished');

    const stored = await AccountModel.findById(bili).lean();
    expect(stored?.figure).to.include({ followers: 919515, source: 'public_web', precision: 'exact' });
    expect(stored?.figure?.asOf).to.be.instanceOf(Date);
    const weiboFigure = (await AccountModel.findById(weibo).lean())?.figure;
    expect(weiboFigure).to.include({ followers: syntheticCount('2000000002'), source: 'public_web' });
    expect((await AccountModel.findById(youtube).lean())?.figure).to.include({
      followers: syntheticCount('UCsyntheticchannel000001'),
      source: 'official_api',
    });
    expect(await StatSnapshotModel.countDocuments({ account: { $in: [bili, weibo, youtube] } })).to.equal(3);

    const notFound = (await AccountModel.findById(missing).lean())?.pull;
    expect(notFound).to.include({ lastOutcome: 'not_found', failures: 1 });
    const broken = (await AccountModel.findById(failing).lean())?.pull;
    expect(broken?.lastOutcome).to.equal('transient');
    expect(broken?.lastError).to.match(/^transient/);
    expect(broken?.lastTriedAt).to.be.instanceOf(Date);
    // manual platforms are never requested nor touched
    expect((await AccountModel.findById(douyin).lean())?.pull).to.equal(undefined);

    const stat = await StatRunModel.findOne().lean();
    expect(stat).to.include({ state: 'finished' });
    expect(stat?.active).to.equal(undefined);
    expect(stat?.endedAt).to.be.instanceOf(Date);
    expect(stat?.platforms?.bilibili).to.include({ due: 3, done: 3, figure: 1, not_found: 1, transient: 1 });
    expect(stat?.platforms?.weibo).to.include({ due: 1, done: 1, figure: 1 });
    expect(stat?.totals).to.include({ figure: 3, not_found: 1, transient: 1 });
  });

  it('a second run the same day finds nothing due: no request, no second snapshot', async function () {
    const ids = await insertAccounts('x', ['lighthouse_a', 'lighthouse_b']);
    await run();
    const requestsAfterFirst = requestsFor(server, 'x').length;
    expect(requestsAfterFirst).to.equal(2);
    await run();
    expect(requestsFor(server, 'x').length).to.equal(requestsAfterFirst);
    expect(await StatSnapshotModel.countDocuments({ account: { $in: ids } })).to.equal(2);
    expect(await StatRunModel.countDocuments({ state: 'finished' })).to.equal(2);
  });

  it('keeps a count that jumped a hundredfold but flags it on the figure and the snapshot', async function () {
    const [account] = await insertAccounts('toutiao', ['MS4wLjABAAAAsynthetic'], { followers: 1 });
    await run();
    const stored = await AccountModel.findById(account).lean();
    expect(stored?.figure?.followers).to.equal(syntheticCount('MS4wLjABAAAAsynthetic'));
    expect(stored?.figure?.anomaly).to.equal('jumped');
    expect((await StatSnapshotModel.findOne({ account }).lean())?.anomaly).to.equal('jumped');
  });

  it('verifies a pending account whose public bio shows its code, as an automatic check, and tells the creator', async function () {
    const uid = '3000000003';
    const [shown] = await insertAccounts('weibo', [uid], {
      state: 'pending',
      code: syntheticOwnershipCode(uid),
    });
    const [absent] = await insertAccounts('bilibili', ['30000004'], { state: 'pending', code: 'LH-ABCDE' });
    await run();
    const verified = await AccountModel.findById(shown).lean();
    expect(verified?.ownership.state).to.equal('verified');
    expect(verified?.ownership.history.at(-1)).to.include({ state: 'verified', automatic: true });
    const creator = await CreatorModel.findById(verified?.creator).lean();
    expect(creator?.notices.at(-1)).to.include({ kind: 'ownership_decided' });
    // Bilibili's card (bio) was read, but the code is not in it: an officer still decides
    expect(requestsFor(server, 'bilibili', '/x/web-interface/card?mid=30000004')).to.have.length(1);
    expect((await AccountModel.findById(absent).lean())?.ownership.state).to.equal('pending');
  });

  it('runs as the scheduled job stats.pull (agenda) and records the run', async function () {
    await insertAccounts('bilibili', ['10000001']);
    await runJobNow('stats.pull');
    await until(async () => (await StatRunModel.countDocuments({ state: 'finished' })) === 1, 10_000);
    expect(await StatSnapshotModel.countDocuments()).to.equal(1);
  });
});
