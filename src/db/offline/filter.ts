// Filters: compiled through mingo (with mongod's operand checks and a few operators replaced).
// Knows nothing of collections, so that indexes (partial filters) and reads can both use it.
import { Long, ObjectId } from 'bson';
// The base Query, so that the context below (mingo's operators with a few replaced) is the one used.
import { Query } from 'mingo/query';
import { Context } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import type { CollationSpec } from 'mingo/types';
import { HashMap, ensureArray, isNil, isRegExp, isString, resolve } from 'mingo/util';
import { binaryQueryOperators } from './binary.js';
import { collatedQueryOperators, hasString } from './collated.js';
import { CommandError, badValue, notImplemented } from './errors.js';
import { expressions } from './expressions.js';
import { $type as bsonType } from './types.js';
import { type Doc, isPlainObject, keyOf, prepareFilter, valuesAtPath } from './values.js';

/** MongoDB query operators mingo does not implement: refused by name rather than guessed at. */
const unsupportedQueryOperators = new Set([
  '$text',
  '$near',
  '$nearSphere',
  '$geoWithin',
  '$geoIntersects',
  '$where',
]);

type QueryOperator = (typeof queryOperators)['$in'];

/** The value at a dotted path through embedded documents only (undefined if an array is on the way). */
function plainPathValue(doc: Doc, segments: readonly string[]): unknown {
  let value: unknown = doc;
  for (const segment of segments) {
    if (!isPlainObject(value)) return undefined;
    value = value[segment];
  }
  return value;
}

/**
 * `$in` as mingo answers it, with its operand hashed once per filter rather than once per
 * document tested (mingo's own builds a HashMap of the whole operand for every document: a 200-id
 * `$in` over 18,000 snapshots hashed 3.6 million ids). The same HashMap, hence the same equality.
 */
const inOnce: QueryOperator = (selector, values, options) => {
  if (!Array.isArray(values)) return queryOperators.$in(selector, values, options);
  const operand = HashMap.init<unknown, true>();
  for (const value of values) operand.set(value, true);
  const nullIn = values.some((value) => value === null);
  const patterns = values.filter(isRegExp);
  const path = { unwrapArray: true };
  const segments = selector.split('.');
  const arraysIn = values.some(Array.isArray);
  return (doc: Doc) => {
    const found = resolve(doc, selector, path);
    if (isNil(found)) return nullIn;
    const candidates = ensureArray(found);
    if (operand.size > 0 && candidates.some((value) => operand.has(value))) return true;
    // An array operand value also matches an array field as a whole (mongod; mingo's own misses
    // it), when no array lies on the way to the field.
    if (arraysIn && Array.isArray(found)) {
      const whole = plainPathValue(doc, segments);
      if (Array.isArray(whole) && operand.has(whole)) return true;
    }
    return (
      patterns.length > 0 &&
      candidates.some((value) => isString(value) && patterns.some((pattern) => pattern.test(value)))
    );
  };
};

/**
 * mingo's operators, with `$type` answering in BSON's types, BinData ranges and bits as mongod
 * has them, and mongod's expression comparisons.
 */
const withBinary = {
  ...queryOperators,
  ...binaryQueryOperators,
  $type: bsonType,
  $in: inOnce,
  $nin: ((selector, values, options) => {
    const test = inOnce(selector, values, options);
    return (doc: Doc) => !test(doc);
  }) as QueryOperator,
};
/** Query operators of every filter context here (find's and the aggregation's $match). */
export const filterQueryOperators = {
  ...withBinary,
  ...collatedQueryOperators(withBinary as unknown as Record<string, (typeof queryOperators)['$eq']>),
} as typeof queryOperators;

export const filterContext = Context.init({
  accumulator: accumulatorOperators,
  expression: expressions,
  pipeline: pipelineOperators,
  projection: projectionOperators,
  query: filterQueryOperators,
  window: windowOperators,
});

/** A value whose equality to a stored one is the equality of their keys (keyOf). */
const plainScalar = (value: unknown): boolean =>
  value === null ||
  typeof value === 'number' ||
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  value instanceof ObjectId ||
  value instanceof Date;

/**
 * The keys of an `_id` lookup (`{_id: v}`, `{_id: {$eq: v}}`, `{_id: {$in: [...]}}` of plain
 * scalars, nothing else in the filter): such a filter is tested by key equality, as the
 * primary map answers it, without building a mingo query (findById's cost was mostly that).
 * Strings under a collation are left to mingo.
 */
