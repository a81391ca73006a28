// connect-mongo 6 (the session store) against the test database lane, through its own API and
// through express-session. Runs unchanged on a real MongoDB (MONGODB_URI).
import { expect } from 'chai';
import MongoStore from 'connect-mongo';
import express from 'express';
import session, { type SessionData } from 'express-session';
import { type Collection, MongoClient } from 'mongodb';
import request from 'supertest';
import { type TestDatabase, startTestDatabase } from '../../support/database.js';

interface StoredSession {
  _id: string;
  session: string;
  expires: Date;
  lastModified?: Date;
  createdAt?: Date;
  updatedAt?: Date;
}

type Data = SessionData & { user?: string; count?: number; lastModified?: Date };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The store's callback API as promises. */
function promised(store: MongoStore) {
  const call = <T>(run: (done: (error: unknown, value?: T) => void) => void): Promise<T | undefined> =>
    new Promise((resolve, reject) =>
      run((error, value) =>
        error
          ? reject(error instanceof Error ? error : new Error('session store error', { cause: error }))
          : resolve(value),
      ),
    );
  return {
    get: (sid: string) => call<Data | null>((done) => store.get(sid, done)),
    set: (sid: string, data: Data) => call<void>((done) => store.set(sid, data, done)),
    touch: (sid: string, data: Data) => call<void>((done) => store.touch(sid, data, done)),
    destroy: (sid: string) => call<void>((done) => store.destroy(sid, done)),
    length: () => call<number>((done) => store.length(done)),
    all: () => call<Data[] | Record<string, Data> | null>((done) => store.all(done)),
    clear: () => call<void>((done) => store.clear(done)),
  };
}

function sessionData(expires: Date, extra: Partial<Data> = {}): Data {
  return {
    cookie: {
      originalMaxAge: expires.getTime() - Date.now(),
      expires,
      httpOnly: true,
      path: '/',
      secure: false,
      sameSite: 'lax',
    },
    ...extra,
  };
}

/** What a session looks like after the JSON round trip connect-mongo stores it with. */
const asStored = (data: Data): unknown => JSON.parse(JSON.stringify(data)) as unknown;

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(200);
  }
  return condition();
}

