// Edge cases of reads through the official driver, asserting what a standalone mongod 7.0 answers
// (its documentation and its error codes): aggregation comparisons in BSON order, null and missing
// inputs, malformed operators, hints, `let`, distinct order. Runs unchanged on every lane.
import { expect } from 'chai';
import { type Collection, type Document, MinKey, ObjectId } from 'mongodb';
import { rejected, serverError, useDriver } from './driver-harness.js';

describe('driver conformance: read edge cases', function () {
  const ctx = useDriver();

  const ids = async (collection: Collection, filter: Document, options: Document = {}): Promise<unknown[]> =>
    (await collection.find(filter, options).sort({ _id: 1 }).toArray()).map((doc): unknown => doc._id);

  describe('aggregation comparisons ($eq, $gt, $cmp…) in BSON order', function () {
    let collection: Collection;
    before(async function () {
      collection = ctx().fresh('cmp');
      await collection.insertMany([
        { _id: 1, a: [1, 2, 3], s: 'abc', n: 5 },
        { _id: 2, a: 1, d: null, n: 10 },
        { _id: 3, n: 10 },
      ] as never[]);
    });

    it('$expr never compares an array with a scalar element by element', async function () {
      expect(await ids(collection, { $expr: { $eq: ['$a', 1] } })).to.deep.equal([2]);
      expect(await ids(collection, { $expr: { $eq: ['$a', [1, 2, 3]] } })).to.deep.equal([1]);
      // An array sorts above every number, so [1, 2, 3] > 100.
      expect(await ids(collection, { $expr: { $gt: ['$a', 100] } })).to.deep.equal([1]);
    });

    it('$expr: a missing field is not equal to null, and sorts below it', async function () {
      expect(await ids(collection, { $expr: { $eq: ['$d', null] } })).to.deep.equal([2]);
      expect(await ids(collection, { $expr: { $lt: ['$d', null] } })).to.deep.equal([1, 3]);
      // A string is above every number; a missing field below them all.
      expect(await ids(collection, { $expr: { $gt: ['$s', 1000] } })).to.deep.equal([1]);
      expect(await ids(collection, { $expr: { $lt: ['$s', 0] } })).to.deep.equal([2, 3]);
    });

    it('$project compares values of different types by type order', async function () {
      const [row] = await collection
        .aggregate([
          { $match: { _id: 3 } },
          {
            $project: {
              numberOverNull: { $gt: ['$n', null] },
              stringOverNumber: { $gt: ['abc', 5] },
              missingUnderZero: { $lt: ['$missing', 0] },
              missingIsNull: { $eq: ['$missing', null] },
              missingUnderNull: { $lt: ['$missing', null] },
              nullOverMinKey: { $gt: [null, new MinKey()] },
              arrays: {
                $eq: [
                  [1, 2],
                  [1, 2],
                ],
              },
              cmp: { $cmp: ['x', 1] },
              cmpEqual: { $cmp: [10, '$n'] },
              ne: { $ne: ['$n', 10] },
              gte: { $gte: ['$n', 10] },
              lte: { $lte: [{ a: 1 }, 'zzz'] },
            },
          },
        ])
        .toArray();
      expect(row).to.deep.equal({
        _id: 3,
        numberOverNull: true,
        stringOverNumber: true,
        missingUnderZero: true,
        missingIsNull: false,
        missingUnderNull: true,
        nullOverMinKey: true,
        arrays: true,
        cmp: 1,
        cmpEqual: 0,
        ne: false,
        gte: true,
        lte: false,
      });
    });

    it('a comparison takes exactly two arguments (16020)', async function () {
      await serverError(collection.aggregate([{ $project: { x: { $eq: ['$n'] } } }]).toArray(), 16020);
    });

    it('$switch with no matching branch and no default is an error (40066)', async function () {
      await serverError(
        collection
          .aggregate([
            { $project: { x: { $switch: { branches: [{ case: { $eq: ['$n', -1] }, then: 1 }] } } } },
          ])
          .toArray(),
        40066,
      );
    });
  });

  describe('date operators on null and missing dates', function () {
    it('$year, $month, $dateToParts, $dateToString, $dateAdd answer null', async function () {
      const collection = ctx().fresh('dates');
      await collection.insertMany([{ _id: 1 }, { _id: 2, d: null }] as never[]);
      const rows = await collection
        .aggregate([
          {
            $project: {
              year: { $year: '$d' },
              month: { $month: null },
              dayOfWeek: { $dayOfWeek: { date: '$d', timezone: 'Asia/Shanghai' } },
              isoWeek: { $isoWeek: '$d' },
              parts: { $dateToParts: { date: '$d' } },
              text: { $dateToString: { date: '$d', format: '%Y' } },
              later: { $dateAdd: { startDate: '$d', unit: 'day', amount: 1 } },
            },
          },
          { $sort: { _id: 1 } },
        ])
        .toArray();
      const nulls = {
        year: null,
        month: null,
        dayOfWeek: null,
        isoWeek: null,
        parts: null,
        text: null,
        later: null,
      };
      expect(rows).to.deep.equal([
        { _id: 1, ...nulls },
        { _id: 2, ...nulls },
      ]);
    });
  });

  describe('malformed query operators are refused (BadValue, 2)', function () {
    let collection: Collection;
    before(async function () {
      collection = ctx().fresh('bad');
      await collection.insertMany([
        { _id: 1, a: [1, 2] },
        { _id: 2, a: 3 },
      ] as never[]);
    });

    const cases: [string, Document, RegExp][] = [
      ['$or of nothing', { $or: [] }, /\$and\/\$or\/\$nor must be a nonempty array/],
      ['$and of nothing', { $and: [] }, /nonempty array/],
      ['$nor of nothing', { $nor: [] }, /nonempty array/],
      ['$size of a string', { a: { $size: 'x' } }, /\$size needs a number/],
      ['$all of a number', { a: { $all: 1 } }, /\$all needs an array/],
      ['$elemMatch of a number', { a: { $elemMatch: 1 } }, /\$elemMatch needs an Object/],
      ['$mod by zero', { a: { $mod: [0, 1] } }, /divisor cannot be 0/],
      ['$mod with one element', { a: { $mod: [1] } }, /not enough elements/],
      ['$not of a number', { a: { $not: 1 } }, /\$not needs a regex or a document/],
    ];
    for (const [label, filter, message] of cases) {
      it(label, async function () {
        const error = await serverError(collection.find(filter).toArray(), 2);
        expect(error.message).to.match(message);
      });
    }

    it('in a $match stage too', async function () {
      await serverError(
        collection.aggregate([{ $match: { _id: { $gt: 0 } } }, { $match: { $or: [] } }]).toArray(),
        2,
      );
    });
  });

  describe('malformed pipeline stages and expressions', function () {
    let collection: Collection;
    before(async function () {
      collection = ctx().fresh('stages');
      await collection.insertMany([{ _id: 1, a: [1, 2], s: 'x' }] as never[]);
    });

    it('$unwind of a path without $ (28818)', async function () {
      await serverError(collection.aggregate([{ $unwind: 'a' }]).toArray(), 28818);
      await serverError(collection.aggregate([{ $unwind: { path: 'a' } }]).toArray(), 28818);
    });

    it('an empty $project (51272)', async function () {
      await serverError(collection.aggregate([{ $project: {} }]).toArray(), 51272);
    });

    it('$size of a missing field or a string (17124)', async function () {
      const missing = await serverError(
        collection.aggregate([{ $project: { n: { $size: '$nope' } } }]).toArray(),
        17124,
      );
      expect(missing.message).to.match(/must be an array/);
      await serverError(collection.aggregate([{ $project: { n: { $size: '$s' } } }]).toArray(), 17124);
      expect(await collection.aggregate([{ $project: { n: { $size: '$a' } } }]).toArray()).to.deep.equal([
        { _id: 1, n: 2 },
      ]);
    });
  });

  describe('find: positional projection, null ranges, let, hint', function () {
    let collection: Collection;
    before(async function () {
      collection = ctx().fresh('find');
      await collection.insertMany([
        { _id: 1, a: [1, 2, 3], x: null, n: 1 },
        { _id: 2, a: [4, 5], n: 2 },
        { _id: 3, x: 7, n: 3 },
      ] as never[]);
    });

    it("'a.$' takes the element the filter matched, and fails without one (51246)", async function () {
      expect(await collection.find({ a: 5 }, { projection: { 'a.$': 1 } }).toArray()).to.deep.equal([
        { _id: 2, a: [5] },
      ]);
      const error = await serverError(
        collection.find({ _id: 1 } as Document, { projection: { 'a.$': 1 } }).toArray(),
        51246,
      );
      expect(error.message).to.match(
        /positional operator '\.\$' couldn't find a matching element in the array/,
      );
    });

    it('{$gte: null} and {$lte: null} match null and missing fields, as {$eq: null}', async function () {
      expect(await ids(collection, { x: { $gte: null } })).to.deep.equal([1, 2]);
      expect(await ids(collection, { x: { $lte: null } })).to.deep.equal([1, 2]);
      expect(await ids(collection, { x: null })).to.deep.equal([1, 2]);
    });

    it('find honours let variables in $expr', async function () {
      expect(
        await ids(collection, { $expr: { $gte: ['$n', '$$least'] } }, { let: { least: { $add: [1, 1] } } }),
      ).to.deep.equal([2, 3]);
    });

    it('a limit without a sort returns the first matches in natural order', async function () {
      const rows = await collection
        .find({ n: { $gte: 1 } })
        .limit(2)
        .toArray();
      expect(rows.map((doc): unknown => doc._id)).to.deep.equal([1, 2]);
    });

    it('a hint naming no index is refused (2); _id_ and {_id: 1} always exist', async function () {
      await collection.createIndex({ n: 1 }, { name: 'by_n' });
      const byName = await serverError(collection.find({}, { hint: 'nope_1' }).toArray(), 2);
      expect(byName.message).to.match(/hint provided does not correspond to an existing index/);
      await serverError(collection.find({}, { hint: { zz: 1 } }).toArray(), 2);
      await serverError(collection.find({}, { hint: { n: -1 } }).toArray(), 2);
      await serverError(collection.aggregate([{ $match: {} }], { hint: 'nope_1' }).toArray(), 2);
      await serverError(collection.countDocuments({}, { hint: 'nope_1' }), 2);
      expect(await collection.find({}, { hint: '_id_' }).toArray()).to.have.lengthOf(3);
      expect(await collection.find({}, { hint: { _id: 1 } }).toArray()).to.have.lengthOf(3);
      expect(await ids(collection, { n: { $gte: 2 } }, { hint: 'by_n' })).to.deep.equal([2, 3]);
      expect(await ids(collection, { n: { $gte: 2 } }, { hint: { n: 1 } })).to.deep.equal([2, 3]);
    });

    it('returnKey and showRecordId are refused on the offline lane (238)', async function () {
      const { db } = ctx();
      for (const option of ['returnKey', 'showRecordId']) {
        const reply = db.command({ find: collection.collectionName, filter: { _id: 1 }, [option]: true });
        if (ctx().handle.inMemory) await serverError(reply, 238);
        else expect((await reply).ok).to.equal(1);
      }
      const bounded = db.command({ find: collection.collectionName, min: { _id: 2 }, hint: { _id: 1 } });
      if (ctx().handle.inMemory) await serverError(bounded, 238);
      else
        expect(
          ((await bounded).cursor.firstBatch as Document[]).map((doc): unknown => doc._id),
        ).to.deep.equal([2, 3]);
    });
  });

  describe('aggregate', function () {
    it('let variables reach a leading $match', async function () {
      const collection = ctx().fresh('let');
      await collection.insertMany([
        { _id: 1, kind: 'a' },
        { _id: 2, kind: 'b' },
      ] as never[]);
      const rows = await collection
        .aggregate(
          [{ $match: { $expr: { $eq: ['$kind', '$$want'] } } }, { $project: { _id: 1, v: '$$want' } }],
          {
            let: { want: 'b' },
          },
        )
        .toArray();
      expect(rows).to.deep.equal([{ _id: 2, v: 'b' }]);
    });

    it('$sort inside $facet orders mixed types as mongod does', async function () {
      const collection = ctx().fresh('facet_sort');
      await collection.insertMany([
        { _id: 1, v: 'b' },
        { _id: 2, v: 3 },
        { _id: 3, v: null },
        { _id: 4, v: [5, 1] },
        { _id: 5, v: true },
        { _id: 6, v: new Date(0) },
        { _id: 7, v: new ObjectId('000000000000000000000001') },
      ] as never[]);
      const [row] = await collection.aggregate([{ $facet: { sorted: [{ $sort: { v: 1 } }] } }]).toArray();
      expect((row!.sorted as Document[]).map((doc): unknown => doc._id)).to.deep.equal([3, 4, 2, 1, 7, 5, 6]);
    });

    it('$lookup with localField/foreignField and a pipeline joins on the fields, then runs the pipeline', async function () {
      const orders = ctx().fresh('orders');
      const items = ctx().fresh('items');
      await items.insertMany([
        { _id: 10, sku: 'a', qty: 1 },
        { _id: 11, sku: 'b', qty: 5 },
        { _id: 12, sku: 'a', qty: 7 },
        { _id: 13, qty: 2 },
        { _id: 14, sku: ['b', 'c'], qty: 9 },
      ] as never[]);
      await orders.insertMany([
        { _id: 1, sku: 'a', least: 2 },
        { _id: 2, sku: ['b', 'z'], least: 0 },
        { _id: 3, least: 0 },
      ] as never[]);
      const rows = await orders
        .aggregate([
          {
            $lookup: {
              from: items.collectionName,
              localField: 'sku',
              foreignField: 'sku',
              let: { least: '$least' },
              pipeline: [{ $match: { $expr: { $gte: ['$qty', '$$least'] } } }, { $project: { _id: 1 } }],
              as: 'hits',
            },
          },
          { $sort: { _id: 1 } },
        ])
        .toArray();
      expect(
        rows.map((row): unknown => [row._id, (row.hits as Document[]).map((hit): unknown => hit._id).sort()]),
      ).to.deep.equal([
        [1, [12]],
        [2, [11, 14]],
        // A missing localField joins foreign documents whose field is missing or null.
        [3, [13]],
      ]);
    });
  });

  describe('distinct', function () {
    it('answers in BSON order, whatever the document order', async function () {
      const collection = ctx().fresh('distinct');
      await collection.insertMany([
        { v: 'b' },
        { v: 3 },
        { v: null },
        { v: 'a' },
        { v: 1 },
        { v: [2, 'c'] },
        { v: true },
      ] as never[]);
      expect(await collection.distinct('v')).to.deep.equal([null, 1, 2, 3, 'a', 'b', 'c', true]);
    });
  });

  it('a $bucket value outside every bucket without a default is refused', async function () {
    const collection = ctx().fresh('bucket_no_default');
    await collection.insertMany([{ n: 1 }, { n: 50 }] as never[]);
    await rejected(collection.aggregate([{ $bucket: { groupBy: '$n', boundaries: [0, 10] } }]).toArray());
  });
});
