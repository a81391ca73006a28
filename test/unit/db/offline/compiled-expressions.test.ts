// The compiled expressions and stages of the offline lane (compiled.ts, compiledStages.ts) answer
// exactly what mingo's interpreter answers: on seeded-random documents (nested documents, arrays
// of documents and of arrays, nulls, missing fields, mixed types, dates, ObjectIds, Chinese text)
// and random expressions of the compiled subset, the closure's value has the same type, value and
// field order as mingo's, and it gives up (`fallback`) exactly where mingo fails. Random pipelines
// of $addFields, $project, $group and $unwind give the same documents with the compiled stages on
// and off.
import { expect } from 'chai';
import { ObjectId } from 'bson';
import { Context, evalExpr } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import type { Options } from 'mingo/types';
import { compileExpression, fallback } from '../../../../src/db/offline/compiled.js';
import { useCompiledStages } from '../../../../src/db/offline/compiledStages.js';
import { expressions } from '../../../../src/db/offline/expressions.js';
import { runPipeline } from '../../../../src/db/offline/pipeline.js';
import { random } from '../../../support/random.js';

type Doc = Record<string, unknown>;

/** A value written out with its types and its field order (deep-equal is blind to both). */
export function typed(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number') return Object.is(value, -0) ? 'num:-0' : `num:${value}`;
  if (typeof value === 'string') return `str:${JSON.stringify(value)}`;
  if (typeof value === 'boolean') return `bool:${value}`;
  if (value instanceof Date) return `date:${value.getTime()}`;
  if (value instanceof ObjectId) return `oid:${value.toHexString()}`;
  if (Array.isArray(value)) return `[${value.map(typed).join(',')}]`;
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null)
      return `other:${(value as { constructor: { name: string } }).constructor.name}:${JSON.stringify(value)}`;
    return `{${Object.entries(value as Doc)
      .map(([key, item]) => `${JSON.stringify(key)}:${typed(item)}`)
      .join(',')}}`;
  }
  return typeof value;
}

const mingoOptions = {
  context: Context.init({ accumulator: accumulatorOperators, expression: expressions }),
} as unknown as Options;

/** mingo's value, or its failure. */
function throughMingo(doc: Doc, expr: unknown, variables?: Doc): { value?: unknown; failed?: true } {
  try {
    return {
      value: evalExpr(doc, expr, { ...mingoOptions, ...(variables ? { variables } : {}) }),
    };
  } catch {
    return { failed: true };
  }
}

function throughClosure(doc: Doc, expr: unknown, variables?: Doc): { value?: unknown; failed?: true } | 'no' {
  const closure = compileExpression(expr, mingoOptions);
  if (!closure) return 'no';
  try {
    return { value: closure(doc, variables) };
  } catch (error) {
    if (error === fallback) return { failed: true };
    throw error;
  }
}

