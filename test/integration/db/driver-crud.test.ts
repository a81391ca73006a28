// Inserts, queries, updates, deletes and findAndModify through the official driver, asserting what
// the MongoDB documentation says a standalone mongod 7.0 answers. Runs unchanged on every lane.
import { expect } from 'chai';
import {
  Binary,
  BSONRegExp,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  MongoBulkWriteError,
  ObjectId,
  Timestamp,
  UUID,
} from 'mongodb';
import { ops, rejected, serverError, useDriver } from './driver-harness.js';

describe('driver conformance: CRUD', function () {
  const ctx = useDriver();

  describe('insert', function () {
    it('insertOne assigns an ObjectId _id and stores it first', async function () {
      const collection = ctx().fresh();
      const result = await collection.insertOne({ name: 'Ada' });
      expect(result.acknowledged).to.equal(true);
      expect(result.insertedId).to.be.instanceOf(ObjectId);
      const raw = await collection.findOne({ _id: result.insertedId });
      expect(Object.keys(raw!)).to.deep.equal(['_id', 'name']);
      const reply = await ctx().db.command({
        insert: collection.collectionName,
        documents: [{ name: 'Bo', _x: 1 }],
      });
      expect(reply).to.deep.include({ n: 1, ok: 1 });
      const bo = await collection.findOne({ name: 'Bo' });
      expect(bo!._id).to.be.instanceOf(ObjectId);
      expect(Object.keys(bo!)[0]).to.equal('_id');
    });

    it('keeps a client-chosen _id of any non-array type', async function () {
      const collection = ctx().fresh();
      await collection.insertMany([{ _id: 'slug' }, { _id: 7 }, { _id: { a: 1, b: 2 } }] as never[]);
      expect(await collection.findOne({ _id: 'slug' } as never)).to.deep.equal({ _id: 'slug' });
      expect(await collection.findOne({ _id: { a: 1, b: 2 } } as never)).to.deep.equal({
        _id: { a: 1, b: 2 },
      });
      // An embedded _id matches only with the same field order.
      expect(await collection.findOne({ _id: { b: 2, a: 1 } } as never)).to.equal(null);
      const error = await rejected(collection.insertOne({ _id: [1, 2] } as never));
      expect(error.message).to.match(/_id/);
      expect(await collection.countDocuments()).to.equal(3);
    });

    it('a duplicate _id fails with 11000 and names the _id index', async function () {
      const collection = ctx().fresh();
      await collection.insertOne({ _id: 1, v: 'first' } as never);
      const error = await serverError(collection.insertOne({ _id: 1, v: 'second' } as never), 11000);
      expect(error.message).to.match(
        /E11000 duplicate key error collection: .+ index: _id_ dup key: \{ _id: 1 \}/,
      );
      expect(error.keyPattern).to.deep.equal({ _id: 1 });
      expect(error.keyValue).to.deep.equal({ _id: 1 });
      expect(await collection.find().toArray()).to.deep.equal([{ _id: 1, v: 'first' }]);
    });

    it('an ordered insertMany stops at the first error; an unordered one carries on', async function () {
      const ordered = ctx().fresh();
      const first = (await rejected(
        ordered.insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }] as never[]),
      )) as unknown as MongoBulkWriteError;
      expect(first).to.be.instanceOf(MongoBulkWriteError);
      expect(first.code).to.equal(11000);
      expect(first.insertedCount).to.equal(1);
      expect(first.writeErrors).to.have.lengthOf(1);
      expect(await ordered.countDocuments()).to.equal(1);

      const unordered = ctx().fresh();
      const second = (await rejected(
        unordered.insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }, { _id: 2 }, { _id: 3 }] as never[], {
          ordered: false,
        }),
      )) as unknown as MongoBulkWriteError;
      expect(second.insertedCount).to.equal(3);
      const errors = Array.isArray(second.writeErrors) ? second.writeErrors : [second.writeErrors];
      expect(errors.map((error): unknown => error.index)).to.deep.equal([1, 3]);
      expect(errors.map((error): unknown => error.code)).to.deep.equal([11000, 11000]);
      expect(
        (await unordered.find().sort({ _id: 1 }).toArray()).map((doc): unknown => doc._id),
      ).to.deep.equal([1, 2, 3]);
    });
  });

  describe('find: filters', function () {
    const people = [
      {
        _id: 1,
        name: 'Ada',
        age: 36,
        tags: ['math', 'code'],
        address: { city: 'London', zip: 'N1' },
        score: 9.5,
      },
      { _id: 2, name: 'Bo', age: 25, tags: ['art'], address: { city: 'Leeds' }, score: null },
      { _id: 3, name: 'cy', age: 41, tags: [], address: { city: 'London', zip: 'E2' } },
      {
        _id: 4,
        name: 'Di',
        age: '41',
        tags: ['code', 'art', 'math'],
        items: [
          { sku: 'a', qty: 5 },
          { sku: 'b', qty: 1 },
        ],
      },
      { _id: 5, name: 'Ed', items: [{ sku: 'b', qty: 7 }], nested: [[1, 2], [3]] },
    ];
    let ids: (filter: object, options?: object) => Promise<unknown[]>;
    before(async function () {
      const collection = ctx().db.collection('people');
      await collection.insertMany(people as never[]);
      ids = async (filter, options = {}) =>
        (await collection.find(filter, { sort: { _id: 1 }, ...options }).toArray()).map(
          (doc): unknown => doc._id,
        );
    });

    it('equality, dotted paths and array membership', async function () {
      expect(await ids({ name: 'Ada' })).to.deep.equal([1]);
      expect(await ids({ 'address.city': 'London' })).to.deep.equal([1, 3]);
      expect(await ids({ tags: 'art' })).to.deep.equal([2, 4]);
      expect(await ids({ tags: ['art'] })).to.deep.equal([2]);
      expect(await ids({ tags: [] })).to.deep.equal([3]);
      expect(await ids({ 'items.sku': 'b' })).to.deep.equal([4, 5]);
      expect(await ids({ 'tags.0': 'code' })).to.deep.equal([4]);
      expect(await ids({ address: { city: 'Leeds' } })).to.deep.equal([2]);
      expect(await ids({ address: { zip: 'N1', city: 'London' } })).to.deep.equal([]);
    });

    it('comparison operators bracket by type', async function () {
      expect(await ids({ age: { $gt: 30 } })).to.deep.equal([1, 3]);
      expect(await ids({ age: { $gte: '0' } })).to.deep.equal([4]);
      expect(await ids({ age: { $lt: 100 } })).to.deep.equal([1, 2, 3]);
      expect(await ids({ age: { $ne: 36 } })).to.deep.equal([2, 3, 4, 5]);
      expect(await ids({ age: { $in: [25, '41'] } })).to.deep.equal([2, 4]);
      expect(await ids({ age: { $nin: [25, 36, 41] } })).to.deep.equal([4, 5]);
      expect(await ids({ score: { $gt: 5 } })).to.deep.equal([1]);
    });

    it('null matches null and missing; $exists and $type tell them apart', async function () {
      expect(await ids({ score: null })).to.deep.equal([2, 3, 4, 5]);
      expect(await ids({ score: { $exists: false } })).to.deep.equal([3, 4, 5]);
      expect(await ids({ score: { $exists: true } })).to.deep.equal([1, 2]);
      expect(await ids({ score: { $type: 'null' } })).to.deep.equal([2]);
      expect(await ids({ age: { $type: 'string' } })).to.deep.equal([4]);
      expect(await ids({ age: { $type: 'number' } })).to.deep.equal([1, 2, 3]);
      expect(await ids({ score: { $ne: null } })).to.deep.equal([1]);
    });

    it('logical operators', async function () {
      expect(await ids({ $or: [{ name: 'Ada' }, { age: 25 }] })).to.deep.equal([1, 2]);
      expect(await ids({ $and: [{ 'address.city': 'London' }, { age: { $gt: 40 } }] })).to.deep.equal([3]);
      expect(await ids({ $nor: [{ 'address.city': 'London' }, { name: 'Ed' }] })).to.deep.equal([2, 4]);
      expect(await ids({ age: { $not: { $gt: 30 } } })).to.deep.equal([2, 4, 5]);
    });

    it('array operators', async function () {
      expect(await ids({ tags: { $all: ['math', 'code'] } })).to.deep.equal([1, 4]);
      expect(await ids({ tags: { $size: 1 } })).to.deep.equal([2]);
      expect(await ids({ items: { $elemMatch: { sku: 'b', qty: { $gt: 5 } } } })).to.deep.equal([5]);
      // Without $elemMatch the conditions may hold on different elements.
      expect(await ids({ 'items.sku': 'a', 'items.qty': 1 })).to.deep.equal([4]);
      expect(await ids({ items: { $elemMatch: { sku: 'a', qty: 1 } } })).to.deep.equal([]);
    });

    it('regular expressions, as a BSON regex and as $regex with $options', async function () {
      expect(await ids({ name: /^[a-c]/i })).to.deep.equal([1, 2, 3]);
      expect(await ids({ name: { $regex: '^d', $options: 'i' } })).to.deep.equal([4]);
      expect(await ids({ name: new BSONRegExp('^E') })).to.deep.equal([5]);
      expect(await ids({ tags: /^ma/ })).to.deep.equal([1, 4]);
    });

    it('$expr compares fields of the same document', async function () {
      const collection = ctx().fresh();
      await collection.insertMany([
        { _id: 1, spent: 10, budget: 20 },
        { _id: 2, spent: 30, budget: 20 },
      ] as never[]);
      const over = await collection.find({ $expr: { $gt: ['$spent', '$budget'] } }).toArray();
      expect(over.map((doc): unknown => doc._id)).to.deep.equal([2]);
    });

    it('$text without a text index is refused with 27 IndexNotFound', async function () {
      const error = await serverError(
        ctx()
          .db.collection('people')
          .find({ $text: { $search: 'Ada' } })
          .toArray(),
        27,
      );
      expect(error.codeName).to.equal('IndexNotFound');
    });

    it('an unknown query operator is refused with BadValue (2)', async function () {
      const error = await serverError(
        ctx()
          .db.collection('people')
          .find({ age: { $lighthouse: 1 } })
          .toArray(),
        2,
      );
      expect(error.message).to.match(/unknown operator/i);
    });
  });

  describe('find: projection, sort, skip and limit', function () {
    before(async function () {
      await ctx()
        .db.collection('shop')
        .insertMany([
          {
            _id: 1,
            item: 'pen',
            price: 2,
            tags: ['a', 'b'],
            grades: [80, 85, 90],
            stock: { n: 10, where: 'shelf' },
          },
          { _id: 2, item: 'ink', price: 12, tags: ['c'], grades: [70, 95], stock: { n: 0, where: 'back' } },
          { _id: 3, item: 'pad', price: 5, grades: [60], stock: { n: 4, where: 'shelf' } },
          {
            _id: 4,
            item: 'cap',
            grades: [99, 100],
            points: [
              { k: 'x', v: 1 },
              { k: 'y', v: 2 },
            ],
          },
        ] as never[]);
    });

    it('inclusion and exclusion projections, _id on by default', async function () {
      const shop = ctx().db.collection('shop');
      expect(await shop.findOne({ _id: 1 } as never, { projection: { item: 1 } })).to.deep.equal({
        _id: 1,
        item: 'pen',
      });
      expect(await shop.findOne({ _id: 1 } as never, { projection: { item: 1, _id: 0 } })).to.deep.equal({
        item: 'pen',
      });
      expect(await shop.findOne({ _id: 3 } as never, { projection: { grades: 0, stock: 0 } })).to.deep.equal({
        _id: 3,
        item: 'pad',
        price: 5,
      });
      expect(await shop.findOne({ _id: 1 } as never, { projection: { 'stock.n': 1 } })).to.deep.equal({
        _id: 1,
        stock: { n: 10 },
      });
      expect(
        await shop.findOne({ _id: 1 } as never, { projection: { 'stock.where': 0, grades: 0, tags: 0 } }),
      ).to.deep.equal({
        _id: 1,
        item: 'pen',
        price: 2,
        stock: { n: 10 },
      });
    });

    it('mixing inclusion and exclusion is refused', async function () {
      const error = await rejected(
        ctx()
          .db.collection('shop')
          .find({}, { projection: { item: 1, price: 0 } })
          .toArray(),
      );
      expect(error.code).to.equal(31254);
    });

    it('positional $, $elemMatch and $slice projections', async function () {
      const shop = ctx().db.collection('shop');
      expect(
        await shop.findOne({ grades: { $gte: 85 }, _id: 1 } as never, { projection: { 'grades.$': 1 } }),
      ).to.deep.equal({ _id: 1, grades: [85] });
      expect(
        await shop.findOne({ _id: 4 } as never, {
          projection: { points: { $elemMatch: { v: { $gt: 1 } } } },
        }),
      ).to.deep.equal({
        _id: 4,
        points: [{ k: 'y', v: 2 }],
      });
      expect(
        await shop.findOne({ _id: 1 } as never, { projection: { grades: { $slice: -2 }, item: 1 } }),
      ).to.deep.equal({
        _id: 1,
        item: 'pen',
        grades: [85, 90],
      });
      expect(
        await shop.findOne({ _id: 1 } as never, {
          projection: { grades: { $slice: [1, 1] }, _id: 0, item: 1 },
        }),
      ).to.deep.equal({
        item: 'pen',
        grades: [85],
      });
    });

    it('sorts by several keys, missing values first ascending', async function () {
      const shop = ctx().db.collection('shop');
      const byPrice = await shop.find({}, { sort: { price: 1 }, projection: { _id: 1 } }).toArray();
      expect(byPrice.map((doc): unknown => doc._id)).to.deep.equal([4, 1, 3, 2]);
      const desc = await shop.find({}, { sort: { price: -1 }, projection: { _id: 1 } }).toArray();
      expect(desc.map((doc): unknown => doc._id)).to.deep.equal([2, 3, 1, 4]);
      const compound = await shop.find({}, { sort: { 'stock.where': 1, price: -1 } }).toArray();
      expect(compound.map((doc): unknown => doc._id)).to.deep.equal([4, 2, 3, 1]);
    });

    it('sorts an array field by its smallest element ascending and largest descending', async function () {
      const shop = ctx().db.collection('shop');
      const asc = await shop.find({}, { sort: { grades: 1 } }).toArray();
      expect(asc.map((doc): unknown => doc._id)).to.deep.equal([3, 2, 1, 4]);
      const desc = await shop.find({}, { sort: { grades: -1 } }).toArray();
      expect(desc.map((doc): unknown => doc._id)).to.deep.equal([4, 2, 1, 3]);
    });

    it('sorts values of different types in BSON order', async function () {
      const collection = ctx().fresh();
      await collection.insertMany([
        { _id: 1, v: 'text' },
        { _id: 2, v: 10 },
        { _id: 3, v: null },
        { _id: 4, v: { a: 1 } },
        { _id: 5, v: true },
        { _id: 6, v: new Date(0) },
        { _id: 7, v: new ObjectId('000000000000000000000001') },
        { _id: 8 },
        { _id: 9, v: 2.5 },
      ] as never[]);
      const sorted = await collection.find({}, { sort: { v: 1, _id: 1 } }).toArray();
      // null and missing, numbers, strings, objects, ObjectId, booleans, dates
      expect(sorted.map((doc): unknown => doc._id)).to.deep.equal([3, 8, 9, 2, 1, 4, 7, 5, 6]);
    });

    it('skip and limit page through a sorted result', async function () {
      const shop = ctx().db.collection('shop');
      const page = await shop.find({}, { sort: { _id: 1 }, skip: 1, limit: 2 }).toArray();
      expect(page.map((doc): unknown => doc._id)).to.deep.equal([2, 3]);
      expect(await shop.find({}, { sort: { _id: 1 }, skip: 10 }).toArray()).to.deep.equal([]);
      const error = await rejected(shop.find({}, { skip: -1 }).toArray());
      expect(error.code).to.be.a('number');
    });

    it('an invalid sort direction is refused', async function () {
      const error = await serverError(ctx().db.command({ find: 'shop', sort: { price: 2 } }), 15975);
      expect(error.message).to.match(/\$sort key ordering must be 1/);
    });

    it('a projection never changes the stored document', async function () {
      const shop = ctx().db.collection('shop');
      const before = await shop.findOne({ _id: 1 } as never);
      await shop.findOne({ _id: 1 } as never, { projection: { 'stock.where': 0 } });
      await shop.find({}, { projection: { 'stock.n': 1, grades: { $slice: 1 } } }).toArray();
      await shop.findOneAndUpdate(
        { _id: 1 } as never,
        { $set: { item: 'pen' } },
        { projection: { 'stock.n': 0 } },
      );
      expect(await shop.findOne({ _id: 1 } as never)).to.deep.equal(before);
    });
  });

  describe('count and distinct', function () {
    before(async function () {
      await ctx()
        .db.collection('votes')
        .insertMany([
          { _id: 1, who: 'a', tags: ['x', 'y'], n: 1 },
          { _id: 2, who: 'b', tags: ['y'], n: 1.0 },
          { _id: 3, who: 'a', tags: [], n: 2 },
          { _id: 4, who: 'c', n: Long.fromNumber(1) },
          { _id: 5, who: null, tags: ['z', 'x'] },
        ] as never[]);
    });

    it('count, countDocuments and estimatedDocumentCount', async function () {
      const { db } = ctx();
      const votes = db.collection('votes');
      expect(await votes.countDocuments()).to.equal(5);
      expect(await votes.countDocuments({ who: 'a' })).to.equal(2);
      expect(await votes.countDocuments({}, { skip: 1, limit: 2 })).to.equal(2);
      expect(await votes.estimatedDocumentCount()).to.equal(5);
      expect(await db.command({ count: 'votes', query: { tags: 'x' } })).to.deep.include({ n: 2, ok: 1 });
      expect(await db.command({ count: 'votes', query: {}, skip: 4 })).to.deep.include({ n: 1, ok: 1 });
      expect(await db.command({ count: 'missing_collection' })).to.deep.include({ n: 0, ok: 1 });
    });

    it('distinct flattens arrays, merges equal numbers and honours the query', async function () {
      const votes = ctx().db.collection('votes');
      expect((await votes.distinct('tags')).sort()).to.deep.equal(['x', 'y', 'z']);
      expect((await votes.distinct('who', { n: 1 })).sort()).to.deep.equal(['a', 'b', 'c']);
      const numbers = await votes.distinct('n');
      expect(numbers).to.have.lengthOf(2);
      expect(numbers.map(Number).sort()).to.deep.equal([1, 2]);
      const who = await votes.distinct('who');
      expect(who).to.have.lengthOf(4);
      expect(who).to.include(null);
      expect(await ctx().db.collection('missing_collection').distinct('x')).to.deep.equal([]);
    });
  });

  describe('update, replace and delete', function () {
    it('updateOne and updateMany report matched and modified counts', async function () {
      const collection = ctx().fresh();
      await collection.insertMany([
        { _id: 1, group: 'a', v: 1 },
        { _id: 2, group: 'a', v: 2 },
        { _id: 3, group: 'b', v: 2 },
      ] as never[]);
      const one = await collection.updateOne({ group: 'a' }, { $set: { v: 10 } });
      expect(one).to.deep.include({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
      const many = await collection.updateMany({ v: 2 }, { $set: { v: 2 } });
      expect(many).to.deep.include({ matchedCount: 2, modifiedCount: 0 });
      const changed = await collection.updateMany({}, { $inc: { v: 1 } });
      expect(changed).to.deep.include({ matchedCount: 3, modifiedCount: 3 });
      expect(await collection.find({}, { sort: { _id: 1 } }).toArray()).to.deep.equal([
        { _id: 1, group: 'a', v: 11 },
        { _id: 2, group: 'a', v: 3 },
        { _id: 3, group: 'b', v: 3 },
      ]);
      const none = await collection.updateOne({ group: 'zzz' }, { $set: { v: 0 } });
      expect(none).to.deep.include({ matchedCount: 0, modifiedCount: 0, upsertedId: null });
    });

    it('the update command answers n, nModified and upserted', async function () {
      const collection = ctx().fresh();
      await collection.insertOne({ _id: 1, v: 1 } as never);
      const reply = await ctx().db.command({
        update: collection.collectionName,
        updates: [
          { q: { _id: 1 }, u: { $set: { v: 2 } } },
          { q: { _id: 2 }, u: { $set: { v: 3 } }, upsert: true },
          { q: { _id: 1 }, u: { $set: { v: 2 } } },
        ],
      });
      expect(reply).to.deep.include({ n: 3, nModified: 1, ok: 1 });
      expect(reply.upserted).to.deep.equal([{ index: 1, _id: 2 }]);
    });

    it('replaceOne swaps the whole document and keeps _id', async function () {
      const collection = ctx().fresh();
      await collection.insertOne({ _id: 1, a: 1, b: 2 } as never);
      const result = await collection.replaceOne({ _id: 1 } as never, { c: 3 });
      expect(result).to.deep.include({ matchedCount: 1, modifiedCount: 1 });
      expect(await collection.findOne({ _id: 1 } as never)).to.deep.equal({ _id: 1, c: 3 });
      const error = await serverError(collection.replaceOne({ _id: 1 } as never, { _id: 2, c: 4 }), 66);
      expect(error.message).to.match(/_id/);
      expect(await collection.findOne({}, {})).to.deep.equal({ _id: 1, c: 3 });
      const upserted = await collection.replaceOne({ name: 'new' }, { name: 'new', v: 1 }, { upsert: true });
      expect(upserted.upsertedCount).to.equal(1);
      expect(upserted.upsertedId).to.be.instanceOf(ObjectId);
      const stored = await collection.findOne({ name: 'new' });
      expect(stored).to.deep.equal({ _id: upserted.upsertedId, name: 'new', v: 1 });
    });

    it('a replacement document with an operator, or an update without one, is refused', async function () {
      const collection = ctx().fresh();
      await collection.insertOne({ _id: 1, a: 1 } as never);
      const reply = await ctx().db.command({
        update: collection.collectionName,
        updates: [{ q: { _id: 1 }, u: { a: 2, $set: { b: 1 } } }],
      });
      expect(reply).to.deep.include({ n: 0, nModified: 0, ok: 1 });
      expect(reply.writeErrors).to.have.lengthOf(1);
      expect(reply.writeErrors[0].code).to.equal(52);
      const unknown = await ctx().db.command({
        update: collection.collectionName,
        updates: [{ q: { _id: 1 }, u: { $lighthouse: { a: 2 } } }],
      });
      expect(unknown.writeErrors[0].code).to.equal(9);
      expect(unknown.writeErrors[0].errmsg).to.match(/Unknown modifier: \$lighthouse/);
      expect(await collection.findOne({ _id: 1 } as never)).to.deep.equal({ _id: 1, a: 1 });
    });

    it('deleteOne and deleteMany report deletions', async function () {
      const collection = ctx().fresh();
      await collection.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }, { k: 3 }]);
      expect((await collection.deleteOne({ k: 1 })).deletedCount).to.equal(1);
      expect(await collection.countDocuments({ k: 1 })).to.equal(1);
      expect((await collection.deleteMany({ k: { $gte: 1 } })).deletedCount).to.equal(3);
      expect((await collection.deleteMany({})).deletedCount).to.equal(0);
      expect(await collection.countDocuments()).to.equal(0);
      const reply = await ctx().db.command({ delete: 'missing_collection', deletes: [{ q: {}, limit: 0 }] });
      expect(reply).to.deep.include({ n: 0, ok: 1 });
    });
  });

  describe('findAndModify', function () {
    it('findOneAndUpdate returns the document before or after, honouring sort and projection', async function () {
      const collection = ctx().fresh();
      await collection.insertMany([
        { _id: 1, queue: 'q', priority: 1, state: 'new' },
        { _id: 2, queue: 'q', priority: 5, state: 'new' },
      ] as never[]);
      const before = await collection.findOneAndUpdate(
        { queue: 'q', state: 'new' },
        { $set: { state: 'taken' } },
        { sort: { priority: -1 } },
      );
      expect(before).to.deep.equal({ _id: 2, queue: 'q', priority: 5, state: 'new' });
      const after = await collection.findOneAndUpdate(
        { queue: 'q', state: 'new' },
        { $set: { state: 'taken' } },
        { sort: { priority: -1 }, returnDocument: 'after', projection: { state: 1 } },
      );
      expect(after).to.deep.equal({ _id: 1, state: 'taken' });
      expect(await collection.findOneAndUpdate({ state: 'new' }, { $set: { state: 'x' } })).to.equal(null);
      const meta = await collection.findOneAndUpdate(
        { _id: 1 } as never,
        { $inc: { priority: 1 } },
        { includeResultMetadata: true, returnDocument: 'after' },
      );
      expect(meta.ok).to.equal(1);
      expect(meta.lastErrorObject).to.deep.equal({ n: 1, updatedExisting: true });
      expect(meta.value).to.deep.equal({ _id: 1, queue: 'q', priority: 2, state: 'taken' });
    });

    it('findOneAndUpdate with upsert inserts from the filter', async function () {
      const collection = ctx().fresh();
      const none = await collection.findOneAndUpdate(
        { key: 'k' },
        { $set: { v: 1 }, $setOnInsert: { created: true } },
        { upsert: true },
      );
      expect(none).to.equal(null);
      const meta = await collection.findOneAndUpdate(
        { key: 'j' },
        { $set: { v: 2 } },
        { upsert: true, returnDocument: 'after', includeResultMetadata: true },
      );
      expect(meta.lastErrorObject?.n).to.equal(1);
      expect(meta.lastErrorObject?.updatedExisting).to.equal(false);
      expect(meta.lastErrorObject?.upserted).to.be.instanceOf(ObjectId);
      expect(meta.value).to.deep.equal({ _id: meta.lastErrorObject?.upserted, key: 'j', v: 2 });
      const stored = await collection.findOne({ key: 'k' }, { projection: { _id: 0 } });
      expect(stored).to.deep.equal({ key: 'k', v: 1, created: true });
    });

    it('findOneAndReplace and findOneAndDelete', async function () {
      const collection = ctx().fresh();
      await collection.insertMany([
        { _id: 1, kind: 'a', n: 1 },
        { _id: 2, kind: 'a', n: 2 },
      ] as never[]);
      const replaced = await collection.findOneAndReplace(
        { kind: 'a' },
        { kind: 'b', n: 9 },
        { sort: { n: -1 }, returnDocument: 'after' },
      );
      expect(replaced).to.deep.equal({ _id: 2, kind: 'b', n: 9 });
      const deleted = await collection.findOneAndDelete({ kind: { $in: ['a', 'b'] } }, { sort: { n: 1 } });
      expect(deleted).to.deep.equal({ _id: 1, kind: 'a', n: 1 });
      expect(await collection.find().toArray()).to.deep.equal([{ _id: 2, kind: 'b', n: 9 }]);
      expect(await collection.findOneAndDelete({ kind: 'zzz' })).to.equal(null);
      const meta = await collection.findOneAndDelete({ _id: 2 } as never, { includeResultMetadata: true });
      expect(meta.lastErrorObject).to.deep.equal({ n: 1 });
    });

    it('findAndModify refuses update together with remove', async function () {
      const collection = ctx().fresh();
      await collection.insertOne({ _id: 1 } as never);
      const error = await rejected(
        ctx().db.command({
          findAndModify: collection.collectionName,
          query: {},
          remove: true,
          update: { $set: { a: 1 } },
        }),
      );
      expect(error.code).to.be.a('number');
      expect(await collection.findOne({})).to.deep.equal({ _id: 1 });
    });
  });

  describe('BSON type fidelity', function () {
    it('every BSON type comes back as it was stored', async function () {
      const collection = ctx().fresh();
      const id = new ObjectId();
      const uuid = new UUID();
      const doc = {
        _id: id,
        when: new Date('2024-02-29T12:34:56.789Z'),
        price: Decimal128.fromString('1234567890.123456789012345678'),
        tiny: Decimal128.fromString('0.10'),
        big: Long.fromString('9007199254740993'),
        small: Long.fromNumber(5),
        int: 42,
        double: 2.5,
        wholeDouble: new Double(3),
        int32: new Int32(7),
        bin: new Binary(Buffer.from([0, 1, 2, 255]), 0),
        uuid: uuid.toBinary(),
        regex: /^ab+c$/im,
        bsonRegex: new BSONRegExp('x.y', 'sx'),
        nothing: null,
        yes: true,
        ts: new Timestamp({ t: 1_700_000_000, i: 3 }),
        min: new MinKey(),
        max: new MaxKey(),
        nested: { list: [1, 'two', { three: 3 }, [4]], empty: {} },
        emptyList: [],
        unicode: 'Ünïcødé ✓ 灯塔',
      };
      await collection.insertOne(doc);
      const back = await collection.findOne(
        { _id: id },
        { promoteLongs: false, promoteValues: true, bsonRegExp: true },
      );
      expect(back).to.not.equal(null);
      expect(back!._id).to.be.instanceOf(ObjectId);
      expect(back!._id.equals(id)).to.equal(true);
      expect(back!.when).to.be.instanceOf(Date);
      expect(back!.when.toISOString()).to.equal('2024-02-29T12:34:56.789Z');
      expect(back!.price).to.be.instanceOf(Decimal128);
      expect(back!.price.toString()).to.equal('1234567890.123456789012345678');
      expect(back!.tiny.toString()).to.equal('0.10');
      expect(back!.big).to.be.instanceOf(Long);
      expect(back!.big.toString()).to.equal('9007199254740993');
      expect(back!.small).to.be.instanceOf(Long);
      expect(back!.small.toNumber()).to.equal(5);
      expect(back!.int).to.equal(42);
      expect(back!.double).to.equal(2.5);
      expect(back!.wholeDouble).to.equal(3);
      expect(back!.int32).to.equal(7);
      expect(back!.bin).to.be.instanceOf(Binary);
      expect(back!.bin.sub_type).to.equal(0);
      expect([...back!.bin.buffer]).to.deep.equal([0, 1, 2, 255]);
      expect(back!.uuid).to.be.instanceOf(Binary);
      expect(back!.uuid.sub_type).to.equal(4);
      expect(back!.uuid.toUUID().toHexString()).to.equal(uuid.toHexString());
      expect(back!.regex).to.be.instanceOf(BSONRegExp);
      expect(back!.regex.pattern).to.equal('^ab+c$');
      expect(back!.regex.options).to.equal('im');
      expect(back!.bsonRegex.pattern).to.equal('x.y');
      expect(back!.bsonRegex.options).to.equal('sx');
      expect(back!.nothing).to.equal(null);
      expect(back!.yes).to.equal(true);
      expect(back!.ts).to.be.instanceOf(Timestamp);
      expect(back!.ts.t).to.equal(1_700_000_000);
      expect(back!.ts.i).to.equal(3);
      expect(back!.min).to.be.instanceOf(MinKey);
      expect(back!.max).to.be.instanceOf(MaxKey);
      expect(back!.nested).to.deep.equal({ list: [1, 'two', { three: 3 }, [4]], empty: {} });
      expect(back!.emptyList).to.deep.equal([]);
      expect(back!.unicode).to.equal('Ünïcødé ✓ 灯塔');
      expect(Object.keys(back!)).to.deep.equal(Object.keys(doc));

      // With the driver's defaults a small int64 reads as a number and a regex as a RegExp.
      const promoted = await collection.findOne({ _id: id });
      expect(promoted!.small).to.equal(5);
      expect(promoted!.regex).to.be.instanceOf(RegExp);
      expect((promoted!.regex as RegExp).source).to.equal('^ab+c$');
      // Raw bytes: int32 and double keep their BSON types (0x10 and 0x01).
      const raw = await collection.findOne({ _id: id }, { promoteValues: false });
      expect(raw!.int).to.be.instanceOf(Int32);
      expect(raw!.double).to.be.instanceOf(Double);
      expect(raw!.int32).to.be.instanceOf(Int32);
      // The offline lane holds numbers as JavaScript numbers: a whole-number double comes back as
      // an int32 (the same number for every driver reading with promoteValues, the default).
      if (!ctx().handle.inMemory) expect(raw!.wholeDouble).to.be.instanceOf(Double);
      else expect(Number(raw!.wholeDouble)).to.equal(3);
    });

    it('queries match Decimal128, int64, dates and binary values', async function () {
      const collection = ctx().fresh();
      await collection.insertMany([
        {
          _id: 1,
          d: Decimal128.fromString('1.10'),
          l: Long.fromNumber(10),
          at: new Date(1000),
          b: new Binary(Buffer.from('ab')),
        },
        {
          _id: 2,
          d: Decimal128.fromString('2.5'),
          l: Long.fromNumber(20),
          at: new Date(2000),
          b: new Binary(Buffer.from('cd')),
        },
      ] as never[]);
      const idsOf = async (filter: object): Promise<unknown[]> =>
        (await collection.find(filter).sort({ _id: 1 }).toArray()).map((doc): unknown => doc._id);
      expect(await idsOf({ d: Decimal128.fromString('1.1') })).to.deep.equal([1]);
      expect(await idsOf({ d: 2.5 })).to.deep.equal([2]);
      expect(await idsOf({ d: { $gt: 2 } })).to.deep.equal([2]);
      expect(await idsOf({ l: 10 })).to.deep.equal([1]);
      expect(await idsOf({ l: Long.fromNumber(20) })).to.deep.equal([2]);
      expect(await idsOf({ l: { $gte: Long.fromNumber(15) } })).to.deep.equal([2]);
      expect(await idsOf({ at: { $lt: new Date(1500) } })).to.deep.equal([1]);
      expect(await idsOf({ b: new Binary(Buffer.from('cd')) })).to.deep.equal([2]);
      expect(await idsOf({ d: { $type: 'number' } })).to.deep.equal([1, 2]);
      expect(await idsOf({ b: { $type: 'binData' } })).to.deep.equal([1, 2]);
      expect(await idsOf({ at: { $type: 'date' } })).to.deep.equal([1, 2]);
    });

    it('$type knows every BSON type and looks inside arrays', async function () {
      const collection = ctx().fresh();
      await collection.insertMany([
        { _id: 1, v: new ObjectId() },
        { _id: 2, v: new Binary(Buffer.from('x')) },
        { _id: 3, v: new Timestamp({ t: 1, i: 1 }) },
        { _id: 4, v: /re/ },
        { _id: 5, v: ['a', 1] },
        { _id: 6, v: new MinKey() },
        { _id: 7, v: { nested: true } },
        { _id: 8, v: [[1]] },
        { _id: 9, v: true },
      ] as never[]);
      const idsOf = async (type: unknown): Promise<unknown[]> =>
        (
          await collection
            .find({ v: { $type: type } } as never)
            .sort({ _id: 1 })
            .toArray()
        ).map((doc): unknown => doc._id);
      expect(await idsOf('objectId')).to.deep.equal([1]);
      expect(await idsOf(7)).to.deep.equal([1]);
      expect(await idsOf('binData')).to.deep.equal([2]);
      expect(await idsOf('timestamp')).to.deep.equal([3]);
      expect(await idsOf('regex')).to.deep.equal([4]);
      expect(await idsOf('string')).to.deep.equal([5]);
      expect(await idsOf('number')).to.deep.equal([5]);
      expect(await idsOf('array')).to.deep.equal([5, 8]);
      expect(await idsOf('minKey')).to.deep.equal([6]);
      expect(await idsOf('object')).to.deep.equal([7]);
      expect(await idsOf('bool')).to.deep.equal([9]);
      expect(await idsOf(['bool', 'regex'])).to.deep.equal([4, 9]);
      await serverError(idsOf('lighthouse'), 2);
    });

    it('$type tells the numeric types apart (the offline lane refuses to guess)', async function () {
      const collection = ctx().fresh();
      await collection.insertMany([
        { _id: 1, v: Decimal128.fromString('1.5') },
        { _id: 2, v: Long.fromNumber(2) },
        { _id: 3, v: 2.5 },
        { _id: 4, v: 3 },
      ] as never[]);
      const idsOf = async (filter: object): Promise<unknown[]> =>
        (await collection.find(filter).sort({ _id: 1 }).toArray()).map((doc): unknown => doc._id);
      expect(await idsOf({ v: { $type: 'number' } })).to.deep.equal([1, 2, 3, 4]);
      if (ctx().handle.inMemory) {
        for (const type of ['decimal', 'long', 'double', 'int']) {
          const error = await serverError(idsOf({ v: { $type: type } }), 238);
          expect(error.message).to.match(/not supported by the offline MongoDB lane/);
        }
      } else {
        expect(await idsOf({ v: { $type: 'decimal' } })).to.deep.equal([1]);
        expect(await idsOf({ v: { $type: 'long' } })).to.deep.equal([2]);
        expect(await idsOf({ v: { $type: 'double' } })).to.deep.equal([3]);
        expect(await idsOf({ v: { $type: 'int' } })).to.deep.equal([4]);
      }
    });

    it('int64 values beyond 2^53 stay distinct (the offline lane refuses to query them)', async function () {
      const collection = ctx().fresh();
      await collection.insertMany([
        { _id: 1, l: Long.fromString('9007199254740992') },
        { _id: 2, l: Long.fromString('9007199254740993') },
      ] as never[]);
      const query = collection.find({ l: Long.fromString('9007199254740993') }).toArray();
      if (ctx().handle.inMemory) await serverError(query, 238);
      else expect((await query).map((doc): unknown => doc._id)).to.deep.equal([2]);
      // Stored and sorted exactly on every lane.
      const sorted = await collection.find({}, { sort: { l: -1 }, promoteLongs: false }).toArray();
      expect(sorted.map((doc) => (doc.l as Long).toString())).to.deep.equal([
        '9007199254740993',
        '9007199254740992',
      ]);
    });
  });

  describe('document isolation', function () {
    it('mutating a returned document does not change what is stored', async function () {
      const collection = ctx().fresh();
      await collection.insertOne({ _id: 1, list: [1, 2], sub: { a: 1 } } as never);
      const first = await collection.findOne({ _id: 1 } as never);
      first!.list.push(3);
      first!.sub.a = 99;
      const again = await collection.findOne({ _id: 1 } as never);
      expect(again).to.deep.equal({ _id: 1, list: [1, 2], sub: { a: 1 } });
    });

    it('an aggregation stage that rewrites documents leaves the stored ones alone', async function () {
      const collection = ctx().fresh();
      await collection.insertOne({ _id: 1, list: [1, 2], sub: { a: 1 } } as never);
      const out = await collection
        .aggregate([{ $set: { 'sub.a': 2, list: { $concatArrays: ['$list', [3]] } } }, { $unwind: '$list' }])
        .toArray();
      expect(out).to.have.lengthOf(3);
      expect(await collection.findOne({ _id: 1 } as never)).to.deep.equal({
        _id: 1,
        list: [1, 2],
        sub: { a: 1 },
      });
    });

    it('a failed update changes nothing at all', async function () {
      const collection = ctx().fresh();
      await collection.insertOne({ _id: 1, name: 'x', n: 'not a number', list: [1] } as never);
      await serverError(
        collection.updateOne(
          { _id: 1 } as never,
          ops({ $set: { name: 'y' }, $push: { list: 2 }, $inc: { n: 1 } }),
        ),
        14,
      );
      expect(await collection.findOne({ _id: 1 } as never)).to.deep.equal({
        _id: 1,
        name: 'x',
        n: 'not a number',
        list: [1],
      });
    });

    it('the document returned by findOneAndUpdate before the change stays as it was', async function () {
      const collection = ctx().fresh();
      await collection.insertOne({ _id: 1, tags: ['a'] } as never);
      const before = await collection.findOneAndUpdate({ _id: 1 } as never, ops({ $push: { tags: 'b' } }));
      expect(before).to.deep.equal({ _id: 1, tags: ['a'] });
      expect(await collection.findOne({ _id: 1 } as never)).to.deep.equal({ _id: 1, tags: ['a', 'b'] });
    });
  });

  describe('_id and unique-index lookups', function () {
    it('finds by _id with any numeric type and by $in', async function () {
      const collection = ctx().fresh();
      await collection.insertMany([
        { _id: 1, v: 'one' },
        { _id: 2, v: 'two' },
        { _id: 'x', v: 'ex' },
      ] as never[]);
      expect(await collection.findOne({ _id: 1 } as never)).to.deep.equal({ _id: 1, v: 'one' });
      expect(await collection.findOne({ _id: 1.0 } as never)).to.deep.equal({ _id: 1, v: 'one' });
      expect(await collection.findOne({ _id: Long.fromNumber(2) } as never)).to.deep.equal({
        _id: 2,
        v: 'two',
      });
      expect(await collection.findOne({ _id: Decimal128.fromString('2') } as never)).to.deep.equal({
        _id: 2,
        v: 'two',
      });
      const some = await collection
        .find({ _id: { $in: [2, 'x', 99] } } as never, { sort: { v: 1 } })
        .toArray();
      expect(some.map((doc): unknown => doc.v)).to.deep.equal(['ex', 'two']);
      expect(await collection.findOne({ _id: 3 } as never)).to.equal(null);
      expect(await collection.findOne({ _id: 1, v: 'two' } as never)).to.equal(null);
      // A numerically equal _id of another type is a duplicate.
      await serverError(collection.insertOne({ _id: 1.0 } as never), 11000);
      await serverError(collection.insertOne({ _id: Long.fromNumber(2) } as never), 11000);
    });

    it('unique-field lookups follow updates and deletes', async function () {
      const collection = ctx().fresh();
      await collection.createIndex({ email: 1 }, { unique: true });
      const { insertedId } = await collection.insertOne({ email: 'old@example.org', n: 1 });
      await collection.insertOne({ email: 'other@example.org', n: 2 });
      expect((await collection.findOne({ email: 'old@example.org' }))!._id.equals(insertedId)).to.equal(true);
      await collection.updateOne({ _id: insertedId }, { $set: { email: 'new@example.org' } });
      expect(await collection.findOne({ email: 'old@example.org' })).to.equal(null);
      expect((await collection.findOne({ email: 'new@example.org' }))!.n).to.equal(1);
      expect(await collection.findOne({ email: 'new@example.org', n: 2 })).to.equal(null);
      expect(
        (await collection.find({ email: { $in: ['new@example.org', 'other@example.org'] } }).toArray())
          .map((doc): unknown => doc.n)
          .sort(),
      ).to.deep.equal([1, 2]);
      // The old value is free again, the new one is taken.
      await collection.insertOne({ email: 'old@example.org', n: 3 });
      await serverError(collection.insertOne({ email: 'new@example.org', n: 4 }), 11000);
      await collection.deleteOne({ email: 'new@example.org' });
      expect(await collection.findOne({ email: 'new@example.org' })).to.equal(null);
      await collection.insertOne({ email: 'new@example.org', n: 5 });
      expect((await collection.findOne({ email: 'new@example.org' }))!.n).to.equal(5);
      // Documents without the field share the null key of a (non-sparse) unique index.
      await collection.insertOne({ n: 6 });
      expect((await collection.findOne({ email: null }))!.n).to.equal(6);
      await serverError(collection.insertOne({ n: 7 }), 11000);
    });
  });
});
