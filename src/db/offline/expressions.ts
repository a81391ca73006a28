// Aggregation expression operators replaced where mingo's would answer differently from mongod.
// They live apart from query.ts and pipeline.ts because both contexts use them: `$expr` and find
// projections (the filter context) as much as pipeline stages.
// - $eq/$ne/$gt/$gte/$lt/$lte/$cmp: mingo reuses its query predicates, which look inside arrays
//   and compare across types loosely. mongod compares the two values whole, in BSON comparison
//   order (so [1, 2] is never equal to 1, a string is above every number), with a missing value
//   below null ({$eq: ['$missing', null]} is false).
// - $switch with no matching branch and no default is mongod's error 40066 (mingo gives null).
// - $size of anything but an array is mongod's error 17124 (mingo gives null for null/missing).
// - Date part operators ($year, $dateToParts, $dateAdd…) give null for a null or missing date;
//   mingo throws for the simple ones.
import { evalExpr } from 'mingo/core';
import * as expressionOperators from 'mingo/operators/expression';
import type { Options } from 'mingo/types';
import { MinKey } from 'bson';
import { CommandError } from './errors.js';
import { collatorFor } from './collation.js';
import { type StringComparator, compareValues } from './order.js';
import { bsonTypeName } from './types.js';
import { type Doc, isPlainObject } from './values.js';

type Operator = (obj: unknown, expr: unknown, options: Options) => unknown;

const operators = expressionOperators as unknown as Record<string, Operator>;

const comparators = new WeakMap<object, StringComparator>();

/** The string order of the collation in force (built once per collation document). */
export function stringsFor(options: Options): StringComparator {
  const collation = options.collation as Doc | undefined;
  if (!collation) return collatorFor(undefined);
  let comparator = comparators.get(collation);
  if (!comparator) {
    comparator = collatorFor(collation);
    comparators.set(collation, comparator);
  }
  return comparator;
}

/** Aggregation's comparison: BSON order, with a missing value just above MinKey and below null. */
export function compareExpressionValues(a: unknown, b: unknown, strings?: StringComparator): number {
  if (a === undefined || b === undefined) {
    if (a === b) return 0;
    const other = a === undefined ? b : a;
    const missingFirst = other instanceof MinKey ? 1 : -1;
    return a === undefined ? missingFirst : -missingFirst;
  }
  return compareValues(a, b, strings);
}

const comparison =
  (name: string, test: (order: number) => boolean | number): Operator =>
  (obj, expr, options) => {
    const args = Array.isArray(expr) ? expr : [expr];
    if (args.length !== 2) {
      throw new CommandError(
        16020,
        'Location16020',
        `Expression ${name} takes exactly 2 arguments. ${args.length} were passed in.`,
      );
    }
    const a = evalExpr(obj, args[0], options);
    const b = evalExpr(obj, args[1], options);
    return test(compareExpressionValues(a, b, stringsFor(options)));
  };

/** Aggregation truthiness: false, null, missing and zero are false; anything else is true. */
const truthy = (value: unknown): boolean =>
  value !== false && value !== null && value !== undefined && value !== 0;

const $switch: Operator = (obj, expr, options) => {
  const branches = isPlainObject(expr) ? expr.branches : undefined;
  if (!isPlainObject(expr) || !Array.isArray(branches) || !branches.every(isPlainObject)) {
    return operators.$switch!(obj, expr, options); // mingo's own complaint
  }
  for (const branch of branches) {
    if (truthy(evalExpr(obj, branch.case, options))) return evalExpr(obj, branch.then, options);
  }
  if ('default' in expr) return evalExpr(obj, expr.default, options);
  throw new CommandError(
    40066,
    'Location40066',
    '$switch could not find a matching branch for an input, and no default was specified.',
  );
};

const $size: Operator = (obj, expr, options) => {
  const value = evalExpr(obj, Array.isArray(expr) && expr.length === 1 ? expr[0] : expr, options);
  if (!Array.isArray(value)) {
    throw new CommandError(
      17124,
      'Location17124',
      `The argument to $size must be an array. Type of argument is ${bsonTypeName(value)}`,
    );
  }
  return value.length;
};

/**
 * A date operator that answers null when one of its inputs is null or missing: `fields` of its
 * argument document, or (no fields) the date it is given alone or as `{date, timezone}`.
 */
const nullOnNull =
  (operator: Operator, fields?: string[]): Operator =>
  (obj, raw, options) => {
    const expr = Array.isArray(raw) && raw.length === 1 ? (raw[0] as unknown) : raw;
    const inputs = fields
      ? fields.map((field) => (isPlainObject(expr) ? expr[field] : undefined))
      : [isPlainObject(expr) && 'date' in expr ? expr.date : expr];
    for (const input of inputs) {
      const value = evalExpr(obj, input, options);
      if (value === null || value === undefined) return null;
    }
    return operator(obj, expr, options);
  };

const datePartNames = [
  '$year',
  '$month',
  '$dayOfMonth',
  '$hour',
  '$minute',
  '$second',
  '$millisecond',
  '$dayOfWeek',
  '$dayOfYear',
  '$week',
  '$isoWeek',
  '$isoWeekYear',
  '$isoDayOfWeek',
  '$dateToParts',
] as const;

/** The expression operators mingo is given: its own with the replacements above. */
export const expressions = {
  ...expressionOperators,
  $eq: comparison('$eq', (order) => order === 0),
  $ne: comparison('$ne', (order) => order !== 0),
  $gt: comparison('$gt', (order) => order > 0),
  $gte: comparison('$gte', (order) => order >= 0),
  $lt: comparison('$lt', (order) => order < 0),
  $lte: comparison('$lte', (order) => order <= 0),
  $cmp: comparison('$cmp', (order) => order),
  $switch,
  $size,
  ...Object.fromEntries(datePartNames.map((name) => [name, nullOnNull(operators[name]!)])),
  $dateAdd: nullOnNull(operators.$dateAdd!, ['startDate', 'unit', 'amount']),
  $dateSubtract: nullOnNull(operators.$dateSubtract!, ['startDate', 'unit', 'amount']),
  $dateDiff: nullOnNull(operators.$dateDiff!, ['startDate', 'endDate', 'unit']),
} as unknown as typeof expressionOperators;
