// Reads through ordered indexes answer exactly what a collection scan answers (property-style,
// over random documents with arrays, missing fields, nulls and mixed types): ranges, compound
// prefixes, sorts with skip and limit, `$in` ahead of a sorted field (merged), `_id` ranges and
// sorts, `$or` of indexed branches, counts and collated sorts. The scan is forced with
// `hint: {$natural: 1}`, so the file runs unchanged on a real mongod.
import { expect } from 'chai';
import type { Collection, Document, Filter, Sort } from 'mongodb';
import { useDriver } from './driver-harness.js';
import { random } from '../../support/random.js';

const STREETS = ['kengzi', 'pingshan', 'maluan', 'longtian'];
const NAMES = ['apple', 'Apple', 'banana', 'Banana', 'cherry', 'ÄPFEL', 'date', 'Date', 'éclair'];

describe('driver conformance: reads through ordered indexes equal a collection scan', function () {
  const ctx = useDriver();
  const rand = random(20_261_202);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  let creators: Collection;

  before(async function () {
    this.timeout(30_000);
    creators = ctx().fresh('ordered');
    const followers = Array.from({ length: 400 }, (_, i) => i * 3).sort(() => rand() - 0.5);
    const docs: Document[] = followers.map((count, i) => {
      const doc: Document = { _id: i, name: pick(NAMES) };
      const street = rand();
      if (street < 0.9) doc.street = pick(STREETS);
      else if (street < 0.95) doc.street = null;
      // unique where present, so every sort on it is a total order (missing ones tie as null)
      const kind = rand();
      if (kind < 0.85) doc.followers = count;
      else if (kind < 0.9) doc.followers = `s${count}`;
      else if (kind < 0.93) doc.followers = new Date(Date.UTC(2024, 0, 1) + count * 60_000);
      const tags = rand();
      if (tags < 0.6)
        doc.tags = Array.from({ length: Math.floor(rand() * 4) }, () => Math.floor(rand() * 20));
      else if (tags < 0.8) doc.tags = Math.floor(rand() * 20);
      if (rand() < 0.5) doc.kids = [{ n: Math.floor(rand() * 50) }, { n: Math.floor(rand() * 50) }];
      return doc;
    });
    await creators.insertMany(docs);
    await creators.createIndex({ street: 1, followers: -1 });
    await creators.createIndex({ followers: 1 });
    await creators.createIndex({ tags: 1 });
    await creators.createIndex({ 'kids.n': 1 });
    await creators.createIndex({ name: 1 }, { collation: { locale: 'en', strength: 2 }, name: 'name_ci' });
  });

  /** A range; half the time its ends fall on stored values (multiples of 3), to test exclusivity. */
  const range = (from: number, span: number): Document => {
    const low = rand() < 0.5 ? from - (from % 3) : from;
    const width = rand() < 0.5 ? span - (span % 3) : span;
    const which = Math.floor(rand() * 4);
    if (which === 0) return { $gte: low };
    if (which === 1) return { $lt: low + width };
    if (which === 2) return { $gt: low, $lte: low + width };
    return { $gte: low, $lt: low + width };
  };

  function randomQuery(): { filter: Filter<Document>; sort?: Sort } {
    const filter: Document = {};
    if (rand() < 0.6) filter.street = rand() < 0.8 ? pick(STREETS) : { $in: [pick(STREETS), pick(STREETS)] };
    if (rand() < 0.6) filter.followers = range(Math.floor(rand() * 1200), Math.floor(rand() * 600));
    if (rand() < 0.25)
      filter.tags = rand() < 0.5 ? Math.floor(rand() * 20) : range(Math.floor(rand() * 20), 5);
    if (rand() < 0.15) filter['kids.n'] = range(Math.floor(rand() * 50), 10);
    // _id ranges (the ordered _id index) and $or branches each served by an index.
    if (rand() < 0.2) filter._id = range(Math.floor(rand() * 400), Math.floor(rand() * 200));
    if (rand() < 0.2)
      filter.$or = [
        { followers: range(Math.floor(rand() * 1200), Math.floor(rand() * 300)) },
        { tags: Math.floor(rand() * 20) },
        { _id: { $in: [Math.floor(rand() * 400), Math.floor(rand() * 400)] } },
      ].slice(0, 1 + Math.floor(rand() * 3));
    const sorts: (Sort | undefined)[] = [
      undefined,
      { followers: 1 },
      { followers: -1 },
      { street: 1, followers: -1 },
      { street: -1, followers: 1 },
      { _id: 1 },
      { _id: -1 },
    ];
    const sort = pick(sorts);
    return sort ? { filter, sort } : { filter };
  }

  /** The sort keys of a result, field by field (a missing field reads as null). */
  const keysOf = (docs: Document[], sort: Sort | undefined): unknown[] =>
    docs.map((doc): unknown[] => Object.keys(sort ?? {}).map((field): unknown => doc[field] ?? null));
  const ids = (docs: Document[]): unknown[] => docs.map((doc) => doc._id as unknown);

  it('find with random filters, sorts, skips and limits', async function () {
    this.timeout(60_000);
    for (let round = 0; round < 150; round++) {
      const { filter, sort } = randomQuery();
      const skip = rand() < 0.3 ? Math.floor(rand() * 10) : 0;
      const limit = rand() < 0.7 ? 1 + Math.floor(rand() * 15) : 0;
      const scanAll = await creators
        .find(filter, { hint: { $natural: 1 }, ...(sort ? { sort } : {}) })
        .toArray();
      const viaIndex = await creators.find(filter, { skip, limit, ...(sort ? { sort } : {}) }).toArray();
      const expected = scanAll.slice(skip, limit ? skip + limit : undefined);
      const context = JSON.stringify({ round, filter, sort, skip, limit });
      expect(viaIndex.length, context).to.equal(expected.length);
      if (sort) expect(keysOf(viaIndex, sort), context).to.deep.equal(keysOf(expected, sort));
      const all = new Set(ids(scanAll));
      for (const id of ids(viaIndex)) expect(all.has(id), context).to.equal(true);
      if (!limit && !skip) expect(new Set(ids(viaIndex)), context).to.deep.equal(all);
    }
  });

  it('counts with random filters, with and without skip and limit', async function () {
    this.timeout(60_000);
    for (let round = 0; round < 150; round++) {
      // Half of them only what an index bounds exactly (the count can then read the index alone).
      const filter: Filter<Document> =
        round % 2
          ? randomQuery().filter
          : {
              ...(rand() < 0.7 ? { street: pick(STREETS) } : {}),
              followers: range(Math.floor(rand() * 1200), Math.floor(rand() * 600)),
            };
      const skip = rand() < 0.3 ? Math.floor(rand() * 10) : 0;
      const limit = rand() < 0.3 ? 1 + Math.floor(rand() * 30) : 0;
      const options = { ...(skip ? { skip } : {}), ...(limit ? { limit } : {}) };
      const scanned = await creators.countDocuments(filter, { ...options, hint: { $natural: 1 } });
      expect(await creators.countDocuments(filter, options), JSON.stringify(filter)).to.equal(scanned);
    }
  });

  it('aggregate with a leading $match, $sort and $limit', async function () {
    this.timeout(60_000);
    for (let round = 0; round < 40; round++) {
      const { filter, sort } = randomQuery();
      const order = (sort ?? { followers: 1 }) as Document;
      const pipeline = [{ $match: filter }, { $sort: order }, { $limit: 7 }];
      const scanned = await creators.aggregate(pipeline, { hint: { $natural: 1 } }).toArray();
      const viaIndex = await creators.aggregate(pipeline).toArray();
      expect(keysOf(viaIndex, order), JSON.stringify(pipeline)).to.deep.equal(keysOf(scanned, order));
    }
  });

  it('a collated index serves a collated range and sort (strength 2: case-insensitive)', async function () {
    const collation = { locale: 'en', strength: 2 };
    for (const filter of [
      {},
      { name: 'apple' },
      { name: { $gte: 'b', $lt: 'D' } },
      { name: { $gt: 'Cherry' } },
    ]) {
      for (const direction of [1, -1] as const) {
        const sort: Sort = { name: direction };
        const scanned = await creators.find(filter, { collation, sort, hint: { $natural: 1 } }).toArray();
        const viaIndex = await creators.find(filter, { collation, sort, limit: 500 }).toArray();
        const lower = (docs: Document[]): string[] => docs.map((doc) => String(doc.name).toLowerCase());
        expect(lower(viaIndex), JSON.stringify(filter)).to.deep.equal(lower(scanned));
        expect(viaIndex.length).to.equal(scanned.length);
      }
    }
    expect(await creators.countDocuments({ name: 'APPLE' }, { collation })).to.equal(
      await creators.countDocuments({ name: { $in: ['apple', 'Apple'] } }),
    );
  });

  // Runs last: it rewrites the documents the tests above read. The lane keeps an index's entries
  // when a write leaves its fields alone (store.ts), so the reads must still see every change.
  it('after random updates, some leaving every indexed field alone, reads through the indexes still equal a scan', async function () {
    this.timeout(60_000);
    for (let round = 0; round < 300; round++) {
      const byId = { _id: Math.floor(rand() * 400) } as unknown as Filter<Document>;
      const which = rand();
      if (which < 0.35) await creators.updateOne(byId, { $set: { note: `n${round}` } });
      else if (which < 0.5) await creators.updateOne(byId, { $set: { followers: 2000 + round * 3 } });
      else if (which < 0.6) await creators.updateOne(byId, { $set: { street: pick(STREETS) } });
      else if (which < 0.7) await creators.updateOne(byId, { $unset: { street: '' } });
      else if (which < 0.8)
        await creators.updateOne(byId, {
          $set: { tags: [Math.floor(rand() * 20), Math.floor(rand() * 20)] },
        });
      else if (which < 0.9) await creators.updateOne(byId, { $set: { name: pick(NAMES) } });
      else {
        const current = await creators.findOne(byId);
        if (current) await creators.replaceOne(byId, { ...current, note: 'replaced' });
      }
    }
    for (let round = 0; round < 100; round++) {
      const { filter, sort } = randomQuery();
      const scanned = await creators
        .find(filter, { hint: { $natural: 1 }, ...(sort ? { sort } : {}) })
        .toArray();
      const viaIndex = await creators.find(filter, sort ? { sort } : {}).toArray();
      const context = JSON.stringify({ round, filter, sort });
      if (sort) expect(keysOf(viaIndex, sort), context).to.deep.equal(keysOf(scanned, sort));
      expect(new Set(ids(viaIndex)), context).to.deep.equal(new Set(ids(scanned)));
      const byId = new Map(scanned.map((doc) => [doc._id as unknown, doc]));
      for (const doc of viaIndex) expect(doc, context).to.deep.equal(byId.get(doc._id));
      expect(await creators.countDocuments(filter), context).to.equal(scanned.length);
    }
    const covered = await creators
      .find({ followers: { $gte: 2000 } }, { projection: { _id: 0, followers: 1 }, sort: { followers: 1 } })
      .toArray();
    const scannedFollowers = await creators
      .find({ followers: { $gte: 2000 } }, { hint: { $natural: 1 }, sort: { followers: 1 } })
      .toArray();
    expect(covered).to.deep.equal(scannedFollowers.map((doc) => ({ followers: doc.followers as number })));
  });
});
