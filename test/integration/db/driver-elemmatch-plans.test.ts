// `{field: {$elemMatch: {$gte: a, $lt: b}}}` on a multikey index is bounded at both ends (mongod
// intersects the bounds of one element's range; a plain range on an array keeps one end only):
// the pool's substring search reads its candidates this way, a prefix range over each creator's
// stored suffixes. Answers equal a forced collection scan's (random string arrays, scalars,
// missing fields, `$or` branches), and explain shows the IXSCAN reading only keys in the range.
// The scan is forced with `hint: {$natural: 1}`, so the file runs unchanged on a real mongod.
import { expect } from 'chai';
import type { Collection, Document } from 'mongodb';
import { useDriver } from './driver-harness.js';
import { random } from '../../support/random.js';

const LETTERS = ['a', 'b', 'c', 'p', 's', 'z', '坪', '山', '眼'];

describe('driver conformance: $elemMatch ranges bound a multikey index at both ends', function () {
  const ctx = useDriver();
  const rand = random(20_261_202);
  const word = () =>
    Array.from(
      { length: 1 + Math.floor(rand() * 4) },
      () => LETTERS[Math.floor(rand() * LETTERS.length)],
    ).join('');
  let docs: Collection;

  before(async function () {
    this.timeout(30_000);
    docs = ctx().fresh('elemmatch_plans');
    const stored: Document[] = Array.from({ length: 500 }, (_, i): Document => {
      const doc: Document = { _id: i };
      const shape = rand();
      if (shape < 0.8) doc.keys = Array.from({ length: Math.floor(rand() * 5) }, word);
      else if (shape < 0.9) doc.keys = word(); // a scalar: in the index, never an $elemMatch match
      return doc;
    });
    await docs.insertMany(stored);
    await docs.createIndex({ keys: 1 });
  });

  const ids = (found: Document[]) => found.map((doc) => doc._id as number).sort((a, b) => a - b);

  it('answers what a collection scan answers', async function () {
    for (let round = 0; round < 60; round++) {
      const low = word();
      const high = rand() < 0.5 ? `${low}\u{10FFFF}` : word();
      const range = { $elemMatch: { $gte: low, $lt: high } };
      const filter = rand() < 0.3 ? { $or: [{ keys: range }, { keys: '' }] } : { keys: range };
      const planned = await docs.find(filter).toArray();
      const scanned = await docs.find(filter, { hint: { $natural: 1 } }).toArray();
      expect(ids(planned), JSON.stringify(filter)).to.deep.equal(ids(scanned));
    }
  });

  it('reads only the keys within both bounds', async function () {
    const filter = { keys: { $elemMatch: { $gte: 'pa', $lt: 'pb' } } };
    const matches = (await docs.find(filter, { hint: { $natural: 1 } }).toArray()).length;
    const inRange = (await docs.find({ keys: { $gte: 'pa' } }, { hint: { $natural: 1 } }).toArray()).length;
    const explained = await docs.find(filter).explain('executionStats');
    const plan = JSON.stringify(explained.queryPlanner.winningPlan);
    expect(plan).to.contain('IXSCAN');
    const stats = explained.executionStats as { totalKeysExamined: number; nReturned: number };
    expect(stats.nReturned).to.equal(matches);
    // A one-sided range would read every key from 'pa' on; both bounds read far fewer.
    expect(stats.totalKeysExamined).to.be.below(inRange);
    expect(stats.totalKeysExamined).to.be.at.most(matches * 5);
  });
});
