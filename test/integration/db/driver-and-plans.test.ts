// A top-level `$and` (the resource pool wraps every filter in one: empty `{}` conjuncts, `$in`
// facets, a `$or` of text matches) is planned on its best indexed conjunct: finds, counts and
// aggregates answer exactly what a forced collection scan answers (property-style, with nested
// `$and`, a field met in two conjuncts and multikey arrays), and explain shows the IXSCAN. The
// scan is forced with `hint: {$natural: 1}`, so the file runs unchanged on a real mongod.
import { expect } from 'chai';
import type { Collection, Document } from 'mongodb';
import { useDriver } from './driver-harness.js';
import { random } from '../../support/random.js';

const STREETS = ['kengzi', 'pingshan', 'maluan', 'longtian', 'biling'];
const CATEGORIES = ['food', 'travel', 'tech', 'culture', 'sport', 'music'];

/** Every stage document in an explain answer's winning plan (classic and SBE shapes). */
function stages(node: unknown, out: Document[] = []): Document[] {
  if (Array.isArray(node)) for (const item of node) stages(item, out);
  else if (node && typeof node === 'object') {
    const doc = node as Document;
    if (typeof doc.stage === 'string') out.push(doc);
    for (const key of ['inputStage', 'inputStages', 'queryPlan', 'winningPlan', 'queryPlanner'])
      if (key in doc) stages(doc[key], out);
  }
  return out;
}
const winningStages = (explained: Document): string[] =>
  stages((explained.queryPlanner as Document | undefined)?.winningPlan).map((stage) => String(stage.stage));

describe('driver conformance: a top-level $and is planned on its indexed conjuncts', function () {
  const ctx = useDriver();
  const rand = random(20_261_203);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  let creators: Collection;

  before(async function () {
    this.timeout(30_000);
    creators = ctx().fresh('and_plans');
    const docs: Document[] = Array.from({ length: 600 }, (_, i): Document => {
      const doc: Document = { _id: i, name: `creator ${i % 97}`, followers: (i * 37) % 1000 };
      if (rand() < 0.95) doc.street = pick(STREETS);
      const many = Math.floor(rand() * 3);
      doc.categories = Array.from({ length: many }, () => pick(CATEGORIES));
      if (rand() < 0.7) doc.platforms = [pick(['douyin', 'bilibili', 'weibo'])];
      return doc;
    });
    await creators.insertMany(docs);
    await creators.createIndex({ street: 1, followers: -1 });
    await creators.createIndex({ categories: 1 });
    await creators.createIndex({ followers: 1 });
  });

  /** One random conjunct of the pool's kinds. */
  function conjunct(depth: number): Document {
    const which = Math.floor(rand() * 8);
    if (which === 0) return {};
    if (which === 1) return { street: { $in: [pick(STREETS), pick(STREETS)] } };
    if (which === 2) return { street: pick(STREETS) };
    if (which === 3) return { categories: { $in: [pick(CATEGORIES), pick(CATEGORIES)] } };
    if (which === 4) {
      const low = Math.floor(rand() * 1000);
      return { followers: { $gte: low, $lt: low + Math.floor(rand() * 400) } };
    }
    if (which === 5)
      return {
        $or: [
          { name: { $regex: `^creator ${Math.floor(rand() * 9)}` } },
          { platforms: pick(['douyin', 'bilibili']) },
        ],
      };
    if (which === 6 && depth < 2) return { $and: [conjunct(depth + 1), conjunct(depth + 1)] };
    return { platforms: { $in: ['weibo'] } };
  }

  function randomQuery(): { filter: Document; sort?: Document } {
    const filter: Document = { $and: Array.from({ length: 1 + Math.floor(rand() * 5) }, () => conjunct(0)) };
    if (rand() < 0.2) filter.street = pick(STREETS);
    const sort = pick<Document | undefined>([undefined, { followers: -1 }, { followers: 1 }, { _id: 1 }]);
    return sort ? { filter, sort } : { filter };
  }

  it('find, count and aggregate with random $and filters answer what a scan answers', async function () {
    this.timeout(60_000);
    for (let round = 0; round < 150; round++) {
      const { filter, sort } = randomQuery();
      const context = JSON.stringify({ round, filter, sort });
      const scanned = await creators
        .find(filter, { hint: { $natural: 1 }, ...(sort ? { sort } : {}) })
        .toArray();
      const viaIndex = await creators.find(filter, sort ? { sort } : {}).toArray();
      const ids = (docs: Document[]): unknown[] => docs.map((doc) => doc._id as unknown);
      if (sort && !('followers' in sort)) expect(ids(viaIndex), context).to.deep.equal(ids(scanned));
      else expect(new Set(ids(viaIndex)), context).to.deep.equal(new Set(ids(scanned)));
      if (sort && 'followers' in sort) {
        const figures = (docs: Document[]): unknown[] => docs.map((doc) => doc.followers as unknown);
        expect(figures(viaIndex), context).to.deep.equal(figures(scanned));
      }
      expect(await creators.countDocuments(filter), context).to.equal(scanned.length);
      const pipeline = [{ $match: filter }, { $sort: { followers: -1, _id: 1 } }, { $limit: 9 }];
      const aggregated = await creators.aggregate(pipeline).toArray();
      const aggregatedScan = await creators.aggregate(pipeline, { hint: { $natural: 1 } }).toArray();
      expect(ids(aggregated), context).to.deep.equal(ids(aggregatedScan));
    }
  });

  it("the pool's shape reads an index: IXSCAN, and fewer documents than the collection", async function () {
    const filter = {
      $and: [
        {},
        {},
        { street: { $in: ['kengzi', 'maluan'] } },
        { categories: { $in: ['food'] } },
        { $or: [{ name: { $regex: '^creator 1' } }, { platforms: 'douyin' }] },
      ],
    };
    const explained = await creators.find(filter).sort({ followers: -1 }).explain('executionStats');
    expect(winningStages(explained)).to.include('IXSCAN');
    expect(winningStages(explained)).not.to.include('COLLSCAN');
    const stats = explained.executionStats as Document;
    expect(stats.totalDocsExamined).to.be.below(600);
    expect(stats.nReturned).to.equal(
      (await creators.find(filter, { hint: { $natural: 1 } }).toArray()).length,
    );
  });

  it('an $and of nothing but an indexed range counts like the plain range', async function () {
    const explained = await creators
      .find({ $and: [{}, { followers: { $gte: 100, $lt: 200 } }] })
      .explain('executionStats');
    expect(winningStages(explained)).to.include('IXSCAN');
    const stats = explained.executionStats as Document;
    expect(stats.nReturned).to.equal(await creators.countDocuments({ followers: { $gte: 100, $lt: 200 } }));
    expect(stats.totalDocsExamined).to.equal(stats.nReturned);
  });
});
