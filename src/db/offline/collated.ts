// Query operators under a collation. mingo's collation option orders ranges but ignores it for
// equality ($eq, $ne, $in, $nin, and so $all), so under a collation these compare strings (also
// inside arrays and embedded documents) with ICU; operands without strings keep their usual
// operators (null matching missing fields, regular expressions, BinData ranges…).
import { BSONRegExp } from 'bson';
import type * as mingoQueryOperators from 'mingo/operators/query';
import { type StringComparator, compareValues, typeRank } from './order.js';
import { collatorFor } from './collation.js';
import { type Doc, isPlainObject, valuesAtPath } from './values.js';

type QueryOperator = (typeof mingoQueryOperators)['$eq'];
type Operators = Record<string, QueryOperator>;

export function hasString(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (Array.isArray(value)) return value.some(hasString);
  return isPlainObject(value) && Object.values(value).some(hasString);
}

/** The value at a path and, for arrays, each element: a leaf operator matches any of them. */
function leaves(doc: unknown, selector: string): unknown[] {
  return valuesAtPath(doc, selector).flatMap((value): unknown[] =>
    Array.isArray(value) ? [value, ...(value as unknown[])] : [value],
  );
}

/** The ICU comparison of the collation a query runs with (mingo passes it in the options), if any. */
function collatorIn(options: unknown): StringComparator | undefined {
  const collation = (options as { collation?: Doc } | undefined)?.collation;
  return collation && collation.locale !== 'simple' ? collatorFor(collation) : undefined;
}

/**
 * $eq, $ne, $in, $nin, $gt, $gte, $lt and $lte that compare strings with the query's collation;
 * without one (or without strings in the operand) they are `base`'s.
 */
export function collatedQueryOperators(base: Operators): Operators {
  const equals =
    (selector: string, value: unknown, strings: StringComparator) =>
    (doc: unknown): boolean =>
      leaves(doc, selector).some((leaf) => leaf !== undefined && compareValues(leaf, value, strings) === 0);
  const $eq: QueryOperator = (selector, value, options) => {
    const strings = collatorIn(options);
    return strings && hasString(value)
      ? equals(selector, value, strings)
      : base.$eq!(selector, value, options);
  };
  const $in: QueryOperator = (selector, values, options) => {
    const strings = collatorIn(options);
    if (!strings || !Array.isArray(values) || !values.some(hasString))
      return base.$in!(selector, values, options);
    const tests = values.map((value: unknown) =>
      hasString(value) && !(value instanceof RegExp) && !(value instanceof BSONRegExp)
        ? equals(selector, value, strings)
        : base.$in!(selector, [value], options),
    );
    return (doc) => tests.some((test) => test(doc));
  };
  const negate =
    (operator: QueryOperator): QueryOperator =>
    (selector, value, options) => {
      const test = operator(selector, value, options);
      return (doc) => !test(doc);
    };
  const range =
    (name: '$gt' | '$gte' | '$lt' | '$lte', holds: (order: number) => boolean): QueryOperator =>
    (selector, value, options) => {
      const strings = collatorIn(options);
      if (!strings || !hasString(value)) return base[name]!(selector, value, options);
      const rank = typeRank(value);
      return (doc) =>
        leaves(doc, selector).some(
          (leaf) =>
            leaf !== undefined && typeRank(leaf) === rank && holds(compareValues(leaf, value, strings)),
        );
    };
  return {
    $eq,
    $ne: negate($eq),
    $in,
    $nin: negate($in),
    $gt: range('$gt', (order) => order > 0),
    $gte: range('$gte', (order) => order >= 0),
    $lt: range('$lt', (order) => order < 0),
    $lte: range('$lte', (order) => order <= 0),
  };
}
