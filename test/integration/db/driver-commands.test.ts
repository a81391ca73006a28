// Server, database and collection commands through the official driver, asserting what the MongoDB
// documentation says a standalone mongod 7.0 answers. Runs unchanged on every lane.
import { expect } from 'chai';
import {
  type CollectionInfo,
  type CommandSucceededEvent,
  Long,
  MongoClient,
  MongoServerError,
  UUID,
} from 'mongodb';
import { rejected, serverError, useDriver } from './driver-harness.js';

describe('driver conformance: server and collection commands', function () {
  const ctx = useDriver();

  describe('handshake and server information', function () {
    it('hello answers as a writable standalone primary', async function () {
      const reply = await ctx().db.admin().command({ hello: 1 });
      expect(reply.ok).to.equal(1);
      expect(reply.isWritablePrimary).to.equal(true);
      expect(reply.helloOk).to.equal(true);
      expect(reply.maxBsonObjectSize).to.equal(16 * 1024 * 1024);
      expect(reply.maxMessageSizeBytes).to.equal(48_000_000);
      expect(reply.maxWriteBatchSize).to.equal(100_000);
      expect(reply.localTime).to.be.instanceOf(Date);
      expect(reply.logicalSessionTimeoutMinutes).to.equal(30);
      expect(reply.connectionId).to.be.a('number');
      expect(reply.minWireVersion).to.equal(0);
      expect(reply.maxWireVersion).to.be.at.least(21); // 21 is MongoDB 7.0
      expect(reply.readOnly).to.equal(false);
      // A standalone is not a replica set member and not a mongos.
      expect(reply.setName).to.equal(undefined);
      expect(reply.msg).to.equal(undefined);
    });

    it('isMaster answers with the legacy ismaster field', async function () {
      const reply = await ctx().db.admin().command({ isMaster: 1 });
      expect(reply.ok).to.equal(1);
      expect(reply.ismaster).to.equal(true);
      expect(reply.maxWireVersion).to.be.at.least(21);
    });

    it('ping answers ok', async function () {
      expect(await ctx().db.admin().command({ ping: 1 })).to.deep.include({ ok: 1 });
      expect(await ctx().db.command({ ping: 1 })).to.deep.include({ ok: 1 });
    });

    it('buildInfo reports a 7.0-or-later 64-bit server', async function () {
      const info = await ctx().db.admin().buildInfo();
      expect(info.ok).to.equal(1);
      expect(info.version).to.match(/^\d+\.\d+\.\d+/);
      expect(info.versionArray).to.be.an('array').with.lengthOf(4);
      expect(info.versionArray[0]).to.be.at.least(7);
      expect(info.bits).to.equal(64);
      expect(info.maxBsonObjectSize).to.equal(16 * 1024 * 1024);
      if (ctx().handle.inMemory) expect(info.lighthouseOfflineLane).to.equal(true);
      else expect(info.lighthouseOfflineLane).to.equal(undefined);
    });

    it('getParameter returns the requested parameters and refuses unknown ones', async function () {
      const admin = ctx().db.admin();
      const fcv = await admin.command({ getParameter: 1, featureCompatibilityVersion: 1 });
      expect(fcv.ok).to.equal(1);
      expect(fcv.featureCompatibilityVersion.version).to.match(/^\d+\.\d+$/);
      const ttl = await admin.command({ getParameter: 1, ttlMonitorSleepSecs: 1 });
      expect(ttl).to.deep.include({ ttlMonitorSleepSecs: 60, ok: 1 });
      expect(ttl).to.not.have.property('featureCompatibilityVersion');
      // Unknown names are skipped while a known one is found…
      const mixed = await admin.command({
        getParameter: 1,
        ttlMonitorSleepSecs: 1,
        lighthouseNoSuchParameter: 1,
      });
      expect(mixed).to.deep.include({ ttlMonitorSleepSecs: 60, ok: 1 });
      expect(mixed).to.not.have.property('lighthouseNoSuchParameter');
      // …and a request that finds none fails.
      const error = await rejected(admin.command({ getParameter: 1, lighthouseNoSuchParameter: 1 }));
      expect(error.message).to.match(/no option found to get/);
      const all = await admin.command({ getParameter: '*' });
      expect(all.ok).to.equal(1);
      expect(all.ttlMonitorSleepSecs).to.equal(60);
    });

    it('setParameter answers with the previous value', async function () {
      const admin = ctx().db.admin();
      const first = await admin.command({ setParameter: 1, ttlMonitorSleepSecs: 30 });
      expect(first).to.deep.include({ was: 60, ok: 1 });
      const second = await admin.command({ setParameter: 1, ttlMonitorSleepSecs: 60 });
      expect(second).to.deep.include({ was: 30, ok: 1 });
      expect((await admin.command({ getParameter: 1, ttlMonitorSleepSecs: 1 })).ttlMonitorSleepSecs).to.equal(
        60,
      );
    });

    it('an unknown command is refused with CommandNotFound (59)', async function () {
      const error = await serverError(ctx().db.command({ lighthouseNoSuchCommand: 1 }), 59);
      expect(error.codeName).to.equal('CommandNotFound');
      expect(error.message).to.match(/no such command: 'lighthouseNoSuchCommand'/);
    });

    it('endSessions answers ok, and so does a session the driver ends', async function () {
      const reply = await ctx()
        .db.admin()
        .command({ endSessions: [{ id: new UUID() }] });
      expect(reply.ok).to.equal(1);
      const { client } = ctx();
      const session = client.startSession();
      const collection = ctx().fresh();
      await collection.insertOne({ a: 1 }, { session });
      await session.endSession();
      expect(session.hasEnded).to.equal(true);
      expect(await collection.countDocuments({ a: 1 })).to.equal(1);
    });
  });

  describe('databases', function () {
    it('listDatabases lists a database once it holds a collection', async function () {
      const { db, handle } = ctx();
      await db.collection('listed').insertOne({ a: 1 });
      const reply = await db.admin().listDatabases();
      expect(reply.ok).to.equal(1);
      const entry = reply.databases.find((database) => database.name === handle.dbName);
      expect(entry, 'the test database is listed').to.not.equal(undefined);
      expect(entry!.sizeOnDisk).to.be.a('number');
      expect(entry!.empty).to.equal(false);
      expect(reply.totalSize).to.be.a('number');
    });

    it('listDatabases nameOnly returns only names, and filter narrows the list', async function () {
      const { db, handle } = ctx();
      await db.collection('listed').insertOne({ a: 2 });
      const names = await db.admin().listDatabases({ nameOnly: true });
      const entry = names.databases.find((database) => database.name === handle.dbName);
      expect(entry).to.deep.equal({ name: handle.dbName });
      const sibling = ctx().client.db(`${handle.dbName}_f`);
      try {
        await sibling.collection('other').insertOne({ b: 1 });
        const filtered = await db
          .admin()
          .command({ listDatabases: 1, nameOnly: true, filter: { name: handle.dbName } });
        expect(filtered.databases).to.deep.equal([{ name: handle.dbName }]);
        const both = await db
          .admin()
          .command({ listDatabases: 1, nameOnly: true, filter: { name: { $regex: `^${handle.dbName}` } } });
        expect(both.databases.map((database: { name: string }) => database.name).sort()).to.deep.equal([
          handle.dbName,
          `${handle.dbName}_f`,
        ]);
        const sized = await db
          .admin()
          .command({ listDatabases: 1, filter: { name: `${handle.dbName}_f`, empty: false } });
        expect(sized.databases).to.have.lengthOf(1);
        expect(sized.databases[0].name).to.equal(`${handle.dbName}_f`);
      } finally {
        await sibling.dropDatabase();
      }
    });

    it('dropDatabase removes every collection of the database', async function () {
      const { client, handle } = ctx();
      const other = client.db(`${handle.dbName}_x`);
      await other.collection('one').insertOne({ a: 1 });
      await other.collection('two').insertOne({ b: 1 });
      expect(await other.dropDatabase()).to.equal(true);
      expect(await other.listCollections().toArray()).to.deep.equal([]);
      const names = (await client.db('admin').admin().listDatabases({ nameOnly: true })).databases.map(
        (database) => database.name,
      );
      expect(names).to.not.include(`${handle.dbName}_x`);
      // Dropping it again (a database that does not exist) is not an error.
      expect(await other.dropDatabase()).to.equal(true);
    });
  });

  describe('collections', function () {
    it('create makes an empty collection; the same create again is accepted, different options are not (48)', async function () {
      const { db } = ctx();
      await db.createCollection('created_a');
      const listed = await db.listCollections({ name: 'created_a' }).toArray();
      expect(listed).to.have.lengthOf(1);
      expect(listed[0]).to.deep.include({ name: 'created_a', type: 'collection' });
      expect(await db.collection('created_a').countDocuments()).to.equal(0);
      // mongod ≥ 5.1: create of an existing collection with identical options succeeds.
      expect(await db.command({ create: 'created_a' })).to.deep.include({ ok: 1 });
      const error = await serverError(db.command({ create: 'created_a', capped: true, size: 4096 }), 48);
      expect(error.codeName).to.equal('NamespaceExists');
    });

    it('create refuses an invalid collection name (73)', async function () {
      await serverError(ctx().db.command({ create: 'bad$name' }), 73);
    });

    it('listCollections describes collections, filters them, and nameOnly trims the entries', async function () {
      const { db } = ctx();
      await db.createCollection('lc_alpha');
      await db.collection('lc_beta').insertOne({ a: 1 });
      const all = await db.listCollections().toArray();
      const names = all.map((entry) => entry.name);
      expect(names).to.include.members(['lc_alpha', 'lc_beta']);
      const alpha = all.find((entry) => entry.name === 'lc_alpha') as CollectionInfo;
      expect(alpha.type).to.equal('collection');
      expect(alpha.options).to.deep.equal({});
      expect(alpha.info?.readOnly).to.equal(false);
      expect(alpha.info?.uuid).to.be.instanceOf(UUID);
      expect(alpha.idIndex).to.deep.include({ v: 2, key: { _id: 1 }, name: '_id_' });

      const filtered = await db.listCollections({ name: 'lc_beta' }).toArray();
      expect(filtered.map((entry) => entry.name)).to.deep.equal(['lc_beta']);
      const byRegex = await db.listCollections({ name: /^lc_/ }).toArray();
      expect(byRegex.map((entry) => entry.name).sort()).to.deep.equal(['lc_alpha', 'lc_beta']);
      const nameOnly = await db.listCollections({ name: 'lc_alpha' }, { nameOnly: true }).toArray();
      expect(nameOnly).to.deep.equal([{ name: 'lc_alpha', type: 'collection' }]);
      expect(await db.listCollections({ name: 'lc_missing' }).toArray()).to.deep.equal([]);
    });

    it('drop removes a collection and its documents; a missing collection drops quietly', async function () {
      const { db } = ctx();
      const collection = db.collection('to_drop');
      await collection.insertMany([{ a: 1 }, { a: 2 }]);
      await collection.createIndex({ a: 1 });
      const reply = await db.command({ drop: 'to_drop' });
      expect(reply).to.deep.include({ ok: 1, nIndexesWas: 2 });
      expect(await db.listCollections({ name: 'to_drop' }).toArray()).to.deep.equal([]);
      expect(await collection.countDocuments()).to.equal(0);
      // mongod 7.0 no longer fails a drop of a collection that does not exist.
      expect(await db.command({ drop: 'never_existed' })).to.deep.include({ ok: 1 });
      expect(await db.collection('never_existed').drop()).to.equal(true);
    });

    it('dbStats counts collections and objects', async function () {
      const { client, handle } = ctx();
      const other = client.db(`${handle.dbName}_s`);
      try {
        await other.collection('a').insertMany([{ x: 1 }, { x: 2 }]);
        await other.collection('b').insertOne({ y: 1 });
        const stats = await other.command({ dbStats: 1 });
        expect(stats).to.deep.include({ db: `${handle.dbName}_s`, collections: 2, objects: 3, ok: 1 });
      } finally {
        await other.dropDatabase();
      }
    });
  });

  describe('cursors', function () {
    it('find with a small batchSize fetches the rest with getMore, in order', async function () {
      const { db, handle } = ctx();
      const collection = db.collection('cursor_source');
      await collection.insertMany(Array.from({ length: 25 }, (_, i) => ({ i })));
      const getMores: number[] = [];
      const listener = (event: CommandSucceededEvent): void => {
        if (event.commandName === 'getMore')
          getMores.push((event.reply as { cursor: { nextBatch: unknown[] } }).cursor.nextBatch.length);
      };
      const monitored = await MongoClient.connect(handle.uri, { monitorCommands: true });
      try {
        monitored.on('commandSucceeded', listener);
        const docs = await monitored
          .db(db.databaseName)
          .collection('cursor_source')
          .find({}, { batchSize: 4, sort: { i: 1 } })
          .toArray();
        expect(docs.map((doc): unknown => doc.i)).to.deep.equal(Array.from({ length: 25 }, (_, i) => i));
        expect(getMores.length).to.be.at.least(6);
        expect(getMores.slice(0, 5)).to.deep.equal([4, 4, 4, 4, 4]);
      } finally {
        await monitored.close();
      }
    });

    it('the find and getMore commands answer with mongod cursor documents', async function () {
      const { db } = ctx();
      const name = 'cursor_raw';
      await db
        .collection<{ _id: number }>(name)
        .insertMany(Array.from({ length: 5 }, (_, i) => ({ _id: i })));
      const first = await db.command({ find: name, sort: { _id: 1 }, batchSize: 2 });
      expect(first.ok).to.equal(1);
      expect(first.cursor.ns).to.equal(`${db.databaseName}.${name}`);
      expect(first.cursor.firstBatch).to.deep.equal([{ _id: 0 }, { _id: 1 }]);
      const id = first.cursor.id as Long;
      expect(Long.isLong(id) || typeof id === 'number').to.equal(true);
      expect(Long.fromValue(id).isZero()).to.equal(false);
      const more = await db.command({ getMore: Long.fromValue(id), collection: name, batchSize: 2 });
      expect(more.cursor.nextBatch).to.deep.equal([{ _id: 2 }, { _id: 3 }]);
      const last = await db.command({ getMore: Long.fromValue(id), collection: name });
      expect(last.cursor.nextBatch).to.deep.equal([{ _id: 4 }]);
      expect(Long.fromValue(last.cursor.id).isZero()).to.equal(true);
      // The exhausted cursor is gone.
      await serverError(db.command({ getMore: Long.fromValue(id), collection: name }), 43);
      // A single batch that holds everything closes the cursor at once.
      const whole = await db.command({ find: name, batchSize: 10 });
      expect(Long.fromValue(whole.cursor.id).isZero()).to.equal(true);
      expect(whole.cursor.firstBatch).to.have.lengthOf(5);
    });

    it('closing a cursor kills it on the server', async function () {
      const { db } = ctx();
      const name = 'cursor_kill';
      await db
        .collection<{ _id: number }>(name)
        .insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: i })));
      const first = await db.command({ find: name, batchSize: 2 });
      const id = Long.fromValue(first.cursor.id);
      const killed = await db.command({ killCursors: name, cursors: [id] });
      expect(killed.ok).to.equal(1);
      expect(
        killed.cursorsKilled.map((value: Long | number) => Long.fromValue(value).toString()),
      ).to.deep.equal([id.toString()]);
      expect(killed.cursorsNotFound).to.deep.equal([]);
      await serverError(db.command({ getMore: id, collection: name }), 43);
      const again = await db.command({ killCursors: name, cursors: [id] });
      expect(
        again.cursorsNotFound.map((value: Long | number) => Long.fromValue(value).toString()),
      ).to.deep.equal([id.toString()]);

      // Through the driver: read part of a cursor, close it, and the server no longer has it.
      const cursor = db.collection(name).find({}, { batchSize: 3 });
      expect(await cursor.next()).to.deep.equal({ _id: 0 });
      const driverId = cursor.id!;
      expect(driverId.isZero()).to.equal(false);
      await cursor.close();
      await serverError(db.command({ getMore: driverId, collection: name }), 43);
    });

    it('a getMore on another collection than the cursor’s is refused', async function () {
      const { db } = ctx();
      await db
        .collection<{ _id: number }>('cursor_ns')
        .insertMany(Array.from({ length: 4 }, (_, i) => ({ _id: i })));
      const first = await db.command({ find: 'cursor_ns', batchSize: 1 });
      const error = await rejected(
        db.command({ getMore: Long.fromValue(first.cursor.id), collection: 'cursor_other' }),
      );
      expect(error).to.be.instanceOf(MongoServerError);
      expect(error.code).to.equal(13);
      await db.command({ killCursors: 'cursor_ns', cursors: [Long.fromValue(first.cursor.id)] });
    });
  });

  describe('transactions on a standalone', function () {
    it('a transaction is refused with IllegalOperation (20) and writes nothing', async function () {
      const { client } = ctx();
      const collection = ctx().fresh('txn');
      await collection.insertOne({ seed: true });
      const session = client.startSession();
      try {
        session.startTransaction();
        // The server answers 20 IllegalOperation; the driver rewrites a write's code 20 into its own
        // message and keeps the server's error as originalError.
        const error = await rejected(collection.insertOne({ inTransaction: true }, { session }));
        expect(error.message).to.match(/This MongoDB deployment does not support retryable writes/);
        const original = (error as MongoServerError & { originalError?: MongoServerError }).originalError;
        expect(original?.code).to.equal(20);
        expect(original?.codeName).to.equal('IllegalOperation');
        expect(original?.message).to.match(
          /Transaction numbers are only allowed on a replica set member or mongos/,
        );
        await session.abortTransaction().catch(() => undefined);
      } finally {
        await session.endSession();
      }
      expect(await collection.countDocuments({ inTransaction: true })).to.equal(0);
      expect(await collection.countDocuments({ seed: true })).to.equal(1);
    });

    it('a raw write with a transaction number is refused with code 20', async function () {
      const { db } = ctx();
      const error = await serverError(
        db.command({
          insert: 'txn_raw',
          documents: [{ a: 1 }],
          lsid: { id: new UUID() },
          txnNumber: Long.fromNumber(1),
        }),
        20,
      );
      expect(error.codeName).to.equal('IllegalOperation');
      expect(error.message).to.match(
        /Transaction numbers are only allowed on a replica set member or mongos/,
      );
      expect(await db.collection('txn_raw').countDocuments()).to.equal(0);
    });
  });
});
