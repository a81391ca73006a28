// agenda 6 with @agendajs/mongo-backend against the test database lane: define, schedule, lock,
// run, reschedule and fail, as they behave on a standalone mongod. Runs unchanged on MONGODB_URI.
import { Agenda, type Job } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import { expect } from 'chai';
import { type Db, MongoClient, ObjectId } from 'mongodb';
import { type TestDatabase, startTestDatabase } from '../../support/database.js';
import { sleep, until } from '../../support/wait.js';

interface JobDoc {
  _id: ObjectId;
  name: string;
  type: string;
  nextRunAt: Date | null;
  lastRunAt: Date | null;
  lastFinishedAt: Date | null;
  lockedAt: Date | null;
  failReason: string | null;
  failCount: number | null;
  failedAt: Date | null;
  repeatInterval: string | null;
  lastModifiedBy: string | null;
  data: unknown;
}

interface RunDoc {
  jobId: string;
  worker: string;
  at: Date;
  payload?: unknown;
}

describe('agenda on the test database lane', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let client: MongoClient;
  let db: Db;
  let started: Agenda[] = [];
  let collection = '';
  let counter = 0;

  before(async function () {
    database = await startTestDatabase();
    client = await MongoClient.connect(database.uri, { serverSelectionTimeoutMS: 10_000 });
    db = client.db(database.dbName);
  });

  after(async function () {
    await client?.close();
    await database?.stop();
  });

  beforeEach(function () {
    counter += 1;
    collection = `agendaJobs_${counter}`; // every test its own job collection
  });

  afterEach(async function () {
    await Promise.all(started.map((agenda) => agenda.stop(false)));
    started = [];
  });

  const jobs = () => db.collection<JobDoc>(collection);
  const runs = () => db.collection<RunDoc>(`${collection}_runs`);

  async function makeAgenda(name: string): Promise<Agenda> {
    const agenda = new Agenda({
      name,
      backend: new MongoBackend({ mongo: db, collection }),
      processEvery: 100,
      defaultLockLifetime: 10_000,
    });
    await agenda.ready;
    return agenda;
  }

  async function start(agenda: Agenda): Promise<Agenda> {
    started.push(agenda);
    await agenda.start();
    return agenda;
  }

  /** A job that records each run in the runs collection. */
  function defineRecorder(agenda: Agenda, worker: string, name = 'record'): void {
    agenda.define(name, async (job: Job<unknown>) => {
      await runs().insertOne({
        jobId: String(job.attrs._id),
        worker,
        at: new Date(),
        payload: job.attrs.data,
      });
    });
  }

  it('creates its lock index on the job collection', async function () {
    await makeAgenda('indexer');
    const indexes = await jobs().listIndexes().toArray();
    const lock = indexes.find((index) => index.name === 'findAndLockNextJobIndex');
    expect(lock?.key).to.deep.equal({ name: 1, nextRunAt: 1, priority: -1, lockedAt: 1, disabled: 1 });
  });

  it('now() runs a defined job once and records its completion', async function () {
    const agenda = await makeAgenda('worker-a');
    defineRecorder(agenda, 'a');
    const completed = new Promise<void>((resolve) => agenda.once('complete:record', () => resolve()));
    await start(agenda);
    const job = await agenda.now('record', { greeting: 'hello' });
    await completed;
    await sleep(400); // several more polling rounds: it must not run again
    const recorded = await runs().find().toArray();
    expect(recorded).to.have.length(1);
    expect(recorded[0]).to.include({ jobId: String(job.attrs._id), worker: 'a' });
    expect(recorded[0]?.payload).to.deep.equal({ greeting: 'hello' });
    const stored = await jobs().findOne({ _id: new ObjectId(String(job.attrs._id)) });
    expect(stored).to.include({
      name: 'record',
      type: 'normal',
      nextRunAt: null,
      lockedAt: null,
      failCount: null,
    });
    expect(stored?.lastRunAt).to.be.instanceOf(Date);
    expect(stored?.lastFinishedAt).to.be.instanceOf(Date);
    expect(stored!.lastFinishedAt!.getTime()).to.be.at.least(stored!.lastRunAt!.getTime());
  });

  it('schedule() waits until the given time', async function () {
    const agenda = await makeAgenda('worker-s');
    defineRecorder(agenda, 's');
    await start(agenda);
    const when = new Date(Date.now() + 700);
    const job = await agenda.schedule(when, 'record', { n: 1 });
    const stored = await jobs().findOne({ _id: new ObjectId(String(job.attrs._id)) });
    expect(stored?.nextRunAt?.getTime()).to.equal(when.getTime());
    await sleep(300);
    expect(await runs().countDocuments()).to.equal(0);
    await until(async () => (await runs().countDocuments()) === 1);
    const [run] = await runs().find().toArray();
    expect(run!.at.getTime()).to.be.at.least(when.getTime());
  });

  it('two agendas on the same database run each job exactly once (locking)', async function () {
    const first = await makeAgenda('worker-1');
    const second = await makeAgenda('worker-2');
    defineRecorder(first, 'w1');
    defineRecorder(second, 'w2');
    const created: string[] = [];
    for (let i = 0; i < 12; i++) created.push(String((await first.now('record', { i })).attrs._id));
    await Promise.all([start(first), start(second)]);
    await until(async () => (await runs().countDocuments()) >= 12);
    await sleep(500);
    const recorded = await runs().find().toArray();
    expect(recorded).to.have.length(12);
    expect(recorded.map((run) => run.jobId)).to.have.members(created);
    const finished = await jobs()
      .find({ lastFinishedAt: { $ne: null } })
      .toArray();
    expect(finished).to.have.length(12);
    for (const job of finished) expect(['worker-1', 'worker-2']).to.include(job.lastModifiedBy);
  });

  it('a lock held by one worker keeps the other away until it expires', async function () {
    const agenda = await makeAgenda('worker-l');
    defineRecorder(agenda, 'l');
    const job = await agenda.schedule(new Date(Date.now() - 1000), 'record', {});
    // Another worker locked it a moment ago (within the lock lifetime).
    await jobs().updateOne(
      { _id: new ObjectId(String(job.attrs._id)) },
      { $set: { lockedAt: new Date(), lastModifiedBy: 'elsewhere' } },
    );
    await start(agenda);
    await sleep(600);
    expect(await runs().countDocuments()).to.equal(0);
    // An expired lock (older than lockLifetime) is taken over.
    await jobs().updateOne(
      { _id: new ObjectId(String(job.attrs._id)) },
      { $set: { lockedAt: new Date(Date.now() - 60_000) } },
    );
    await until(async () => (await runs().countDocuments()) === 1);
  });

  it('every() keeps one job of its name and moves nextRunAt forward after each run', async function () {
    const agenda = await makeAgenda('worker-e');
    defineRecorder(agenda, 'e', 'tick');
    await agenda.every('1 second', 'tick');
    await agenda.every('1 second', 'tick'); // "single" jobs: upserted, not duplicated
    const all = await jobs().find({ name: 'tick' }).toArray();
    expect(all).to.have.length(1);
    expect(all[0]).to.include({ type: 'single', repeatInterval: '1 second' });
    await start(agenda);
    await until(async () => (await runs().countDocuments()) >= 1);
    await until(async () => (await jobs().findOne({ name: 'tick' }))?.lockedAt === null);
    const afterFirst = await jobs().findOne({ name: 'tick' });
    expect(afterFirst?.nextRunAt).to.be.instanceOf(Date);
    expect(afterFirst!.nextRunAt!.getTime()).to.be.greaterThan(afterFirst!.lastRunAt!.getTime());
    await until(async () => (await runs().countDocuments()) >= 2, 5000);
    await until(async () => {
      const now = await jobs().findOne({ name: 'tick' });
      return now?.lockedAt === null && now.lastRunAt!.getTime() > afterFirst!.lastRunAt!.getTime();
    });
    const afterSecond = await jobs().findOne({ name: 'tick' });
    expect(afterSecond!.nextRunAt!.getTime()).to.be.greaterThan(afterFirst!.nextRunAt!.getTime());
    expect(await jobs().countDocuments({ name: 'tick' })).to.equal(1);
    const [one, two] = await runs().find().sort({ at: 1 }).toArray();
    expect(two!.at.getTime() - one!.at.getTime()).to.be.at.least(900);
  });

  it('a failing job records failReason, failCount and failedAt', async function () {
    const agenda = await makeAgenda('worker-f');
    agenda.define('explode', () => Promise.reject(new Error('boom')));
    const failed = new Promise<Error>((resolve) =>
      agenda.once('fail:explode', (error: Error) => resolve(error)),
    );
    await start(agenda);
    const job = await agenda.now('explode');
    expect((await failed).message).to.equal('boom');
    const id = new ObjectId(String(job.attrs._id));
    await until(async () => (await jobs().findOne({ _id: id }))?.failCount === 1);
    const stored = await jobs().findOne({ _id: id });
    expect(stored).to.include({ failReason: 'boom', failCount: 1, nextRunAt: null });
    expect(stored?.failedAt).to.be.instanceOf(Date);

    // Run it again: the count goes on.
    const failedAgain = new Promise<void>((resolve) => agenda.once('fail:explode', () => resolve()));
    await jobs().updateOne({ _id: id }, { $set: { nextRunAt: new Date(), lockedAt: null } });
    await failedAgain;
    await until(async () => (await jobs().findOne({ _id: id }))?.failCount === 2);
  });

  it('cancel() removes jobs by name; queryJobs() lists them', async function () {
    const agenda = await makeAgenda('worker-c');
    defineRecorder(agenda, 'c');
    await agenda.schedule(new Date(Date.now() + 60_000), 'record', { k: 1 });
    await agenda.schedule(new Date(Date.now() + 60_000), 'record', { k: 2 });
    await agenda.schedule(new Date(Date.now() + 60_000), 'other', {});
    const listed = await agenda.queryJobs({ name: 'record' });
    expect(listed.total).to.equal(2);
    expect(listed.jobs.map((job) => job.state)).to.deep.equal(['scheduled', 'scheduled']);
    expect(await agenda.cancel({ name: 'record' })).to.equal(2);
    expect(await jobs().countDocuments()).to.equal(1);
  });
});
