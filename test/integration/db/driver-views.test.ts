// Read-only views and collMod, as mongod 7.0 answers them: a view runs its pipeline under every
// read (find, aggregate, count, countDocuments, distinct, $lookup), refuses every write with
// CommandNotSupportedOnView (166) and is listed with type "view"; collMod changes a view's
// pipeline and an index's expireAfterSeconds or hidden flag (a hidden index is left out of plans).
import { expect } from 'chai';
import type { Document } from 'mongodb';
import { serverError, useDriver } from './driver-harness.js';

/** Every stage name in an explain answer's winning plan (classic or SBE shape). */
function planStages(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) planStages(item, out);
  else if (node && typeof node === 'object') {
    const doc = node as Document;
    if (typeof doc.stage === 'string') out.push(doc.stage);
    for (const key of ['inputStage', 'inputStages', 'queryPlan', 'winningPlan', 'queryPlanner'])
      if (key in doc) planStages(doc[key], out);
  }
  return out;
}

interface Row {
  _id: number;
  name?: string;
  street?: string;
  followers?: number;
  tags?: string[];
}

describe('driver conformance: views and collMod', function () {
  const ctx = useDriver();

  async function creatorsWithView() {
    const { db } = ctx();
    const creators = ctx().fresh<Row>('creators');
    await creators.insertMany([
      { _id: 1, name: 'Li', street: 'kengzi', followers: 300, tags: ['food', 'walks'] },
      { _id: 2, name: 'Ma', street: 'pingshan', followers: 20, tags: ['walks'] },
      { _id: 3, name: 'Wu', street: 'kengzi', followers: 90, tags: ['news'] },
      { _id: 4, name: 'Zh', street: 'kengzi', followers: 5, tags: [] },
    ]);
    const name = `${creators.collectionName}_view`;
    await db.createCollection(name, {
      viewOn: creators.collectionName,
      pipeline: [{ $match: { street: 'kengzi' } }, { $project: { street: 0 } }],
    });
    return { creators, view: db.collection<Row>(name), name };
  }

  it('find, aggregate, count, countDocuments and distinct read through the pipeline', async function () {
    const { view } = await creatorsWithView();
    const found = await view
      .find({ followers: { $gte: 10 } })
      .sort({ followers: -1 })
      .toArray();
    expect(found).to.deep.equal([
      { _id: 1, name: 'Li', followers: 300, tags: ['food', 'walks'] },
      { _id: 3, name: 'Wu', followers: 90, tags: ['news'] },
    ]);
    const page = await view
      .find({}, { projection: { name: 1 } })
      .sort({ _id: 1 })
      .skip(1)
      .limit(1)
      .toArray();
    expect(page).to.deep.equal([{ _id: 3, name: 'Wu' }]);
    expect(await view.countDocuments({})).to.equal(3);
    expect(await view.countDocuments({ followers: { $lt: 100 } })).to.equal(2);
    expect(await view.estimatedDocumentCount()).to.equal(3);
    expect(await view.distinct('tags')).to.deep.equal(['food', 'news', 'walks']);
    const grouped = await view
      .aggregate([{ $group: { _id: null, total: { $sum: '$followers' } } }])
      .toArray();
    expect(grouped).to.deep.equal([{ _id: null, total: 395 }]);
  });

  it('a view on a view stacks the pipelines; $lookup from a view joins its documents', async function () {
    const { db } = ctx();
    const { view, name, creators } = await creatorsWithView();
    await db.createCollection(`${name}_big`, {
      viewOn: name,
      pipeline: [{ $match: { followers: { $gt: 50 } } }],
    });
    const big = await db.collection<Row>(`${name}_big`).find().sort({ _id: 1 }).toArray();
    expect(big.map((doc) => doc._id)).to.deep.equal([1, 3]);
    const joined = await creators
      .aggregate([
        { $match: { _id: { $in: [1, 2] } } },
        { $lookup: { from: view.collectionName, localField: '_id', foreignField: '_id', as: 'local' } },
        { $project: { n: { $size: '$local' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(joined).to.deep.equal([
      { _id: 1, n: 1 },
      { _id: 2, n: 0 },
    ]);
  });

  it('writes and index commands on a view are refused with 166, and nothing is written', async function () {
    const { view, creators } = await creatorsWithView();
    await serverError(view.insertOne({ _id: 9, street: 'kengzi' }), 166);
    await serverError(view.updateOne({ _id: 1 }, { $set: { followers: 0 } }), 166);
    await serverError(view.replaceOne({ _id: 1 }, { name: 'x' }), 166);
    await serverError(view.deleteMany({}), 166);
    await serverError(view.findOneAndUpdate({ _id: 1 }, { $set: { followers: 0 } }), 166);
    await serverError(view.findOneAndDelete({ _id: 1 }), 166);
    await serverError(view.createIndex({ name: 1 }), 166);
    expect(await creators.countDocuments({})).to.equal(4);
    expect((await creators.findOne({ _id: 1 }))?.followers).to.equal(300);
    expect(await view.countDocuments({})).to.equal(3);
  });

  it('listCollections reports a view with type "view", its viewOn and pipeline; drop removes it', async function () {
    const { db } = ctx();
    const { creators, name } = await creatorsWithView();
    const [listed] = (await db.listCollections({ name }).toArray()) as Document[];
    expect(listed).to.include({ name, type: 'view' });
    expect(listed?.options).to.deep.equal({
      viewOn: creators.collectionName,
      pipeline: [{ $match: { street: 'kengzi' } }, { $project: { street: 0 } }],
    });
    expect((listed?.info as Document | undefined)?.readOnly).to.equal(true);
    const [short] = await db.listCollections({ name }, { nameOnly: true }).toArray();
    expect(short).to.deep.equal({ name, type: 'view' });
    await serverError(db.createCollection(name), 48);
    expect(await db.dropCollection(name)).to.equal(true);
    expect(await db.listCollections({ name }).toArray()).to.deep.equal([]);
    expect(await creators.countDocuments({})).to.equal(4);
  });

  it("collMod replaces a view's pipeline", async function () {
    const { db } = ctx();
    const { view, name, creators } = await creatorsWithView();
    await db.command({
      collMod: name,
      viewOn: creators.collectionName,
      pipeline: [{ $match: { street: 'pingshan' } }],
    });
    expect((await view.find().toArray()).map((doc) => doc._id)).to.deep.equal([2]);
    const [listed] = (await db.listCollections({ name }).toArray()) as Document[];
    expect((listed?.options as Document).pipeline).to.deep.equal([{ $match: { street: 'pingshan' } }]);
  });

  it('collMod sets expireAfterSeconds on an index, answering the old and new values', async function () {
    const { db } = ctx();
    const sessions = ctx().fresh('sessions');
    await sessions.createIndex({ seenAt: 1 }, { expireAfterSeconds: 3600 });
    await sessions.createIndex({ createdAt: 1 });
    const changed = await db.command({
      collMod: sessions.collectionName,
      index: { keyPattern: { seenAt: 1 }, expireAfterSeconds: 60 },
    });
    expect(changed).to.include({ expireAfterSeconds_old: 3600, expireAfterSeconds_new: 60 });
    const converted = await db.command({
      collMod: sessions.collectionName,
      index: { name: 'createdAt_1', expireAfterSeconds: 10 },
    });
    expect(converted).to.include({ expireAfterSeconds_new: 10 });
    expect(converted).to.not.have.property('expireAfterSeconds_old');
    const indexes = await sessions.indexes();
    expect(indexes.find((index) => index.name === 'seenAt_1')?.expireAfterSeconds).to.equal(60);
    expect(indexes.find((index) => index.name === 'createdAt_1')?.expireAfterSeconds).to.equal(10);
    await serverError(
      db.command({ collMod: sessions.collectionName, index: { name: 'nope_1', expireAfterSeconds: 1 } }),
      27,
    );
    await serverError(
      db.command({ collMod: `${sessions.collectionName}_missing`, index: { name: 'x', hidden: true } }),
      26,
    );
  });

  it('a hidden index is not planned (explain shows a collection scan) until collMod shows it again', async function () {
    const { db } = ctx();
    const creators = ctx().fresh<Row>('hidden');
    await creators.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: i, followers: i })));
    await creators.createIndex({ followers: 1 });
    const stagesOf = async (): Promise<string[]> =>
      planStages(await creators.find({ followers: { $gte: 45 } }).explain('queryPlanner'));
    expect(await stagesOf()).to.include('IXSCAN');
    const hidden = await db.command({
      collMod: creators.collectionName,
      index: { keyPattern: { followers: 1 }, hidden: true },
    });
    expect(hidden).to.include({ hidden_old: false, hidden_new: true });
    expect((await creators.indexes()).find((index) => index.name === 'followers_1')?.hidden).to.equal(true);
    expect(await stagesOf()).to.not.include('IXSCAN');
    expect(await stagesOf()).to.include('COLLSCAN');
    // A hint cannot name it either (2), as on mongod.
    await serverError(creators.find({}).hint('followers_1').toArray(), 2);
    // The answer is the same either way.
    expect(await creators.countDocuments({ followers: { $gte: 45 } })).to.equal(5);
    // Hiding it again changes nothing and reports nothing.
    const again = await db.command({
      collMod: creators.collectionName,
      index: { name: 'followers_1', hidden: true },
    });
    expect(again).to.not.have.property('hidden_new');
    await db.command({ collMod: creators.collectionName, index: { name: 'followers_1', hidden: false } });
    expect(await stagesOf()).to.include('IXSCAN');
  });
});
