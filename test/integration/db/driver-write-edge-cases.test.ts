// Writes at the edges: update paths through arrays and scalars, $rename's rules, array updates on
// missing paths, the 16 MB document limit, malformed statements and index filters, and a batch
// that keeps its counts when one statement fails. Asserts what mongod 7.0 answers (its source and
// documentation); runs unchanged on every lane.
import { expect } from 'chai';
import { BSON, type Collection, type Document } from 'mongodb';
import { ops, rejected, serverError, useDriver } from './driver-harness.js';

const MiB = 1024 * 1024;

describe('driver conformance: write edge cases', function () {
  const ctx = useDriver();

  /** A fresh collection holding one document with _id 1; returns it and a reader. */
  async function withDoc(
    doc: Document,
  ): Promise<{ collection: Collection; read: () => Promise<Document | null> }> {
    const collection = ctx().fresh('edge');
    await collection.insertOne({ _id: 1, ...doc } as never);
    return { collection, read: () => collection.findOne({ _id: 1 } as never) };
  }
  const byId = { _id: 1 } as never;

  describe('update paths through arrays and scalars', function () {
    it('creating a field inside an array or a scalar is refused with PathNotViable (28)', async function () {
      const original = { arr: [1, 2], docs: [{ b: 1 }], items: [{ q: 1 }], n: 5 };
      const { collection, read } = await withDoc(original);
      const error = await serverError(collection.updateOne(byId, { $inc: { 'arr.x': 1 } }), 28);
      expect(error.message).to.match(/Cannot create field 'x'/);
      await serverError(collection.updateOne(byId, { $set: { 'docs.b': 2 } }), 28);
      await serverError(collection.updateOne(byId, { $inc: { 'items.q': 1 } }), 28);
      await serverError(collection.updateOne(byId, { $set: { 'arr.0.x': 1 } }), 28);
      await serverError(collection.updateOne(byId, ops({ $push: { 'n.list': 1 } })), 28);
      await serverError(collection.updateOne(byId, { $set: { 'arr.$[].x': 1 } }), 28);
      expect(await read()).to.deep.equal({ _id: 1, ...original });
    });

    it('numeric indexes, $, $[] and $[id] still reach into arrays', async function () {
      const { collection, read } = await withDoc({ arr: [{ x: 1 }, { x: 2 }] });
      await collection.updateOne(byId, { $set: { 'arr.0.x': 10, 'arr.3.y': 1 } });
      expect((await read())!.arr).to.deep.equal([{ x: 10 }, { x: 2 }, null, { y: 1 }]);
      await collection.updateOne({ _id: 1, 'arr.x': 2 } as never, { $inc: { 'arr.$.x': 5 } });
      await collection.updateOne(byId, { $pop: { arr: 1 } });
      await collection.updateOne(byId, { $pop: { arr: 1 } });
      await collection.updateOne(byId, { $set: { 'arr.$[].seen': true } });
      await collection.updateOne(
        byId,
        { $set: { 'arr.$[big].big': true } },
        { arrayFilters: [{ 'big.x': { $gt: 8 } }] },
      );
      expect((await read())!.arr).to.deep.equal([
        { x: 10, seen: true, big: true },
        { x: 7, seen: true },
      ]);
    });

    it('$unset through an array, and $pull on a missing path, are no-ops', async function () {
      const original = { arr: [{ x: 1 }], doc: {} };
      const { collection, read } = await withDoc(original);
      const unset = await collection.updateOne(byId, { $unset: { 'arr.x': '' } });
      expect(unset).to.deep.include({ matchedCount: 1, modifiedCount: 0 });
      const pull = await collection.updateOne(byId, ops({ $pull: { 'doc.list': 1 } }));
      expect(pull).to.deep.include({ matchedCount: 1, modifiedCount: 0 });
      expect(await read()).to.deep.equal({ _id: 1, ...original });
    });

    it('$pull and $pop through an array or a scalar are refused (28)', async function () {
      const original = { arr: [{ list: [1] }], n: 5 };
      const { collection, read } = await withDoc(original);
      await serverError(collection.updateOne(byId, ops({ $pull: { 'arr.list': 1 } })), 28);
      await serverError(collection.updateOne(byId, { $pop: { 'n.list': 1 } }), 28);
      expect(await read()).to.deep.equal({ _id: 1, ...original });
    });

    it('$[] and $[id] on a missing path, or on a value that is not an array, are refused (2)', async function () {
      const { collection, read } = await withDoc({ n: 5 });
      const missing = await serverError(collection.updateOne(byId, { $set: { 'arr.$[].v': 1 } }), 2);
      expect(missing.message).to.match(
        /The path 'arr' must exist in the document in order to apply array updates/,
      );
      const notArray = await serverError(
        collection.updateOne(byId, { $set: { 'n.$[i]': 1 } }, { arrayFilters: [{ i: 5 }] }),
        2,
      );
      expect(notArray.message).to.match(/Cannot apply array updates to non-array element/);
      await serverError(
        collection.updateOne({ _id: 2 } as never, { $set: { 'arr.$[].v': 1 } }, { upsert: true }),
        2,
      );
      expect(await collection.countDocuments()).to.equal(1);
      expect(await read()).to.deep.equal({ _id: 1, n: 5 });
    });

    it('array padding is capped: an index 1,500,000 past the end is refused (34)', async function () {
      const { collection, read } = await withDoc({ list: [1] });
      await serverError(collection.updateOne(byId, { $set: { 'list.2000000': 1 } }), 34);
      expect(await read()).to.deep.equal({ _id: 1, list: [1] });
    });

    it('empty field names in update paths are refused with EmptyFieldName (56)', async function () {
      const { collection, read } = await withDoc({ a: { b: 1 } });
      await serverError(collection.updateOne(byId, { $set: { '': 1 } }), 56);
      const error = await serverError(collection.updateOne(byId, { $set: { 'a..b': 1 } }), 56);
      expect(error.message).to.match(/contains an empty field name/);
      await serverError(collection.updateOne(byId, { $unset: { 'a.': '' } }), 56);
      // Refused when the update is parsed, whether or not anything matches.
      await serverError(collection.updateOne({ _id: 99 } as never, { $set: { 'a..b': 1 } }), 56);
      expect(await read()).to.deep.equal({ _id: 1, a: { b: 1 } });
    });
  });

  describe('$rename', function () {
    it('a destination inside a scalar is refused (28) and loses nothing', async function () {
      const { collection, read } = await withDoc({ kk: 'a', arr: [1, 2] });
      await serverError(collection.updateOne(byId, { $rename: { arr: 'kk.z' } }), 28);
      expect(await read()).to.deep.equal({ _id: 1, kk: 'a', arr: [1, 2] });
    });

    it('a source or destination inside an array is refused', async function () {
      const original = { arr: [{ a: 1 }], b: 1 };
      const { collection, read } = await withDoc(original);
      const source = await serverError(collection.updateOne(byId, { $rename: { 'arr.0.a': 'c' } }), 2);
      expect(source.message).to.match(/The source field cannot be an array element/);
      const target = await serverError(collection.updateOne(byId, { $rename: { b: 'arr.c' } }), 2);
      expect(target.message).to.match(/The destination field cannot be an array element/);
      await serverError(collection.updateOne(byId, { $rename: { b: 'arr.5' } }), 2);
      // A source path that crosses an array by field name cannot be traversed at all.
      await serverError(collection.updateOne(byId, { $rename: { 'arr.a': 'arr.b' } }), 28);
      expect(await read()).to.deep.equal({ _id: 1, ...original });
    });

    it('renaming a field to itself, into its own child, or to a non-string is refused (2)', async function () {
      const { collection, read } = await withDoc({ a: { b: 1 }, s: 1 });
      const self = await serverError(collection.updateOne(byId, { $rename: { s: 's' } }), 2);
      expect(self.message).to.match(/The source and target field for \$rename must differ/);
      const child = await serverError(collection.updateOne(byId, { $rename: { a: 'a.c' } }), 2);
      expect(child.message).to.match(/must not be on the same path/);
      await serverError(collection.updateOne(byId, { $rename: { 'a.b': 'a' } }), 2);
      await serverError(collection.updateOne(byId, { $rename: { s: 1 as never } }), 2);
      expect(await read()).to.deep.equal({ _id: 1, a: { b: 1 }, s: 1 });
    });
  });

  describe('$pullAll', function () {
    it('compares embedded documents with their field order, as BSON does', async function () {
      const { collection, read } = await withDoc({ arr: [{ a: 1, b: 2 }, { b: 2, a: 1 }, 3, 4] });
      await collection.updateOne(byId, ops({ $pullAll: { arr: [{ a: 1, b: 2 }, 3] } }));
      expect((await read())!.arr).to.deep.equal([{ b: 2, a: 1 }, 4]);
      const none = await collection.updateOne(byId, ops({ $pullAll: { arr: [{ a: 1 }] } }));
      expect(none.modifiedCount).to.equal(0);
      await serverError(collection.updateOne(byId, ops({ $pullAll: { arr: 4 } })), 2);
    });
  });

  describe('the 16 MB document limit', function () {
    this.timeout(60_000);

    it('an insert of a document over 16 MB is a write error; one of exactly 16 MB is stored', async function () {
      const collection = ctx().fresh('big');
      const error = await serverError(
        collection.insertOne({ _id: 'over', s: 'x'.repeat(16 * MiB) } as never),
        2,
      );
      expect(error.message).to.match(/object to insert too large/);
      expect(await collection.countDocuments()).to.equal(0);
      const fits = { _id: 'max', s: '' };
      fits.s = 'x'.repeat(16 * MiB - BSON.calculateObjectSize(fits));
      expect(BSON.calculateObjectSize(fits)).to.equal(16 * MiB);
      await collection.insertOne(fits as never);
      const stored = await collection.findOne({ _id: 'max' } as never);
      expect((stored!.s as string).length).to.equal(fits.s.length);
    });

    it('an update that grows a document past 16 MB is refused (17419) and changes nothing', async function () {
      const collection = ctx().fresh('big');
      await collection.insertOne({ _id: 1, a: 'a'.repeat(9 * MiB) } as never);
      const error = await serverError(
        collection.updateOne(byId, { $set: { b: 'b'.repeat(9 * MiB) } }),
        17419,
      );
      expect(error.message).to.match(/Resulting document after update is larger than 16777216/);
      const stored = await collection.findOne(byId, { projection: { a: 0 } });
      expect(stored).to.deep.equal({ _id: 1 });
    });

    it('a command over 16 MB + 16 KB is refused with BSONObjectTooLarge (10334); the connection serves on', async function () {
      const collection = ctx().fresh('big');
      const error = await serverError(
        ctx().db.command({
          insert: collection.collectionName,
          documents: [{ _id: 1, s: 'x'.repeat(16 * MiB + 20 * 1024) }],
        }),
        10334,
      );
      expect(error.message).to.match(/BSONObj size: \d+ .* is invalid/);
      expect(await ctx().db.command({ ping: 1 })).to.deep.include({ ok: 1 });
      expect(await collection.countDocuments()).to.equal(0);
    });

    it('an aggregation result over 16 MB is an error, not a dropped connection', async function () {
      const collection = ctx().fresh('big');
      await collection.insertMany(Array.from({ length: 20 }, (_, i) => ({ i, s: 'x'.repeat(MiB) })));
      await rejected(collection.aggregate([{ $group: { _id: null, all: { $push: '$s' } } }]).toArray());
      expect(await collection.countDocuments()).to.equal(20);
    });
  });

  describe('malformed statements', function () {
    it('a pipeline-style update with an unknown expression is a write error (168); the batch keeps its counts', async function () {
      const collection = ctx().fresh('pipe');
      await collection.insertMany([
        { _id: 1, n: 1 },
        { _id: 2, n: 2 },
        { _id: 3, n: 3 },
      ] as never[]);
      await serverError(collection.updateOne(byId, [{ $set: { z: { $lighthouse: 1 } } }]), 168);
      const reply = await ctx().db.command({
        update: collection.collectionName,
        ordered: false,
        updates: [
          { q: { _id: 1 }, u: [{ $set: { m: { $add: ['$n', 10] } } }] },
          { q: { _id: 2 }, u: [{ $set: { m: { $lighthouse: 1 } } }] },
          { q: { _id: 3 }, u: { $set: { m: 0 } } },
        ],
      });
      expect(reply).to.deep.include({ ok: 1, n: 2, nModified: 2 });
      expect(reply.writeErrors).to.have.length(1);
      expect(reply.writeErrors[0]).to.deep.include({ index: 1, code: 168 });
      expect(await collection.find().sort({ _id: 1 }).toArray()).to.deep.equal([
        { _id: 1, n: 1, m: 11 },
        { _id: 2, n: 2 },
        { _id: 3, n: 3, m: 0 },
      ]);
    });

    it('a pipeline-style update may not change _id (66)', async function () {
      const { collection, read } = await withDoc({ n: 1 });
      await serverError(collection.updateOne(byId, [{ $set: { _id: 2 } }]), 66);
      expect(await read()).to.deep.equal({ _id: 1, n: 1 });
    });

    it('a delete limit other than 0 or 1 fails the whole command (9) before deleting anything', async function () {
      const collection = ctx().fresh('del');
      await collection.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }]);
      const error = await serverError(
        ctx().db.command({
          delete: collection.collectionName,
          deletes: [
            { q: { k: 2 }, limit: 1 },
            { q: { k: 1 }, limit: 2 },
          ],
        }),
        9,
      );
      expect(error.message).to.match(/The limit field in delete objects must be 0 or 1/);
      await serverError(ctx().db.command({ delete: collection.collectionName, deletes: [{ q: {} }] }), 40414);
      expect(await collection.countDocuments()).to.equal(3);
    });

    it('findAndModify checks its projection before writing anything', async function () {
      const { collection, read } = await withDoc({ a: 1, s: 2 });
      const update = await serverError(
        ctx().db.command({
          findAndModify: collection.collectionName,
          query: { _id: 1 },
          fields: { a: 1, s: 0 },
          update: { $set: { z: 1 } },
        }),
        31254,
      );
      expect(update.message).to.match(/Cannot do exclusion on field s in inclusion projection/);
      await serverError(
        ctx().db.command({
          findAndModify: collection.collectionName,
          query: { _id: 1 },
          fields: { a: 0, s: 1 },
          remove: true,
        }),
        31253,
      );
      expect(await read()).to.deep.equal({ _id: 1, a: 1, s: 2 });
    });

    it('listCollections with an unknown operator in its filter is refused with BadValue (2)', async function () {
      await serverError(ctx().db.command({ listCollections: 1, filter: { $lighthouse: 1 } }), 2);
    });
  });

  describe('partial index filters', function () {
    it('accepts equality, $exists: true, ranges, $type, $in, $and and $or', async function () {
      const collection = ctx().fresh('pfe');
      const filters: Document[] = [
        { a: 1 },
        { a: null },
        { a: { $exists: true } },
        { a: { $gte: 1, $lt: 5 } },
        { a: { $type: 'string' } },
        { a: { $in: [1, 2] } },
        { $and: [{ a: { $gt: 0 } }, { b: 1 }] },
        { $or: [{ a: 1 }, { b: { $lte: 2 } }] },
      ];
      for (const [i, partialFilterExpression] of filters.entries())
        await collection.createIndex({ a: 1 }, { name: `a_${i}`, partialFilterExpression });
      expect(await collection.listIndexes().toArray()).to.have.length(filters.length + 1);
    });

    it('refuses other expressions with CannotCreateIndex (67), a malformed filter with BadValue (2)', async function () {
      const collection = ctx().fresh('pfe');
      await collection.insertOne({ a: 1 });
      for (const partialFilterExpression of [
        { a: { $ne: null } },
        { a: { $exists: false } },
        { a: { $nin: [1] } },
        { a: { $not: { $gt: 1 } } },
        { a: /x/ },
        { $nor: [{ a: 1 }] },
      ] as Document[]) {
        await serverError(collection.createIndex({ a: 1 }, { partialFilterExpression }), 67);
      }
      await serverError(collection.createIndex({ a: 1 }, { partialFilterExpression: { $lighthouse: 1 } }), 2);
      await serverError(
        collection.createIndex({ a: 1 }, { partialFilterExpression: { $expr: { $eq: ['$a', 1] } } }),
        224,
      );
      await serverError(
        collection.createIndex({ a: 1 }, { sparse: true, partialFilterExpression: { a: 1 } }),
        67,
      );
      const names = (await collection.listIndexes().toArray()).map((index) => index.name as string);
      expect(names).to.deep.equal(['_id_']);
    });
  });
});
