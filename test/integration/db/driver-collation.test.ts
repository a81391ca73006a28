// Collations, as the MongoDB manual describes them on a mongod 7.0: per operation (find,
// aggregate, update, delete, distinct, count, findAndModify), as a collection's default, on an
// index (unique ones included), `{locale: 'simple'}` for binary comparison, and ICU locales
// (Chinese in pinyin order). Runs unchanged on every lane.
import { expect } from 'chai';
import type { CollationOptions, Document } from 'mongodb';
import { serverError, useDriver } from './driver-harness.js';

const caseInsensitive = { locale: 'en', strength: 2 };
const names = (docs: Document[]): unknown[] => docs.map((doc) => doc.name as unknown);

describe('driver conformance: collation', function () {
  const ctx = useDriver();

  async function people() {
    const collection = ctx().fresh();
    await collection.insertMany([
      { _id: 1, name: 'a' },
      { _id: 2, name: 'A' },
      { _id: 3, name: 'á' },
      { _id: 4, name: 'b' },
      { _id: 5, name: ['X', 'c'] },
    ] as never[]);
    return collection;
  }

  it('find matches and sorts with the collation: equality, $in, $ne, ranges, $all', async function () {
    const collection = await people();
    const ids = async (filter: object, collation: CollationOptions) =>
      (await collection.find(filter, { collation }).sort({ _id: 1 }).toArray()).map((d) => d._id as unknown);
    expect(await ids({ name: 'a' }, { locale: 'en_US', strength: 1 })).to.deep.equal([1, 2, 3]);
    expect(await ids({ name: 'a' }, caseInsensitive)).to.deep.equal([1, 2]);
    expect(await ids({ name: 'x' }, caseInsensitive)).to.deep.equal([5]);
    expect(await ids({ name: { $in: ['B', 'zz'] } }, caseInsensitive)).to.deep.equal([4]);
    expect(await ids({ name: { $ne: 'a' } }, caseInsensitive)).to.deep.equal([3, 4, 5]);
    expect(await ids({ name: { $nin: ['a', 'b'] } }, caseInsensitive)).to.deep.equal([3, 5]);
    expect(await ids({ name: { $all: ['x', 'C'] } }, caseInsensitive)).to.deep.equal([5]);
    // In ICU order every a comes before b, whatever its case or accent.
    expect(await ids({ name: { $lt: 'b' } }, { locale: 'en' })).to.deep.equal([1, 2, 3]);
    // Binary comparison: 'A' (0x41) < 'B' < 'a'.
    expect(await ids({ name: { $lt: 'B' } }, { locale: 'simple' })).to.deep.equal([2]);
    const sorted = await collection
      .find({ _id: { $lte: 4 } } as never, { collation: { locale: 'en', caseFirst: 'upper' } })
      .sort({ name: 1 })
      .toArray();
    expect(names(sorted)).to.deep.equal(['A', 'a', 'á', 'b']);
  });

  it('aggregate: $match, $group and $sort follow the collation', async function () {
    const collection = await people();
    const groups = await collection
      .aggregate(
        [
          { $match: { name: { $in: ['a', 'b'] } } },
          { $group: { _id: '$name', n: { $sum: 1 } } },
          { $sort: { _id: 1 } },
        ],
        { collation: caseInsensitive },
      )
      .toArray();
    expect(groups.map((g) => [String(g._id).toLowerCase(), g.n as number])).to.deep.equal([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('count, distinct, update, delete and findAndModify match with the collation', async function () {
    const collection = await people();
    expect(await collection.countDocuments({ name: 'A' }, { collation: caseInsensitive })).to.equal(2);
    const distinct = await collection.distinct('name', { _id: { $lte: 4 } } as never, {
      collation: caseInsensitive,
    });
    expect(distinct.map((value) => String(value).toLowerCase())).to.deep.equal(['a', 'á', 'b']);
    const updated = await collection.updateMany(
      { name: 'a' },
      { $set: { seen: true } },
      { collation: caseInsensitive },
    );
    expect(updated.modifiedCount).to.equal(2);
    const found = await collection.findOneAndUpdate(
      { name: 'B' },
      { $set: { seen: true } },
      { collation: caseInsensitive, returnDocument: 'after' },
    );
    expect(found).to.deep.equal({ _id: 4, name: 'b', seen: true });
    const deleted = await collection.deleteMany({ name: 'A' }, { collation: { locale: 'en', strength: 1 } });
    expect(deleted.deletedCount).to.equal(3);
    expect((await collection.find({}).sort({ _id: 1 }).toArray()).map((d) => d._id)).to.deep.equal([4, 5]);
  });

  it("a collection's default collation applies when an operation names none; 'simple' overrides it", async function () {
    const { db } = ctx();
    const name = `collated_${Date.now()}`;
    await db.createCollection(name, { collation: caseInsensitive });
    const collection = db.collection(name);
    await collection.insertMany([{ name: 'Ada' }, { name: 'ada' }, { name: 'Bo' }]);
    expect(await collection.countDocuments({ name: 'ADA' })).to.equal(2);
    expect(await collection.countDocuments({ name: 'ADA' }, { collation: { locale: 'simple' } })).to.equal(0);
    const [info] = await db.listCollections({ name }).toArray();
    const collation = (info as unknown as { options: { collation: { locale: string; strength: number } } })
      .options.collation;
    expect([collation.locale, collation.strength]).to.deep.equal(['en', 2]);
    await collection
      .createIndex({ name: 1 }, { unique: true, name: 'name_unique' })
      .catch((error: unknown) => error);
    const indexes = await collection.listIndexes().toArray();
    // The duplicate (Ada/ada) refuses a unique index that inherits the collation.
    expect(indexes.map((index) => index.name as string)).to.deep.equal(['_id_']);
    expect((indexes[0] as { collation?: { locale: string } }).collation?.locale).to.equal('en');
  });

  it('a unique index with a collation refuses values the collation holds equal (11000)', async function () {
    const collection = ctx().fresh();
    await collection.createIndex({ email: 1 }, { unique: true, collation: caseInsensitive });
    await collection.insertOne({ email: 'li@example.org' });
    const error = await serverError(collection.insertOne({ email: 'LI@example.org' }), 11000);
    expect(error.message).to.match(/E11000 duplicate key error/);
    await collection.insertOne({ email: 'lí@example.org' }); // strength 2 tells accents apart
    expect(await collection.countDocuments()).to.equal(2);
    const [, index] = await collection.listIndexes().toArray();
    expect((index as { collation?: { strength: number } }).collation?.strength).to.equal(2);
  });

  it('Chinese sorts in pinyin order with locale zh, and in code point order without', async function () {
    const collection = ctx().fresh();
    await collection.insertMany([{ name: '坪山之眼' }, { name: '李高兴' }, { name: '马峦山行者' }]);
    const inPinyin = await collection
      .find({}, { collation: { locale: 'zh' } })
      .sort({ name: 1 })
      .toArray();
    expect(names(inPinyin)).to.deep.equal(['李高兴', '马峦山行者', '坪山之眼']);
    const binary = await collection.find({}).sort({ name: 1 }).toArray();
    expect(names(binary)).to.deep.equal(['坪山之眼', '李高兴', '马峦山行者']);
  });

  it('numericOrdering compares digits as numbers', async function () {
    const collection = ctx().fresh();
    await collection.insertMany([{ name: 'LH-10' }, { name: 'LH-9' }, { name: 'LH-100' }]);
    const sorted = await collection
      .find({}, { collation: { locale: 'en', numericOrdering: true } })
      .sort({ name: 1 })
      .toArray();
    expect(names(sorted)).to.deep.equal(['LH-9', 'LH-10', 'LH-100']);
  });

  it('caseLevel keeps case apart at strength 1; alternate shifted ignores spaces and punctuation', async function () {
    const collection = ctx().fresh();
    await collection.insertMany([
      { _id: 1, name: 'a' },
      { _id: 2, name: 'A' },
      { _id: 3, name: 'á' },
      { _id: 4, name: 'a-b' },
      { _id: 5, name: 'ab' },
      { _id: 6, name: 'a b' },
    ] as never[]);
    const ids = async (filter: object, collation: CollationOptions) =>
      (await collection.find(filter, { collation }).sort({ _id: 1 }).toArray()).map((d) => d._id as unknown);
    expect(await ids({ name: 'a' }, { locale: 'en', strength: 1 })).to.deep.equal([1, 2, 3]);
    expect(await ids({ name: 'a' }, { locale: 'en', strength: 1, caseLevel: true })).to.deep.equal([1, 3]);
    expect(await ids({ name: 'ab' }, { locale: 'en', strength: 1 })).to.deep.equal([5]);
    expect(await ids({ name: 'ab' }, { locale: 'en', strength: 1, alternate: 'shifted' })).to.deep.equal([
      4, 5, 6,
    ]);
    expect(
      await collection.countDocuments(
        { name: 'AB' },
        { collation: { locale: 'en', strength: 2, alternate: 'shifted' } },
      ),
    ).to.equal(3);
  });

  it('refuses a collation without a locale or with an unknown field', async function () {
    const collection = ctx().fresh();
    await serverError(collection.find({}, { collation: { strength: 2 } as never }).toArray(), 40414);
    await serverError(
      collection.find({}, { collation: { locale: 'en', colour: 1 } as never }).toArray(),
      40415,
    );
  });
});
