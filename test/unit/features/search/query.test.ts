// Queries: normalised like the keys, cut to a bounded length, regex metacharacters and operator
// look-alikes taken literally, and matches ranked exact > prefix > substring.
import { expect } from 'chai';
import { searchKeys } from '../../../../src/features/search/keys.js';
import {
  candidateFilter,
  maxQueryLength,
  parseQuery,
  prefixRange,
  queryFilter,
  rankScore,
} from '../../../../src/features/search/query.js';

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

  it('bounds a prefix range to the strings beginning with the prefix, in code point order', function () {
    expect(prefixRange('psz')).to.deep.equal({ $gte: 'psz', $lt: 'ps{' });
    expect(prefixRange('坪山')).to.deep.equal({ $gte: '坪山', $lt: '坪屲' });
    // After U+D7FF comes U+E000 (no surrogates); after the last code point, the one before it.
    expect(prefixRange('a\uD7FF')).to.deep.equal({ $gte: 'a\uD7FF', $lt: 'a\uE000' });
    expect(prefixRange('a\u{10FFFF}')).to.deep.equal({ $gte: 'a\u{10FFFF}', $lt: 'b' });
    expect(prefixRange('\u{10FFFF}')).to.deep.equal({ $gte: '\u{10FFFF}' });
  });

  it('looks up candidates by the beginning of each variant, and incomplete documents', function () {
    expect(candidateFilter(parseQuery(''), 'search')).to.deep.equal({});
    const filter = candidateFilter(parseQuery('Ping-Shan'), 'search');
    expect(filter).to.deep.equal({
      $or: [
        { 'search.suffixes': { $elemMatch: { $gte: 'ping-shan', $lt: 'ping-shao' } } },
        { 'search.suffixes': { $elemMatch: { $gte: 'pingshan', $lt: 'pingshao' } } },
        { 'search.suffixes': '' },
      ],
    });
    const long = candidateFilter(parseQuery('x'.repeat(40)), 'search');
    expect(
      (long.$or as Record<string, { $elemMatch: { $gte: string } }>[])[0]?.['search.suffixes']?.$elemMatch
        .$gte,
    ).to.equal('x'.repeat(16));
  });
});
