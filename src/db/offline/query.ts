// Reading documents: filter (through mingo), sort, skip, limit and projection, over the
// candidates a collection's indexes allow.
import { Long } from 'bson';
// The base Query, so that the context below (mingo's operators with a few replaced) is the one used.
import { Query } from 'mingo/query';
import { Context } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import type { CollationSpec } from 'mingo/types';
import { CommandError, badValue, notImplemented } from './errors.js';
import { expressions } from './expressions.js';
import type { Collection, Stored } from './store.js';
import { collationComparator, sortBy } from './order.js';
import { $type as bsonType } from './types.js';
import { type Doc, deepCopy, idFirst, isPlainObject, keyOf, prepareFilter, valuesAtPath } from './values.js';

/** MongoDB query operators mingo does not implement: refused by name rather than guessed at. */
const unsupportedQueryOperators = new Set([
  '$text',
  '$near',
  '$nearSphere',
  '$geoWithin',
  '$geoIntersects',
  '$where',
]);

export interface FindOptions {
  sort?: Doc | undefined;
  skip?: number | undefined;
  limit?: number | undefined;
  projection?: Doc | undefined;
  collation?: Doc | undefined;
  /** The command's `let` variables, evaluated. */
  variables?: Doc | undefined;
}

/** mingo's operators, with `$type` answering in BSON's types and mongod's expression comparisons. */
const filterContext = Context.init({
  accumulator: accumulatorOperators,
  expression: expressions,
  pipeline: pipelineOperators,
  projection: projectionOperators,
  query: { ...queryOperators, $type: bsonType } as typeof queryOperators,
  window: windowOperators,
});

