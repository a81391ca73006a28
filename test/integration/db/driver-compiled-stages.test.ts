// The stages the offline lane runs over compiled expressions ($group accumulators, $unwind with
// its options, $project and $addFields with computed fields, the pool's facet counts in a
// $facet), through the official driver, asserting what a standalone mongod 7.0 answers (and its
// error codes where an expression fails on a document). Runs unchanged on every lane.
import { expect } from 'chai';
import { type Document, ObjectId } from 'mongodb';
import { serverError, useDriver } from './driver-harness.js';

describe('driver conformance: compiled aggregation stages', function () {
  const ctx = useDriver();
  const ids = [new ObjectId(), new ObjectId(), new ObjectId(), new ObjectId()];

  async function seeded(): Promise<ReturnType<ReturnType<typeof ctx>['fresh']>> {
    const coll = ctx().fresh('compiled');
    await coll.insertMany([
      { _id: ids[0], g: 'a', n: 1, s: '坪山之眼', tags: ['x', 'y'], at: new Date('2026-01-02T00:00:00Z') },
      { _id: ids[1], g: 'a', n: 3, s: 'pingshan', tags: [], at: new Date('2026-03-01T00:00:00Z') },
      { _id: ids[2], g: 'b', n: 'many', s: 'psz', tags: 'solo', at: null },
      { _id: ids[3], g: 'b', s: 'IN坪山', tags: null },
    ]);
    return coll;
  }

  it('$group: each accumulator, by a field and by a computed document', async function () {
    const coll = await seeded();
    const rows = await coll
      .aggregate([
        { $sort: { _id: 1 } },
        {
          $group: {
            _id: '$g',
            count: { $count: {} },
            ones: { $sum: 1 },
            total: { $sum: '$n' },
            average: { $avg: '$n' },
            most: { $max: '$n' },
            least: { $min: '$at' },
            first: { $first: '$s' },
            last: { $last: '$n' },
            names: { $push: '$s' },
            groups: { $addToSet: '$g' },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(rows).to.deep.equal([
      {
        _id: 'a',
        count: 2,
        ones: 2,
        total: 4,
        average: 2,
        most: 3,
        least: new Date('2026-01-02T00:00:00Z'),
        first: '坪山之眼',
        last: 3,
        names: ['坪山之眼', 'pingshan'],
        groups: ['a'],
      },
      // a string is above every number in BSON order; $min skips null and missing; $last of a missing field is null
      {
        _id: 'b',
        count: 2,
        ones: 2,
        total: 0,
        average: null,
        most: 'many',
        least: null,
        first: 'psz',
        last: null,
        names: ['psz', 'IN坪山'],
        groups: ['b'],
      },
    ]);
    const byDoc = await coll
      .aggregate([
        {
          $group: {
            _id: { kind: { $cond: [{ $isArray: '$tags' }, 'list', 'other'] }, big: { $gte: ['$n', 2] } },
            n: { $sum: 1 },
          },
        },
      ])
      .toArray();
    const counted = Object.fromEntries(
      byDoc.map((row: Document) => [JSON.stringify(row._id), row.n as number]),
    );
    expect(counted).to.deep.equal({
      '{"kind":"list","big":false}': 1,
      '{"kind":"list","big":true}': 1,
      '{"kind":"other","big":true}': 1,
      '{"kind":"other","big":false}': 1,
    });
  });

  it('$unwind: a string path, includeArrayIndex and preserveNullAndEmptyArrays', async function () {
    const coll = await seeded();
    const plain = await coll
      .aggregate([{ $sort: { _id: 1 } }, { $unwind: '$tags' }, { $project: { _id: 0, s: 1, tags: 1 } }])
      .toArray();
    expect(plain).to.deep.equal([
      { s: '坪山之眼', tags: 'x' },
      { s: '坪山之眼', tags: 'y' },
      { s: 'psz', tags: 'solo' }, // a value that is not an array is kept as it is
    ]);
    const options = await coll
      .aggregate([
        { $sort: { _id: 1 } },
        { $unwind: { path: '$tags', includeArrayIndex: 'i', preserveNullAndEmptyArrays: true } },
        { $project: { _id: 0, s: 1, tags: 1, i: 1 } },
      ])
      .toArray();
    expect(options).to.deep.equal([
      { s: '坪山之眼', tags: 'x', i: 0 },
      { s: '坪山之眼', tags: 'y', i: 1 },
      { s: 'pingshan', i: null }, // the empty array: the field is gone
      { s: 'psz', tags: 'solo', i: null },
      { s: 'IN坪山', tags: null, i: null },
    ]);
    // The stored documents are as they were.
    expect(
      await coll.find({}, { sort: { _id: 1 }, projection: { _id: 0, tags: 1 } }).toArray(),
    ).to.deep.equal([{ tags: ['x', 'y'] }, { tags: [] }, { tags: 'solo' }, { tags: null }]);
  });

  it('$project and $addFields with computed fields', async function () {
    const coll = await seeded();
    const rows = await coll
      .aggregate([
        { $sort: { _id: 1 } },
        {
          $addFields: {
            rank: {
              $max: [
                1,
                {
                  $cond: [
                    { $eq: ['$s', { $literal: 'pingshan' }] },
                    4,
                    { $cond: [{ $eq: [{ $indexOfBytes: ['$s', '坪山'] }, 0] }, 3, 0] },
                  ],
                },
              ],
            },
          },
        },
        {
          $project: {
            s: 1,
            rank: 1,
            size: { $cond: [{ $isArray: '$tags' }, { $size: '$tags' }, -1] },
            kept: {
              $filter: {
                input: { $cond: [{ $isArray: '$tags' }, '$tags', []] },
                as: 't',
                cond: { $ne: ['$$t', 'x'] },
              },
            },
            pairs: {
              $map: {
                input: { $cond: [{ $isArray: '$tags' }, '$tags', []] },
                in: { tag: '$$this', g: '$g' },
              },
            },
            band: {
              $switch: {
                branches: [
                  { case: { $eq: [{ $ifNull: ['$n', null] }, null] }, then: 'none' },
                  { case: { $lt: ['$n', 2] }, then: 'low' },
                ],
                default: 'high',
              },
            },
            // (the order of a $setUnion is unspecified on mongod: its size is asserted)
            both: { $size: { $setUnion: [{ $cond: [{ $isArray: '$tags' }, '$tags', []] }, ['y', 'z']] } },
            first: {
              $arrayElemAt: [
                {
                  $concatArrays: [
                    { $ifNull: [{ $cond: [{ $isArray: '$tags' }, '$tags', null] }, []] },
                    ['-'],
                  ],
                },
                0,
              ],
            },
          },
        },
      ])
      .toArray();
    expect(rows).to.deep.equal([
      {
        _id: ids[0],
        s: '坪山之眼',
        rank: 3,
        size: 2,
        kept: ['y'],
        pairs: [
          { tag: 'x', g: 'a' },
          { tag: 'y', g: 'a' },
        ],
        band: 'low',
        both: 3,
        first: 'x',
      },
      {
        _id: ids[1],
        s: 'pingshan',
        rank: 4,
        size: 0,
        kept: [],
        pairs: [],
        band: 'high',
        both: 2,
        first: '-',
      },
      { _id: ids[2], s: 'psz', rank: 1, size: -1, kept: [], pairs: [], band: 'high', both: 2, first: '-' },
      { _id: ids[3], s: 'IN坪山', rank: 1, size: -1, kept: [], pairs: [], band: 'none', both: 2, first: '-' },
    ]);
  });

  it('the pool’s facet counts: $project of tags, $unwind, $group by {facet, value}, inside $facet', async function () {
    const coll = await seeded();
    const [result] = await coll
      .aggregate([
        {
          $facet: {
            total: [{ $count: 'n' }],
            counts: [
              {
                $project: {
                  _id: 0,
                  tags: {
                    $concatArrays: [
                      {
                        $map: {
                          input: {
                            $cond: [
                              { $isArray: ['$tags'] },
                              '$tags',
                              { $cond: [{ $eq: [{ $ifNull: ['$tags', null] }, null] }, [], ['$tags']] },
                            ],
                          },
                          as: 'value',
                          in: { facet: 'tag', value: '$$value' },
                        },
                      },
                      { $map: { input: ['$g'], as: 'value', in: { facet: 'group', value: '$$value' } } },
                    ],
                  },
                },
              },
              { $unwind: '$tags' },
              { $group: { _id: '$tags', n: { $sum: 1 } } },
            ],
          },
        },
      ])
      .toArray();
    expect(result?.total).to.deep.equal([{ n: 4 }]);
    const counts = Object.fromEntries(
      (result?.counts as { _id: { facet: string; value: string }; n: number }[]).map((row) => [
        `${row._id.facet}:${row._id.value}`,
        row.n,
      ]),
    );
    expect(counts).to.deep.equal({ 'tag:x': 1, 'tag:y': 1, 'tag:solo': 1, 'group:a': 2, 'group:b': 2 });
  });

  it('an expression that fails on a document fails as on mongod (40066, 17124)', async function () {
    const coll = await seeded();
    await serverError(
      coll
        .aggregate([
          { $addFields: { band: { $switch: { branches: [{ case: { $eq: ['$g', 'a'] }, then: 1 }] } } } },
        ])
        .toArray(),
      40066,
    );
    await serverError(coll.aggregate([{ $project: { size: { $size: '$tags' } } }]).toArray(), 17124);
    await serverError(
      coll.aggregate([{ $group: { _id: null, n: { $sum: { $size: '$tags' } } } }]).toArray(),
      17124,
    );
  });
});
