// Aggregation stages that honour the collation in force: $match reads `$all` as find does (its
// operators are find's, collated ones included: see pipeline.ts), and $group puts the keys a collation holds equal
// ('a' and 'A' at strength 2) in one group, keyed by the first value seen, as mongod does.
import { evalExpr } from 'mingo/core';
import type { Options } from 'mingo/types';
import { Lazy, type Iterator } from 'mingo/lazy';
import * as pipelineOperators from 'mingo/operators/pipeline';
import { collatedKeyOf, collatorFor } from './collation.js';
import { expandAll } from './filter.js';
import { compareValues } from './order.js';
import type { Doc } from './values.js';

type Stage = (coll: Iterator, expr: Doc, options: Options) => Iterator;

const collationIn = (options: Options): Doc | undefined => {
  const collation = options.collation as Doc | undefined;
  return collation && collation.locale !== 'simple' ? collation : undefined;
};

export const matchStage: Stage = (coll, expr, options) =>
  pipelineOperators.$match(coll, expandAll(expr), options);

export const groupStage: Stage = (coll, expr, options) => {
  const collation = collationIn(options);
  if (!collation) return (pipelineOperators.$group as unknown as Stage)(coll, expr, options);
  const strings = collatorFor(collation);
  const { _id: idExpression, ...accumulators } = expr;
  return coll.transform((items: unknown[]) => {
    const groups: { id: unknown; members: unknown[] }[] = [];
    const byKey = new Map<string, number[]>();
    for (const doc of items) {
      const id = evalExpr(doc, idExpression, options) ?? null;
      const key = collatedKeyOf(id, collation);
      const candidates = byKey.get(key) ?? [];
      let group = candidates.find((index) => compareValues(groups[index]!.id, id, strings) === 0);
      if (group === undefined) {
        group = groups.length;
        groups.push({ id, members: [] });
        byKey.set(key, [...candidates, group]);
      }
      groups[group]!.members.push(doc);
    }
    return Lazy(
      groups.map(({ id, members }) => ({ _id: id, ...(evalExpr(members, accumulators, options) as Doc) })),
    );
  });
};
