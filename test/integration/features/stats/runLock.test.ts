// The recurring pull across instances: portals as separate processes (src/server.ts, as `npm start`
// runs it) on one database, and this test process as one more instance. One run at a time across
// all; a process killed in the middle of a run leaves an expired lock that another instance takes
// over, resuming the same run without a duplicate snapshot and without losing an account. (This
// process runs no scheduler of its own, so the runs are the child processes'.)
import { type ResultPromise, execa } from 'execa';
import { expect } from 'chai';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { StatSnapshotModel } from '../../../../src/features/registry/statSnapshot.model.js';
import { StatRunModel } from '../../../../src/features/stats/run.model.js';
import mongoose from 'mongoose';
import { type Config, loadConfig } from '../../../../src/config.js';
import { ensureIndexes } from '../../../../src/db/connection.js';
import { runPull } from '../../../../src/features/stats/runService.js';
import { createLogger } from '../../../../src/logger.js';
import { testEnv } from '../../../support/app.js';
import { resetDatabase, startTestDatabase, type TestDatabase } from '../../../support/database.js';
import { until } from '../../../support/wait.js';
import { insertAccounts } from './accounts.js';
import { type FixtureServer, pullerEnv, requestsFor, startFixtureServer } from './helpers.js';

const accountIds = Array.from({ length: 16 }, (_, index) => String(50_000_001 + index));

describe('stats puller: one run at a time across instances, resumed after a kill', function () {
  this.timeout(240_000);
  let server: FixtureServer;
  let db: TestDatabase;
  let config: Config;
  let children: ResultPromise[] = [];
  const settings = {
    PULLER_LOCK_SECONDS: '2',
    PULLER_BATCH_SIZE: '2',
    PULLER_BILIBILI_MIN_INTERVAL_MS: '100',
    // A request timed out on a busy machine would be asked again later in the run and break the
    // count of requests below, which is about the kill, not about timeouts.
    PULLER_TIMEOUT_MS: '10000',
  };

  /** The portal as a separate process on the same database, scheduling the recurring pull. */
  function startInstance(): ResultPromise {
    const env = {
      ...testEnv(db, pullerEnv(server, { ...settings, PULLER_ENABLED: '1' })),
      MONGO_LANE: 'uri',
      MONGODB_URI: db.uri,
      LOG_LEVEL: 'warn',
    };
    const child = execa(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, reject: false });
    children.push(child);
    return child;
  }

  const bilibiliStats = () => requestsFor(server, 'bilibili', '/x/relation/stat');

  before(async function () {
    server = await startFixtureServer();
    db = await startTestDatabase();
    await mongoose.connect(db.uri, { dbName: db.dbName });
    await ensureIndexes();
    config = loadConfig(testEnv(db, pullerEnv(server, settings)));
  });
  beforeEach(async function () {
    await resetDatabase();
    server.requests.length = 0;
    await insertAccounts('bilibili', accountIds);
  });
  afterEach(async function () {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(children);
    children = [];
  });
  after(async function () {
    await mongoose.disconnect();
    await db?.stop();
    await server?.close();
  });

  // One test, because each instance is a process that takes a while to start on a busy machine.
  it('runs once across instances; a process killed mid-run is taken over and its run resumed, no duplicate, none lost', async function () {
    const killed = startInstance();
    await until(async () => (await StatSnapshotModel.countDocuments()) >= 2, 120_000);
    const other = await StatRunModel.findOne({ active: true }).lean();
    expect(other?.instance).to.be.a('string');

    // this process as a second instance: it watches the run's heartbeat move and leaves it alone
    const attempt = await runPull({
      config,
      logger: createLogger(config),
      signal: new AbortController().signal,
    });
    expect(attempt).to.deep.equal({ outcome: 'busy', runId: String(other?._id) });
    expect(await StatRunModel.countDocuments()).to.equal(1);

    killed.kill('SIGKILL');
    await killed;
    const interrupted = await StatRunModel.findOne({ active: true }).lean();
    expect(interrupted?.state).to.equal('running');
    expect(await StatSnapshotModel.countDocuments()).to.be.below(16);

    // a new instance finds the run's heartbeat stopped (and the lock expired): it takes it over
    void startInstance();
    await until(async () => (await StatRunModel.countDocuments({ state: 'finished' })) === 1, 120_000);

    const resumed = await StatRunModel.findOne().lean();
    expect(String(resumed?._id)).to.equal(String(interrupted?._id));
    expect(resumed?.resumes).to.equal(1);
    expect(resumed?.instance).to.not.equal(other?.instance);
    expect(await StatRunModel.countDocuments()).to.equal(1);
    // every account pulled, each with exactly one snapshot
    const snapshots = await StatSnapshotModel.find().lean();
    expect(snapshots).to.have.length(16);
    expect(new Set(snapshots.map((snapshot) => String(snapshot.account))).size).to.equal(16);
    expect(await AccountModel.countDocuments({ 'figure.source': 'public_web' })).to.equal(16);
    // at most the request in flight at the kill was sent twice; no account was asked for by both
    // instances otherwise
    expect(new Set(bilibiliStats().map((request) => request.url)).size).to.equal(16);
    expect(bilibiliStats().length).to.be.within(16, 17);
  });
});
