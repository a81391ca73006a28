// Counts read from the index alone (the lane's COUNT_SCAN) answer exactly what a collection scan
// answers, over random documents with nulls, missing fields, arrays and a collated index, in the
// shapes the office dashboard sends: `{$and: [{}, {f: {$in: [v]}}]}`, a `$or` of one band
// (`{$eq: null}` or a date range on a dotted path), `$in` of several values on a multikey field,
// `_id: {$in}` alone and with another field, and `$in` values a collation holds equal. Writes
// between rounds change which index is the most selective. The scan is forced with
// `hint: {$natural: 1}`, so those checks run unchanged on a real mongod; the explain checks of
// which counts read no document are the offline lane's (a real mongod's choices may differ).
import { expect } from 'chai';
import type { Collection, Document } from 'mongodb';
import { useDriver } from './driver-harness.js';
import { random } from '../../support/random.js';

const offlineLane = !process.env.MONGODB_URI && (process.env.MONGO_LANE ?? 'offline') === 'offline';
const STREETS = ['kengzi', 'pingshan', 'maluan', 'longtian'];
const TAGS = ['food', 'travel', 'tech', 'news', 'music'];
const dayMs = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 11, 1);

/** Documents with numeric (or, once, string) `_id`s. */
type Creator = Document & { _id: number | string };

interface CountExplain {
  queryPlanner: { winningPlan: Document };
  executionStats: { totalDocsExamined: number; totalKeysExamined: number };
}

