// The pool's relevance, computed in the database (rankExpression), is the documented ranking
// (rankScore: exact name 4 > name prefix 3 > name substring 2 > bio only 1) for every stored
// document and query, in a real database lane: what an officer sees first does not depend on
// where the rank is computed.
import { expect } from 'chai';
import { type Collection, MongoClient } from 'mongodb';
import { rankExpression } from '../../../../src/features/pool/service.js';
import { type SearchKeys, searchKeys } from '../../../../src/features/search/keys.js';
import { parseQuery, queryFilter, rankScore } from '../../../../src/features/search/query.js';
import { type TestDatabase, startTestDatabase } from '../../../support/database.js';

describe('resource pool: relevance in the database', function () {
  let db: TestDatabase;
  let client: MongoClient;
  let collection: Collection<{ name: string; search: SearchKeys }>;
  const named: [string, string, string][] = [
    ['坪山之眼', '@pingshan_eye', '記錄坪山的日與夜'],
    ['IN坪山', 'in_pingshan', '坪山吃喝玩樂'],
    ['美食在坪山', 'food', '好吃'],
    ['深圳.*攻略', 'sz_guide', '坪山'],
    ['李高興', 'li.gaoxing', '美食'],
  ];

  before(async function () {
    db = await startTestDatabase();
    client = await MongoClient.connect(db.uri, { serverSelectionTimeoutMS: 5000 });
    collection = client.db(db.dbName).collection('creators');
    await collection.insertMany(
      named.map(([name, handle, bio]) => ({ name, search: searchKeys([name, handle], [bio]) })),
    );
  });

  after(async function () {
    await client.close();
    await db.stop();
  });

  for (const q of [
    '坪山',
    'pingshan',
    '坪山之眼',
    'psz',
    'shan',
    'in',
    '美食',
    '.*',
    'Ping-Shan',
    'gaox',
    'eye',
  ]) {
    it(`ranks the matches of ${JSON.stringify(q)} as rankScore does`, async function () {
      const query = parseQuery(q);
      const ranked = await collection
        .aggregate<{ name: string; rank: number; search: SearchKeys }>([
          { $match: queryFilter(query, 'search') },
          { $addFields: { rank: rankExpression(query) } },
        ])
        .toArray();
      expect(ranked, q).not.to.be.empty;
      for (const doc of ranked) expect(doc.rank, `${q}: ${doc.name}`).to.equal(rankScore(doc.search, query));
    });
  }
});
