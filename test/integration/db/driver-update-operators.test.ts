// Update operators, positional updates, array filters, upserts, replacements and pipeline updates
// through the official driver, asserting what the MongoDB documentation says a standalone mongod
// 7.0 does. Runs unchanged on every lane.
import { expect } from 'chai';
import { type Collection, type Document, Long, ObjectId, Timestamp } from 'mongodb';
import { ops, serverError, useDriver } from './driver-harness.js';

describe('driver conformance: update operators', function () {
  const ctx = useDriver();

  /** A fresh collection holding one document with _id 1; returns it and a reader. */
  async function withDoc(
    doc: Document,
  ): Promise<{ collection: Collection; read: () => Promise<Document | null> }> {
    const collection = ctx().fresh('upd');
    await collection.insertOne({ _id: 1, ...doc } as never);
    return { collection, read: () => collection.findOne({ _id: 1 } as never) };
  }
  const byId = { _id: 1 } as never;

  describe('field operators', function () {
    it('$set creates nested paths and $unset removes fields', async function () {
      const { collection, read } = await withDoc({ a: 1, b: { c: 2, d: 3 } });
      await collection.updateOne(byId, { $set: { a: 5, 'b.c': 20, 'x.y.z': true } });
      expect(await read()).to.deep.equal({ _id: 1, a: 5, b: { c: 20, d: 3 }, x: { y: { z: true } } });
      const result = await collection.updateOne(byId, { $unset: { 'b.d': '', missing: 1, a: true } });
      expect(result.modifiedCount).to.equal(1);
      expect(await read()).to.deep.equal({ _id: 1, b: { c: 20 }, x: { y: { z: true } } });
      const noop = await collection.updateOne(byId, { $unset: { missing: '' } });
      expect(noop).to.deep.include({ matchedCount: 1, modifiedCount: 0 });
    });

    it('$set into an array element by index, and past the end pads with null', async function () {
      const { collection, read } = await withDoc({ list: [1, 2] });
      await collection.updateOne(byId, { $set: { 'list.1': 20, 'list.3': 40 } });
      expect(await read()).to.deep.equal({ _id: 1, list: [1, 20, null, 40] });
    });

    it('$inc and $mul, creating missing fields', async function () {
      const { collection, read } = await withDoc({ n: 5, f: 1.5 });
      await collection.updateOne(byId, { $inc: { n: -2, f: 1, fresh: 3, 'deep.count': 1 } });
      expect(await read()).to.deep.equal({ _id: 1, n: 3, f: 2.5, fresh: 3, deep: { count: 1 } });
      await collection.updateOne(byId, { $mul: { n: 4, f: 2, absent: 7 } });
      expect(await read()).to.deep.equal({ _id: 1, n: 12, f: 5, fresh: 3, deep: { count: 1 }, absent: 0 });
    });

    it('$inc on a non-number is refused with TypeMismatch (14) and changes nothing', async function () {
      const { collection, read } = await withDoc({ s: 'text', n: 1 });
      const error = await serverError(collection.updateOne(byId, { $inc: { s: 1, n: 1 } }), 14);
      expect(error.message).to.match(/non-numeric/);
      await serverError(collection.updateOne(byId, { $inc: { n: 'one' as never } }), 14);
      expect(await read()).to.deep.equal({ _id: 1, s: 'text', n: 1 });
    });

    it('$min and $max compare numbers and dates', async function () {
      const early = new Date('2024-01-01T00:00:00Z');
      const late = new Date('2025-01-01T00:00:00Z');
      const { collection, read } = await withDoc({ low: 10, high: 10, at: early });
      await collection.updateOne(byId, { $min: { low: 3, fresh: 1 }, $max: { high: 30, at: late } });
      expect(await read()).to.deep.equal({ _id: 1, low: 3, high: 30, at: late, fresh: 1 });
      const noop = await collection.updateOne(byId, { $min: { low: 50 }, $max: { high: 1 } });
      expect(noop.modifiedCount).to.equal(0);
      expect(await read()).to.deep.equal({ _id: 1, low: 3, high: 30, at: late, fresh: 1 });
    });

    it('$rename moves fields, also into and out of embedded documents', async function () {
      const { collection, read } = await withDoc({ first: 'Ada', name: { last: 'Lovelace' } });
      await collection.updateOne(byId, {
        $rename: { first: 'name.first', 'name.last': 'surname', missing: 'other' },
      });
      expect(await read()).to.deep.equal({ _id: 1, name: { first: 'Ada' }, surname: 'Lovelace' });
    });

    it('$currentDate sets a date or a timestamp', async function () {
      const { collection, read } = await withDoc({ v: 1 });
      const before = Date.now();
      await collection.updateOne(
        byId,
        ops({ $currentDate: { touched: true, typed: { $type: 'date' }, stamp: { $type: 'timestamp' } } }),
      );
      const doc = await read();
      expect(doc!.touched).to.be.instanceOf(Date);
      expect(doc!.touched.getTime()).to.be.within(before - 5000, Date.now() + 5000);
      expect(doc!.typed).to.be.instanceOf(Date);
      expect(doc!.stamp).to.be.instanceOf(Timestamp);
      expect(doc!.stamp.t).to.be.within(Math.floor(before / 1000) - 5, Math.floor(Date.now() / 1000) + 5);
    });

    it('conflicting operators on one path are refused (40)', async function () {
      const { collection, read } = await withDoc({ a: 1 });
      const error = await serverError(collection.updateOne(byId, { $set: { a: 2 }, $inc: { a: 1 } }), 40);
      expect(error.message).to.match(/Updating the path 'a' would create a conflict at 'a'/);
      await serverError(collection.updateOne(byId, { $set: { a: 2 }, $setOnInsert: { a: 3 } }), 40);
      await serverError(collection.updateOne(byId, { $rename: { a: 'b' }, $set: { b: 1 } }), 40);
      await serverError(collection.updateOne(byId, { $set: { 'b.c': 1, b: 2 } }), 40);
      expect(await read()).to.deep.equal({ _id: 1, a: 1 });
    });

    it('creating a field inside a non-document is refused (28)', async function () {
      const { collection, read } = await withDoc({ a: 5 });
      await serverError(collection.updateOne(byId, { $set: { 'a.b': 1 } }), 28);
      expect(await read()).to.deep.equal({ _id: 1, a: 5 });
    });

    it('changing _id is refused (66); setting it to its own value is not', async function () {
      const { collection, read } = await withDoc({ a: 1 });
      await serverError(collection.updateOne(byId, { $set: { _id: 2 } }), 66);
      const same = await collection.updateOne(byId, { $set: { _id: 1, a: 2 } });
      expect(same.matchedCount).to.equal(1);
      expect(await read()).to.deep.equal({ _id: 1, a: 2 });
    });

    it('an empty update document and an unknown operator are refused', async function () {
      const { collection, read } = await withDoc({ a: 1 });
      const reply = await ctx().db.command({
        update: collection.collectionName,
        updates: [{ q: byId, u: { $lighthouse: { a: 1 } } }],
      });
      expect(reply.writeErrors[0].code).to.equal(9);
      const emptyModifier = await ctx().db.command({
        update: collection.collectionName,
        updates: [{ q: byId, u: { $set: {} } }],
      });
      // mongod 5.0+ accepts an empty operand as a no-op.
      expect(emptyModifier).to.deep.include({ n: 1, nModified: 0 });
      expect(await read()).to.deep.equal({ _id: 1, a: 1 });
    });
  });

  describe('array operators', function () {
    it('$push appends; with $each, $position, $sort and $slice', async function () {
      const { collection, read } = await withDoc({ list: [3, 1] });
      await collection.updateOne(byId, ops({ $push: { list: 2, fresh: 'x' } }));
      expect(await read()).to.deep.equal({ _id: 1, list: [3, 1, 2], fresh: ['x'] });
      await collection.updateOne(byId, ops({ $push: { list: { $each: [9, 0], $position: 1 } } }));
      expect((await read())!.list).to.deep.equal([3, 9, 0, 1, 2]);
      await collection.updateOne(byId, ops({ $push: { list: { $each: [5], $sort: 1, $slice: 4 } } }));
      expect((await read())!.list).to.deep.equal([0, 1, 2, 3]);
      await collection.updateOne(byId, ops({ $push: { list: { $each: [], $slice: -2 } } }));
      expect((await read())!.list).to.deep.equal([2, 3]);
      await collection.updateOne(byId, ops({ $push: { list: { $each: [7], $position: -1 } } }));
      expect((await read())!.list).to.deep.equal([2, 7, 3]);
    });

    it('$push with $sort on a field of embedded documents', async function () {
      const { collection, read } = await withDoc({
        scores: [
          { n: 'a', s: 5 },
          { n: 'b', s: 9 },
        ],
      });
      await collection.updateOne(
        byId,
        ops({ $push: { scores: { $each: [{ n: 'c', s: 7 }], $sort: { s: -1 }, $slice: 2 } } }),
      );
      expect((await read())!.scores).to.deep.equal([
        { n: 'b', s: 9 },
        { n: 'c', s: 7 },
      ]);
    });

    it('$push to a non-array is refused (2) and changes nothing', async function () {
      const { collection, read } = await withDoc({ list: 'not an array' });
      const error = await serverError(collection.updateOne(byId, ops({ $push: { list: 1 } })), 2);
      expect(error.message).to.match(/must be an array/);
      expect(await read()).to.deep.equal({ _id: 1, list: 'not an array' });
    });

    it('$addToSet adds only missing values, documents compared whole', async function () {
      const { collection, read } = await withDoc({ tags: ['a'], objs: [{ x: 1, y: 2 }] });
      await collection.updateOne(byId, { $addToSet: { tags: { $each: ['a', 'b', 'b', 'c'] } } });
      expect((await read())!.tags).to.deep.equal(['a', 'b', 'c']);
      const noop = await collection.updateOne(byId, { $addToSet: { tags: 'b' } });
      expect(noop.modifiedCount).to.equal(0);
      await collection.updateOne(byId, { $addToSet: { objs: { x: 1, y: 2 } } });
      expect((await read())!.objs).to.deep.equal([{ x: 1, y: 2 }]);
      // Field order matters for document equality.
      await collection.updateOne(byId, { $addToSet: { objs: { y: 2, x: 1 } } });
      expect((await read())!.objs).to.deep.equal([
        { x: 1, y: 2 },
        { y: 2, x: 1 },
      ]);
      await collection.updateOne(byId, { $addToSet: { fresh: 1 } });
      expect((await read())!.fresh).to.deep.equal([1]);
    });

    it('$pull removes by value and by condition; $pullAll by list', async function () {
      const { collection, read } = await withDoc({
        nums: [1, 5, 6, 9, 5],
        items: [
          { sku: 'a', qty: 1 },
          { sku: 'b', qty: 5 },
          { sku: 'c', qty: 0 },
        ],
        words: ['x', 'y', 'z', 'x'],
      });
      await collection.updateOne(byId, ops({ $pull: { nums: { $gte: 6 } } }));
      expect((await read())!.nums).to.deep.equal([1, 5, 5]);
      await collection.updateOne(byId, ops({ $pull: { nums: 5, items: { qty: { $lt: 2 } } } }));
      const doc = await read();
      expect(doc!.nums).to.deep.equal([1]);
      expect(doc!.items).to.deep.equal([{ sku: 'b', qty: 5 }]);
      await collection.updateOne(byId, ops({ $pullAll: { words: ['x', 'z'] } }));
      expect((await read())!.words).to.deep.equal(['y']);
      const noop = await collection.updateOne(byId, ops({ $pull: { words: 'nope' } }));
      expect(noop.modifiedCount).to.equal(0);
    });

    it('$pop removes the last or the first element', async function () {
      const { collection, read } = await withDoc({ list: [1, 2, 3] });
      await collection.updateOne(byId, { $pop: { list: 1 } });
      expect((await read())!.list).to.deep.equal([1, 2]);
      await collection.updateOne(byId, { $pop: { list: -1 } });
      expect((await read())!.list).to.deep.equal([2]);
    });
  });

  describe('positional updates', function () {
    it('$ updates the first element the filter matched', async function () {
      const { collection, read } = await withDoc({
        grades: [80, 85, 80],
        items: [
          { sku: 'a', qty: 1 },
          { sku: 'b', qty: 2 },
        ],
      });
      await collection.updateOne({ _id: 1, grades: 80 } as never, { $set: { 'grades.$': 82 } });
      expect((await read())!.grades).to.deep.equal([82, 85, 80]);
      await collection.updateOne({ _id: 1, 'items.sku': 'b' } as never, { $inc: { 'items.$.qty': 10 } });
      expect((await read())!.items).to.deep.equal([
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 12 },
      ]);
      await collection.updateOne({ _id: 1, items: { $elemMatch: { sku: 'a', qty: 1 } } } as never, {
        $set: { 'items.$.done': true },
      });
      expect((await read())!.items[0]).to.deep.equal({ sku: 'a', qty: 1, done: true });
    });

    it('$[] and $[id] on several fields of the same elements do not conflict; unused filters are refused (9)', async function () {
      const { collection, read } = await withDoc({
        items: [
          { a: 1, b: 1 },
          { a: 2, b: 2 },
        ],
      });
      await collection.updateOne(byId, { $set: { 'items.$[].a': 0 }, $inc: { 'items.$[].b': 10 } });
      expect((await read())!.items).to.deep.equal([
        { a: 0, b: 11 },
        { a: 0, b: 12 },
      ]);
      await serverError(
        collection.updateOne(byId, { $set: { 'items.$[].a': 5 } }, { arrayFilters: [{ unused: 1 }] }),
        9,
      );
      await serverError(collection.updateOne(byId, { $set: { 'items.$[].a': 5, 'items.0.a': 6 } }), 40);
      expect((await read())!.items[0]).to.deep.equal({ a: 0, b: 11 });
    });

    it('an update still applies when the document holds int64 values the filter compared', async function () {
      const { collection, read } = await withDoc({
        n: Long.fromNumber(5),
        list: [Long.fromNumber(1), Long.fromNumber(2)],
      });
      const result = await collection.updateOne({ n: 5 }, { $set: { seen: true } });
      expect(result).to.deep.include({ matchedCount: 1, modifiedCount: 1 });
      await collection.updateOne({ list: 2 }, { $set: { 'list.$': Long.fromNumber(20) } });
      const doc = await collection.findOne(byId, { promoteLongs: false });
      expect(doc!.seen).to.equal(true);
      expect((doc!.list as Long[]).map((value) => value.toString())).to.deep.equal(['1', '20']);
      expect(await read()).to.deep.include({ seen: true });
    });

    it('$ without the array in the filter is refused (2)', async function () {
      const { collection, read } = await withDoc({ grades: [1, 2] });
      const error = await serverError(collection.updateOne(byId, { $set: { 'grades.$': 5 } }), 2);
      expect(error.message).to.match(/positional operator did not find the match needed from the query/);
      expect((await read())!.grades).to.deep.equal([1, 2]);
    });

    it('$[] updates every element', async function () {
      const { collection, read } = await withDoc({ grades: [1, 2, 3], items: [{ q: 1 }, { q: 2 }] });
      await collection.updateOne(byId, { $inc: { 'grades.$[]': 10, 'items.$[].q': 1 } });
      const doc = await read();
      expect(doc!.grades).to.deep.equal([11, 12, 13]);
      expect(doc!.items).to.deep.equal([{ q: 2 }, { q: 3 }]);
    });

    it('$[id] updates the elements arrayFilters select', async function () {
      const { collection, read } = await withDoc({
        grades: [95, 92, 90, 101],
        items: [
          { sku: 'a', qty: 1, tags: ['x'] },
          { sku: 'b', qty: 7, tags: ['y'] },
          { sku: 'c', qty: 9, tags: ['x', 'y'] },
        ],
      });
      await collection.updateOne(
        byId,
        { $set: { 'grades.$[high]': 100 } },
        { arrayFilters: [{ high: { $gte: 100 } }] },
      );
      expect((await read())!.grades).to.deep.equal([95, 92, 90, 100]);
      await collection.updateOne(
        byId,
        { $set: { 'items.$[big].flag': true }, $inc: { 'items.$[big].qty': 1 } },
        { arrayFilters: [{ 'big.qty': { $gt: 5 } }] },
      );
      expect((await read())!.items).to.deep.equal([
        { sku: 'a', qty: 1, tags: ['x'] },
        { sku: 'b', qty: 8, tags: ['y'], flag: true },
        { sku: 'c', qty: 10, tags: ['x', 'y'], flag: true },
      ]);
      // Nested: every tag 'x' of the items with sku 'c'.
      await collection.updateOne(
        byId,
        { $set: { 'items.$[i].tags.$[t]': 'X' } },
        { arrayFilters: [{ 'i.sku': 'c' }, { t: 'x' }] },
      );
      expect((await read())!.items[2].tags).to.deep.equal(['X', 'y']);
      expect((await read())!.items[0].tags).to.deep.equal(['x']);
    });

    it('an arrayFilters identifier without a filter is refused (2)', async function () {
      const { collection } = await withDoc({ grades: [1] });
      await serverError(collection.updateOne(byId, { $set: { 'grades.$[missing]': 5 } }), 2);
    });
  });

  describe('upserts', function () {
    it('seeds the new document from the equality conditions of the filter', async function () {
      const collection = ctx().fresh('ups');
      const result = await collection.updateOne(
        {
          email: 'a@example.org',
          'profile.city': 'Leeds',
          age: { $gt: 18 },
          $and: [{ kind: 'creator' }],
          status: { $eq: 'new' },
        },
        { $set: { visits: 1 }, $setOnInsert: { createdBy: 'upsert' } },
        { upsert: true },
      );
      expect(result.upsertedCount).to.equal(1);
      expect(result.matchedCount).to.equal(0);
      expect(result.upsertedId).to.be.instanceOf(ObjectId);
      const stored = await collection.findOne({ _id: result.upsertedId! });
      expect(stored).to.deep.equal({
        _id: result.upsertedId,
        email: 'a@example.org',
        profile: { city: 'Leeds' },
        kind: 'creator',
        status: 'new',
        visits: 1,
        createdBy: 'upsert',
      });
      // The second time it matches: $setOnInsert is ignored.
      const again = await collection.updateOne(
        { email: 'a@example.org' },
        { $inc: { visits: 1 }, $setOnInsert: { createdBy: 'ignored' } },
        { upsert: true },
      );
      expect(again).to.deep.include({
        matchedCount: 1,
        modifiedCount: 1,
        upsertedCount: 0,
        upsertedId: null,
      });
      expect(
        await collection.findOne(
          { email: 'a@example.org' },
          { projection: { _id: 0, visits: 1, createdBy: 1 } },
        ),
      ).to.deep.equal({
        visits: 2,
        createdBy: 'upsert',
      });
    });

    it('takes _id from the filter', async function () {
      const collection = ctx().fresh('ups');
      const result = await collection.updateOne(
        { _id: 'fixed' } as never,
        { $set: { v: 1 } },
        { upsert: true },
      );
      expect(result.upsertedId).to.equal('fixed');
      expect(await collection.findOne({ _id: 'fixed' } as never)).to.deep.equal({ _id: 'fixed', v: 1 });
    });

    it('upserts with a replacement document and with a pipeline', async function () {
      const collection = ctx().fresh('ups');
      const replaced = await collection.replaceOne(
        { slug: 'x' },
        { slug: 'x', title: 'X' },
        { upsert: true },
      );
      expect(replaced.upsertedCount).to.equal(1);
      expect(await collection.findOne({ slug: 'x' }, { projection: { _id: 0 } })).to.deep.equal({
        slug: 'x',
        title: 'X',
      });
      const piped = await collection.updateOne({ slug: 'y' }, [{ $set: { title: { $toUpper: '$slug' } } }], {
        upsert: true,
      });
      expect(piped.upsertedCount).to.equal(1);
      expect(await collection.findOne({ slug: 'y' }, { projection: { _id: 0 } })).to.deep.equal({
        slug: 'y',
        title: 'Y',
      });
    });

    it('updateMany with upsert inserts one document', async function () {
      const collection = ctx().fresh('ups');
      const result = await collection.updateMany({ group: 'g' }, { $set: { flag: true } }, { upsert: true });
      expect(result.upsertedCount).to.equal(1);
      expect(await collection.countDocuments({ group: 'g', flag: true })).to.equal(1);
    });
  });

  describe('replacement and pipeline updates', function () {
    it('a pipeline update computes from the document itself', async function () {
      const { collection, read } = await withDoc({ a: 2, b: 3, tmp: 'x', list: [1, 2] });
      const result = await collection.updateOne(byId, [
        { $set: { total: { $add: ['$a', '$b'] }, size: { $size: '$list' } } },
        { $unset: 'tmp' },
        { $set: { label: { $concat: ['n=', { $toString: '$total' }] } } },
      ]);
      expect(result.modifiedCount).to.equal(1);
      expect(await read()).to.deep.equal({
        _id: 1,
        a: 2,
        b: 3,
        list: [1, 2],
        total: 5,
        size: 2,
        label: 'n=5',
      });
    });

    it('a pipeline update with $replaceWith keeps _id', async function () {
      const { collection, read } = await withDoc({ inner: { x: 1 } });
      await collection.updateOne(byId, [{ $replaceWith: { $mergeObjects: [{ _id: '$_id' }, '$inner'] } }]);
      expect(await read()).to.deep.equal({ _id: 1, x: 1 });
    });

    it('a stage that is not allowed in an update pipeline is refused', async function () {
      const { collection, read } = await withDoc({ a: 1 });
      const reply = await ctx().db.command({
        update: collection.collectionName,
        updates: [{ q: byId, u: [{ $match: { a: 1 } }] }],
      });
      // Refused per statement, as a write error (72 InvalidOptions: "$match is not allowed to be used within an update").
      expect(reply.writeErrors?.[0]?.code ?? reply.code).to.equal(72);
      expect(await read()).to.deep.equal({ _id: 1, a: 1 });
    });

    it('int64 counters: $inc keeps an int64 an int64 (the offline lane refuses it)', async function () {
      const { collection } = await withDoc({ big: Long.fromNumber(10) });
      const update = collection.updateOne(byId, { $inc: { big: 1 } });
      if (ctx().handle.inMemory) {
        const error = await serverError(update, 238);
        expect(error.message).to.match(/not supported by the offline MongoDB lane/);
      } else {
        await update;
        const doc = await collection.findOne(byId, { promoteLongs: false });
        expect(doc!.big).to.be.instanceOf(Long);
        expect((doc!.big as Long).toNumber()).to.equal(11);
      }
    });
  });
});