describe('offline lane: compiled expressions', function () {
  const rand = random(20_261_203);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const ids = [new ObjectId('64b000000000000000000001'), new ObjectId('64b000000000000000000002')];
  const leaf = (): unknown =>
    pick([
      0,
      1,
      2,
      -1,
      2.5,
      'x',
      'a',
      '',
      '坪山之眼',
      '坪山',
      'pingshan',
      null,
      true,
      false,
      new Date(0),
      new Date(86_400_000),
      ids[0],
      ids[1],
      [],
      {},
    ]);

  function randomValue(depth: number): unknown {
    const kind = Math.floor(rand() * 8);
    if (depth > 2 || kind < 4) return leaf();
    if (kind < 6) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(depth + 1));
    return randomDoc(depth + 1);
  }

  function randomDoc(depth: number): Doc {
    const doc: Doc = {};
    for (const field of ['a', 'b', 'c', 'n']) if (rand() < 0.75) doc[field] = randomValue(depth);
    if (rand() < 0.5) doc.s = pick(['坪山之眼', 'pingshan', 'psz', 'IN坪山', '']);
    if (rand() < 0.5) doc.list = Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(depth + 1));
    return doc;
  }

  const paths = [
    '$a',
    '$b',
    '$c',
    '$n',
    '$s',
    '$list',
    '$a.b',
    '$a.c',
    '$list.a',
    '$list.b.c',
    '$a.0',
    '$list.1',
  ];

  /** A random expression of the compiled subset; `vars` are the variables bound around it. */
  function randomExpr(depth: number, vars: string[]): unknown {
    const leafExpr = (): unknown => {
      const choice = rand();
      if (choice < 0.45) return pick(paths);
      if (choice < 0.6 && vars.length > 0) return `$$${pick(vars)}${pick(['', '', '.a', '.b'])}`;
      if (choice < 0.65) return pick(['$$ROOT', '$$CURRENT', '$$ROOT.a', '$$REMOVE']);
      if (choice < 0.75) return { $literal: leaf() };
      return leaf() === '' ? 'text' : pick([0, 1, 3, 'a', 'x', null, true, false, '坪山']);
    };
    if (depth > 2) return leafExpr();
    const sub = (): unknown => randomExpr(depth + 1, vars);
    const kind = Math.floor(rand() * 26);
    switch (kind) {
      case 0:
        return { $ifNull: [sub(), sub()] };
      case 1:
        return { $cond: [sub(), sub(), sub()] };
      case 2:
        return { $cond: { if: sub(), then: sub(), else: sub() } };
      case 3:
        return {
          $switch: {
            branches: [
              { case: sub(), then: sub() },
              { case: sub(), then: sub() },
            ],
            ...(rand() < 0.7 ? { default: sub() } : {}),
          },
        };
      case 4:
        return { [pick(['$and', '$or'])]: [sub(), sub()] };
      case 5:
        return { $not: [sub()] };
      case 6:
        return { [pick(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$cmp'])]: [sub(), sub()] };
      case 7:
        return { $isArray: [sub()] };
      case 8: {
        const name = pick(['item', 'v', 'this']);
        return {
          $map: {
            input: sub(),
            ...(name === 'this' ? {} : { as: name }),
            in: randomExpr(depth + 1, [...vars, name]),
          },
        };
      }
      case 9: {
        const name = pick(['item', 'this']);
        return {
          $filter: {
            input: sub(),
            ...(name === 'this' ? {} : { as: name }),
            cond: randomExpr(depth + 1, [...vars, name]),
            ...(rand() < 0.2 ? { limit: 1 } : {}),
          },
        };
      }
      case 10:
        return { $let: { vars: { x: sub(), y: sub() }, in: randomExpr(depth + 1, [...vars, 'x', 'y']) } };
      case 11:
        return {
          $concatArrays: [pick<unknown>(['$list', '$a', [1], sub()]), pick<unknown>(['$list', [], sub()])],
        };
      case 12:
        return { $setUnion: rand() < 0.8 ? [sub(), sub()] : sub() };
      case 13:
        return { $in: [sub(), pick<unknown>(['$list', '$a', [1, 'x', null, '$s'], sub()])] };
      case 14:
        return {
          $indexOfBytes: [
            pick<unknown>(['$s', '$a', '$$ROOT.s', sub()]),
            pick<unknown>(['坪山', 'p', '', '$s', sub()]),
          ],
        };
      case 15:
        return { [pick(['$max', '$min', '$sum', '$avg'])]: rand() < 0.5 ? [sub(), sub(), sub()] : sub() };
      case 16:
        return { $arrayElemAt: [pick<unknown>(['$list', '$a', sub()]), pick<unknown>([0, 1, -1, 5, sub()])] };
      case 17:
        return { $size: sub() };
      case 18:
        return { k: sub(), facet: 'street', value: sub() };
      case 19:
        return [sub(), sub()];
      case 20:
        return { $isArray: pick(paths) };
      default:
        return leafExpr();
    }
  }

  it('gives what mingo gives (value, types, field order), and fails where mingo fails', function () {
    let compared = 0;
    let failures = 0;
    let uncompiled = 0;
    for (let round = 0; round < 3000; round++) {
      const expr = randomExpr(0, []);
      const docs = Array.from({ length: 6 }, (_, i) => ({ _id: i, ...randomDoc(0) }));
      for (const doc of docs) {
        const compiled = throughClosure(doc, expr);
        if (compiled === 'no') {
          uncompiled++;
          continue;
        }
        const reference = throughMingo(doc, expr);
        const where = `${JSON.stringify(expr)} on ${typed(doc)}`;
        expect(compiled.failed, where).to.equal(reference.failed);
        if (reference.failed) failures++;
        else expect(typed(compiled.value), where).to.equal(typed(reference.value));
        compared++;
      }
    }
    // Both kinds were exercised: values and mingo's failures.
    expect(compared + uncompiled).to.equal(18_000);
    expect(uncompiled, 'every generated expression is in the subset').to.equal(0);
    expect(failures).to.be.within(100, compared * 0.6);
  });

  it('reads the command variables, and fails where mingo fails on an unknown one', function () {
    const doc = { _id: 1, a: [{ b: 1 }, { b: 2 }, { c: 3 }] };
    const variables = { top: { b: [4, 5] }, n: 2 };
    for (const expr of [
      '$$top.b',
      '$$n',
      { $add: [] }.$add ?? '$$n',
      { $map: { input: '$a', in: '$$this.b' } },
      '$$missing',
    ])
      expect(typed(throughClosure(doc, expr, variables))).to.equal(typed(throughMingo(doc, expr, variables)));
    expect(throughClosure(doc, '$$missing', variables)).to.deep.equal({ failed: true });
  });

  it('compiles the pool page expressions and leaves other operators to mingo', function () {
    expect(compileExpression({ $add: [1, 2] })).to.equal(undefined);
    expect(compileExpression('$$NOW')).to.equal(undefined);
    expect(compileExpression({ $eq: [1] })).to.equal(undefined);
    expect(compileExpression({ $cond: [1, 2] })).to.equal(undefined);
    expect(compileExpression({ $map: { input: '$a', as: 3, in: 1 } })).to.equal(undefined);
    expect(compileExpression({ $switch: { branches: [{ case: false, then: 1 }] } })).to.be.a('function');
  });
});

describe('offline lane: compiled stages against mingo', function () {
  const rand = random(20_261_204);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const leaf = (): unknown =>
    pick([
      0,
      1,
      2,
      'x',
      '坪山',
      '',
      null,
      true,
      new Date(0),
      new ObjectId('64b000000000000000000003'),
      [],
      {},
    ]);
  const randomDoc = (i: number): Doc => {
    const doc: Doc = { _id: i };
    for (const field of ['a', 'b', 'tags', 'n']) {
      if (rand() < 0.2) continue;
      const kind = rand();
      doc[field] =
        kind < 0.4
          ? leaf()
          : kind < 0.8
            ? Array.from({ length: Math.floor(rand() * 4) }, () =>
                rand() < 0.5 ? leaf() : { v: leaf(), w: leaf() },
              )
            : { v: leaf(), w: [leaf(), leaf()] };
    }
    return doc;
  };
  const expr = (): unknown =>
    pick<unknown>([
      '$a',
      '$tags',
      '$tags.v',
      '$b.w',
      { $ifNull: ['$n', 0] },
      { $cond: [{ $isArray: ['$tags'] }, '$tags', []] },
      { $map: { input: { $ifNull: ['$tags', []] }, as: 't', in: { facet: 'x', value: '$$t' } } },
      { $max: '$tags' },
      { $size: '$tags' },
      { $concatArrays: ['$tags', ['$a']] },
      { $eq: ['$a', '$b'] },
      { k: '$a', l: { $literal: 1 } },
    ]);
  const accumulator = (): unknown =>
    pick<unknown>([
      { $sum: 1 },
      { $sum: '$n' },
      { $max: '$a' },
      { $min: '$a' },
      { $first: '$b' },
      { $last: '$tags' },
      { $push: '$a' },
      { $addToSet: '$a' },
      { $avg: '$n' },
      { $count: {} },
    ]);
  const stage = (): Doc => {
    switch (Math.floor(rand() * 6)) {
      case 0:
        return { $addFields: { x: expr(), a: expr() } };
      case 1:
        return { $set: { y: expr() } };
      case 2:
        return {
          $project: {
            ...(rand() < 0.4 ? { _id: 0 } : {}),
            a: 1,
            tags: 1,
            n: rand() < 0.5 ? 1 : expr(),
            z: [expr(), '$b'],
          },
        };
      case 3:
        return { $group: { _id: rand() < 0.3 ? null : expr(), one: accumulator(), two: accumulator() } };
      case 4:
        return { $unwind: pick(['$tags', '$a', '$b']) };
      default:
        return {
          $unwind: {
            path: pick(['$tags', '$a']),
            preserveNullAndEmptyArrays: rand() < 0.5,
            ...(rand() < 0.5 ? { includeArrayIndex: pick(['i', 'a']) } : {}),
          },
        };
    }
  };

  afterEach(() => useCompiledStages(true));

  function bothWays(docs: Doc[], pipeline: Doc[]): [string, string] {
    const run = (): string => {
      try {
        return typed(runPipeline(docs, pipeline, () => []));
      } catch (error) {
        return `error ${(error as { code?: number }).code}: ${(error as Error).message}`;
      }
    };
    useCompiledStages(true);
    const compiled = run();
    useCompiledStages(false);
    const interpreted = run();
    useCompiledStages(true);
    return [compiled, interpreted];
  }

  it('gives the same documents, in the same order, with the same errors', function () {
    for (let round = 0; round < 600; round++) {
      const docs = Array.from({ length: 10 }, (_, i) => randomDoc(i));
      const pipeline = Array.from({ length: 1 + Math.floor(rand() * 3) }, stage);
      const stored = typed(docs);
      const [compiled, interpreted] = bothWays(docs, pipeline);
      expect(compiled, JSON.stringify(pipeline)).to.equal(interpreted);
      // The compiled stages run on the stored documents themselves (no copy): never into them.
      expect(typed(docs), JSON.stringify(pipeline)).to.equal(stored);
    }
  });

  it('gives the same documents inside $facet and $lookup sub-pipelines', function () {
    for (let round = 0; round < 100; round++) {
      const docs = Array.from({ length: 10 }, (_, i) => randomDoc(i));
      const inner = Array.from({ length: 1 + Math.floor(rand() * 3) }, stage);
      const pipeline = [
        { $facet: { one: inner, two: [{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }] } },
      ];
      const [compiled, interpreted] = bothWays(docs, pipeline);
      expect(compiled, JSON.stringify(pipeline)).to.equal(interpreted);
      const joined = [
        { $lookup: { from: 'self', localField: '_id', foreignField: '_id', pipeline: inner, as: 'j' } },
      ];
      const run = (on: boolean): string => {
        useCompiledStages(on);
        try {
          return typed(runPipeline(docs, joined, () => docs));
        } catch (error) {
          return `error ${(error as Error).message}`;
        }
      };
      expect(run(true), JSON.stringify(inner)).to.equal(run(false));
    }
  });

  it('never writes into the stored documents', function () {
    const docs = [
      { _id: 1, tags: [], a: { v: 1 } },
      { _id: 2, tags: ['x', 'y'], a: 'z' },
    ];
    const before = typed(docs);
    runPipeline(
      docs,
      [{ $unwind: { path: '$tags', preserveNullAndEmptyArrays: true, includeArrayIndex: 'i' } }],
      () => [],
    );
    runPipeline(
      docs,
      [{ $facet: { u: [{ $unwind: { path: '$tags', includeArrayIndex: 'i' } }] } }],
      () => [],
    );
    // A branch that writes a nested field gets copies; the copy-free one beside it reads the input.
    const [faceted] = runPipeline(
      docs,
      [
        { $addFields: { n: 1 } },
        {
          $facet: {
            writes: [{ $set: { 'a.v': 2 } }, { $unwind: { path: '$tags', includeArrayIndex: 'a.i' } }],
            reads: [{ $project: { a: 1 } }],
          },
        },
      ],
      () => [],
    );
    expect(typed(faceted?.reads)).to.equal(
      typed([
        { _id: 1, a: { v: 1 } },
        { _id: 2, a: 'z' },
      ]),
    );
    expect(typed(docs)).to.equal(before);
  });
});
