// explain for find and aggregate, as mongod 7.0 answers it: which index the winning plan reads
// (IXSCAN and its indexName) or a collection scan, whether a SORT stage runs, and how many keys
// and documents were examined. The plan tree is searched, so the classic and SBE shapes both pass.
import { expect } from 'chai';
import type { Collection, Document } from 'mongodb';
import { useDriver } from './driver-harness.js';

/** Every stage document in an explain answer (winning plans, input stages, $cursor stages). */
function stages(node: unknown, out: Document[] = []): Document[] {
  if (Array.isArray(node)) for (const item of node) stages(item, out);
  else if (node && typeof node === 'object') {
    const doc = node as Document;
    if (typeof doc.stage === 'string') out.push(doc);
    for (const key of [
      'inputStage',
      'inputStages',
      'queryPlan',
      'winningPlan',
      'queryPlanner',
      'stages',
      '$cursor',
    ])
      if (key in doc) stages(doc[key], out);
  }
  return out;
}

const winning = (explained: Document): Document[] =>
  stages((explained.queryPlanner as Document | undefined)?.winningPlan ?? explained.stages);
const named = (explained: Document, stage: string): Document[] =>
  winning(explained).filter((found) => found.stage === stage);
const executionStats = (explained: Document): Document =>
  (explained.executionStats ??
    ((explained.stages as Document[] | undefined)?.[0]?.$cursor as Document | undefined)
      ?.executionStats) as Document;

describe('driver conformance: explain', function () {
  const ctx = useDriver();
  let creators: Collection;

  before(async function () {
    creators = ctx().fresh('explain');
    await creators.insertMany(
      Array.from({ length: 200 }, (_, i): Document => ({
        _id: i,
        street: ['kengzi', 'pingshan'][i % 2],
        followers: i * 10,
        name: `n${i}`,
      })),
    );
    await creators.createIndex({ street: 1, followers: -1 });
    await creators.createIndex({ followers: 1 });
  });

  it('a page served by a compound index: IXSCAN, no SORT, and only the page examined', async function () {
    const explained = await creators
      .find({ street: 'kengzi', followers: { $gte: 100 } })
      .sort({ followers: -1 })
      .limit(5)
      .explain('executionStats');
    expect(named(explained, 'IXSCAN').map((stage) => stage.indexName as unknown)).to.deep.equal([
      'street_1_followers_-1',
    ]);
    expect(named(explained, 'SORT')).to.deep.equal([]);
    expect(named(explained, 'COLLSCAN')).to.deep.equal([]);
    const stats = executionStats(explained);
    expect(stats.nReturned).to.equal(5);
    expect(stats.totalDocsExamined).to.equal(5);
    expect(stats.totalKeysExamined).to.be.within(5, 6);
  });

  it('a range on an indexed field reads only the keys inside it', async function () {
    const explained = await creators.find({ followers: { $gt: 1000, $lte: 1200 } }).explain('executionStats');
    expect(named(explained, 'IXSCAN').map((stage) => stage.indexName as unknown)).to.deep.equal([
      'followers_1',
    ]);
    const stats = executionStats(explained);
    expect(stats.nReturned).to.equal(20);
    expect(stats.totalDocsExamined).to.equal(20);
    expect(stats.totalKeysExamined).to.be.within(20, 21);
  });

  it('a filter no index serves is a collection scan; a sort no index serves is a SORT stage', async function () {
    const explained = await creators.find({ name: 'n7' }).sort({ name: 1 }).explain('executionStats');
    expect(named(explained, 'COLLSCAN')).to.have.length(1);
    expect(named(explained, 'IXSCAN')).to.deep.equal([]);
    expect(named(explained, 'SORT')).to.have.length(1);
    const stats = executionStats(explained);
    expect(stats.nReturned).to.equal(1);
    expect(stats.totalDocsExamined).to.equal(200);
    expect(stats.totalKeysExamined).to.equal(0);
  });

  it('a hint names the index the plan reads', async function () {
    const explained = await creators.find({ street: 'kengzi' }).hint('followers_1').explain('queryPlanner');
    expect(named(explained, 'IXSCAN').map((stage) => stage.indexName as unknown)).to.deep.equal([
      'followers_1',
    ]);
    expect(explained).not.to.have.property('executionStats');
  });

  it('$in ahead of a sorted field merges the index ranges: no SORT stage', async function () {
    const explained = await creators
      .find({ street: { $in: ['kengzi', 'pingshan'] } })
      .sort({ followers: -1 })
      .limit(3)
      .explain('executionStats');
    expect(named(explained, 'SORT')).to.deep.equal([]);
    expect(named(explained, 'IXSCAN').map((scan): unknown => scan.indexName)).to.include(
      'street_1_followers_-1',
    );
    const top = await creators
      .find({ street: { $in: ['kengzi', 'pingshan'] } })
      .sort({ followers: -1 })
      .limit(3)
      .toArray();
    expect(top.map((doc): unknown => doc._id)).to.deep.equal([199, 198, 197]);
  });

  it('a range and a sort on _id read the _id index', async function () {
    const explained = await creators
      .find({ _id: { $gte: 190 } } as Document)
      .sort({ _id: -1 })
      .explain('executionStats');
    expect(named(explained, 'SORT')).to.deep.equal([]);
    expect(named(explained, 'IXSCAN').map((scan): unknown => scan.indexName)).to.deep.equal(['_id_']);
    expect(executionStats(explained).totalDocsExamined).to.equal(10);
  });

  it('an $or whose branches are each indexed is an OR of index scans', async function () {
    const explained = await creators
      .find({ $or: [{ followers: { $gte: 1980 } }, { street: 'pingshan', followers: { $lt: 30 } }] })
      .explain('executionStats');
    expect(named(explained, 'OR')).to.have.length(1);
    expect(named(explained, 'COLLSCAN')).to.deep.equal([]);
    expect(executionStats(explained).nReturned).to.equal(3);
    expect(executionStats(explained).totalDocsExamined).to.be.below(20);
  });

  it('aggregate: a leading $match on an indexed field reads the index', async function () {
    const explained = await creators
      .aggregate([
        { $match: { street: 'pingshan', followers: { $lt: 300 } } },
        { $group: { _id: '$street', n: { $sum: 1 } } },
      ])
      .explain('executionStats');
    expect(named(explained, 'IXSCAN').map((stage) => stage.indexName as unknown)).to.deep.equal([
      'street_1_followers_-1',
    ]);
    expect(named(explained, 'COLLSCAN')).to.deep.equal([]);
  });
});
