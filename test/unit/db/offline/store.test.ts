// The offline lane's query planning: `_id` equality reads the primary map and complete indexes
// are read by their bounds instead of scanning the collection (the candidates are what the
// filter is then tested against).
import { expect } from 'chai';
import { ObjectId } from 'bson';
import { validateIndexSpec } from '../../../../src/db/offline/indexes.js';
import { planQuery, readPlan } from '../../../../src/db/offline/planner.js';
import { Collection } from '../../../../src/db/offline/store.js';

describe('offline lane: candidates for a filter', function () {
  const size = 5_000;
  let creators: Collection;
  const ids: ObjectId[] = [];

  before(function () {
    creators = new Collection('test', 'creators');
    creators.addIndex(validateIndexSpec({ key: { slug: 1 }, name: 'slug_1', unique: true }));
    creators.addIndex(validateIndexSpec({ key: { street: 1, followers: -1 }, name: 'street_followers' }));
    creators.addIndex(validateIndexSpec({ key: { nickname: 1 }, name: 'nickname_1', sparse: true }));
    for (let i = 0; i < size; i++) {
      const _id = new ObjectId();
      ids.push(_id);
      creators.insert({
        _id,
        slug: `creator-${i}`,
        street: i % 2 ? 'kengzi' : 'pingshan',
        followers: i,
        tags: [`t${i % 7}`],
      });
    }
  });

  const count = (filter: Record<string, unknown>): number =>
    [...readPlan(creators, planQuery(creators, filter))].length;

  it('reads one document for an _id, an _id $eq and each distinct _id of an $in', function () {
    expect(count({ _id: ids[42] })).to.equal(1);
    expect(count({ _id: { $eq: ids[42] } })).to.equal(1);
    expect(count({ _id: { $in: [ids[1], ids[2], ids[1]] } })).to.equal(2);
    expect(count({ _id: new ObjectId() })).to.equal(0);
  });

  it('reads the unique index for an equality on its field', function () {
    expect(count({ slug: 'creator-4999', followers: { $gt: 0 } })).to.equal(1);
    expect(count({ slug: 'nobody' })).to.equal(0);
  });

  it('reads a compound index by its pinned prefix and a range on the next field', function () {
    expect(count({ street: 'kengzi', followers: 7 })).to.equal(1);
    expect(count({ street: 'kengzi' })).to.equal(size / 2);
    expect(count({ street: 'kengzi', followers: { $gte: 10, $lt: 20 } })).to.equal(5);
    expect(count({ street: 'kengzi', followers: { $gt: 4990 } })).to.equal(5);
  });

  it('scans when nothing is indexed, or the index is sparse (it may lack documents)', function () {
    expect(count({ followers: 7 })).to.equal(size);
    expect(count({ nickname: null })).to.equal(size);
  });

  it('refuses a duplicate on the unique index and leaves the collection unchanged', function () {
    expect(() => creators.insert({ slug: 'creator-1' })).to.throw(
      /E11000 duplicate key error collection: test.creators index: slug_1/,
    );
    expect(creators.docs.size).to.equal(size);
  });
});