/** Compiles a filter, translating mingo's complaints into mongod's errors. */
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
  let query: Query;
  try {
    query = new Query(filter, {
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
  const ordered = orderedEqualities(filter);
  if (ordered.length === 0) return { query, filter };
  // mingo compares embedded documents regardless of field order; MongoDB does not.
  const strict = {
    test: (doc: Doc): boolean =>
      query.test(doc) &&
      ordered.every(([path, key]) => equalityCandidates(doc, path).some((value) => keyOf(value) === key)),
  } as Query;
  return { query: strict, filter };
}

/** Top-level conditions `path: {embedded document}` (or `$eq` of one), as [path, key]. */
function orderedEqualities(filter: Doc): [string, string][] {
  const out: [string, string][] = [];
  for (const [path, condition] of Object.entries(filter)) {
    if (path === '$and' && Array.isArray(condition)) {
      for (const part of condition) if (isPlainObject(part)) out.push(...orderedEqualities(part));
      continue;
    }
    if (path.startsWith('$') || !isPlainObject(condition)) continue;
    const keys = Object.keys(condition);
    const value = keys.length === 1 && keys[0] === '$eq' ? condition.$eq : condition;
    if (!isPlainObject(value) || Object.keys(value).some((key) => key.startsWith('$'))) continue;
    if (Object.keys(value).length > 1 || Object.values(value).some(isPlainObject))
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

/**
 * The stored documents matching a filter, in natural (insertion) order; the first `stopAfter`
 * of them only, when given (an unsorted limit need not test the rest).
 */
export function matching(
  collection: Collection | undefined,
  query: Query,
  filter: Doc,
  collation?: Doc,
  stopAfter = Infinity,
): Stored[] {
  if (!collection || stopAfter <= 0) return [];
  const out: Stored[] = [];
  try {
    for (const entry of collection.candidates(filter, collation === undefined)) {
      if (!query.test(entry.view)) continue;
      out.push(entry);
      if (out.length >= stopAfter) break;
    }
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw badValue((error as Error).message);
  }
  return out;
}

/** Sorts stored documents in MongoDB's order (BSON comparison over the stored values). */
export function sortStored(entries: Stored[], sort: Doc | undefined, collation?: Doc): Stored[] {
  if (!sort || Object.keys(sort).length === 0) return entries;
  return sortBy(entries, sort, (entry) => entry.doc, collationComparator(collation));
}

/**
 * mongod refuses a projection that both includes and excludes fields (other than `_id`);
 * findAndModify calls this before it writes anything.
 */
export function checkProjectionKind(projection: Doc): void {
  let kind: { include: boolean; field: string } | undefined;
  for (const [field, value] of Object.entries(projection)) {
    if (field === '_id') continue;
    let include: boolean;
    if (typeof value === 'number' || typeof value === 'boolean') include = Boolean(value);
    else if (isPlainObject(value) && ['$slice', '$elemMatch'].includes(Object.keys(value)[0] ?? '')) continue;
    else include = true; // a computed field
    if (kind && kind.include !== include) {
      throw include
        ? new CommandError(
            31253,
            'Location31253',
            `Cannot do inclusion on field ${field} in exclusion projection`,
          )
        : new CommandError(
            31254,
            'Location31254',
            `Cannot do exclusion on field ${field} in inclusion projection`,
          );
    }
    kind ??= { include, field };
  }
}

/** Applies an find-style projection to stored documents (the filter resolves `field.$`). */
export function project(docs: Doc[], projection: Doc | undefined, filter: Doc, variables?: Doc): Doc[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  checkProjectionKind(projection);
  const positional = Object.keys(projection).find((key) => key.endsWith('.$'));
  if (positional !== undefined) for (const doc of docs) checkPositional(doc, positional.slice(0, -2), filter);
  try {
    // mingo's exclusion of a nested field ('a.b': 0) deletes it from the document it is given: copies.
    const copies = docs.map((doc) => deepCopy(doc));
    return new Query(positional !== undefined ? filter : {}, {
      context: filterContext,
      ...(variables ? { variables } : {}),
    })
      .find(copies, projection)
      .all()
      .map((doc) => idFirst(doc as Doc));
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw badValue((error as Error).message);
  }
}

/**
 * mongod's positional projection (`'a.$': 1`) takes the array element the filter matched; when
 * the projected path reaches an array and no condition of the filter looked inside an array of
 * that document, there is no such element: error 51246.
 */
function checkPositional(doc: Doc, path: string, filter: Doc): void {
  if (!pathReachesArray(doc, path)) return;
  if (filterPaths(filter).some((condition) => pathReachesArray(doc, condition))) return;
  throw new CommandError(
    51246,
    'Location51246',
    "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array",
  );
}

function pathReachesArray(doc: unknown, path: string): boolean {
  let value = doc;
  for (const part of path.split('.')) {
    if (!isPlainObject(value)) return false;
    value = value[part];
    if (Array.isArray(value)) return true;
  }
  return false;
}

/** The field paths a filter puts conditions on (through $and, where every condition holds). */
function filterPaths(filter: Doc): string[] {
  return Object.entries(filter).flatMap(([key, value]): string[] => {
    if (key === '$and' && Array.isArray(value))
      return value.flatMap((part) => (isPlainObject(part) ? filterPaths(part) : []));
    return key.startsWith('$') ? [] : [key];
  });
}

/**
 * mongod refuses a hint that names no index of the collection (by name or key pattern); `_id_`
 * always exists, and `{$natural: 1}` asks for a collection scan.
 */
export function checkHint(collection: Collection | undefined, hint: unknown): void {
  if (!collection || hint === undefined || hint === null) return;
  const specs = collection.indexSpecs();
  if (typeof hint === 'string') {
    if (specs.some((spec) => spec.name === hint)) return;
  } else if (isPlainObject(hint)) {
    const keys = Object.keys(hint);
    if (keys.length === 0 || (keys.length === 1 && keys[0] === '$natural')) return;
    const wanted = keyOf(hint);
    if (specs.some((spec) => keyOf(spec.key) === wanted)) return;
  } else return;
  throw badValue(
    'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
  );
}

/** find's full read path: match, sort, skip, limit, project. */
export function find(collection: Collection | undefined, rawFilter: unknown, options: FindOptions): Doc[] {
  const { query, filter } = compileFilter(rawFilter, options.collation, options.variables);
  const skip = options.skip ?? 0;
  if (skip < 0) throw badValue('skip value must be non-negative');
  const limit = Math.abs(options.limit ?? 0);
  const sorted = options.sort !== undefined && Object.keys(options.sort).length > 0;
  // Without a sort the first skip + limit matches are the answer: stop there.
  const stopAfter = !sorted && limit ? skip + limit : Infinity;
  let entries = sortStored(
    matching(collection, query, filter, options.collation, stopAfter),
    options.sort,
    options.collation,
  );
  if (skip || limit) entries = entries.slice(skip, limit ? skip + limit : undefined);
  return project(
    entries.map((entry) => entry.doc),
    options.projection,
    filter,
    options.variables,
  );
}