function idEquality(filter: Doc, collation: Doc | undefined): Set<string> | undefined {
  const keys = Object.keys(filter);
  if (keys.length !== 1 || keys[0] !== '_id') return undefined;
  const condition = filter._id;
  let values: unknown[];
  if (plainScalar(condition)) values = [condition];
  else if (isPlainObject(condition) && Object.keys(condition).length === 1) {
    if ('$eq' in condition && plainScalar(condition.$eq)) values = [condition.$eq];
    else if ('$in' in condition && Array.isArray(condition.$in) && condition.$in.every(plainScalar))
      values = condition.$in as unknown[];
    else return undefined;
  } else return undefined;
  if (collation && values.some((value) => typeof value === 'string')) return undefined;
  return new Set(values.map(keyOf));
}

/**
 * Compiles a filter, translating mingo's complaints into mongod's errors. `collation` is the one in
 * force (see effectiveCollation): strings then compare with ICU.
 */
export function compileFilter(raw: unknown, collation?: Doc, variables?: Doc): { query: Query; filter: Doc } {
  if (raw !== undefined && raw !== null && !isPlainObject(raw)) {
    throw new CommandError(
      14,
      'TypeMismatch',
      "BSON field 'filter' is the wrong type, expected type 'object'",
    );
  }
  refuseUnsafeLongs(raw);
  const filter = prepareFilter(raw ?? {});
  refuseUnsupported(filter);
  checkFilter(filter);
  const ids = idEquality(filter, collation);
  if (ids) {
    // An array `_id` (a $group's, in a pipeline) matches by its elements, as any field does.
    const test = (doc: Doc): boolean => {
      const id = doc._id;
      return Array.isArray(id) ? id.some((item) => ids.has(keyOf(item))) : ids.has(keyOf(id));
    };
    return { query: { test } as Query, filter };
  }
  let query: Query;
  try {
    query = new Query(expandAll(filter), {
      ...collationOption(collation),
      context: filterContext,
      ...(variables ? { variables } : {}),
    });
  } catch (error) {
    if (error instanceof CommandError) throw error;
    const message = (error as Error).message;
    const unknown = /unknown (?:top level |query )?operator:? (\S+)/.exec(message);
    throw badValue(
      unknown
        ? `unknown ${message.includes('top level') ? 'top level ' : ''}operator: ${unknown[1]}`
        : message,
    );
  }
  // Under a collation an embedded document holding strings is compared by the collated $eq.
  const ordered = orderedEqualities(filter, (value) => !collation || !hasString(value));
  if (ordered.length === 0) return { query, filter };
  // mingo compares embedded documents regardless of field order; MongoDB does not.
  const strict = {
    test: (doc: Doc): boolean =>
      query.test(doc) &&
      ordered.every(([path, key]) => equalityCandidates(doc, path).some((value) => keyOf(value) === key)),
  } as Query;
  return { query: strict, filter };
}

/**
 * `{f: {$all: [a, b]}}` is `{$and: [{f: a}, {f: b}]}` on mongod, so it also matches a field that is
 * not an array but equals its only element; mingo's $all wants an array. Rewritten so.
 */
export function expandAll(filter: Doc): Doc {
  const out: Doc = {};
  const conditions: Doc[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (logicalOperators.has(key) && Array.isArray(value)) {
      out[key] = value.map((part: unknown) => (isPlainObject(part) ? expandAll(part) : part));
    } else if (!key.startsWith('$') && isCondition(value) && Array.isArray(value.$all) && value.$all.length) {
      const { $all, ...others } = value;
      if (Object.keys(others).length) conditions.push({ [key]: others });
      for (const item of $all as unknown[]) {
        const direct = item instanceof RegExp || (isPlainObject(item) && '$elemMatch' in item);
        conditions.push({ [key]: direct ? item : { $eq: item } });
      }
    } else out[key] = value;
  }
  if (conditions.length)
    out.$and = [...(Array.isArray(out.$and) ? (out.$and as unknown[]) : []), ...conditions];
  return out;
}

/** Top-level conditions `path: {embedded document}` (or `$eq` of one), as [path, key]. */
function orderedEqualities(filter: Doc, checked: (value: Doc) => boolean): [string, string][] {
  const out: [string, string][] = [];
  for (const [path, condition] of Object.entries(filter)) {
    if (path === '$and' && Array.isArray(condition)) {
      for (const part of condition) if (isPlainObject(part)) out.push(...orderedEqualities(part, checked));
      continue;
    }
    if (path.startsWith('$') || !isPlainObject(condition)) continue;
    const keys = Object.keys(condition);
    const value = keys.length === 1 && keys[0] === '$eq' ? condition.$eq : condition;
    if (!isPlainObject(value) || Object.keys(value).some((key) => key.startsWith('$'))) continue;
    if ((Object.keys(value).length > 1 || Object.values(value).some(isPlainObject)) && checked(value))
      out.push([path, keyOf(value)]);
  }
  return out;
}

/** The values an equality on `path` is tested against: each value at the path and, for arrays, their elements. */
function equalityCandidates(doc: Doc, path: string): unknown[] {
  return valuesAtPath(doc, path).flatMap((value): unknown[] =>
    Array.isArray(value) ? [value, ...(value as unknown[])] : [value],
  );
}

