// The row projection the offline lane applies without mingo (top-level inclusions, field paths,
// `$ifNull` with a literal) answers exactly what mingo's general `$project` answers: on random
// documents (missing fields, nulls, nested documents, arrays on the paths), each projection is
// compared with the same one made ineligible for the direct path by an extra computed field that
// is then unset.
import { expect } from 'chai';
import { directProjection, runPipeline } from '../../../../src/db/offline/pipeline.js';
import { random } from '../../../support/random.js';

type Doc = Record<string, unknown>;

describe('offline lane: the direct $project', function () {
  const rand = random(20_261_202);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const leaf = (): unknown => pick([0, 1, -2.5, 'x', '', null, true, false, new Date(0), [], [1, 'a']]);

  function randomValue(depth: number): unknown {
    const kind = Math.floor(rand() * 6);
    if (depth > 2 || kind < 3) return leaf();
    if (kind === 3) return Array.from({ length: Math.floor(rand() * 3) }, () => randomValue(depth + 1));
    return randomDoc(depth + 1);
  }

  function randomDoc(depth: number): Doc {
    const doc: Doc = {};
    for (const field of ['a', 'b', 'c', 'd']) if (rand() < 0.7) doc[field] = randomValue(depth);
    return doc;
  }

  function randomSpec(): Doc {
    const spec: Doc = {};
    if (rand() < 0.3) spec._id = pick([0, false, 1]);
    const paths = ['$a', '$b', '$a.b', '$a.b.c', '$c.d', '$d.a.b'];
    for (const field of ['p', 'q', 'a', 'b', 'c']) {
      if (rand() < 0.4) continue;
      spec[field] = pick<unknown>([
        1,
        true,
        pick(paths),
        { $ifNull: [pick(paths), pick([0, 'none', null, [], false])] },
      ]);
    }
    if (Object.keys(spec).filter((key) => key !== '_id').length === 0) spec.a = 1;
    return spec;
  }

  it('answers what mingo answers, on random documents and projections', function () {
    for (let round = 0; round < 400; round++) {
      const docs = Array.from({ length: 8 }, (_, i) => ({ _id: i, ...randomDoc(0) }));
      const spec = randomSpec();
      expect(directProjection(spec), JSON.stringify(spec)).to.be.a('function');
      const direct = runPipeline(docs, [{ $project: spec }], () => []);
      const plain = runPipeline(
        docs,
        [{ $project: { ...spec, lhPlain: { $literal: true } } }, { $unset: 'lhPlain' }],
        () => [],
      );
      expect(direct, JSON.stringify({ spec, docs })).to.deep.equal(plain);
      // Field order too: the driver sees it.
      expect(direct.map((doc) => Object.keys(doc))).to.deep.equal(plain.map((doc) => Object.keys(doc)));
    }
  });

  it('leaves other projections to mingo', function () {
    for (const spec of [
      { _id: 0 },
      { 'a.b': 1 },
      { a: 0 },
      { a: { $add: ['$b', 1] } },
      { a: '$$ROOT' },
      { a: { $ifNull: ['$b', '$c'] } },
      { a: 'text' },
    ])
      expect(directProjection(spec), JSON.stringify(spec)).to.equal(undefined);
  });
});