describe('connect-mongo session store on the test database lane', function () {
  let database: TestDatabase;
  let client: MongoClient;
  let store: MongoStore;
  let api: ReturnType<typeof promised>;
  let sessions: Collection<StoredSession>;

  before(async function () {
    database = await startTestDatabase();
    client = await MongoClient.connect(database.uri, { serverSelectionTimeoutMS: 10_000 });
    store = MongoStore.create({ client, dbName: database.dbName, collectionName: 'sessions', ttl: 3600 });
    api = promised(store);
    sessions = client.db(database.dbName).collection<StoredSession>('sessions');
    await store.collectionP; // the TTL index is created once the collection is ready
  });

  after(async function () {
    await client?.close();
    await database?.stop();
  });

  beforeEach(async function () {
    await api.clear();
  });

  it('creates the native TTL index on expires', async function () {
    const indexes = await sessions.listIndexes().toArray();
    const ttl = indexes.find((index) => index.name === 'expires_1');
    expect(ttl?.key).to.deep.equal({ expires: 1 });
    expect(ttl?.expireAfterSeconds).to.equal(0);
  });

  it('set stores the session with its cookie expiry, get returns it', async function () {
    const expires = new Date(Date.now() + 60_000);
    const data = sessionData(expires, { user: 'amy', count: 1 });
    await api.set('sid-1', data);
    const stored = await sessions.findOne({ _id: 'sid-1' });
    expect(stored?.expires).to.be.instanceOf(Date);
    expect(stored?.expires.getTime()).to.equal(expires.getTime());
    expect(typeof stored?.session).to.equal('string');
    expect(JSON.parse(stored!.session)).to.deep.equal(asStored(data));
    expect(await api.get('sid-1')).to.deep.equal(asStored(data));
    expect(await api.get('missing')).to.equal(null);
  });

  it('set again updates the same session (an upsert on _id)', async function () {
    const expires = new Date(Date.now() + 60_000);
    await api.set('sid-2', sessionData(expires, { count: 1 }));
    await api.set('sid-2', sessionData(expires, { count: 2 }));
    expect(await sessions.countDocuments({ _id: 'sid-2' })).to.equal(1);
    expect((await api.get('sid-2'))?.count).to.equal(2);
  });

  it('$set of _id (as connect-mongo sends it) keeps the same _id, upserts with it, refuses another', async function () {
    const upsert = await sessions.updateOne(
      { _id: 'raw' },
      { $set: { _id: 'raw', session: '{}', expires: new Date(Date.now() + 60_000) } },
      { upsert: true },
    );
    expect(upsert).to.include({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: 'raw' });
    const same = await sessions.updateOne({ _id: 'raw' }, { $set: { _id: 'raw', session: '{"a":1}' } });
    expect(same).to.include({ matchedCount: 1, modifiedCount: 1 });
    const noop = await sessions.updateOne({ _id: 'raw' }, { $set: { _id: 'raw' } });
    expect(noop).to.include({ matchedCount: 1, modifiedCount: 0 });
    let caught: unknown;
    try {
      await sessions.updateOne({ _id: 'raw' }, { $set: { _id: 'other' } });
    } catch (error) {
      caught = error;
    }
    expect((caught as { code?: number }).code).to.equal(66);
    expect(await sessions.find({}, { projection: { _id: 1, session: 1 } }).toArray()).to.deep.equal([
      { _id: 'raw', session: '{"a":1}' },
    ]);
  });

  it('a session without a cookie expiry gets now + ttl', async function () {
    const before = Date.now();
    await api.set('no-expiry', { cookie: { originalMaxAge: null, httpOnly: true, path: '/' } });
    const stored = await sessions.findOne({ _id: 'no-expiry' });
    expect(stored?.expires.getTime()).to.be.within(before + 3600_000, Date.now() + 3600_000);
  });

  it('destroy removes the session', async function () {
    await api.set('sid-3', sessionData(new Date(Date.now() + 60_000)));
    await api.destroy('sid-3');
    expect(await api.get('sid-3')).to.equal(null);
    expect(await sessions.countDocuments({ _id: 'sid-3' })).to.equal(0);
    await api.destroy('sid-3'); // destroying an absent session is not an error
  });

  it('touch moves the expiry without rewriting the session; touching a missing session fails', async function () {
    const data = sessionData(new Date(Date.now() + 60_000), { user: 'bob' });
    await api.set('sid-4', data);
    const later = new Date(Date.now() + 600_000);
    await api.touch('sid-4', sessionData(later, { user: 'changed-in-memory-only' }));
    const stored = await sessions.findOne({ _id: 'sid-4' });
    expect(stored?.expires.getTime()).to.equal(later.getTime());
    expect(JSON.parse(stored!.session)).to.deep.equal(asStored(data));
    let caught: unknown;
    try {
      await api.touch('nobody', sessionData(later));
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).message).to.equal('Unable to find the session to touch');
  });

  it('length, all and clear', async function () {
    const expires = new Date(Date.now() + 60_000);
    await api.set('a', sessionData(expires, { user: 'a' }));
    await api.set('b', sessionData(expires, { user: 'b' }));
    await api.set('old', sessionData(new Date(Date.now() - 1000), { user: 'old' }));
    expect(await api.length()).to.equal(3); // counts what is stored, expired or not
    const all = (await api.all()) as Data[];
    expect(all.map((entry) => entry.user)).to.have.members(['a', 'b']); // only live sessions
    await api.clear();
    expect(await api.length()).to.equal(0);
    expect(await api.all()).to.deep.equal([]);
  });

  it('an expired session is not returned, and the TTL monitor removes it', async function () {
    this.timeout(90_000);
    await api.set('expired', sessionData(new Date(Date.now() - 1000), { user: 'gone' }));
    await api.set('live', sessionData(new Date(Date.now() + 600_000), { user: 'here' }));
    expect(await api.get('expired')).to.equal(null);
    expect(await sessions.countDocuments({ _id: 'expired' })).to.equal(1);

    const admin = client.db('admin').admin();
    await admin.command({ setParameter: 1, ttlMonitorSleepSecs: 1 });
    try {
      // A real mongod may finish its current (60 s) sleep first; the offline lane reacts at once.
      const removed = await until(
        async () => (await sessions.countDocuments({ _id: 'expired' })) === 0,
        80_000,
      );
      expect(removed, 'the TTL monitor removed the expired session').to.equal(true);
    } finally {
      await admin.command({ setParameter: 1, ttlMonitorSleepSecs: 60 });
    }
    expect((await api.get('live'))?.user).to.equal('here');
    const parameter = await admin.command({ getParameter: 1, ttlMonitorSleepSecs: 1 });
    expect(parameter.ttlMonitorSleepSecs).to.equal(60);
  });

  describe('with timestamps and touchAfter', function () {
    let timed: MongoStore;
    let timedApi: ReturnType<typeof promised>;
    let timedSessions: Collection<StoredSession>;

    before(async function () {
      timed = MongoStore.create({
        client,
        dbName: database.dbName,
        collectionName: 'timed_sessions',
        ttl: 3600,
        timestamps: true,
        touchAfter: 3600,
      });
      timedApi = promised(timed);
      timedSessions = client.db(database.dbName).collection<StoredSession>('timed_sessions');
      await timed.collectionP;
    });

    it('keeps createdAt from the first set, moves updatedAt and lastModified', async function () {
      const expires = new Date(Date.now() + 60_000);
      await timedApi.set('t1', sessionData(expires, { count: 1 }));
      const first = await timedSessions.findOne({ _id: 't1' });
      expect(first?.createdAt).to.be.instanceOf(Date);
      expect(first?.updatedAt).to.be.instanceOf(Date);
      expect(first?.lastModified).to.be.instanceOf(Date);
      await sleep(10);
      await timedApi.set('t1', sessionData(expires, { count: 2 }));
      const second = await timedSessions.findOne({ _id: 't1' });
      expect(second?.createdAt?.getTime()).to.equal(first?.createdAt?.getTime());
      expect(second?.updatedAt?.getTime()).to.be.greaterThan(first!.updatedAt!.getTime());
      expect(second?.lastModified?.getTime()).to.be.greaterThan(first!.lastModified!.getTime());

      // get exposes lastModified; a touch within touchAfter writes nothing.
      const loaded = await timedApi.get('t1');
      expect(loaded?.lastModified).to.be.instanceOf(Date);
      await timedApi.touch('t1', { ...loaded!, cookie: sessionData(new Date(Date.now() + 900_000)).cookie });
      const third = await timedSessions.findOne({ _id: 't1' });
      expect(third?.expires.getTime()).to.equal(expires.getTime());
      expect(third?.updatedAt?.getTime()).to.equal(second?.updatedAt?.getTime());
    });
  });

  describe('through express-session', function () {
    function app(): express.Express {
      const server = express();
      server.use(
        session({
          store,
          secret: 'test secret',
          resave: false,
          saveUninitialized: false,
          cookie: { maxAge: 60_000 },
        }),
      );
      server.get('/count', (req, res) => {
        const data = req.session as typeof req.session & { count?: number };
        data.count = (data.count ?? 0) + 1;
        res.json({ count: data.count });
      });
      server.get('/peek', (req, res) => {
        res.json({ count: (req.session as typeof req.session & { count?: number }).count ?? null });
      });
      server.post('/logout', (req, res, next) => {
        req.session.destroy((error) => (error ? next(error) : res.json({ ok: true })));
      });
      return server;
    }

    it('keeps a session across requests and destroys it on logout', async function () {
      const agent = request.agent(app());
      expect((await agent.get('/peek')).body).to.deep.equal({ count: null });
      expect(await sessions.countDocuments()).to.equal(0); // saveUninitialized: false

      const first = await agent.get('/count');
      expect(first.body).to.deep.equal({ count: 1 });
      expect(first.headers['set-cookie']?.[0]).to.match(/^connect\.sid=/);
      expect((await agent.get('/count')).body).to.deep.equal({ count: 2 });
      expect((await agent.get('/peek')).body).to.deep.equal({ count: 2 });
      const stored = await sessions.find().toArray();
      expect(stored).to.have.length(1);
      expect(JSON.parse(stored[0]!.session).count).to.equal(2);
      expect(stored[0]!.expires.getTime()).to.be.within(Date.now(), Date.now() + 61_000);

      // Another browser does not see it.
      expect((await request(app()).get('/peek')).body).to.deep.equal({ count: null });

      expect((await agent.post('/logout')).body).to.deep.equal({ ok: true });
      expect(await sessions.countDocuments()).to.equal(0);
      expect((await agent.get('/peek')).body).to.deep.equal({ count: null });
    });
  });
});