describe('driver conformance: counts from the index equal a collection scan', function () {
  const ctx = useDriver();
  const rand = random(20_261_203);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  let nextId = 0;

  /** A creator-like document: street, tags, a summary with a date that may be null or missing. */
  function creator(arrays: boolean): Creator {
    const doc: Creator = { _id: nextId++ };
    const street = rand();
    if (street < 0.85) doc.street = pick(STREETS);
    else if (street < 0.92) doc.street = null;
    if (rand() < 0.8) doc.tags = TAGS.filter(() => rand() < 0.35);
    const summary = rand();
    if (summary < 0.7) {
      const at = rand();
      doc.summary = {
        followers: Math.floor(rand() * 1000),
        ...(at < 0.8
          ? { at: new Date(NOW - Math.floor(rand() * 60) * dayMs) }
          : at < 0.9
            ? { at: null }
            : {}),
      };
    } else if (summary < 0.8) doc.summary = null;
    else if (summary < 0.85) doc.summary = 'none';
    // An array on the path makes a null equality on `summary.at` need the documents.
    if (arrays && rand() < 0.3) doc.summary = rand() < 0.5 ? [] : [{ at: null }, { followers: 3 }];
    return doc;
  }

  async function filled(name: string, arrays: boolean): Promise<Collection<Creator>> {
    const collection = ctx().fresh<Creator>(name);
    await collection.insertMany(Array.from({ length: 300 }, () => creator(arrays)));
    await collection.createIndex({ street: 1 });
    await collection.createIndex({ street: 1, 'summary.followers': -1 });
    await collection.createIndex({ tags: 1 });
    await collection.createIndex({ 'summary.at': 1 });
    await collection.createIndex({ street: 1, tags: 1 });
    return collection;
  }

  /** The dashboard's shapes, with random values. */
  function dashboardFilter(ids: number[]): Document {
    const since = (days: number) => new Date(NOW - days * dayMs);
    const shapes: (() => Document)[] = [
      () => ({ $and: [{}, { street: { $in: [pick(STREETS)] } }] }),
      () => ({ $and: [{ street: pick(STREETS) }, { tags: { $in: [pick(TAGS)] } }] }),
      () => ({ tags: { $in: [pick(TAGS), pick(TAGS)] } }),
      () => ({ $or: [{ 'summary.at': { $eq: null } }] }),
      () => ({ $and: [{ street: pick(STREETS) }, { $or: [{ 'summary.at': { $eq: null } }] }] }),
      () => ({ $or: [{ 'summary.at': { $gte: since(7) } }] }),
      () => ({ $or: [{ 'summary.at': { $gte: since(30), $lt: since(7) } }] }),
      () => ({ $and: [{}, { $or: [{ 'summary.at': { $lt: since(30) } }] }] }),
      () => ({ street: null }),
      () => ({ _id: { $in: ids.filter(() => rand() < 0.2) } }),
      () => ({ street: pick(STREETS), _id: { $in: ids.filter(() => rand() < 0.3) } }),
      () => ({ street: { $in: [pick(STREETS), pick(STREETS)] }, 'summary.followers': { $gte: 500 } }),
    ];
    return pick(shapes)();
  }

  async function expectScanCounts(collection: Collection<Creator>, rounds: number): Promise<void> {
    const ids = Array.from({ length: nextId + 20 }, (_, i) => i);
    for (let round = 0; round < rounds; round++) {
      const filter = dashboardFilter(ids);
      const scanned = await collection.countDocuments(filter, { hint: { $natural: 1 } });
      const context = JSON.stringify({ round, filter });
      expect(await collection.countDocuments(filter), context).to.equal(scanned);
      const counted = await ctx().db.command({ count: collection.collectionName, query: filter });
      expect(counted.n, context).to.equal(scanned);
    }
  }

  it('dashboard shapes, with and without arrays on the dotted path, through writes', async function () {
    this.timeout(120_000);
    for (const arrays of [false, true]) {
      const collection = await filled('counted', arrays);
      await expectScanCounts(collection, 80);
      // Writes that move documents between bands and streets and make one street dominant, so
      // the most selective index changes: every count still equals the scan.
      for (let batch = 0; batch < 3; batch++) {
        await collection.insertMany(
          Array.from({ length: 100 }, () => ({ ...creator(arrays), street: 'pingshan' })),
        );
        await collection.updateMany(
          { street: pick(STREETS) },
          { $set: { summary: { followers: 1, at: null } } },
        );
        await collection.updateMany({ tags: pick(TAGS) }, { $unset: { summary: '' } });
        await collection.deleteMany({ street: pick(STREETS), _id: { $lt: nextId / 2 } });
        await expectScanCounts(collection, 40);
      }
    }
  });

  it('$in values a collation holds equal are counted once', async function () {
    const collection = ctx().fresh('collated');
    await collection.insertMany(['Apple', 'apple', 'APPLE', 'pear', 'Pear'].map((name) => ({ name })));
    const collation = { locale: 'en', strength: 2 };
    await collection.createIndex({ name: 1 }, { collation });
    for (const names of [['apple', 'Apple'], ['apple', 'pear', 'PEAR'], ['APPLE']]) {
      const filter = { name: { $in: names } };
      const scanned = await collection.countDocuments(filter, { collation, hint: { $natural: 1 } });
      expect(await collection.countDocuments(filter, { collation }), names.join()).to.equal(scanned);
    }
    expect(await collection.countDocuments({ name: { $in: ['apple', 'Apple'] } }, { collation })).to.equal(3);
  });

  it('a $match then a $group summing one field equals the pipeline over a scan', async function () {
    this.timeout(60_000);
    const collection = await filled('summed', false);
    const sumOf = async (match: Document, path: string, hint?: Document): Promise<unknown> =>
      (
        await collection
          .aggregate([{ $match: match }, { $group: { _id: null, n: { $sum: path } } }], hint ? { hint } : {})
          .toArray()
      )[0] ?? 'no row';
    const matches: Document[] = [
      {},
      { street: 'pingshan' },
      { street: 'nowhere' },
      { $and: [{}, { street: { $in: ['kengzi'] } }] },
      { tags: 'food' },
    ];
    const paths = ['$summary.followers', '$summary.at', '$street', '$nothing'];
    const compare = async (): Promise<void> => {
      for (const match of matches)
        for (const path of paths) {
          const context = JSON.stringify({ match, path });
          expect(await sumOf(match, path), context).to.deep.equal(await sumOf(match, path, { $natural: 1 }));
        }
    };
    await compare();
    // Values the total cannot take as integers: a fraction, a string, a number past 2^53, an array.
    await collection.insertMany([
      { _id: 'array', street: 'longtian', summary: [{ followers: 4 }] },
      { _id: 'fraction', street: 'pingshan', summary: { followers: 2.5 } },
      { _id: 'text', street: 'kengzi', summary: { followers: '7' } },
      { _id: 'huge', street: 'maluan', summary: { followers: 2 ** 53 } },
    ]);
    await compare();
    expect(await sumOf({ _id: { $in: ['fraction', 'text'] } }, '$summary.followers')).to.deep.equal({
      _id: null,
      n: 2.5,
    });
    // An own __proto__ key is data: the path through it answers as the pipeline over a scan does.
    await collection.insertOne(JSON.parse('{"_id": "proto", "__proto__": {"n": 5}}') as Creator);
    const outcome = (hint?: Document): Promise<unknown> =>
      sumOf({}, '$__proto__.n', hint).catch((error: unknown) => `error ${String((error as Error).message)}`);
    expect(await outcome()).to.deep.equal(await outcome({ $natural: 1 }));
  });

  describe('which counts read no document (offline lane)', function () {
    before(function () {
      if (!offlineLane) this.skip();
    });

    async function explainCount(collection: Collection<Creator>, query: Document): Promise<CountExplain> {
      return (await ctx().db.command({
        explain: { count: collection.collectionName, query },
        verbosity: 'executionStats',
      })) as unknown as CountExplain;
    }

    const since = new Date(NOW - 7 * dayMs);
    const covered: Document[] = [
      { $and: [{}, { street: { $in: ['pingshan'] } }] },
      { tags: { $in: ['food'] } },
      // two values on a multikey field: each document counted once by its keys
      { tags: { $in: ['food', 'tech'] } },
      { $or: [{ 'summary.at': { $eq: null } }] },
      { $or: [{ 'summary.at': { $gte: since } }] },
      { street: null },
    ];

    it('a COUNT_SCAN for equality, $in, a lone $or band and null without arrays', async function () {
      const collection = await filled('explained', false);
      for (const query of covered) {
        const explained = await explainCount(collection, query);
        const plan = explained.queryPlanner.winningPlan;
        expect(plan.stage, JSON.stringify(query)).to.equal('COUNT');
        expect((plan.inputStage as Document).stage, JSON.stringify(query)).to.equal('COUNT_SCAN');
        expect(explained.executionStats.totalDocsExamined, JSON.stringify(query)).to.equal(0);
        const scanned = await collection.countDocuments(query, { hint: { $natural: 1 } });
        expect(explained.executionStats.totalKeysExamined).to.be.at.least(scanned);
      }
      const ids = await explainCount(collection, { _id: { $in: [1, 2, 3, 99_999] } });
      expect(ids.queryPlanner.winningPlan.inputStage).to.deep.equal({ stage: 'IDHACK' });
      expect(ids.executionStats.totalDocsExamined).to.equal(0);
    });

    it('reads the documents where the index alone cannot decide', async function () {
      const collection = await filled('undecided', false);
      // An empty array on the path is keyed as null but does not match {$eq: null}.
      await collection.insertOne({ _id: 'empty', street: 'pingshan', summary: [] });
      const query = { $or: [{ 'summary.at': { $eq: null } }] };
      const explained = await explainCount(collection, query);
      expect(explained.executionStats.totalDocsExamined).to.be.greaterThan(0);
      const scanned = await collection.countDocuments(query, { hint: { $natural: 1 } });
      expect(await collection.countDocuments(query)).to.equal(scanned);
      // A range with a field left to the filter, _id with another field.
      for (const other of [
        { street: 'pingshan', 'summary.at': { $gte: since }, tags: 'food' },
        { street: 'pingshan', _id: { $in: [1, 2, 3] } },
      ]) {
        const plan = (await explainCount(collection, other)).queryPlanner.winningPlan;
        expect((plan.inputStage as Document).stage, JSON.stringify(other)).to.not.equal('COUNT_SCAN');
      }
    });
  });
});
