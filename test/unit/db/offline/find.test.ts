// The offline lane's read paths that should not do more work than the answer needs: an unsorted
// limit stops testing documents once it has its matches, and a $lookup joining on fields with a
// pipeline keys the foreign collection once instead of testing every pair.
import { expect } from 'chai';
import { Collection } from '../../../../src/db/offline/store.js';
import { runPipeline } from '../../../../src/db/offline/pipeline.js';
import { compileFilter } from '../../../../src/db/offline/filter.js';
import { find, matching } from '../../../../src/db/offline/find.js';

describe('offline lane: reading no more than the answer needs', function () {
  const size = 2_000;
  let collection: Collection;

  before(function () {
    collection = new Collection('test', 'items');
    for (let i = 0; i < size; i++) collection.insert({ _id: i, even: i % 2 === 0 });
  });

  it('matching() with stopAfter tests documents only until it has that many matches', function () {
    const { query, filter } = compileFilter({ even: true });
    let tested = 0;
    const counting = {
      test: (doc: Record<string, unknown>): boolean => {
        tested++;
        return query.test(doc);
      },
    } as typeof query;
    const first = matching(collection, counting, filter, undefined, 3);
    expect(first.map((entry) => entry.doc._id)).to.deep.equal([0, 2, 4]);
    expect(tested).to.equal(5);
    tested = 0;
    expect(matching(collection, counting, filter)).to.have.lengthOf(size / 2);
    expect(tested).to.equal(size);
  });

  it('find with a limit and no sort answers the first matches; with a sort, the sorted ones', function () {
    const ids = (docs: Record<string, unknown>[]): unknown[] => docs.map((doc) => doc._id);
    expect(ids(find(collection, { even: false }, { skip: 1, limit: 2 }))).to.deep.equal([3, 5]);
    expect(ids(find(collection, { even: false }, { sort: { _id: -1 }, limit: 2 }))).to.deep.equal([
      1999, 1997,
    ]);
  });

  it('$lookup on localField/foreignField with a pipeline does not test every pair', function () {
    this.timeout(20_000);
    const foreign = Array.from({ length: 3_000 }, (_, i) => ({ _id: i, k: i % 1_000, v: i }));
    const local = Array.from({ length: 3_000 }, (_, i) => ({ _id: i, k: i % 1_000 }));
    let resolved = 0;
    const rows = runPipeline(
      local,
      [
        {
          $lookup: {
            from: 'foreign',
            localField: 'k',
            foreignField: 'k',
            let: { own: '$_id' },
            pipeline: [{ $project: { v: 1, own: '$$own' } }],
            as: 'joined',
          },
        },
      ],
      () => {
        resolved++;
        return foreign;
      },
    );
    // Pairwise this would be 9 million $expr evaluations (close to a minute, past the timeout);
    // keyed, the foreign collection is read once and each row finds its matches directly.
    expect(resolved).to.equal(1);
    expect(rows[5]!.joined).to.deep.equal([
      { _id: 5, v: 5, own: 5 },
      { _id: 1005, v: 1005, own: 5 },
      { _id: 2005, v: 2005, own: 5 },
    ]);
  });
});
