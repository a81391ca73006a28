// Reads the offline lane answers on shorter paths, each compared with the plain path on random
// documents (written to pass on a real mongod too):
// - an aggregation of streaming stages ($match, $sort, $lookup, $addFields, $project…) read in
//   small batches answers what the same stages give inside a $facet (which needs its whole input,
//   so nothing is streamed), decimal types included;
// - countDocuments and count over a multikey compound index (equality and $in on the array
//   field) answer what a forced collection scan answers;
// - `_id` equality and `$in` (findById) answer what the same condition under `$and` answers
//   (a filter the short path does not take), in finds, and in a $match after a $group whose
//   `_id` is an array.
import { expect } from 'chai';
import { Decimal128, type Collection, type Document, type Filter, Long, ObjectId } from 'mongodb';
import { useDriver } from './driver-harness.js';
import { random } from '../../support/random.js';

const STREETS = ['kengzi', 'pingshan', 'maluan', 'longtian', 'biling', 'shijing'];
const CATEGORIES = ['food', 'travel', 'tech', 'culture', 'sport', 'music'];
const STATUSES = ['applied', 'approved', 'rejected', 'suspended'];

describe('driver conformance: streamed aggregations, covered counts and _id lookups', function () {
  const ctx = useDriver();
  const rand = random(20_261_202);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  let creators: Collection;
  let memberships: Collection;
  let signatures: Collection;

  before(async function () {
    this.timeout(30_000);
    creators = ctx().fresh('streamed_creators');
    memberships = ctx().fresh('streamed_memberships');
    signatures = ctx().fresh('streamed_signatures');
    const ids = Array.from({ length: 700 }, () => new ObjectId());
    await creators.insertMany(
      ids.map((_id, i): Document => {
        const doc: Document = {
          _id,
          name: `${pick(['坪山', '坑梓', '龙田', 'Alpha', 'beta'])} ${i % 53}`,
          followers: Math.floor(rand() * 400), // many ties: the sort's _id decides
          categories: Array.from({ length: Math.floor(rand() * 4) }, () => pick(CATEGORIES)),
          summary: { total: Long.fromNumber(Math.floor(rand() * 1e6)), share: Decimal128.fromString('0.25') },
        };
        if (rand() < 0.93) doc.street = pick(STREETS);
        // A few streets as arrays too (then no categories: an index takes one array per document).
        if (rand() < 0.05) [doc.street, doc.categories] = [[pick(STREETS), pick(STREETS)], []];
        return doc;
      }),
    );
    await memberships.insertMany(
      ids.filter(() => rand() < 0.6).map((creator) => ({ creator, status: pick(STATUSES), n: 1 })),
    );
    await signatures.insertMany(
      ids.flatMap((creator) =>
        Array.from({ length: Math.floor(rand() * 3) }, (_, version) => ({ creator, version: version + 1 })),
      ),
    );
    await creators.createIndex({ followers: -1, _id: 1 });
    await creators.createIndex({ street: 1, categories: 1 });
    await creators.createIndex({ categories: 1 });
  });

  /** The export's shape: joins, derived fields and a projection after the creator filter and sort. */
  function exportStages(): Document[] {
    return [
      {
        $lookup: {
          from: memberships.collectionName,
          localField: '_id',
          foreignField: 'creator',
          pipeline: [{ $project: { _id: 0, status: 1 } }],
          as: 'membership',
        },
      },
      {
        $lookup: {
          from: signatures.collectionName,
          localField: '_id',
          foreignField: 'creator',
          pipeline: [{ $project: { _id: 0, version: 1 } }],
          as: 'signatures',
        },
      },
      {
        $addFields: {
          status: { $ifNull: [{ $arrayElemAt: ['$membership.status', 0] }, 'none'] },
          signed: { $max: '$signatures.version' },
        },
      },
      ...(rand() < 0.5 ? [{ $match: { status: { $in: [pick(STATUSES), 'none'] } } }] : []),
      {
        $project: {
          name: 1,
          street: 1,
          categories: 1,
          summary: 1,
          status: 1,
          signed: { $ifNull: ['$signed', 0] },
        },
      },
      ...(rand() < 0.3 ? [{ $unwind: { path: '$categories', preserveNullAndEmptyArrays: true } }] : []),
    ];
  }

  function randomFilter(): Document {
    const conjuncts: Document[] = [{}];
    if (rand() < 0.5) conjuncts.push({ street: { $in: [pick(STREETS), pick(STREETS)] } });
    if (rand() < 0.4) conjuncts.push({ categories: pick(CATEGORIES) });
    if (rand() < 0.4) conjuncts.push({ followers: { $gte: Math.floor(rand() * 300) } });
    return { $and: conjuncts };
  }

  it('a streamed aggregation read in small batches answers what the same stages inside a $facet answer', async function () {
    this.timeout(60_000);
    for (let round = 0; round < 20; round++) {
      const filter = randomFilter();
      const sort = pick<Document>([{ followers: -1, _id: 1 }, { name: 1, _id: -1 }, { _id: 1 }]);
      const rest = exportStages();
      const context = JSON.stringify({ round, filter, sort, rest });
      const batchSize = 1 + Math.floor(rand() * 40);
      const streamed = await creators
        .aggregate([{ $match: filter }, { $sort: sort }, ...rest], { batchSize })
        .toArray();
      const whole = await creators
        .aggregate([
          { $match: filter },
          { $facet: { rows: [{ $sort: sort }, ...rest] } },
          { $unwind: '$rows' },
          { $replaceWith: '$rows' },
        ])
        .toArray();
      expect(streamed.length, context).to.be.above(0);
      expect(streamed, context).to.deep.equal(whole);
      // (the driver reads int64 as numbers by default; a decimal stays a Decimal128)
      const typed = (row: Document): boolean =>
        row.summary === undefined || (row.summary as Document).share instanceof Decimal128;
      expect(streamed.every(typed), context).to.be.true;
    }
  });

  it('a collated sort before streaming stages orders as the collation does', async function () {
    const rest = [{ $project: { name: 1 } }];
    const collation = { locale: 'zh' };
    const streamed = await creators
      .aggregate([{ $match: {} }, { $sort: { name: 1, _id: 1 } }, ...rest], { collation, batchSize: 5 })
      .toArray();
    const whole = await creators
      .aggregate(
        [
          { $facet: { rows: [{ $sort: { name: 1, _id: 1 } }, ...rest] } },
          { $unwind: '$rows' },
          { $replaceWith: '$rows' },
        ],
        { collation },
      )
      .toArray();
    expect(streamed).to.deep.equal(whole);
    expect(streamed).to.have.lengthOf(700);
  });

  it('countDocuments and count over a multikey compound index answer what a forced scan answers', async function () {
    this.timeout(60_000);
    for (let round = 0; round < 120; round++) {
      const filter: Document = {};
      if (rand() < 0.8)
        filter.street = rand() < 0.3 ? { $in: [pick(STREETS), pick(STREETS)] } : pick(STREETS);
      const categories =
        rand() < 0.4 ? { $in: [pick(CATEGORIES), pick(CATEGORIES), pick(CATEGORIES)] } : pick(CATEGORIES);
      if (rand() < 0.85) filter.categories = categories;
      const context = JSON.stringify({ round, filter });
      const scanned = await creators.find(filter, { hint: { $natural: 1 } }).toArray();
      expect(await creators.countDocuments(filter), context).to.equal(scanned.length);
      expect(await creators.countDocuments(filter, { limit: 5 }), context).to.equal(
        Math.min(5, scanned.length),
      );
      const viaCount = await ctx().db.command({ count: creators.collectionName, query: filter });
      expect(viaCount.n, context).to.equal(scanned.length);
    }
  });

  it('_id equality and $in answer what the same condition under $and answers', async function () {
    this.timeout(60_000);
    const mixed = ctx().fresh('streamed_ids');
    const ids: unknown[] = [
      1,
      2.5,
      -0,
      'a',
      'B',
      true,
      null,
      new Date(86_400_000),
      new ObjectId(),
      new ObjectId(),
    ];
    await mixed.insertMany(
      ids.map((_id, i): Document => ({ _id, i, tags: [pick(['x', 'y', 'z']), pick(['x', 'y'])] })),
    );
    const present = (
      await creators
        .find({}, { projection: { _id: 1 } })
        .limit(30)
        .toArray()
    ).map((doc) => doc._id);
    const probes: unknown[] = [...ids, ...present, 0, 1.0, Long.fromNumber(1), 'b', false, new ObjectId()];
    for (let round = 0; round < 80; round++) {
      const value = pick(probes);
      const condition = pick<unknown>([value, { $eq: value }, { $in: [pick(probes), pick(probes), value] }]);
      const context = JSON.stringify({ round, condition });
      // (the _id values are of every type, which the driver's Filter type does not allow for)
      const byId = { _id: condition } as Filter<Document>;
      for (const collection of [mixed, creators]) {
        // Sorted: without a sort, neither mongod nor the lane promises an order.
        const short = await collection.find(byId, { sort: { _id: 1 } }).toArray();
        const plain = await collection
          .find({ $and: [byId] }, { hint: { $natural: 1 }, sort: { _id: 1 } })
          .toArray();
        expect(short, context).to.deep.equal(plain);
        expect(await collection.countDocuments(byId), context).to.equal(plain.length);
      }
    }
    for (const tag of ['x', 'y', 'z', null]) {
      const group = { $group: { _id: '$tags', n: { $sum: 1 } } };
      const short = await mixed
        .aggregate([group, { $match: { _id: tag } }, { $sort: { n: 1, _id: 1 } }])
        .toArray();
      const plain = await mixed
        .aggregate([group, { $match: { $and: [{ _id: tag }] } }, { $sort: { n: 1, _id: 1 } }])
        .toArray();
      expect(short, String(tag)).to.deep.equal(plain);
      if (tag === 'x') expect(short.length).to.be.above(0);
    }
  });
});
