// The ordered key store's counts: a range's count read from the tree's cached subtree sizes
// (countIn) equals a walk of its keys (keysIn), over random keys with ties, inserts and removals
// (so nodes split, merge and shrink), for point, prefix and empty ranges, both ends included.
import { expect } from 'chai';
import { type IndexKey, type KeyRange, MAX, MIN, OrderedKeys } from '../../../../src/db/offline/ordered.js';
import { random } from '../../../support/random.js';

const binary = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

describe('offline lane: ordered keys count a range without walking it', function () {
  const rand = random(20_261_203);
  const int = (n: number): number => Math.floor(rand() * n);
  const walked = (keys: OrderedKeys, range: KeyRange): number => [...keys.keysIn(range, false)].length;
  const point = (values: unknown[], seq: number): IndexKey => ({ values, seq, pk: '' });

  function randomRange(): KeyRange {
    const a = int(60);
    const b = int(60);
    const shape = int(5);
    if (shape === 0) return { low: point([a, MIN], -Infinity), high: point([a, MAX], Infinity) };
    if (shape === 1) return { low: point([a, b], -Infinity), high: point([a, b], Infinity) };
    if (shape === 2) return { low: point([a, MIN], Infinity), high: point([b, MAX], -Infinity) };
    if (shape === 3) return { low: point([MIN, MIN], -Infinity), high: point([MAX, MAX], Infinity) };
    return { low: point([Math.max(a, b), MIN], -Infinity), high: point([Math.min(a, b), MAX], Infinity) };
  }

  for (const directions of [
    [1, 1],
    [1, -1],
    [-1, 1],
  ]) {
    it(`equals a walk through inserts and removals (directions ${directions.join(', ')})`, function () {
      const keys = new OrderedKeys(directions, binary);
      const stored: IndexKey[] = [];
      let seq = 0;
      for (let round = 0; round < 60; round++) {
        for (let i = 0; i < 200; i++) {
          const key = { values: [int(60), int(60)], seq: seq++, pk: String(seq) };
          keys.add(key);
          stored.push(key);
        }
        for (let i = 0; i < 120 && stored.length; i++) keys.remove(stored.splice(int(stored.length), 1)[0]!);
        for (let check = 0; check < 20; check++) {
          // Half of them between two stored keys themselves (both ends included).
          const ends = [stored[int(stored.length)]!, stored[int(stored.length)]!];
          const range = check % 2 ? randomRange() : { low: ends[0]!, high: ends[1]! };
          expect(keys.countIn(range), JSON.stringify({ round, range })).to.equal(walked(keys, range));
        }
      }
      expect(keys.size).to.equal(stored.length);
      const all = {
        low: point(
          directions.map((d) => (d > 0 ? MIN : MAX)),
          -Infinity,
        ),
        high: point(
          directions.map((d) => (d > 0 ? MAX : MIN)),
          Infinity,
        ),
      };
      expect(keys.countIn(all)).to.equal(stored.length);
      for (const key of [...stored]) keys.remove(key);
      expect(keys.countIn(all)).to.equal(0);
    });
  }
});
