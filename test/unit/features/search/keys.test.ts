// Chinese-aware search: a creator stored as 坪山之眼 (or 龍田, IN坪山 …) is found by what people
// actually type: either script, full pinyin with or without spaces, initials. The filter is
// evaluated here the way MongoDB evaluates it on an array (any element matches the regex).
import { expect } from 'chai';
import {
  type SearchKeys,
  maxBioTokens,
  maxSuffixLength,
  maxSuffixes,
  searchKeys,
  suffixKeys,
} from '../../../../src/features/search/keys.js';
import { parseQuery, queryFilter } from '../../../../src/features/search/query.js';

/** True when `queryFilter(parseQuery(q), 'search')` selects a document with these keys. */
function finds(search: SearchKeys, q: string): boolean {
  const filter = queryFilter(parseQuery(q), 'search');
  const clauses = (filter.$or ?? []) as Record<string, RegExp>[];
  return clauses.some((clause) =>
    Object.entries(clause).every(([path, pattern]) => {
      const keys = path === 'search.names' ? search.names : search.tokens;
      return keys.some((key) => pattern.test(key));
    }),
  );
}

describe('search keys and queries', function () {
  const eye = searchKeys(['坪山之眼']);

  for (const q of [
    '坪山之眼',
    '坪山',
    '之眼',
    'pingshan',
    'pingshanzhiyan',
    'ping shan',
    'PingShan',
    'psz',
    ' ＰＳＺ ',
  ]) {
    it(`finds 坪山之眼 by ${JSON.stringify(q)}`, function () {
      expect(finds(eye, q)).to.equal(true);
    });
  }

  for (const q of ['龙岗', 'pingshang', 'xyz', 'zhiyanping']) {
    it(`does not find 坪山之眼 by ${JSON.stringify(q)}`, function () {
      expect(finds(eye, q)).to.equal(false);
    });
  }

  const variants: [string, string, string][] = [
    ['龍田', '龙田', 'longtian'],
    ['馬巒', '马峦', 'maluan'],
    ['李高興', '李高兴', 'ligaoxing'],
  ];
  for (const [traditional, simplified, spelled] of variants) {
    it(`matches ${traditional} and ${simplified} in both directions, and by ${spelled}`, function () {
      expect(finds(searchKeys([traditional]), simplified)).to.equal(true);
      expect(finds(searchKeys([simplified]), traditional)).to.equal(true);
      expect(finds(searchKeys([traditional]), spelled)).to.equal(true);
      expect(searchKeys([traditional]).names).to.deep.equal(searchKeys([simplified]).names);
    });
  }

  it('finds a name written in Hong Kong or Taiwan variants (裏, 臺) by its Simplified form', function () {
    expect(finds(searchKeys(['臺灣小館']), '台湾小馆')).to.equal(true);
    expect(finds(searchKeys(['坪山裏']), '坪山里')).to.equal(true);
  });

  it('finds IN坪山 by "in", "inpingshan", "IN 坪山" and "inps"', function () {
    const keys = searchKeys(['IN坪山']);
    expect(keys.names).to.include.members(['in坪山', 'inpingshan', 'inps']);
    for (const q of ['in', 'inpingshan', 'IN 坪山', 'inps']) expect(finds(keys, q), q).to.equal(true);
  });

  it('finds handles by their Latin letters, whatever the case and width', function () {
    const keys = searchKeys(['@PingShan_Eye']);
    expect(finds(keys, 'pingshan_eye')).to.equal(true);
    expect(finds(keys, 'ＰｉｎｇＳｈａｎ')).to.equal(true);
  });

  it('reads a person name as a surname (单 → shan) and spells ü both ways (绿 → lv, lu)', function () {
    expect(finds(searchKeys(['单田芳']), 'shantianfang')).to.equal(true);
    expect(finds(searchKeys(['绿色坪山']), 'lvse')).to.equal(true);
    expect(finds(searchKeys(['绿色坪山']), 'luse')).to.equal(true);
  });

  it('finds words of a bio in either script and in pinyin, and keeps bio keys bounded', function () {
    const keys = searchKeys(['某人'], ['帶你吃遍坪山的美食，週末見！']);
    expect(finds(keys, '吃遍坪山')).to.equal(true);
    expect(finds(keys, '周末见')).to.equal(true);
    expect(finds(keys, 'zhoumo')).to.equal(true);
    const long = searchKeys(['某人'], [Array.from({ length: 2000 }, (_, i) => `词${i}`).join(' ')]);
    expect(long.tokens.length).to.be.at.most(maxBioTokens);
    expect(long.tokens.every((token) => token.length <= 32)).to.equal(true);
  });

  it('ignores blank texts and never stores an empty key', function () {
    expect(searchKeys(['', '   '], [' ，。 '])).to.deep.equal({ names: [], tokens: [], suffixes: [] });
  });

  it('stores suffixes from which every substring of every key begins', function () {
    const keys = searchKeys(['坪山之眼', 'IN坪山', '@pingshan_eye'], ['記錄坪山的日與夜']);
    for (const key of [...keys.names, ...keys.tokens]) {
      const chars = [...key];
      for (let start = 0; start < chars.length; start++)
        for (let end = start + 1; end <= chars.length; end++) {
          const substring = chars.slice(start, end).join('');
          const looked = [...substring].slice(0, maxSuffixLength).join('');
          expect(
            keys.suffixes.some((suffix) => suffix.startsWith(looked)),
            `${substring} of ${key}`,
          ).to.equal(true);
        }
    }
    expect(keys.suffixes).to.include('之眼');
    expect(keys.suffixes).not.to.include('');
  });

  it('keeps no suffix that begins another, nor any longer than the maximum', function () {
    // pingshan and shan begin suffixes of pingshanzhiyan; an and n begin anzhiyan and nzhiyan.
    expect(suffixKeys(['pingshan', 'pingshanzhiyan', 'shan'])).to.deep.equal([
      'anzhiyan',
      'gshanzhiyan',
      'hanzhiyan',
      'hiyan',
      'ingshanzhiyan',
      'iyan',
      'ngshanzhiyan',
      'nzhiyan',
      'pingshanzhiyan',
      'shanzhiyan',
      'yan',
      'zhiyan',
    ]);
    const long = suffixKeys(['a'.repeat(40)]);
    expect(long).to.deep.equal(['a'.repeat(maxSuffixLength)]);
  });

  it('marks a document with too many suffixes incomplete, so every search still reads it', function () {
    const many = Array.from({ length: maxSuffixes }, (_, i) => `key${i}x`);
    const suffixes = suffixKeys(many);
    expect(suffixes[0]).to.equal('');
    expect(suffixes).to.have.length(maxSuffixes + 1);
    expect(suffixKeys(['key1x'])).not.to.include('');
  });
});
