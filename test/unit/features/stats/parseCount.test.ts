// Every count form the platforms send becomes an integer with its precision; garbage is refused.
import { expect } from 'chai';
import { parseCount } from '../../../../src/features/stats/parseCount.js';

describe('parseCount', function () {
  const accepted: Array<[unknown, number, 'exact' | 'abbreviated', boolean?]> = [
    [919515, 919515, 'exact'],
    [0, 0, 'exact'],
    ['16736', 16736, 'exact'],
    [' 8765 ', 8765, 'exact'],
    ['1,234', 1234, 'exact'],
    ['12,345,678', 12345678, 'exact'],
    ['１２，３４５', 12345, 'exact'],
    ['1.2万', 12000, 'abbreviated'],
    ['3.4萬', 34000, 'abbreviated'],
    ['169.8w', 1698000, 'abbreviated'],
    ['169.8W', 1698000, 'abbreviated'],
    ['6335.8万', 63358000, 'abbreviated'],
    ['12.3万', 123000, 'abbreviated'],
    ['1亿', 100000000, 'abbreviated'],
    ['1.5億', 150000000, 'abbreviated'],
    ['10万+', 100000, 'abbreviated', true],
    ['12.3k', 12300, 'abbreviated'],
    ['1.2M', 1200000, 'abbreviated'],
    ['3千', 3000, 'abbreviated'],
    ['1.2 万', 12000, 'abbreviated'],
    ['1.23456万', 12346, 'abbreviated'],
    [12n, 12, 'exact'],
  ];

  for (const [input, value, precision, atLeast = false] of accepted) {
    it(`reads ${JSON.stringify(String(input))} as ${value} (${precision}${atLeast ? ', at least' : ''})`, function () {
      const result = parseCount(input);
      expect(result).to.deep.equal({ ok: true, value, precision, raw: String(input), atLeast });
    });
  }

  const refused: Array<[unknown, RegExp]> = [
    ['', /empty/],
    ['   ', /empty/],
    ['abc', /not a count/],
    ['-5', /not a count/],
    [-5, /negative/],
    [1.5, /whole number/],
    [Number.NaN, /whole number/],
    [Number.POSITIVE_INFINITY, /whole number/],
    ['1.2.3', /not a count/],
    ['1万万', /not a count/],
    ['12,34', /not a count/],
    ['万', /not a count/],
    ['1.2x', /not a count/],
    ['0x1F', /not a count/],
    ['1e6', /not a count/],
    ['99999999999999999999', /too large/],
    ['9999999999亿', /too large/],
    [null, /not a number or string/],
    [undefined, /not a number or string/],
    [true, /not a number or string/],
    [{ count: 5 }, /not a number or string/],
    [['5'], /not a number or string/],
  ];

  const label = (input: unknown): string =>
    typeof input === 'object' && input !== null ? JSON.stringify(input) : JSON.stringify(String(input));

  for (const [input, reason] of refused) {
    it(`refuses ${typeof input} ${label(input)} with a reason`, function () {
      const result = parseCount(input);
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.reason).to.match(reason);
    });
  }

  it('keeps the raw text of a refused count for the officer', function () {
    expect(parseCount('约1.2万')).to.deep.equal({ ok: false, raw: '约1.2万', reason: 'not a count' });
  });
});
