// Reading documents: filter (through mingo), sort, skip, limit and projection, over the
// candidates a collection's indexes allow.
import { Long } from 'bson';
import { Query } from 'mingo';
import { Query as FilterQuery } from 'mingo/query';
// The base Aggregator, so that the context below (mingo's operators with a few wrapped) is the one used.
import { Aggregator } from 'mingo/aggregator';
import { Context } from 'mingo/core';
import type { Iterator } from 'mingo/lazy';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import type { CollationSpec, Options } from 'mingo/types';
import { CommandError, badValue, notImplemented } from './errors.js';
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
}

/** mingo's operators, with `$type` answering in BSON's types. */
const filterContext = Context.init({
  accumulator: accumulatorOperators,
  expression: expressionOperators,
  pipeline: pipelineOperators,
  projection: projectionOperators,
  query: { ...queryOperators, $type: bsonType } as typeof queryOperators,
  window: windowOperators,
});

/** Compiles a filter, translating mingo's complaints into mongod's errors. */
export function compileFilter(raw: unknown, collation?: Doc): { query: Query; filter: Doc } {
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
  let query: Query;
  try {
    query = new FilterQuery(filter, { ...collationOption(collation), context: filterContext });
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

/** The stored documents matching a filter, in natural (insertion) order. */
export function matching(
  collection: Collection | undefined,
  query: Query,
  filter: Doc,
  collation?: Doc,
): Stored[] {
  if (!collection) return [];
  const out: Stored[] = [];
  try {
    for (const entry of collection.candidates(filter, collation === undefined))
      if (query.test(entry.view)) out.push(entry);
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

/** mongod refuses a projection that both includes and excludes fields (other than `_id`). */
function checkProjectionKind(projection: Doc): void {
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
export function project(docs: Doc[], projection: Doc | undefined, filter: Doc): Doc[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  checkProjectionKind(projection);
  try {
    const usesPositional = Object.keys(projection).some((key) => key.endsWith('.$'));
    // mingo's exclusion of a nested field ('a.b': 0) deletes it from the document it is given: copies.
    const copies = docs.map((doc) => deepCopy(doc));
    return new Query(usesPositional ? filter : {})
      .find(copies, projection)
      .all()
      .map((doc) => idFirst(doc as Doc));
  } catch (error) {
    throw badValue((error as Error).message);
  }
}

/** find's full read path: match, sort, skip, limit, project. */
export function find(collection: Collection | undefined, rawFilter: unknown, options: FindOptions): Doc[] {
  const { query, filter } = compileFilter(rawFilter, options.collation);
  let entries = sortStored(
    matching(collection, query, filter, options.collation),
    options.sort,
    options.collation,
  );
  const skip = options.skip ?? 0;
  if (skip < 0) throw badValue('skip value must be non-negative');
  const limit = Math.abs(options.limit ?? 0);
  if (skip || limit) entries = entries.slice(skip, limit ? skip + limit : undefined);
  return project(
    entries.map((entry) => entry.doc),
    options.projection,
    filter,
  );
}

/**
 * Pipeline stages wrapped where mingo's own would answer differently from mongod:
 * - $lookup and $graphLookup put the same joined document into every row that matches it, and
 *   $set/$unset then edit nested paths in place, so one row's change would show in another's
 *   ({$set: {'joined.x': '$own'}}). Each row gets its own copy, as on mongod.
 * - $addFields/$set through an array ({$set: {'items.flag': true}} sets the field in every element
 *   on mongod) silently does nothing in mingo: refused instead.
 */
type Stage = (coll: Iterator, expr: Doc, options: Options) => Iterator;
const ownCopy =
  (stage: Stage): Stage =>
  (coll, expr, options) => {
    const as = expr.as;
    if (typeof as === 'string' && as.includes('.'))
      throw notImplemented(`a dotted 'as' path (${as}) in a join stage`);
    if (typeof as !== 'string') return stage(coll, expr, options);
    return stage(coll, expr, options).map((row: unknown) =>
      isPlainObject(row) ? { ...row, [as]: deepCopy(row[as]) } : row,
    );
  };
const noPathThroughArray =
  (name: string, stage: Stage): Stage =>
  (coll, expr, options) => {
    const dotted = Object.keys(expr).filter((field) => field.includes('.'));
    if (dotted.length === 0) return stage(coll, expr, options);
    const checked = coll.map((row: unknown) => {
      for (const field of dotted) {
        if (crossesArray(row, field)) throw notImplemented(`${name} of '${field}', a path through an array`);
      }
      return row;
    });
    return stage(checked, expr, options);
  };

function crossesArray(row: unknown, path: string): boolean {
  let value = row;
  for (const part of path.split('.').slice(0, -1)) {
    if (!isPlainObject(value)) return false;
    value = value[part];
    if (Array.isArray(value)) return true;
  }
  return false;
}

const pipelineContext = Context.init({
  accumulator: accumulatorOperators,
  expression: expressionOperators,
  pipeline: {
    ...pipelineOperators,
    $lookup: ownCopy(pipelineOperators.$lookup as unknown as Stage),
    $graphLookup: ownCopy(pipelineOperators.$graphLookup as unknown as Stage),
    $addFields: noPathThroughArray('$addFields', pipelineOperators.$addFields),
    $set: noPathThroughArray('$set', pipelineOperators.$set),
  } as unknown as typeof pipelineOperators,
  projection: projectionOperators,
  query: { ...queryOperators, $type: bsonType } as typeof queryOperators,
  window: windowOperators,
});

/**
 * Runs an aggregation pipeline (on copies, so no stage can touch stored data). Top-level `$sort`
 * stages are run here, in MongoDB's BSON order, between the stages mingo runs.
 */
export function runPipeline(
  input: Doc[],
  stages: Doc[],
  resolve: (name: string) => Doc[],
  options: { collation?: Doc; let?: Doc } = {},
): Doc[] {
  const pipeline = rewritePipeline(stages);
  const at = pipeline.findIndex((stage) => '$sort' in stage);
  if (at < 0) return runStages(input, pipeline, resolve, options);
  const before = at === 0 ? input : runStages(input, pipeline.slice(0, at), resolve, options);
  const spec = pipeline[at]!.$sort;
  if (!isPlainObject(spec) || Object.keys(spec).length === 0) {
    throw new CommandError(15976, 'Location15976', '$sort stage must have at least one sort key');
  }
  const sorted = sortBy(before, spec, (doc) => doc, collationComparator(options.collation));
  return runPipeline(sorted, pipeline.slice(at + 1), resolve, options);
}

/** Stages that never write into their input documents (their output is built afresh). */
const readOnlyStages = new Set(['$match', '$group', '$sort', '$limit', '$skip', '$count', '$sortByCount']);

const asArray = (value: string): Doc => ({
  $cond: [{ $isArray: value }, value, [{ $ifNull: [value, null] }]],
});
const knownAccumulators = new Set(Object.keys(accumulatorOperators));

/**
 * Stages mingo would answer differently from mongod, rewritten into equivalent ones (nested
 * pipelines too): `$count` gives no document for no input; `$lookup` with localField/foreignField
 * and a pipeline (MongoDB 5.0) joins on both, where mingo would ignore the fields; an unknown
 * `$group` accumulator is mongod's error 15952.
 */
function rewritePipeline(pipeline: Doc[]): Doc[] {
  return pipeline.flatMap((stage): Doc[] => {
    const name = Object.keys(stage)[0];
    const spec = name === undefined ? undefined : stage[name];
    if (name === '$count' && typeof spec === 'string') {
      return [{ $group: { _id: null, [spec]: { $sum: 1 } } }, { $project: { _id: 0 } }];
    }
    if (name === '$group' && isPlainObject(spec)) {
      for (const [field, accumulator] of Object.entries(spec)) {
        if (field === '_id') continue;
        const operator = isPlainObject(accumulator) ? Object.keys(accumulator)[0] : undefined;
        if (operator === undefined || !knownAccumulators.has(operator)) {
          throw new CommandError(15952, 'Location15952', `unknown group operator '${String(operator)}'`);
        }
      }
    }
    if (name === '$facet' && isPlainObject(spec)) {
      return [
        {
          $facet: Object.fromEntries(
            Object.entries(spec).map(([key, inner]) => [
              key,
              Array.isArray(inner) ? rewritePipeline(inner as Doc[]) : inner,
            ]),
          ),
        },
      ];
    }
    if (
      (name === '$lookup' || name === '$unionWith') &&
      isPlainObject(spec) &&
      Array.isArray(spec.pipeline)
    ) {
      const inner = rewritePipeline(spec.pipeline as Doc[]);
      if (
        name === '$lookup' &&
        typeof spec.localField === 'string' &&
        typeof spec.foreignField === 'string'
      ) {
        const { localField, foreignField, ...rest } = spec;
        const join = {
          $gt: [{ $size: { $setIntersection: [asArray(`$${foreignField}`), asArray('$$lhlocal')] } }, 0],
        };
        return [
          {
            $lookup: {
              ...rest,
              let: { ...(isPlainObject(spec.let) ? spec.let : {}), lhlocal: `$${localField}` },
              pipeline: [{ $match: { $expr: join } }, ...inner],
            },
          },
        ];
      }
      return [{ [name]: { ...spec, pipeline: inner } }];
    }
    return [stage];
  });
}

function runStages(
  input: Doc[],
  pipeline: Doc[],
  resolve: (name: string) => Doc[],
  options: { collation?: Doc; let?: Doc },
): Doc[] {
  if (pipeline.length === 0) return input;
  try {
    const aggregator = new Aggregator(pipeline.map(prepareFilter), {
      // CLONE_INPUT: stages such as $set must not write into stored documents. Stages that only
      // read skip the copy (a $group over 10,000 documents spends half its time copying).
      processingMode: pipeline.every((stage) => readOnlyStages.has(Object.keys(stage)[0] ?? '')) ? 0 : 1,
      // Joined collections ($lookup, $unionWith, $graphLookup) are copies too, for the same reason.
      collectionResolver: (name: string) => resolve(name).map((doc) => deepCopy(doc)),
      context: pipelineContext,
      ...collationOption(options.collation),
      ...(options.let ? { variables: options.let } : {}),
    });
    return aggregator.run(input).map((doc) => (isPlainObject(doc) ? idFirst(doc) : doc));
  } catch (error) {
    if (error instanceof CommandError) throw error;
    const message = (error as Error).message;
    const unregistered = /accumulator '(\$\w+)' is not registered/.exec(message);
    if (unregistered)
      throw new CommandError(168, 'InvalidPipelineOperator', `Unrecognized expression '${unregistered[1]}'`);
    if (/unknown|unsupported|not supported|invalid operator/i.test(message)) {
      throw new CommandError(168, 'InvalidPipelineOperator', `${message} (offline MongoDB lane)`);
    }
    throw new CommandError(2, 'BadValue', message);
  }
}
