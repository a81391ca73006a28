// `let` variables ($$name in $expr and in pipelines) on every command that takes them, the
// answers mongod 7.0 gives to input it accepts or refuses, and update with `sort` (MongoDB 8.0
// only: this lane is a 7.0). Runs unchanged on every lane.
import { expect } from 'chai';
import { serverError, useDriver } from './driver-harness.js';

describe('driver conformance: let variables and 7.0 input', function () {
  const ctx = useDriver();

  async function scores() {
    const collection = ctx().fresh();
    await collection.insertMany([
      { _id: 1, score: 40 },
      { _id: 2, score: 70 },
      { _id: 3, score: 90 },
    ] as never[]);
    return collection;
  }
  const passed = { $expr: { $gte: ['$score', '$$pass'] } };
  const ids = (docs: { _id: unknown }[]): unknown[] => docs.map((doc) => doc._id);

  it('find and aggregate read $$name from let', async function () {
    const collection = await scores();
    expect(
      ids(
        await collection
          .find(passed, { let: { pass: 60 } })
          .sort({ _id: 1 })
          .toArray(),
      ),
    ).to.deep.equal([2, 3]);
    const aggregated = await collection
      .aggregate(
        [
          { $match: passed },
          { $project: { over: { $subtract: ['$score', '$$pass'] } } },
          { $sort: { _id: 1 } },
        ],
        {
          let: { pass: 60 },
        },
      )
      .toArray();
    expect(aggregated).to.deep.equal([
      { _id: 2, over: 10 },
      { _id: 3, over: 30 },
    ]);
  });

  it('update, delete and findAndModify read $$name from let, in filters and pipeline updates', async function () {
    const collection = await scores();
    const updated = await collection.updateMany(passed, [{ $set: { grade: '$$label' } }], {
      let: { pass: 60, label: 'pass' },
    });
    expect(updated.modifiedCount).to.equal(2);
    const found = await collection.findOneAndUpdate(
      { $expr: { $eq: ['$_id', '$$target'] } },
      { $set: { seen: true } },
      { let: { target: 1 }, returnDocument: 'after' },
    );
    expect(found).to.deep.equal({ _id: 1, score: 40, seen: true });
    const deleted = await collection.deleteMany(
      { $expr: { $lt: ['$score', '$$pass'] } },
      { let: { pass: 60 } },
    );
    expect(deleted.deletedCount).to.equal(1);
    expect(await collection.find({}).sort({ _id: 1 }).toArray()).to.deep.equal([
      { _id: 2, score: 70, grade: 'pass' },
      { _id: 3, score: 90, grade: 'pass' },
    ]);
  });

  it('bulk writes take let for every statement', async function () {
    const collection = await scores();
    const result = await collection.bulkWrite(
      [
        { updateMany: { filter: passed, update: { $set: { ok: true } } } },
        { deleteOne: { filter: { $expr: { $eq: ['$_id', '$$drop'] } } } },
      ],
      { let: { pass: 80, drop: 1 } },
    );
    expect([result.modifiedCount, result.deletedCount]).to.deep.equal([1, 1]);
    expect(ids(await collection.find({ ok: true }).toArray())).to.deep.equal([3]);
  });

  it('$text without a text index fails with 27 IndexNotFound', async function () {
    const collection = await scores();
    const error = await serverError(collection.find({ $text: { $search: '坪山' } }).toArray(), 27);
    expect(error.codeName).to.equal('IndexNotFound');
  });

  it('$elemMatch projections of operators only, and on a DBRef $id', async function () {
    const collection = ctx().fresh();
    await collection.insertOne({
      _id: 1,
      arr: [1, 2, 3],
      refs: [
        { $ref: 'people', $id: 7 },
        { $ref: 'people', $id: 8 },
      ],
    } as never);
    expect(await collection.findOne({}, { projection: { arr: { $elemMatch: { $gte: 2 } } } })).to.deep.equal({
      _id: 1,
      arr: [2],
    });
    const byRef = await collection.findOne({}, { projection: { refs: { $elemMatch: { $id: 8 } } } });
    expect((byRef?.refs as { oid: unknown }[]).map((ref) => ref.oid)).to.deep.equal([8]);
  });

  it('update and replace with sort are refused as mongod 7.0 refuses them (40415), changing nothing', async function () {
    const collection = await scores();
    await serverError(collection.updateOne({}, { $set: { top: true } }, { sort: { score: -1 } }), 40415);
    await serverError(collection.replaceOne({}, { score: 0 }, { sort: { score: -1 } }), 40415);
    expect(await collection.countDocuments({ top: true })).to.equal(0);
    expect(await collection.countDocuments({ score: 0 })).to.equal(0);
    // findAndModify has always taken a sort.
    const top = await collection.findOneAndUpdate({}, { $set: { top: true } }, { sort: { score: -1 } });
    expect(top?._id).to.equal(3);
  });

  it('$set of a top-level $-prefixed field: stored by an upsert that inserts (5.0+), refused (52) on an update', async function () {
    const expenses = ctx().fresh();
    const upserted = await expenses.updateOne(
      { date: '2021-07-07' },
      { $set: { phone: 25.17, $hotel: 320.1 } },
      { upsert: true },
    );
    expect(upserted.upsertedCount).to.equal(1);
    expect(await expenses.findOne({}, { projection: { _id: 0 } })).to.deep.equal({
      date: '2021-07-07',
      phone: 25.17,
      $hotel: 320.1,
    });
    // The same statement now matches the stored document: an update, which refuses the field.
    await serverError(
      expenses.updateOne({ date: '2021-07-07' }, { $set: { phone: 1, $hotel: 1 } }, { upsert: true }),
      52,
    );
    expect(await expenses.findOne({}, { projection: { _id: 0 } })).to.deep.equal({
      date: '2021-07-07',
      phone: 25.17,
      $hotel: 320.1,
    });
    // $setOnInsert takes one too when it inserts, and is skipped on an update.
    await expenses.updateOne({ date: '2021-07-08' }, { $setOnInsert: { $motel: 1 } }, { upsert: true });
    expect(await expenses.findOne({ date: '2021-07-08' }, { projection: { _id: 0 } })).to.deep.equal({
      date: '2021-07-08',
      $motel: 1,
    });
    const again = await expenses.updateOne(
      { date: '2021-07-08' },
      { $setOnInsert: { $motel: 2 }, $set: { seen: true } },
      { upsert: true },
    );
    expect(again.modifiedCount).to.equal(1);
    expect((await expenses.findOne({ date: '2021-07-08' }))?.$motel).to.equal(1);
  });
});
