// Answers that once came back wrong without an error (issue 12, items 2–9): each states what the
// MongoDB manual says a mongod 7.0 answers, and runs unchanged on every lane.
import { expect } from 'chai';
import { Binary, ObjectId } from 'mongodb';
import { ops, serverError, useDriver } from './driver-harness.js';

const bin = (bytes: number[], subtype = 0): Binary => new Binary(Buffer.from(bytes), subtype);

describe('driver conformance: exact answers', function () {
  const ctx = useDriver();

  describe('$pull with a condition on the array elements', function () {
    it('removes every element matching an $or, as mongoose sends doc.arr.pull(a, b)', async function () {
      const collection = ctx().fresh();
      await collection.insertOne({ _id: 1, kids: [{ n: 'x' }, { n: 'y' }, { n: 'z' }] } as never);
      const result = await collection.updateOne(
        { _id: 1 } as never,
        ops({ $pull: { kids: { $or: [{ n: 'x' }, { n: 'y' }] } } }),
      );
      expect(result.modifiedCount).to.equal(1);
      expect(await collection.findOne({ _id: 1 } as never)).to.deep.equal({ _id: 1, kids: [{ n: 'z' }] });
    });

    it('takes $and and $nor over the elements too', async function () {
      const collection = ctx().fresh();
      const kids = [
        { n: 'x', age: 3 },
        { n: 'y', age: 9 },
        { n: 'z', age: 12 },
      ];
      await collection.insertMany([
        { _id: 1, kids },
        { _id: 2, kids },
      ] as never[]);
      await collection.updateOne(
        { _id: 1 } as never,
        ops({ $pull: { kids: { $and: [{ age: { $gt: 5 } }, { n: { $ne: 'z' } }] } } }),
      );
      await collection.updateOne({ _id: 2 } as never, ops({ $pull: { kids: { $nor: [{ n: 'x' }] } } }));
      expect((await collection.findOne({ _id: 1 } as never))?.kids).to.deep.equal([kids[0], kids[2]]);
      expect((await collection.findOne({ _id: 2 } as never))?.kids).to.deep.equal([kids[0]]);
    });

    it('on scalars, an $or of conditions on the values', async function () {
      const collection = ctx().fresh();
      await collection.insertOne({ _id: 1, scores: [1, 5, 9, 12] } as never);
      await collection.updateOne({ _id: 1 } as never, ops({ $pull: { scores: { $in: [1, 12] } } }));
      expect((await collection.findOne({ _id: 1 } as never))?.scores).to.deep.equal([5, 9]);
    });
  });

  describe('$slice projections', function () {
    const doc = { _id: 1, a: 'keep', b: 'also', arr: [1, 2, 3] };

    it('a projection of only $slice returns every other field', async function () {
      const collection = ctx().fresh();
      await collection.insertOne(doc as never);
      expect(await collection.findOne({}, { projection: { arr: { $slice: 1 } } })).to.deep.equal({
        ...doc,
        arr: [1],
      });
      expect(await collection.findOne({}, { projection: { arr: { $slice: [1, 1] } } })).to.deep.equal({
        ...doc,
        arr: [2],
      });
    });

    it('$slice with an exclusion excludes, with an inclusion includes', async function () {
      const collection = ctx().fresh();
      await collection.insertOne(doc as never);
      expect(await collection.findOne({}, { projection: { arr: { $slice: 1 }, a: 0 } })).to.deep.equal({
        _id: 1,
        b: 'also',
        arr: [1],
      });
      expect(await collection.findOne({}, { projection: { arr: { $slice: -1 }, a: 1 } })).to.deep.equal({
        _id: 1,
        a: 'keep',
        arr: [3],
      });
    });
  });

  describe('inclusion projections', function () {
    it("keep the document's field order, whatever the projection's order", async function () {
      const collection = ctx().fresh();
      await collection.insertOne({ _id: 1, b: 2, a: { x: 1 }, c: 3 } as never);
      const projected = await collection.findOne({ _id: 1 } as never, { projection: { c: 1, a: 1, b: 1 } });
      expect(Object.keys(projected ?? {})).to.deep.equal(['_id', 'b', 'a', 'c']);
      const excluded = await collection.findOne({ _id: 1 } as never, { projection: { a: 0 } });
      expect(Object.keys(excluded ?? {})).to.deep.equal(['_id', 'b', 'c']);
    });
  });

  describe('$all', function () {
    it('matches a non-array field equal to its only element', async function () {
      const collection = ctx().fresh();
      await collection.insertMany([
        { _id: 1, title: 'T' },
        { _id: 2, title: ['T', 'U'] },
        { _id: 3, title: 'U' },
      ] as never[]);
      const ids = async (filter: object) =>
        (await collection.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
      expect(await ids({ title: { $all: ['T'] } })).to.deep.equal([1, 2]);
      expect(await ids({ title: { $all: ['T', 'U'] } })).to.deep.equal([2]);
      expect(await ids({ title: { $all: [] } })).to.deep.equal([]);
    });
  });

  describe('BinData', function () {
    it('range filters order BinData by length, then subtype, then bytes (as sorting does)', async function () {
      const collection = ctx().fresh();
      await collection.insertMany([
        { _id: 'short-ff', raw: bin([0xff]) },
        { _id: 'long-00', raw: bin([0x00, 0x01]) },
        { _id: 'longer', raw: bin([0x00, 0x00, 0x00]) },
        { _id: 'short-user', raw: bin([0x00], 0x80) },
      ] as never[]);
      const ids = async (filter: object) =>
        (await collection.find(filter).toArray()).map((d) => String(d._id)).sort();
      expect(await ids({ raw: { $gt: bin([0x00, 0x00]) } })).to.deep.equal(['long-00', 'longer']);
      expect(await ids({ raw: { $lt: bin([0x00, 0x00]) } })).to.deep.equal(['short-ff', 'short-user']);
      // Same length: subtype 0 sorts before the user-defined 0x80, whatever the bytes.
      expect(await ids({ raw: { $gt: bin([0xff]) } })).to.deep.equal(['long-00', 'longer', 'short-user']);
      expect(await ids({ raw: { $lte: bin([0xff]) } })).to.deep.equal(['short-ff']);
      const sorted = await collection.find({}).sort({ raw: 1 }).toArray();
      expect(sorted.map((d) => d._id)).to.deep.equal(['short-ff', 'short-user', 'long-00', 'longer']);
    });

    it('$bitsAllSet, $bitsAnySet, $bitsAllClear and $bitsAnyClear test BinData bits', async function () {
      const collection = ctx().fresh();
      // 0x11: bits 0 and 4 of the first byte; bit 8 is the lowest bit of the second byte.
      await collection.insertMany([
        { _id: 1, raw: bin([0x11]) },
        { _id: 2, raw: bin([0x01, 0x01]) },
        { _id: 3, raw: 17 },
      ] as never[]);
      const ids = async (filter: object) =>
        (await collection.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
      expect(await ids({ raw: { $bitsAllSet: [0, 4] } })).to.deep.equal([1, 3]);
      expect(await ids({ raw: { $bitsAllSet: bin([0x11]) } })).to.deep.equal([1, 3]);
      expect(await ids({ raw: { $bitsAnySet: [8] } })).to.deep.equal([2]);
      expect(await ids({ raw: { $bitsAllClear: [4] } })).to.deep.equal([2]);
      expect(await ids({ raw: { $bitsAnyClear: [0, 4] } })).to.deep.equal([2]);
      expect(await ids({ raw: { $bitsAllSet: 16 } })).to.deep.equal([1, 3]);
    });

    it('a $set that changes only the subtype is a modification', async function () {
      const collection = ctx().fresh();
      await collection.insertOne({ _id: 1, raw: bin([1, 2]) } as never);
      const result = await collection.updateOne({ _id: 1 } as never, { $set: { raw: bin([1, 2], 0x80) } });
      expect(result.modifiedCount).to.equal(1);
      const stored = (await collection.findOne({ _id: 1 } as never))?.raw as Binary;
      expect(stored.sub_type).to.equal(0x80);
      const same = await collection.updateOne({ _id: 1 } as never, { $set: { raw: bin([1, 2], 0x80) } });
      expect(same.modifiedCount).to.equal(0);
    });
  });

  describe('own __proto__ keys are data', function () {
    const withProto = (): Record<string, unknown> =>
      JSON.parse('{"__proto__": {"admin": true}, "k": 1}') as Record<string, unknown>;

    const expectOwnProto = (value: unknown): void => {
      const meta = value as Record<string, unknown>;
      expect(Object.keys(meta)).to.deep.equal(['__proto__', 'k']);
      expect(Object.getOwnPropertyDescriptor(meta, '__proto__')?.value).to.deep.equal({ admin: true });
      expect((meta as { admin?: unknown }).admin).to.equal(undefined);
    };

    it('survive insertOne, $set, a replacement and findAndModify', async function () {
      const collection = ctx().fresh();
      await collection.insertOne({ _id: 1, meta: withProto() } as never);
      expectOwnProto((await collection.findOne({ _id: 1 } as never))?.meta);

      await collection.insertOne({ _id: 2 } as never);
      await collection.updateOne({ _id: 2 } as never, { $set: { meta: withProto() } });
      expectOwnProto((await collection.findOne({ _id: 2 } as never))?.meta);

      await collection.replaceOne({ _id: 2 } as never, { meta: withProto(), v: 2 });
      expectOwnProto((await collection.findOne({ _id: 2 } as never))?.meta);

      const after = await collection.findOneAndUpdate(
        { _id: 1 } as never,
        { $set: { meta: withProto(), v: 3 } },
        { returnDocument: 'after' },
      );
      expectOwnProto(after?.meta);
      expectOwnProto((await collection.findOne({ _id: 1 } as never))?.meta);

      const replaced = await collection.findOneAndReplace(
        { _id: 1 } as never,
        { meta: withProto() },
        { returnDocument: 'after' },
      );
      expectOwnProto(replaced?.meta);
    });

    it('are paths like any other: filters, $unset and $rename reach them', async function () {
      const collection = ctx().fresh();
      await collection.insertMany([
        { _id: 1, meta: withProto() },
        { _id: 2, meta: { k: 1 } },
      ] as never[]);
      const found = await collection.find({ 'meta.__proto__.admin': true }).toArray();
      expect(found.map((d) => d._id)).to.deep.equal([1]);
      await collection.updateOne({ _id: 2 } as never, { $rename: { 'meta.k': 'meta.__proto__.x' } });
      const renamed = (await collection.findOne({ _id: 2 } as never))?.meta as Record<string, unknown>;
      expect(Object.keys(renamed)).to.deep.equal(['__proto__']);
      expect(Object.getOwnPropertyDescriptor(renamed, '__proto__')?.value).to.deep.equal({ x: 1 });
      await collection.updateOne({ _id: 1 } as never, { $unset: { 'meta.__proto__': '' } });
      expect((await collection.findOne({ _id: 1 } as never))?.meta).to.deep.equal({ k: 1 });
    });
  });

  describe('hint', function () {
    it('returns documents in the hinted index order, ascending or descending', async function () {
      const collection = ctx().fresh();
      await collection.createIndex({ n: 1 }, { name: 'n_up' });
      await collection.createIndex({ n: -1, _id: 1 }, { name: 'n_down' });
      await collection.insertMany([
        { _id: 1, n: 3 },
        { _id: 2, n: 1 },
        { _id: 3, n: 2 },
      ] as never[]);
      const order = async (hint: object | string) =>
        (await collection.find({}).hint(hint).toArray()).map((d) => d.n as number);
      expect(await order({ n: 1 })).to.deep.equal([1, 2, 3]);
      expect(await order('n_up')).to.deep.equal([1, 2, 3]);
      expect(await order('n_down')).to.deep.equal([3, 2, 1]);
      expect(await order({ _id: 1 })).to.deep.equal([3, 1, 2]);
      const aggregated = await collection.aggregate([{ $match: {} }], { hint: 'n_up' }).toArray();
      expect(aggregated.map((d) => d.n as number)).to.deep.equal([1, 2, 3]);
    });

    it('a hint naming no index fails with code 2 on every command that takes one', async function () {
      const collection = ctx().fresh();
      await collection.insertOne({ _id: 1, n: 1 } as never);
      const missing = { n: 1 };
      await serverError(collection.find({}).hint(missing).toArray(), 2);
      await serverError(collection.find({}).hint('nope').toArray(), 2);
      await serverError(collection.aggregate([], { hint: missing }).toArray(), 2);
      await serverError(collection.countDocuments({}, { hint: missing }), 2);
      await serverError(collection.updateOne({ _id: 1 } as never, { $set: { n: 2 } }, { hint: missing }), 2);
      await serverError(collection.deleteOne({ _id: 1 } as never, { hint: missing }), 2);
      await serverError(
        collection.findOneAndUpdate({ _id: 1 } as never, { $set: { n: 2 } }, { hint: missing }),
        2,
      );
      expect(await collection.findOne({ _id: 1 } as never)).to.deep.equal({ _id: 1, n: 1 });
    });
  });

  describe('$in and $nin', function () {
    // The lane hashes an $in's operand once per filter (filter.ts); the answers are the manual's.
    it('match an element of an array, null for a missing field, a regex, a path through an array', async function () {
      const collection = ctx().fresh();
      const id = new ObjectId();
      await collection.insertMany([
        { _id: 1, a: 1 },
        { _id: 2, a: [1, 2] },
        { _id: 3, a: null },
        { _id: 4 },
        { _id: 5, a: 'Apple' },
        { _id: 6, a: { b: 1 } },
        { _id: 7, a: [{ b: 2 }, { b: 3 }] },
        { _id: 8, a: id },
      ] as never[]);
      const ids = async (filter: object) =>
        (await collection.find(filter as never).toArray()).map((d) => d._id as unknown as number).sort();
      expect(await ids({ a: { $in: [1] } })).to.deep.equal([1, 2]);
      expect(await ids({ a: { $in: [null] } })).to.deep.equal([3, 4]);
      expect(await ids({ a: { $in: [/^app/i, 2] } })).to.deep.equal([2, 5]);
      expect(await ids({ 'a.b': { $in: [3, 1] } })).to.deep.equal([6, 7]);
      expect(await ids({ a: { $in: [new ObjectId(id.toHexString())] } })).to.deep.equal([8]);
      expect(await ids({ a: { $in: [] } })).to.deep.equal([]);
      // An array in the operand matches an array field as a whole, or an element that equals it.
      await collection.insertMany([
        { _id: 9, a: [[1, 2]] },
        { _id: 10, b: { c: [1, 2] } },
      ] as never[]);
      expect(await ids({ a: { $in: [[1, 2]] } })).to.deep.equal([2, 9]);
      expect(await ids({ 'b.c': { $in: [[1, 2], 7] } })).to.deep.equal([10]);
      expect(await ids({ a: { $nin: [[1, 2], null, 1, 'Apple'] } })).to.deep.equal([6, 7, 8]);
      await collection.deleteMany({ _id: { $in: [9, 10] } } as never);
      expect(await ids({ a: { $nin: [1, null] } })).to.deep.equal([5, 6, 7, 8]);
      expect(await ids({ a: { $nin: [] } })).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
      // A long operand, as a batch of ids is: the same answer as a short one.
      const many = [...Array.from({ length: 300 }, (_, i) => 1000 + i), 2, 'Apple'];
      expect(await ids({ a: { $in: many } })).to.deep.equal([2, 5]);
      expect(await collection.countDocuments({ a: { $in: many } })).to.equal(2);
      expect(await ids({ $expr: { $eq: [1, 1] }, a: { $nin: many } })).to.deep.equal([1, 3, 4, 6, 7, 8]);
    });
  });
});
