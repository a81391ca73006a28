// Aggregation pipelines through the official driver, asserting what the MongoDB documentation says
// a standalone mongod 7.0 answers. Runs unchanged on every lane.
import { expect } from 'chai';
import { Decimal128, Long, ObjectId } from 'mongodb';
import { rejected, serverError, useDriver } from './driver-harness.js';

describe('driver conformance: aggregation', function () {
  const ctx = useDriver();
  const creatorA = new ObjectId();
  const creatorB = new ObjectId();
  const creatorC = new ObjectId();

  before(async function () {
    const { db } = ctx();
    await db.collection('creators').insertMany([
      { _id: creatorA, name: 'Ada', street: 'north', tags: ['music', 'food'], followers: 120 },
      { _id: creatorB, name: 'Bo', street: 'south', tags: ['food'], followers: 40 },
      { _id: creatorC, name: 'Cy', street: 'north', tags: [], followers: 0 },
    ]);
    await db.collection('posts').insertMany([
      { _id: 1, creator: creatorA, at: new Date('2024-01-15T23:30:00Z'), likes: 10, kind: 'video' },
      { _id: 2, creator: creatorA, at: new Date('2024-01-20T08:00:00Z'), likes: 4, kind: 'text' },
      { _id: 3, creator: creatorB, at: new Date('2024-02-01T12:00:00Z'), likes: 7, kind: 'video' },
      { _id: 4, creator: creatorB, at: new Date('2025-02-03T12:00:00Z'), likes: 1, kind: 'text' },
      { _id: 5, creator: creatorA, at: new Date('2025-03-09T00:15:00Z'), likes: 0, kind: 'video' },
    ] as never[]);
  });

  it('$match, $group with $sum/$avg/$push/$addToSet, $sort', async function () {
    const rows = await ctx()
      .db.collection('posts')
      .aggregate([
        { $match: { likes: { $gte: 1 } } },
        {
          $group: {
            _id: '$creator',
            posts: { $sum: 1 },
            likes: { $sum: '$likes' },
            average: { $avg: '$likes' },
            ids: { $push: '$_id' },
            kinds: { $addToSet: '$kind' },
            first: { $min: '$at' },
          },
        },
        { $sort: { likes: -1 } },
      ])
      .toArray();
    expect(rows).to.have.lengthOf(2);
    expect(rows[0]!._id.equals(creatorA)).to.equal(true);
    expect(rows[0]).to.deep.include({ posts: 2, likes: 14, average: 7, ids: [1, 2] });
    expect(rows[0]!.kinds.sort()).to.deep.equal(['text', 'video']);
    expect(rows[0]!.first).to.deep.equal(new Date('2024-01-15T23:30:00Z'));
    expect(rows[1]!._id.equals(creatorB)).to.equal(true);
    expect(rows[1]).to.deep.include({ posts: 2, likes: 8, average: 4, ids: [3, 4] });
  });

  it('$group by $dateToString, $year and $month (UTC and with a timezone)', async function () {
    const posts = ctx().db.collection('posts');
    const byDay = await posts
      .aggregate([
        { $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$at' } }, n: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(byDay).to.deep.equal([
      { _id: '2024-01-15', n: 1 },
      { _id: '2024-01-20', n: 1 },
      { _id: '2024-02-01', n: 1 },
      { _id: '2025-02-03', n: 1 },
      { _id: '2025-03-09', n: 1 },
    ]);
    const byMonth = await posts
      .aggregate([
        { $group: { _id: { year: { $year: '$at' }, month: { $month: '$at' } }, likes: { $sum: '$likes' } } },
        { $sort: { '_id.year': 1, '_id.month': 1 } },
      ])
      .toArray();
    expect(byMonth).to.deep.equal([
      { _id: { year: 2024, month: 1 }, likes: 14 },
      { _id: { year: 2024, month: 2 }, likes: 7 },
      { _id: { year: 2025, month: 2 }, likes: 1 },
      { _id: { year: 2025, month: 3 }, likes: 0 },
    ]);
    const local = await posts
      .aggregate([
        { $match: { _id: { $in: [1, 5] } } },
        {
          $project: {
            day: { $dateToString: { format: '%Y-%m-%d %H:%M', date: '$at', timezone: '+08:00' } },
            named: { $dateToString: { format: '%d/%m/%Y', date: '$at', timezone: 'America/New_York' } },
            month: { $month: { date: '$at', timezone: '+08:00' } },
            weekday: { $dayOfWeek: '$at' },
            iso: { $dateToString: { date: '$at' } },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(local).to.deep.equal([
      {
        _id: 1,
        day: '2024-01-16 07:30',
        named: '15/01/2024',
        month: 1,
        weekday: 2,
        iso: '2024-01-15T23:30:00.000Z',
      },
      {
        _id: 5,
        day: '2025-03-09 08:15',
        named: '08/03/2025',
        month: 3,
        weekday: 1,
        iso: '2025-03-09T00:15:00.000Z',
      },
    ]);
  });

  it('$cond in both forms, $ifNull and $switch', async function () {
    const rows = await ctx()
      .db.collection('creators')
      .aggregate([
        {
          $project: {
            _id: 0,
            name: 1,
            size: { $cond: { if: { $gte: ['$followers', 100] }, then: 'big', else: 'small' } },
            active: { $cond: [{ $gt: ['$followers', 0] }, true, false] },
            bio: { $ifNull: ['$bio', 'none'] },
            band: {
              $switch: {
                branches: [
                  { case: { $eq: ['$followers', 0] }, then: 'new' },
                  { case: { $lt: ['$followers', 100] }, then: 'growing' },
                ],
                default: 'established',
              },
            },
          },
        },
        { $sort: { name: 1 } },
      ])
      .toArray();
    expect(rows).to.deep.equal([
      { name: 'Ada', size: 'big', active: true, bio: 'none', band: 'established' },
      { name: 'Bo', size: 'small', active: true, bio: 'none', band: 'growing' },
      { name: 'Cy', size: 'small', active: false, bio: 'none', band: 'new' },
    ]);
  });

  it('$lookup with localField/foreignField, and with let and a pipeline', async function () {
    const { db } = ctx();
    const joined = await db
      .collection('creators')
      .aggregate([
        { $lookup: { from: 'posts', localField: '_id', foreignField: 'creator', as: 'posts' } },
        { $sort: { name: 1 } },
      ])
      .toArray();
    expect(
      joined.map((row): unknown[] => [row.name, row.posts.map((post: { _id: number }) => post._id).sort()]),
    ).to.deep.equal([
      ['Ada', [1, 2, 5]],
      ['Bo', [3, 4]],
      ['Cy', []],
    ]);
    const reverse = await db
      .collection('posts')
      .aggregate([
        { $match: { _id: 3 } },
        { $lookup: { from: 'creators', localField: 'creator', foreignField: '_id', as: 'author' } },
        { $unwind: '$author' },
        { $project: { _id: 1, author: '$author.name' } },
      ])
      .toArray();
    expect(reverse).to.deep.equal([{ _id: 3, author: 'Bo' }]);

    const piped = await db
      .collection('creators')
      .aggregate([
        {
          $lookup: {
            from: 'posts',
            let: { who: '$_id' },
            pipeline: [
              { $match: { $expr: { $eq: ['$creator', '$$who'] }, kind: 'video' } },
              { $sort: { likes: -1 } },
              { $project: { _id: 1, likes: 1 } },
            ],
            as: 'videos',
          },
        },
        { $project: { _id: 0, name: 1, videos: 1 } },
        { $sort: { name: 1 } },
      ])
      .toArray();
    expect(piped).to.deep.equal([
      {
        name: 'Ada',
        videos: [
          { _id: 1, likes: 10 },
          { _id: 5, likes: 0 },
        ],
      },
      { name: 'Bo', videos: [{ _id: 3, likes: 7 }] },
      { name: 'Cy', videos: [] },
    ]);

    // localField/foreignField together with a pipeline (MongoDB 5.0+).
    const both = await db
      .collection('creators')
      .aggregate([
        { $match: { name: 'Ada' } },
        {
          $lookup: {
            from: 'posts',
            localField: '_id',
            foreignField: 'creator',
            pipeline: [{ $match: { likes: { $gt: 3 } } }],
            as: 'liked',
          },
        },
      ])
      .toArray();
    expect(both[0]!.liked.map((post: { _id: number }) => post._id).sort()).to.deep.equal([1, 2]);

    // A local array field matches any of its elements.
    await db.collection('tags').insertMany([
      { _id: 'music', label: 'Music' },
      { _id: 'food', label: 'Food' },
    ] as never[]);
    const tagged = await db
      .collection('creators')
      .aggregate([
        { $match: { name: 'Ada' } },
        { $lookup: { from: 'tags', localField: 'tags', foreignField: '_id', as: 'labels' } },
      ])
      .toArray();
    expect(tagged[0]!.labels.map((tag: { label: string }) => tag.label).sort()).to.deep.equal([
      'Food',
      'Music',
    ]);
  });

  it('$facet runs several pipelines over the same input', async function () {
    const [result] = await ctx()
      .db.collection('posts')
      .aggregate([
        {
          $facet: {
            total: [{ $count: 'n' }],
            byKind: [{ $group: { _id: '$kind', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
            top: [{ $sort: { likes: -1 } }, { $limit: 2 }, { $project: { _id: 1 } }],
          },
        },
      ])
      .toArray();
    expect(result).to.deep.equal({
      total: [{ n: 5 }],
      byKind: [
        { _id: 'text', n: 2 },
        { _id: 'video', n: 3 },
      ],
      top: [{ _id: 1 }, { _id: 3 }],
    });
  });

  it('$bucket with boundaries, default and output', async function () {
    const rows = await ctx()
      .db.collection('posts')
      .aggregate([
        {
          $bucket: {
            groupBy: '$likes',
            boundaries: [0, 5, 10],
            default: 'many',
            output: { n: { $sum: 1 }, ids: { $push: '$_id' } },
          },
        },
      ])
      .toArray();
    expect(rows).to.deep.equal([
      { _id: 0, n: 3, ids: [2, 4, 5] },
      { _id: 5, n: 1, ids: [3] },
      { _id: 'many', n: 1, ids: [1] },
    ]);
    // likes 0, 1 | 4 (on an interior boundary: the upper bucket) | nothing in [5, 7) | 7, 10.
    // A lower bound is inclusive, an empty bucket is left out, buckets come sorted by _id.
    const bounded = await ctx()
      .db.collection('posts')
      .aggregate([
        {
          $bucket: {
            groupBy: '$likes',
            boundaries: [0, 4, 5, 7, 20],
            output: { ids: { $push: '$_id' } },
          },
        },
      ])
      .toArray();
    expect(bounded).to.deep.equal([
      { _id: 0, ids: [4, 5] },
      { _id: 4, ids: [2] },
      { _id: 7, ids: [1, 3] },
    ]);
    const counted = await ctx()
      .db.collection('posts')
      .aggregate([{ $bucket: { groupBy: '$likes', boundaries: [0, 7, 100] } }])
      .toArray();
    expect(counted).to.deep.equal([
      { _id: 0, count: 3 },
      { _id: 7, count: 2 },
    ]);
    await serverError(
      ctx()
        .db.collection('posts')
        .aggregate([{ $bucket: { groupBy: '$likes', boundaries: [5, 1] } }])
        .toArray(),
      40194,
    );
  });

  it('$bucketAuto fills buckets in order of the groupBy value', async function () {
    const collection = ctx().fresh('bucket_auto');
    // The artwork prices of the $bucketAuto manual page.
    await collection.insertMany(
      [199.99, 280, 76.04, 167.3, 483, 385, 159, 118.42].map((price, i) => ({
        _id: i + 1,
        price,
      })) as never[],
    );
    const rows = await collection.aggregate([{ $bucketAuto: { groupBy: '$price', buckets: 4 } }]).toArray();
    expect(rows).to.deep.equal([
      { _id: { min: 76.04, max: 159 }, count: 2 },
      { _id: { min: 159, max: 199.99 }, count: 2 },
      { _id: { min: 199.99, max: 385 }, count: 2 },
      { _id: { min: 385, max: 483 }, count: 2 },
    ]);
    // Equal values never straddle two buckets.
    const repeated = ctx().fresh('bucket_auto_repeat');
    await repeated.insertMany([1, 1, 1, 2, 3, 4].map((v, i) => ({ _id: i, v })) as never[]);
    const grouped = await repeated
      .aggregate([{ $bucketAuto: { groupBy: '$v', buckets: 3, output: { ids: { $push: '$_id' } } } }])
      .toArray();
    // (the order of equal values inside a bucket is not specified)
    expect(grouped.map((row): unknown[] => [row._id, [...(row.ids as number[])].sort()])).to.deep.equal([
      [{ min: 1, max: 2 }, [0, 1, 2]],
      [{ min: 2, max: 4 }, [3, 4]],
      [{ min: 4, max: 4 }, [5]],
    ]);
  });

  it('$unwind with includeArrayIndex and preserveNullAndEmptyArrays', async function () {
    const creators = ctx().db.collection('creators');
    const plain = await creators
      .aggregate([
        { $unwind: '$tags' },
        { $project: { _id: 0, name: 1, tags: 1 } },
        { $sort: { name: 1, tags: 1 } },
      ])
      .toArray();
    expect(plain).to.deep.equal([
      { name: 'Ada', tags: 'food' },
      { name: 'Ada', tags: 'music' },
      { name: 'Bo', tags: 'food' },
    ]);
    const kept = await creators
      .aggregate([
        { $unwind: { path: '$tags', includeArrayIndex: 'i', preserveNullAndEmptyArrays: true } },
        { $project: { _id: 0, name: 1, tags: 1, i: 1 } },
        { $sort: { name: 1, i: 1 } },
      ])
      .toArray();
    expect(kept).to.deep.equal([
      { name: 'Ada', tags: 'music', i: 0 },
      { name: 'Ada', tags: 'food', i: 1 },
      { name: 'Bo', tags: 'food', i: 0 },
      { name: 'Cy', i: null },
    ]);
  });

  it('$project with computed fields, $sort/$skip/$limit and $count', async function () {
    const posts = ctx().db.collection('posts');
    const page = await posts
      .aggregate([
        {
          $project: {
            likes: 1,
            double: { $multiply: ['$likes', 2] },
            label: { $concat: ['#', { $toString: '$_id' }] },
          },
        },
        { $sort: { likes: -1, _id: 1 } },
        { $skip: 1 },
        { $limit: 2 },
      ])
      .toArray();
    expect(page).to.deep.equal([
      { _id: 3, likes: 7, double: 14, label: '#3' },
      { _id: 2, likes: 4, double: 8, label: '#2' },
    ]);
    expect(
      await posts.aggregate([{ $match: { kind: 'video' } }, { $count: 'videos' }]).toArray(),
    ).to.deep.equal([{ videos: 3 }]);
    expect(await posts.aggregate([{ $match: { kind: 'none' } }, { $count: 'n' }]).toArray()).to.deep.equal(
      [],
    );
    const exclusion = await posts
      .aggregate([{ $match: { _id: 1 } }, { $project: { creator: 0, at: 0 } }])
      .toArray();
    expect(exclusion).to.deep.equal([{ _id: 1, likes: 10, kind: 'video' }]);
  });

  it('$sort orders values of different types and arrays as mongod does', async function () {
    const collection = ctx().fresh('agg_sort');
    await collection.insertMany([
      { _id: 1, v: true },
      { _id: 2, v: new ObjectId('000000000000000000000001') },
      { _id: 3, v: 'b' },
      { _id: 4, v: [5, 1] },
      { _id: 5, v: 3 },
      { _id: 6, v: null },
    ] as never[]);
    const asc = await collection.aggregate([{ $sort: { v: 1 } }]).toArray();
    expect(asc.map((doc): unknown => doc._id)).to.deep.equal([6, 4, 5, 3, 2, 1]);
    const desc = await collection.aggregate([{ $sort: { v: -1 } }]).toArray();
    expect(desc.map((doc): unknown => doc._id)).to.deep.equal([1, 2, 3, 4, 5, 6]);
  });

  it('keeps BSON types through a pipeline', async function () {
    const collection = ctx().fresh('agg_types');
    await collection.insertOne({
      _id: 1,
      price: Decimal128.fromString('19.99'),
      count: Long.fromNumber(3),
      at: new Date(0),
      ref: creatorA,
    } as never);
    await collection.insertOne({
      _id: 2,
      price: Decimal128.fromString('5.00'),
      count: Long.fromNumber(4),
      at: new Date(1),
      ref: creatorB,
    } as never);
    const rows = await collection
      .aggregate(
        [
          { $match: { price: { $gt: 1 } } },
          { $sort: { price: -1 } },
          { $project: { price: 1, count: 1, at: 1, ref: 1 } },
        ],
        { promoteLongs: false },
      )
      .toArray();
    expect(rows.map((row): unknown => row._id)).to.deep.equal([1, 2]);
    const [row] = rows;
    expect(row!.at).to.be.instanceOf(Date);
    expect(row!.ref).to.be.instanceOf(ObjectId);
    expect(row!.price).to.be.instanceOf(Decimal128);
    expect(row!.price.toString()).to.equal('19.99');
    expect(row!.count).to.be.instanceOf(Long);
    expect(rows[1]!.price.toString()).to.equal('5.00');
    const [joined] = await ctx()
      .db.collection('creators')
      .aggregate([
        { $match: { _id: creatorA } },
        { $lookup: { from: collection.collectionName, localField: '_id', foreignField: 'ref', as: 'items' } },
      ])
      .toArray();
    expect(joined!.items[0].price).to.be.instanceOf(Decimal128);
    expect(joined!.items[0].price.toString()).to.equal('19.99');
  });

  it('countDocuments and estimatedDocumentCount agree with the data', async function () {
    const posts = ctx().db.collection('posts');
    expect(await posts.countDocuments({ kind: 'video' })).to.equal(3);
    expect(await posts.estimatedDocumentCount()).to.equal(5);
  });

  it('an unknown stage is refused (40324) and an unknown expression operator too (168)', async function () {
    const posts = ctx().db.collection('posts');
    const stage = await serverError(posts.aggregate([{ $lighthouse: {} }]).toArray(), 40324);
    expect(stage.message).to.match(/Unrecognized pipeline stage name: '\$lighthouse'/);
    const expression = await serverError(
      posts.aggregate([{ $project: { x: { $lighthouse: 1 } } }]).toArray(),
      168,
    );
    expect(expression.message).to.match(/\$lighthouse/);
    const accumulator = await rejected(
      posts.aggregate([{ $group: { _id: null, x: { $lighthouse: 1 } } }]).toArray(),
    );
    expect(accumulator.code).to.equal(15952);
  });

  it('stages the offline lane cannot run are refused with NotImplemented (238)', async function () {
    const { db } = ctx();
    const out = db
      .collection('posts')
      .aggregate([{ $match: { kind: 'text' } }, { $out: 'posts_copy' }])
      .toArray();
    if (ctx().handle.inMemory) {
      const error = await serverError(out, 238);
      expect(error.message).to.match(/\$out/);
      expect(await db.listCollections({ name: 'posts_copy' }).toArray()).to.deep.equal([]);
    } else {
      await out;
      expect(await db.collection('posts_copy').countDocuments()).to.equal(2);
    }
  });

  it('the aggregate command answers with a cursor and honours batchSize', async function () {
    const { db } = ctx();
    const reply = await db.command({
      aggregate: 'posts',
      pipeline: [{ $sort: { _id: 1 } }],
      cursor: { batchSize: 2 },
    });
    expect(reply.ok).to.equal(1);
    expect(reply.cursor.ns).to.equal(`${db.databaseName}.posts`);
    expect(reply.cursor.firstBatch.map((doc: { _id: number }) => doc._id)).to.deep.equal([1, 2]);
    expect(Long.fromValue(reply.cursor.id).isZero()).to.equal(false);
    const more = await db.command({ getMore: Long.fromValue(reply.cursor.id), collection: 'posts' });
    expect(more.cursor.nextBatch.map((doc: { _id: number }) => doc._id)).to.deep.equal([3, 4, 5]);
    await serverError(db.command({ aggregate: 'posts', pipeline: [] }), 9);
  });
});
