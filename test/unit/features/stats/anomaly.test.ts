// Counts that fall to zero or move a hundredfold are flagged for an officer; ordinary changes are not.
import { expect } from 'chai';
import { figureAnomaly } from '../../../../src/features/stats/anomaly.js';

describe('figureAnomaly', function () {
  const cases: Array<[number | undefined, number, string | undefined]> = [
    [undefined, 0, undefined],
    [0, 500, undefined],
    [1000, 1200, undefined],
    [1000, 900, undefined],
    [1000, 0, 'dropped_to_zero'],
    [1000, 100_000, 'jumped'],
    [1000, 99_999, undefined],
    [120_000, 1200, 'collapsed'],
    [120_000, 1201, undefined],
  ];
  for (const [previous, next, expected] of cases) {
    it(`${String(previous)} → ${next}: ${expected ?? 'no flag'}`, function () {
      expect(figureAnomaly(previous, next)).to.equal(expected);
    });
  }

  it('takes another factor', function () {
    expect(figureAnomaly(1000, 10_000, 10)).to.equal('jumped');
  });
});
