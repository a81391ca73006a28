// Queries: normalised like the keys, cut to a bounded length, regex metacharacters and operator
// look-alikes taken literally, and matches ranked exact > prefix > substring.
import { expect } from 'chai';
import { searchKeys } from '../../../../src/features/search/keys.js';
import { maxQueryLength, parseQuery, queryFilter, rankScore } from '../../../../src/features/search/query.js';

describe('search queries', function () {
  it('trims, simplifies, lowercases and removes spaces', function () {
    expect(parseQuery('  坪山 之眼 ').text).to.equal('坪山之眼');
    expect(parseQuery('龍田').text).to.equal('龙田');
    expect(parseQuery('Ping Shan').variants).to.deep.equal(['pingshan']);
    expect(parseQuery('Ping-Shan').variants).to.deep.equal(['ping-shan', 'pingshan']);
  });

  it('treats an empty, blank or non-string query as no text filter', function () {
    for (const q of ['', '   ', undefined, ['a', 'b'], { $ne: 1 }]) {
      const query = parseQuery(q);
      expect(query.variants, JSON.stringify(q)).to.deep.equal([]);
      expect(queryFilter(query, 'search')).to.deep.equal({});
    }
  });

  it('cuts a 10 kB query to the maximum length without splitting a character', function () {
    const query = parseQuery('坪'.repeat(10_000));
    expect([...query.text]).to.have.length(maxQueryLength);
    expect(parseQuery('𠀀'.repeat(5000)).text).to.equal('𠀀'.repeat(maxQueryLength));
    expect(rankScore(searchKeys(['坪山']), query)).to.equal(0);
  });

  for (const q of ['.*', '(', '[$ne]', '\\', '^$', 'a|b', '+?{2}']) {
    it(`takes ${JSON.stringify(q)} literally`, function () {
      const filter = queryFilter(parseQuery(q), 'search');
      const patterns = (filter.$or as Record<string, RegExp>[]).flatMap((c) => Object.values(c));
      expect(patterns).to.not.be.empty;
      for (const pattern of patterns) {
        expect(pattern).to.be.instanceOf(RegExp);
        expect(pattern.test('anything else'), pattern.source).to.equal(false);
      }
      const literal = parseQuery(q).text;
      expect(patterns[0]?.test(`x${literal}y`)).to.equal(true);
    });
  }

  it('puts field names only from the caller, never from the query', function () {
    const filter = queryFilter(parseQuery('{"$where":"1"}'), 'creator.search');
    const paths = (filter.$or as Record<string, unknown>[]).flatMap((c) => Object.keys(c));
    expect(new Set(paths)).to.deep.equal(new Set(['creator.search.names', 'creator.search.tokens']));
  });

  it('anchors prefix filters at the start of a key', function () {
    const filter = queryFilter(parseQuery('shan'), 'search', 'prefix');
    const pattern = (filter.$or as Record<string, RegExp>[])[0]?.['search.names'];
    expect(pattern?.test('shanzhai')).to.equal(true);
    expect(pattern?.test('pingshan')).to.equal(false);
  });

  it('ranks exact over prefix over substring over bio matches', function () {
    const query = parseQuery('坪山');
    const named = [
      { name: '美食在坪山', keys: searchKeys(['美食在坪山']) },
      { name: '坪山', keys: searchKeys(['坪山']) },
      { name: '吃货', keys: searchKeys(['吃货'], ['住在坪山']) },
      { name: '坪山之眼', keys: searchKeys(['坪山之眼']) },
      { name: '龙岗', keys: searchKeys(['龙岗']) },
    ];
    const ranked = [...named].sort((a, b) => rankScore(b.keys, query) - rankScore(a.keys, query));
    expect(ranked.map((n) => n.name)).to.deep.equal(['坪山', '坪山之眼', '美食在坪山', '吃货', '龙岗']);
    expect(named.map((n) => rankScore(n.keys, query))).to.deep.equal([2, 4, 1, 3, 0]);
  });

  it('ranks pinyin the same way: psz is a prefix of pszy, pingshanzhiyan is exact', function () {
    const eye = searchKeys(['坪山之眼']);
    expect(rankScore(eye, parseQuery('pingshanzhiyan'))).to.equal(4);
    expect(rankScore(eye, parseQuery('psz'))).to.equal(3);
    expect(rankScore(eye, parseQuery('shanzhi'))).to.equal(2);
    expect(rankScore(undefined, parseQuery('psz'))).to.equal(0);
  });
});
