// Index commands and what indexes enforce, through the official driver, asserting what the MongoDB
// documentation says a standalone mongod 7.0 does. Runs unchanged on every lane.
import { expect } from 'chai';
import { MongoBulkWriteError, ObjectId } from 'mongodb';
import { eventually, rejected, serverError, useDriver } from './driver-harness.js';

describe('driver conformance: indexes', function () {
  const ctx = useDriver();

  describe('createIndexes, listIndexes, dropIndexes', function () {
    it('creates indexes and lists them after the _id index', async function () {
      const collection = ctx().fresh('idx');
      await collection.insertOne({ a: 1 });
      const reply = await ctx().db.command({
        createIndexes: collection.collectionName,
        indexes: [
          { key: { email: 1 }, name: 'email_1', unique: true },
          { key: { street: 1, followers: -1 }, name: 'street_1_followers_-1' },
        ],
      });
      expect(reply).to.deep.include({
        numIndexesBefore: 1,
        numIndexesAfter: 3,
        createdCollectionAutomatically: false,
        ok: 1,
      });
      expect(await collection.createIndex({ tag: 1 }, { sparse: true })).to.equal('tag_1');
      expect(await collection.createIndex({ at: 1 }, { expireAfterSeconds: 3600, name: 'ttl' })).to.equal(
        'ttl',
      );
      expect(
        await collection.createIndex(
          { code: 1 },
          { unique: true, partialFilterExpression: { active: true } },
        ),
      ).to.equal('code_1');
      const indexes = await collection.listIndexes().toArray();
      expect(indexes.map((index): unknown => index.name)).to.deep.equal([
        '_id_',
        'email_1',
        'street_1_followers_-1',
        'tag_1',
        'ttl',
        'code_1',
      ]);
      expect(indexes[0]).to.deep.equal({ v: 2, key: { _id: 1 }, name: '_id_' });
      expect(indexes[1]).to.deep.equal({ v: 2, key: { email: 1 }, name: 'email_1', unique: true });
      expect(indexes[2]).to.deep.equal({
        v: 2,
        key: { street: 1, followers: -1 },
        name: 'street_1_followers_-1',
      });
      expect(indexes[3]).to.deep.equal({ v: 2, key: { tag: 1 }, name: 'tag_1', sparse: true });
      expect(indexes[4]).to.deep.equal({ v: 2, key: { at: 1 }, name: 'ttl', expireAfterSeconds: 3600 });
      expect(indexes[5]).to.deep.equal({
        v: 2,
        key: { code: 1 },
        name: 'code_1',
        unique: true,
        partialFilterExpression: { active: true },
      });
      expect(await collection.indexExists('email_1')).to.equal(true);
    });

    it('createIndexes on a missing collection creates it; the same index again is a quiet no-op', async function () {
      const { db } = ctx();
      const name = `idx_auto_${new ObjectId().toHexString()}`;
      const first = await db.command({ createIndexes: name, indexes: [{ key: { a: 1 }, name: 'a_1' }] });
      expect(first).to.deep.include({
        numIndexesBefore: 1,
        numIndexesAfter: 2,
        createdCollectionAutomatically: true,
        ok: 1,
      });
      expect(await db.listCollections({ name }).toArray()).to.have.lengthOf(1);
      const again = await db.command({ createIndexes: name, indexes: [{ key: { a: 1 }, name: 'a_1' }] });
      expect(again).to.deep.include({ numIndexesBefore: 2, numIndexesAfter: 2, ok: 1 });
      expect(again.note).to.equal('all indexes already exist');
    });

    it('refuses a name clash with other options (86) and the same key under another name (85)', async function () {
      const collection = ctx().fresh('idx');
      await collection.createIndex({ a: 1 }, { name: 'a_1' });
      await serverError(collection.createIndex({ a: 1 }, { name: 'a_1', unique: true }), 86);
      await serverError(collection.createIndex({ a: 1 }, { name: 'other' }), 85);
      expect((await collection.listIndexes().toArray()).map((index): unknown => index.name)).to.deep.equal([
        '_id_',
        'a_1',
      ]);
    });

    it('refuses an invalid key pattern and an unknown option', async function () {
      const collection = ctx().fresh('idx');
      await serverError(
        ctx().db.command({
          createIndexes: collection.collectionName,
          indexes: [{ key: { a: 'sideways' }, name: 'bad' }],
        }),
        67,
      );
      await serverError(
        ctx().db.command({
          createIndexes: collection.collectionName,
          indexes: [{ key: { a: 1 }, name: 'x', bogus: 1 }],
        }),
        197,
      );
      await rejected(ctx().db.command({ createIndexes: collection.collectionName, indexes: [] }));
    });

    it('dropIndexes by name, by key, and all; a missing index is IndexNotFound (27)', async function () {
      const collection = ctx().fresh('idx');
      await collection.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }, { key: { c: 1 } }]);
      const reply = await ctx().db.command({ dropIndexes: collection.collectionName, index: 'a_1' });
      expect(reply).to.deep.include({ nIndexesWas: 4, ok: 1 });
      await collection.dropIndex({ b: 1 } as never);
      expect((await collection.listIndexes().toArray()).map((index): unknown => index.name)).to.deep.equal([
        '_id_',
        'c_1',
      ]);
      const missing = await serverError(collection.dropIndex('nope_1'), 27);
      expect(missing.codeName).to.equal('IndexNotFound');
      await serverError(ctx().db.command({ dropIndexes: collection.collectionName, index: { zzz: 1 } }), 27);
      await serverError(ctx().db.command({ dropIndexes: collection.collectionName, index: '_id_' }), 72);
      await collection.dropIndexes();
      expect((await collection.listIndexes().toArray()).map((index): unknown => index.name)).to.deep.equal([
        '_id_',
      ]);
    });

    it('listIndexes and dropIndexes on a missing collection are NamespaceNotFound (26)', async function () {
      const { db } = ctx();
      await serverError(db.command({ listIndexes: 'idx_never' }), 26);
      await serverError(db.command({ dropIndexes: 'idx_never', index: '*' }), 26);
      // The driver's listIndexes helper reports the same error.
      await serverError(db.collection('idx_never').listIndexes().toArray(), 26);
    });
  });

  describe('unique indexes', function () {
    it('a duplicate is refused with 11000, keyPattern and keyValue', async function () {
      const collection = ctx().fresh('uniq');
      await collection.createIndex({ email: 1 }, { unique: true });
      await collection.insertOne({ email: 'a@example.org', n: 1 });
      const error = await serverError(collection.insertOne({ email: 'a@example.org', n: 2 }), 11000);
      expect(error.keyPattern).to.deep.equal({ email: 1 });
      expect(error.keyValue).to.deep.equal({ email: 'a@example.org' });
      expect(error.message).to.match(
        /E11000 duplicate key error collection: \S+ index: email_1 dup key: \{ email: "a@example\.org" \}/,
      );
      expect(await collection.countDocuments()).to.equal(1);
      // An update into a taken value is refused the same way and changes nothing.
      await collection.insertOne({ email: 'b@example.org', n: 3 });
      const updateError = await serverError(
        collection.updateOne({ n: 3 }, { $set: { email: 'a@example.org' } }),
        11000,
      );
      expect(updateError.keyValue).to.deep.equal({ email: 'a@example.org' });
      expect((await collection.findOne({ n: 3 }))!.email).to.equal('b@example.org');
      // An upsert that would insert a duplicate as well.
      await serverError(
        collection.updateOne({ n: 99 }, { $set: { email: 'b@example.org' } }, { upsert: true }),
        11000,
      );
      expect(await collection.countDocuments({ n: 99 })).to.equal(0);
    });

    it('insertMany reports the duplicates as write errors', async function () {
      const collection = ctx().fresh('uniq');
      await collection.createIndex({ slug: 1 }, { unique: true });
      const error = (await rejected(
        collection.insertMany([{ slug: 'a' }, { slug: 'b' }, { slug: 'a' }], { ordered: false }),
      )) as unknown as MongoBulkWriteError;
      expect(error).to.be.instanceOf(MongoBulkWriteError);
      expect(error.insertedCount).to.equal(2);
      const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      expect(writeErrors).to.have.lengthOf(1);
      expect(writeErrors[0]!.index).to.equal(2);
      expect(writeErrors[0]!.code).to.equal(11000);
      // The driver keeps index, code and errmsg of each write error (keyValue stays in the raw reply).
      expect(writeErrors[0]!.errmsg).to.match(/index: slug_1 dup key: \{ slug: "a" \}/);
    });

    it('a compound unique index compares the whole key', async function () {
      const collection = ctx().fresh('uniq');
      await collection.createIndex({ street: 1, number: 1 }, { unique: true });
      await collection.insertMany([
        { street: 'north', number: 1 },
        { street: 'north', number: 2 },
        { street: 'south', number: 1 },
      ]);
      const error = await serverError(collection.insertOne({ street: 'north', number: 2 }), 11000);
      expect(error.keyPattern).to.deep.equal({ street: 1, number: 1 });
      expect(error.keyValue).to.deep.equal({ street: 'north', number: 2 });
    });

    it('without sparse, documents missing the field share the null key; with sparse they do not', async function () {
      const dense = ctx().fresh('uniq');
      await dense.createIndex({ phone: 1 }, { unique: true });
      await dense.insertOne({ name: 'a' });
      const error = await serverError(dense.insertOne({ name: 'b' }), 11000);
      expect(error.keyValue).to.deep.equal({ phone: null });
      await serverError(dense.insertOne({ name: 'c', phone: null }), 11000);

      const sparse = ctx().fresh('uniq');
      await sparse.createIndex({ phone: 1 }, { unique: true, sparse: true });
      await sparse.insertMany([{ name: 'a' }, { name: 'b' }, { name: 'c', phone: '123' }]);
      await serverError(sparse.insertOne({ name: 'd', phone: '123' }), 11000);
      expect(await sparse.countDocuments()).to.equal(3);
    });

    it('a partial unique index only constrains the documents its filter selects', async function () {
      const collection = ctx().fresh('uniq');
      await collection.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { active: true } });
      await collection.insertMany([
        { email: 'x@example.org', active: false },
        { email: 'x@example.org', active: false },
        { email: 'x@example.org', active: true },
      ]);
      await serverError(collection.insertOne({ email: 'x@example.org', active: true }), 11000);
      // Leaving the filter frees the value.
      await collection.updateOne({ active: true }, { $set: { active: false } });
      await collection.insertOne({ email: 'x@example.org', active: true });
      expect(await collection.countDocuments({ email: 'x@example.org' })).to.equal(4);
      // Finds that the partial index cannot answer still see every document.
      expect(await collection.countDocuments({ email: 'x@example.org', active: false })).to.equal(3);
    });

    it('a unique index on an array field indexes every element', async function () {
      const collection = ctx().fresh('uniq');
      await collection.createIndex({ aliases: 1 }, { unique: true });
      await collection.insertOne({ aliases: ['ada', 'countess'] });
      const error = await serverError(collection.insertOne({ aliases: ['bo', 'countess'] }), 11000);
      expect(error.keyValue).to.deep.equal({ aliases: 'countess' });
      // One document may repeat its own value.
      await collection.insertOne({ aliases: ['cy', 'cy'] });
      expect((await collection.findOne({ aliases: 'countess' }))!.aliases).to.deep.equal(['ada', 'countess']);
    });

    it('building a unique index over duplicates fails with 11000 and leaves no index', async function () {
      const collection = ctx().fresh('uniq');
      await collection.insertMany([{ k: 1 }, { k: 1 }]);
      const error = await serverError(collection.createIndex({ k: 1 }, { unique: true }), 11000);
      expect(error.message).to.match(/E11000 duplicate key error/);
      expect((await collection.listIndexes().toArray()).map((index): unknown => index.name)).to.deep.equal([
        '_id_',
      ]);
      await collection.insertOne({ k: 1 });
      expect(await collection.countDocuments({ k: 1 })).to.equal(3);
    });

    it('dropping a unique index lifts the constraint', async function () {
      const collection = ctx().fresh('uniq');
      await collection.createIndex({ k: 1 }, { unique: true });
      await collection.insertOne({ k: 1 });
      await serverError(collection.insertOne({ k: 1 }), 11000);
      await collection.dropIndex('k_1');
      await collection.insertOne({ k: 1 });
      expect(await collection.countDocuments({ k: 1 })).to.equal(2);
    });
  });

  describe('TTL indexes', function () {
    afterEach(async function () {
      await ctx().db.admin().command({ setParameter: 1, ttlMonitorSleepSecs: 60 });
    });

    it('the TTL monitor removes expired documents and keeps the others', async function () {
      this.timeout(90_000);
      const { db } = ctx();
      const collection = ctx().fresh('ttl');
      await collection.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
      await collection.createIndex({ touchedAt: 1 }, { expireAfterSeconds: 3600 });
      await collection.insertMany([
        { name: 'expired', expiresAt: new Date(Date.now() - 60_000) },
        {
          name: 'expired in an array',
          expiresAt: [new Date(Date.now() + 3_600_000), new Date(Date.now() - 60_000)],
        },
        { name: 'future', expiresAt: new Date(Date.now() + 3_600_000) },
        { name: 'not a date', expiresAt: 'yesterday' },
        { name: 'no field' },
        { name: 'recently touched', touchedAt: new Date(Date.now() - 60_000) },
        { name: 'touched long ago', touchedAt: new Date(Date.now() - 7_200_000) },
      ]);
      const set = await db.admin().command({ setParameter: 1, ttlMonitorSleepSecs: 1 });
      expect(set.ok).to.equal(1);
      const gone = await eventually(async () => (await collection.countDocuments()) === 4, 75_000, 500);
      expect(gone, 'the expired documents were removed').to.equal(true);
      const names = (await collection.find({}, { sort: { name: 1 } }).toArray()).map(
        (doc): unknown => doc.name,
      );
      expect(names).to.deep.equal(['future', 'no field', 'not a date', 'recently touched']);
    });
  });
});