/** Filters compare int64 values as doubles here, which is exact only up to 2^53. */
function refuseUnsafeLongs(value: unknown): void {
  if (value instanceof Long) {
    if (value.greaterThan(maxSafeLong) || value.lessThan(minSafeLong)) {
      throw notImplemented(`a query on the int64 value ${value.toString()}, beyond ±2^53`);
    }
  } else if (Array.isArray(value)) value.forEach(refuseUnsafeLongs);
  else if (isPlainObject(value)) Object.values(value).forEach(refuseUnsafeLongs);
}
const maxSafeLong = Long.fromNumber(Number.MAX_SAFE_INTEGER);
const minSafeLong = Long.fromNumber(Number.MIN_SAFE_INTEGER);

const logicalOperators = new Set(['$and', '$or', '$nor']);
/** Operators that take no field path: inside $elemMatch they make the argument a whole filter. */
const pathlessOperators = new Set([
  ...logicalOperators,
  '$expr',
  '$where',
  '$text',
  '$comment',
  '$jsonSchema',
]);

/** A condition document (`{$gt: 1, …}`) rather than an embedded document to compare with. */
function isCondition(value: unknown): value is Doc {
  if (!isPlainObject(value)) return false;
  const first = Object.keys(value)[0];
  return first !== undefined && first.startsWith('$') && !['$ref', '$id', '$db'].includes(first);
}

/** mongod's parse-time checks of operator arguments (mingo accepts these and matches nothing). */
export function checkFilter(filter: Doc): void {
  for (const [key, value] of Object.entries(filter)) {
    if (logicalOperators.has(key)) {
      if (!Array.isArray(value)) throw badValue(`${key} must be an array`);
      if (value.length === 0) throw badValue('$and/$or/$nor must be a nonempty array');
      for (const part of value) {
        if (!isPlainObject(part)) throw badValue('$or/$and/$nor entries need to be full objects');
        checkFilter(part);
      }
    } else if (!key.startsWith('$') && isCondition(value)) checkCondition(value);
  }
}

function checkCondition(condition: Doc): void {
  for (const [operator, operand] of Object.entries(condition)) {
    switch (operator) {
      case '$size':
        if (typeof operand !== 'number') throw badValue('$size needs a number');
        if (!Number.isInteger(operand)) throw badValue('$size must be a whole number');
        if (operand < 0) throw badValue('$size may not be negative');
        break;
      case '$all':
      case '$in':
      case '$nin':
        if (!Array.isArray(operand)) throw badValue(`${operator} needs an array`);
        break;
      case '$elemMatch':
        if (!isPlainObject(operand)) throw badValue('$elemMatch needs an Object');
        if (isCondition(operand) && !pathlessOperators.has(Object.keys(operand)[0]!)) checkCondition(operand);
        else checkFilter(operand);
        break;
      case '$mod':
        checkMod(operand);
        break;
      case '$not':
        if (operand instanceof RegExp) break;
        if (!isPlainObject(operand)) throw badValue('$not needs a regex or a document');
        if (Object.keys(operand).length === 0) throw badValue('$not cannot be empty');
        checkCondition(operand);
        break;
      default:
        break;
    }
  }
}

function checkMod(operand: unknown): void {
  if (!Array.isArray(operand)) throw badValue('malformed mod, needs to be an array');
  if (operand.length < 2) throw badValue('malformed mod, not enough elements');
  if (operand.length > 2) throw badValue('malformed mod, too many elements');
  const [divisor, remainder] = operand as unknown[];
  if (typeof divisor !== 'number') throw badValue('malformed mod, divisor not a number');
  if (typeof remainder !== 'number') throw badValue('malformed mod, remainder not a number');
  if (!Number.isFinite(divisor)) {
    throw badValue(
      `malformed mod, divisor value is invalid :: caused by :: ${Number.isNaN(divisor) ? 'NaN' : 'Infinity'} is an invalid argument`,
    );
  }
  if (Math.trunc(divisor) === 0) throw badValue('divisor cannot be 0');
}

function refuseUnsupported(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(refuseUnsupported);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, inner] of Object.entries(value)) {
    // No text index can exist here (createIndexes refuses them), so $text answers as mongod does
    // on a collection without one.
    if (key === '$text') throw new CommandError(27, 'IndexNotFound', 'text index required for $text query');
    if (unsupportedQueryOperators.has(key)) throw notImplemented(`query operator ${key}`);
    refuseUnsupported(inner);
  }
}

export function collationOption(collation: Doc | undefined): { collation?: CollationSpec } {
  if (!collation) return {};
  if (typeof collation.locale !== 'string')
    throw badValue("BSON field 'collation.locale' is missing but a required field");
  return { collation: collation as unknown as CollationSpec };
}
