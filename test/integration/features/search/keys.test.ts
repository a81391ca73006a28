// Stored search keys meet queries in a real database lane: documents written with searchKeys,
// indexed the way keys.ts documents, found by queryFilter and ordered by rankScore.
import { expect } from 'chai';
import { type Collection, MongoClient } from 'mongodb';
import { type SearchKeys, searchKeys } from '../../../../src/features/search/keys.js';
import {
  candidateFilter,
  parseQuery,
  queryFilter,
  rankScore,
} from '../../../../src/features/search/query.js';
import { type TestDatabase, startTestDatabase } from '../../../support/database.js';

interface CreatorDoc {
  name: string;
  street: string;
  search: SearchKeys;
}

const creators: [string, string, string, string][] = [
  // name, handle, bio, street
  ['坪山之眼', '@pingshan_eye', '記錄坪山的日與夜', '坪山街道'],
  ['IN坪山', 'in_pingshan', '坪山吃喝玩樂', '坪山街道'],
  ['龍田小記', 'longtian', '龍田社區的故事', '龙田街道'],
  ['馬巒山谷', 'maluan', '徒步與山野', '马峦街道'],
  ['李高興', 'li.gaoxing', '美食在坪山', '碧岭街道'],
  ['深圳.*攻略', 'sz_guide', 'x', '坑梓街道'],
];

describe('search keys in the database', function () {
  let db: TestDatabase;
  let client: MongoClient;
  let collection: Collection<CreatorDoc>;

  before(async function () {
    db = await startTestDatabase();
    client = await MongoClient.connect(db.uri, { serverSelectionTimeoutMS: 5000 });
    collection = client.db(db.dbName).collection<CreatorDoc>('creators');
    await collection.createIndex({ 'search.names': 1 });
    await collection.createIndex({ street: 1, 'search.names': 1 });
    await collection.createIndex({ 'search.tokens': 1 });
    await collection.createIndex({ 'search.suffixes': 1 });
    await collection.insertMany(
      creators.map(([name, handle, bio, street]) => ({
        name,
        street,
        search: searchKeys([name, handle], [bio]),
      })),
    );
  });

  after(async function () {
    await client.close();
    await db.stop();
  });

  /** Names found by `q`, best match first (ties by name, as a page would sort them). */
  async function search(q: string, extra: Record<string, unknown> = {}, mode?: 'prefix') {
    const query = parseQuery(q);
    const found = await collection.find({ ...extra, ...queryFilter(query, 'search', mode) }).toArray();
    return found
      .sort((a, b) => rankScore(b.search, query) - rankScore(a.search, query) || a.name.localeCompare(b.name))
      .map((doc) => doc.name);
  }

  it('finds 坪山之眼 by characters, Traditional, pinyin and initials', async function () {
    for (const q of ['坪山之眼', 'pingshanzhiyan', 'ping shan zhi yan', 'psz', 'PSZY'])
      expect(await search(q), q).to.deep.equal(['坪山之眼']);
  });

  it('finds Traditional names by Simplified queries and the reverse', async function () {
    expect(await search('龙田')).to.deep.equal(['龍田小記']);
    expect(await search('马峦')).to.deep.equal(['馬巒山谷']);
    expect(await search('李高兴')).to.deep.equal(['李高興']);
    expect(await search('李高興')).to.deep.equal(['李高興']);
  });

  it('ranks name matches over bio matches: pingshan', async function () {
    // 坪山之眼 and IN坪山 by name (prefix and substring), 李高興 through its bio only
    expect(await search('pingshan')).to.deep.equal(['坪山之眼', 'IN坪山', '李高興']);
    expect(await search('坪山')).to.deep.equal(['坪山之眼', 'IN坪山', '李高興']);
  });

  it('finds IN坪山 by "in" and "inpingshan"', async function () {
    expect(await search('inpingshan')).to.deep.equal(['IN坪山']);
    expect(await search('in', {}, 'prefix')).to.deep.equal(['IN坪山']);
    // as a substring "in" is also inside pingshan; the prefix match still comes first
    expect((await search('in'))[0]).to.equal('IN坪山');
  });

  it('combines with other filters such as a street scope', async function () {
    expect(await search('坪山', { street: '碧岭街道' })).to.deep.equal(['李高興']);
    expect(await search('坪山', { street: '龙田街道' })).to.deep.equal([]);
  });

  it('takes regex metacharacters and operator look-alikes literally', async function () {
    expect(await search('.*')).to.deep.equal(['深圳.*攻略']);
    for (const q of ['(', '[$ne]', '\\', '{"$where":1}', '^', 'q|x'])
      expect(await search(q), q).to.deep.equal([]);
  });

  it('treats an empty query as no text filter and cuts a 10 kB query', async function () {
    expect(await search('   ')).to.have.length(creators.length);
    expect(await search('坪山'.repeat(5000))).to.deep.equal([]);
  });

  /** Names among the candidates the suffix index gives for `q`, and how many keys that read. */
  async function candidates(q: string) {
    const filter = candidateFilter(parseQuery(q), 'search');
    const found = await collection.find(filter).toArray();
    const explained = await collection.find(filter).explain('executionStats');
    const plan = JSON.stringify(explained.queryPlanner.winningPlan);
    const keys = (explained.executionStats as { totalKeysExamined: number }).totalKeysExamined;
    return { names: found.map((doc) => doc.name).sort(), plan, keys };
  }

  it('finds a substring in the middle of a name through the stored suffixes, from the index', async function () {
    for (const [q, expected] of [
      ['山之', ['坪山之眼']],
      ['shanzhi', ['坪山之眼']],
      ['gaox', ['李高興']],
      ['山谷', ['馬巒山谷']],
      ['社区', ['龍田小記']],
    ] as const) {
      const found = await candidates(q);
      expect(found.names, q).to.deep.equal(expected);
      expect(await search(q), q).to.deep.equal(expected);
      expect(found.plan, q).to.contain('IXSCAN').and.contain('search.suffixes');
      expect(found.keys, q).to.be.at.most(3);
    }
  });

  it('never gives fewer candidates than the regexes match, for any substring of the stored keys', async function () {
    const all = await collection.find({}).toArray();
    for (const doc of all) {
      for (const key of [...doc.search.names, ...doc.search.tokens]) {
        const chars = [...key];
        for (let start = 0; start < chars.length; start += 2) {
          const q = chars.slice(start, start + 3).join('');
          const query = parseQuery(q);
          const exact = await collection.find(queryFilter(query, 'search')).toArray();
          const found = await collection.find(candidateFilter(query, 'search')).toArray();
          const ids = new Set(found.map((candidate) => String(candidate._id)));
          for (const match of exact)
            expect(ids.has(String(match._id)), `${q} (${match.name})`).to.equal(true);
        }
      }
    }
  });
});
