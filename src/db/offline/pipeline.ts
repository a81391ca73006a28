// Aggregation pipelines through mingo, with the stages and checks where mongod answers
// differently. Kept apart from query.ts (filters, find) so neither file grows past reading.
import { Aggregator } from 'mingo/aggregator';
import { Context, evalExpr } from 'mingo/core';
import { Lazy, type Iterator } from 'mingo/lazy';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as windowOperators from 'mingo/operators/window';
import type { Options } from 'mingo/types';
import type { DocStream } from './cursors.js';
import { CommandError, notImplemented } from './errors.js';
import { expressions } from './expressions.js';
import { collatorFor } from './collation.js';
import { groupStage, matchStage } from './collatedStages.js';
import { compareValues, sortBy, typeRank } from './order.js';
import { checkFilter, collationOption, filterQueryOperators } from './filter.js';
import { sampleStage } from './sample.js';
import {
  compiledAddFields,
  compiledFacet,
  compiledGroup,
  compiledProject,
  compiledUnwind,
  copyFreePipeline,
} from './compiledStages.js';
import { bsonTypeName } from './types.js';
import { type Doc, deepCopy, idFirst, isPlainObject, keyOf, prepareFilter, valuesAtPath } from './values.js';

type Stage = (coll: Iterator, expr: Doc, options: Options) => Iterator;

/**
 * $lookup and $graphLookup put the same joined document into every row that matches it, and
 * $set/$unset then edit nested paths in place, so one row's change would show in another's
 * ({$set: {'joined.x': '$own'}}). Each row gets its own copy, as on mongod.
 */
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

/**
 * $addFields/$set through an array ({$set: {'items.flag': true}} sets the field in every element
 * on mongod) silently does nothing in mingo: refused instead.
 */
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

/** $sort in MongoDB's BSON order (mingo orders some types differently), in sub-pipelines too. */
const sortStage: Stage = (coll, spec, options) => {
  if (!isPlainObject(spec) || Object.keys(spec).length === 0) {
    throw new CommandError(15976, 'Location15976', '$sort stage must have at least one sort key');
  }
  const strings = collatorFor(options.collation as Doc | undefined);
  return coll.transform((items: unknown[]) => Lazy(sortBy(items, spec, (doc) => doc, strings)));
};

/** The keys a join compares for a document: each value at the path, arrays by their elements. */
function joinKeys(doc: unknown, path: string): string[] {
  const keys = new Set<string>();
  for (const value of valuesAtPath(doc, path)) {
    if (Array.isArray(value)) for (const item of value as unknown[]) keys.add(keyOf(item));
    else keys.add(keyOf(value)); // a missing field joins as null
  }
  return [...keys];
}

/**
 * The stored documents behind each copying collectionResolver of runPipeline: $lookup keys the
 * foreign collection as stored and copies only the documents a row joins (copying all of it per
 * stage cost more than the join itself).
 */
const storedCollections = new WeakMap<(name: string) => Doc[], (name: string) => Doc[]>();

/**
 * $lookup with localField/foreignField and a pipeline (MongoDB 5.0): the sub-pipeline runs over
 * the foreign documents that match on the fields (mingo would run it over all of them). The
 * foreign collection is keyed once per stage, so each row reads only its matches, copies of them
 * (the sub-pipeline may write into its input). Without `let` the sub-pipeline is one Aggregator
 * for the stage (built per row it cost most of a join); with `let`, mingo's $lookup per row.
 */
const lookupStage: Stage = (coll, expr, options) => {
  const { localField, foreignField, pipeline, from } = expr;
  const mingoLookup = pipelineOperators.$lookup as unknown as Stage;
  if (
    typeof localField !== 'string' ||
    typeof foreignField !== 'string' ||
    typeof from !== 'string' ||
    !Array.isArray(pipeline) ||
    pipeline.length === 0
  ) {
    return mingoLookup(coll, expr, options);
  }
  const rest: Doc = { ...expr };
  delete rest.localField;
  delete rest.foreignField;
  let byKey: Map<string, [number, unknown][]> | undefined;
  let subPipeline: Aggregator | undefined;
  const foreignByKey = (): Map<string, [number, unknown][]> => {
    const map = new Map<string, [number, unknown][]>();
    const resolver = options.collectionResolver;
    const stored = resolver ? storedCollections.get(resolver) : undefined;
    const foreign: unknown[] = stored ? stored(from) : (resolver?.(from) ?? []);
    foreign.forEach((doc, index) => {
      for (const key of joinKeys(doc, foreignField)) {
        let list = map.get(key);
        if (!list) map.set(key, (list = []));
        list.push([index, doc]);
      }
    });
    return map;
  };
  return coll.map((row: unknown) => {
    byKey ??= foreignByKey();
    const matched = new Map<number, unknown>();
    for (const key of joinKeys(row, localField))
      for (const [index, doc] of byKey.get(key) ?? []) matched.set(index, doc);
    const joined = [...matched.entries()].sort((a, b) => a[0] - b[0]).map(([, doc]) => deepCopy(doc));
    if (expr.let !== undefined || typeof expr.as !== 'string')
      return mingoLookup(Lazy([row]), { ...rest, from: joined }, options).next().value;
    const as = expr.as;
    if (joined.length === 0) return isPlainObject(row) ? { ...row, [as]: [] } : row;
    subPipeline ??= new Aggregator(pipeline as Doc[], options);
    return isPlainObject(row) ? { ...row, [as]: subPipeline.run(joined) } : row;
  });
};

/**
 * $bucketAuto as mongod fills it: documents in BSON order of their groupBy value (missing as
 * null), about n / buckets to a bucket, a bucket never splitting equal values, each bucket's max
 * the next one's min (the last one's its largest value). mingo's orders mixed types its own way;
 * `granularity` is left to mingo.
 */
const bucketAutoStage: Stage = (coll, expr, options) => {
  if (expr.granularity !== undefined)
    return (pipelineOperators.$bucketAuto as unknown as Stage)(coll, expr, options);
  const { groupBy, buckets, output } = expr;
  if (groupBy === undefined || buckets === undefined)
    throw bucketError(40246, "$bucketAuto requires 'groupBy' and 'buckets' to be specified");
  if (typeof buckets !== 'number' || !Number.isInteger(buckets))
    throw bucketError(
      40241,
      `The $bucketAuto 'buckets' field must be a numeric value, but found type: ${bsonTypeName(buckets)}`,
    );
  if (buckets <= 0)
    throw bucketError(40243, `The $bucketAuto 'buckets' field must be greater than 0, but found: ${buckets}`);
  const strings = collatorFor(options.collation as Doc | undefined);
  const accumulators = isPlainObject(output) ? output : { count: { $sum: 1 } };
  return coll.transform((items: unknown[]) => {
    const keyed = items.map((doc, index) => ({
      doc,
      index,
      key: evalExpr(doc, groupBy, options) ?? null,
    }));
    keyed.sort((x, y) => compareValues(x.key, y.key, strings) || x.index - y.index);
    const size = Math.max(1, Math.round(keyed.length / buckets));
    const out: Doc[] = [];
    for (let bucket = 0, end = 0; bucket < buckets && end < keyed.length; bucket++) {
      const start = end;
      end = bucket === buckets - 1 ? keyed.length : Math.min(keyed.length, start + size);
      while (end < keyed.length && compareValues(keyed[end]!.key, keyed[end - 1]!.key, strings) === 0) end++;
      const members = keyed.slice(start, end);
      const max = end < keyed.length ? keyed[end]!.key : members[members.length - 1]!.key;
      const fields = evalExpr(
        members.map((member) => member.doc),
        accumulators,
        options,
      ) as Doc;
      out.push({ _id: { min: members[0]!.key, max }, ...fields });
    }
    return Lazy(out);
  });
};

/** Marks a document the direct projection cannot take (an array on a path): mingo projects it. */
const ACROSS_ARRAY = Symbol('across an array');

/** The value at a dotted path of plain documents; ACROSS_ARRAY when an array is met before its end. */
function plainPath(doc: Doc, parts: readonly string[]): unknown {
  let value: unknown = doc;
  for (const part of parts) {
    if (Array.isArray(value)) return ACROSS_ARRAY;
    if (!isPlainObject(value)) return undefined;
    value = value[part];
  }
  return value;
}

/** A `$ifNull` replacement that evaluates to itself (a fresh `[]` for an empty array). */
const literalReplacement = (value: unknown): boolean =>
  value === null ||
  typeof value === 'number' ||
  typeof value === 'boolean' ||
  (typeof value === 'string' && !value.startsWith('$')) ||
  (Array.isArray(value) && value.length === 0);

/**
 * A `$project` of top-level fields only, each included (`1`/`true`), a field path (`'$a.b'`) or
 * `{$ifNull: ['$a.b', literal]}`, with `_id` kept or dropped (`0`), applied without mingo: the
 * row projection of the pool's export, where mingo's general projection was a third of the
 * pipeline's time. Gives exactly mingo's document (its field order, an `undefined` field for a
 * path that is missing, the fields in the order of their names), or undefined when a path crosses an array (mingo then projects that
 * document). Undefined for any other specification.
 */
export function directProjection(spec: Doc): ((doc: Doc) => Doc | undefined) | undefined {
  type Rule = (doc: Doc, out: Doc) => boolean;
  const byField = new Map<string, Rule>();
  let keepId = true;
  for (const [field, value] of Object.entries(spec)) {
    if (field.includes('.') || field.startsWith('$') || field === '') return undefined;
    if (field === '_id' && (value === 0 || value === false)) {
      keepId = false;
      continue;
    }
    if (value === 1 || value === true) {
      byField.set(field, (doc, out) => {
        const found = doc[field];
        if (found !== undefined) out[field] = found;
        return true;
      });
      continue;
    }
    let path: unknown = value;
    let replacement: unknown;
    let ifNull = false;
    if (isPlainObject(value)) {
      const operands = value.$ifNull;
      if (Object.keys(value).length !== 1 || !Array.isArray(operands) || operands.length !== 2)
        return undefined;
      if (!literalReplacement(operands[1])) return undefined;
      [path, replacement] = operands as [unknown, unknown];
      ifNull = true;
    }
    if (typeof path !== 'string' || !path.startsWith('$') || path.startsWith('$$') || path.length < 2)
      return undefined;
    const parts = path.slice(1).split('.');
    if (parts.some((part) => part === '' || part.startsWith('$'))) return undefined;
    byField.set(field, (doc, out) => {
      const found = plainPath(doc, parts);
      if (found === ACROSS_ARRAY) return false;
      out[field] =
        ifNull && (found === undefined || found === null)
          ? Array.isArray(replacement)
            ? []
            : replacement
          : found;
      return true;
    });
  }
  // `{_id: 0}` alone keeps every other field: mingo's.
  if (byField.size === 0) return undefined;
  // mingo writes the fields in the order of their sorted names.
  const rules = [...byField.keys()].sort().map((field) => byField.get(field)!);
  return (doc) => {
    const out: Doc = {};
    for (const rule of rules) if (!rule(doc, out)) return undefined;
    if (keepId && !('_id' in out) && doc._id !== undefined) out._id = doc._id;
    return out;
  };
}

/** $project puts `_id` first, as mongod does (mingo moves it last in sub-pipelines). */
const projectStage: Stage = (coll, expr, options) => {
  const direct = isPlainObject(expr) ? directProjection(expr) : undefined;
  if (!direct) {
    return pipelineOperators
      .$project(coll, expr, options)
      .map((row: unknown) => (isPlainObject(row) ? idFirst(row) : row));
  }
  return coll.map((row: unknown) => {
    const projected = isPlainObject(row) ? direct(row) : undefined;
    const out = projected ?? pipelineOperators.$project(Lazy([row]), expr, options).next().value;
    return isPlainObject(out) ? idFirst(out) : out;
  });
};

const pipelineContext = Context.init({
  accumulator: accumulatorOperators,
  expression: expressions,
  pipeline: {
    ...pipelineOperators,
    $lookup: ownCopy(lookupStage),
    $graphLookup: ownCopy(pipelineOperators.$graphLookup as unknown as Stage),
    $addFields: noPathThroughArray('$addFields', compiledAddFields(pipelineOperators.$addFields)),
    $set: noPathThroughArray('$set', compiledAddFields(pipelineOperators.$set)),
    $sort: sortStage,
    $match: matchStage,
    $group: compiledGroup(groupStage),
    $bucketAuto: bucketAutoStage,
    $project: compiledProject(projectStage),
    $unwind: compiledUnwind(pipelineOperators.$unwind as unknown as Stage),
    $facet: compiledFacet(pipelineOperators.$facet as unknown as Stage, (stages, items, options) =>
      new Aggregator(stages, options).run(items),
    ),
    $sample: sampleStage as unknown as Stage,
  } as unknown as typeof pipelineOperators,
  projection: projectionOperators,
  query: filterQueryOperators,
  window: windowOperators,
});

/** A command's `let` document evaluated (its values may be expressions such as {$add: …} or '$$NOW'). */
export function letVariables(raw: Doc | undefined): Doc | undefined {
  if (!raw) return undefined;
  const values = evalExpr({}, prepareFilter(raw), { context: pipelineContext } as Options);
  return isPlainObject(values) ? values : undefined;
}

/** A resolver giving copies of the stored documents, registered with its uncopied source. */
function copyingResolver(resolve: (name: string) => Doc[]): (name: string) => Doc[] {
  const copying = (name: string): Doc[] => resolve(name).map((doc) => deepCopy(doc));
  storedCollections.set(copying, resolve);
  return copying;
}

/** Runs an aggregation pipeline (on copies, so no stage can touch stored data). */
export function runPipeline(
  input: Doc[],
  stages: Doc[],
  resolve: (name: string) => Doc[],
  options: { collation?: Doc; let?: Doc } = {},
): Doc[] {
  const pipeline = rewritePipeline(stages);
  if (pipeline.length === 0) return input;
  try {
    const aggregator = new Aggregator(pipeline.map(prepareFilter), {
      // CLONE_INPUT: stages such as $set must not write into stored documents. Stages that only
      // read skip the copy (a $group over 10,000 documents spends half its time copying).
      // Stages that write only the top level of a document they copy (compiledStages.ts) skip it too.
      processingMode:
        pipeline.every((stage) => readOnlyStages.has(Object.keys(stage)[0] ?? '')) ||
        copyFreePipeline(pipeline)
          ? 0
          : 1,
      // Joined collections ($lookup, $unionWith, $graphLookup) are copies too, for the same reason
      // ($lookup copies only the documents it joins: storedCollections).
      collectionResolver: copyingResolver(resolve),
      context: pipelineContext,
      ...collationOption(options.collation),
      ...(options.let ? { variables: options.let } : {}),
    });
    return aggregator.run(input).map((doc) => (isPlainObject(doc) ? idFirst(doc) : doc));
  } catch (error) {
    throw pipelineError(error);
  }
}

/** A failure inside mingo as mongod would report it (a CommandError passes through). */
function pipelineError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  const message = (error as Error).message;
  const unregistered = /accumulator '(\$\w+)' is not registered/.exec(message);
  if (unregistered)
    return new CommandError(168, 'InvalidPipelineOperator', `Unrecognized expression '${unregistered[1]}'`);
  if (/unknown|unsupported|not supported|invalid operator/i.test(message)) {
    return new CommandError(168, 'InvalidPipelineOperator', `${message} (offline MongoDB lane)`);
  }
  return new CommandError(2, 'BadValue', message);
}

/**
 * Stages that turn one document into at most a few without looking at the others: a pipeline
 * of only these can hand its results out as a cursor asks for them (mongod's streaming stages).
 * `$sort`, `$group`, `$facet`, `$bucket*`, `$sample`, `$unionWith`… need all their input first.
 */
const streamingStages = new Set([
  '$addFields',
  '$set',
  '$project',
  '$unset',
  '$match',
  '$lookup',
  '$replaceRoot',
  '$replaceWith',
  '$unwind',
  '$redact',
]);

/** Whether `stages` (as the client sent them) can run document by document (streamPipeline). */
export function streamable(stages: Doc[]): boolean {
  return stages.length > 0 && stages.every((stage) => streamingStages.has(Object.keys(stage)[0] ?? ''));
}

/**
 * A pipeline of streaming stages run lazily: each input document goes through every stage when
 * the cursor asks for the next result, so the results never all exist at once (an export of
 * 10,000 rows holds a batch, not the whole answer). Each result is what runPipeline would give
 * at that position; `finish` (restoring int64/decimal types) is applied to each. Errors are
 * mongod's, thrown when the document that causes them is reached (on getMore, as on mongod).
 */
export function streamPipeline(
  input: Doc[],
  stages: Doc[],
  resolve: (name: string) => Doc[],
  options: { collation?: Doc; let?: Doc } = {},
  finish: (doc: Doc) => Doc = (doc) => doc,
): DocStream {
  const pipeline = rewritePipeline(stages);
  let results: Iterator;
  try {
    const aggregator = new Aggregator(pipeline.map(prepareFilter), {
      // As in runPipeline: stages that write get copies of their input documents, one at a time.
      processingMode: pipeline.every((stage) => readOnlyStages.has(Object.keys(stage)[0] ?? '')) ? 0 : 1,
      collectionResolver: (name: string) => resolve(name).map((doc) => deepCopy(doc)),
      context: pipelineContext,
      ...collationOption(options.collation),
      ...(options.let ? { variables: options.let } : {}),
    });
    results = aggregator.stream(input);
  } catch (error) {
    throw pipelineError(error);
  }
  return {
    next(): IteratorResult<Doc> {
      let step: IteratorResult<unknown>;
      try {
        step = results.next() as IteratorResult<unknown>;
      } catch (error) {
        throw pipelineError(error);
      }
      if (step.done) return { done: true, value: undefined };
      const doc = step.value;
      return { done: false, value: isPlainObject(doc) ? finish(idFirst(doc)) : (doc as Doc) };
    },
  };
}

/**
 * A leading `$sort` applied to the input before the pipeline runs (in the same stable order the
 * stage gives), so the sorted documents need not be copied into the pipeline all at once.
 * Undefined when `stage` is not a `$sort` the stage itself would accept.
 */
export function sortInput<T>(
  items: T[],
  stage: Doc | undefined,
  view: (item: T) => Doc,
  collation?: Doc,
): T[] | undefined {
  const spec = stage === undefined ? undefined : prepareFilter<Doc>(stage).$sort;
  if (!isPlainObject(spec) || Object.keys(spec).length === 0) return undefined;
  try {
    return sortBy(items, spec, view, collatorFor(collation));
  } catch (error) {
    throw pipelineError(error);
  }
}

/** Stages that never write into their input documents (their output is built afresh). */
const readOnlyStages = new Set(['$match', '$group', '$sort', '$limit', '$skip', '$count', '$sortByCount']);
const knownAccumulators = new Set(Object.keys(accumulatorOperators));

/**
 * Stages mingo would answer differently from mongod, rewritten into equivalent ones (nested
 * pipelines too), and mongod's parse-time checks: `$count` gives no document for no input;
 * `$bucket` becomes the `$group` over a `$switch` and `$sort` that mongod itself turns it into; an
 * unknown `$group` accumulator is mongod's error 15952.
 */
function rewritePipeline(pipeline: Doc[]): Doc[] {
  return pipeline.flatMap((stage): Doc[] => {
    const name = Object.keys(stage)[0];
    const spec = name === undefined ? undefined : stage[name];
    switch (name) {
      case '$count':
        if (typeof spec !== 'string') break;
        return [{ $group: { _id: null, [spec]: { $sum: 1 } } }, { $project: { _id: 0 } }];
      case '$bucket':
        return bucketStages(spec);
      case '$group':
        checkGroup(spec);
        break;
      case '$match':
        if (isPlainObject(spec)) checkFilter(prepareFilter(spec));
        break;
      case '$unwind':
        checkUnwind(spec);
        break;
      case '$project':
        if (isPlainObject(spec) && Object.keys(spec).length === 0) {
          throw new CommandError(
            51272,
            'Location51272',
            'Invalid $project :: caused by :: projection specification must have at least one field',
          );
        }
        break;
      case '$facet':
        if (!isPlainObject(spec)) break;
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
      case '$lookup':
      case '$unionWith':
        if (!isPlainObject(spec) || !Array.isArray(spec.pipeline)) break;
        return [{ [name]: { ...spec, pipeline: rewritePipeline(spec.pipeline as Doc[]) } }];
      default:
        break;
    }
    return [stage];
  });
}

function checkGroup(spec: unknown): void {
  if (!isPlainObject(spec)) return;
  for (const [field, accumulator] of Object.entries(spec)) {
    if (field === '_id') continue;
    const operator = isPlainObject(accumulator) ? Object.keys(accumulator)[0] : undefined;
    if (operator === undefined || !knownAccumulators.has(operator)) {
      throw new CommandError(15952, 'Location15952', `unknown group operator '${String(operator)}'`);
    }
  }
}

function checkUnwind(spec: unknown): void {
  let path = spec;
  if (isPlainObject(spec)) {
    path = spec.path;
    if (path === undefined)
      throw new CommandError(28812, 'Location28812', 'no path specified to $unwind stage');
    if (typeof path !== 'string') {
      throw new CommandError(
        28808,
        'Location28808',
        `expected a string as the path for $unwind stage, got ${bsonTypeName(path)}`,
      );
    }
  } else if (typeof spec !== 'string') {
    throw new CommandError(
      15981,
      'Location15981',
      `expected either a string or an object as specification for $unwind stage, got ${bsonTypeName(spec)}`,
    );
  }
  if (!(path as string).startsWith('$')) {
    throw new CommandError(
      28818,
      'Location28818',
      `path option to $unwind stage should be prefixed with a '$': ${path as string}`,
    );
  }
}

const bucketError = (code: number, message: string): CommandError =>
  new CommandError(code, `Location${code}`, message);
const bucketOptions = new Set(['groupBy', 'boundaries', 'default', 'output']);

/**
 * $bucket as mongod runs it: a $group whose _id is the lower boundary of the first bucket the
 * value falls in (lower bound inclusive, upper exclusive) or the default, then a $sort on _id.
 * Only buckets holding a document appear; a value outside every bucket without a default is
 * mongod's error 40066 (from the $switch).
 */
function bucketStages(spec: unknown): Doc[] {
  if (!isPlainObject(spec)) {
    throw bucketError(
      40201,
      `Argument to $bucket stage must be an object, but found type: ${bsonTypeName(spec)}.`,
    );
  }
  for (const key of Object.keys(spec))
    if (!bucketOptions.has(key)) throw bucketError(40197, `Unrecognized option to $bucket: ${key}.`);
  const { groupBy, boundaries, output } = spec;
  if (groupBy === undefined || boundaries === undefined)
    throw bucketError(40198, "$bucket requires 'groupBy' and 'boundaries' to be specified.");
  if (!Array.isArray(boundaries)) {
    throw bucketError(
      40200,
      `The $bucket 'boundaries' field must be an array, but found type: ${bsonTypeName(boundaries)}.`,
    );
  }
  if (boundaries.length < 2) {
    throw bucketError(
      40192,
      `The $bucket 'boundaries' field must have at least 2 values, but found ${boundaries.length} value(s).`,
    );
  }
  for (let i = 1; i < boundaries.length; i++) {
    const [lower, upper] = [boundaries[i - 1] as unknown, boundaries[i] as unknown];
    if (typeRank(lower) !== typeRank(upper)) {
      throw bucketError(
        40193,
        `All values in the the 'boundaries' option to $bucket must have the same type. Found conflicting types ${bsonTypeName(lower)} and ${bsonTypeName(upper)}.`,
      );
    }
    if (compareValues(lower, upper) >= 0) {
      throw bucketError(
        40194,
        `The 'boundaries' option to $bucket must be sorted, but elements ${i - 1} and ${i} are not in ascending order (${String(lower)} is not less than ${String(upper)}).`,
      );
    }
  }
  const hasDefault = 'default' in spec;
  if (
    hasDefault &&
    compareValues(spec.default, boundaries[0]) >= 0 &&
    compareValues(spec.default, boundaries[boundaries.length - 1]) < 0
  ) {
    throw bucketError(
      40199,
      "The $bucket 'default' field must be less than the lowest boundary or greater than or equal to the highest boundary.",
    );
  }
  if (!(typeof groupBy === 'string' && groupBy.startsWith('$')) && !isPlainObject(groupBy)) {
    throw bucketError(
      40202,
      `The $bucket 'groupBy' field must be defined as a $-prefixed path or an expression, but found: ${JSON.stringify(groupBy)}.`,
    );
  }
  if (output !== undefined && !isPlainObject(output)) {
    throw bucketError(
      40196,
      `The $bucket 'output' field must be an object, but found type: ${bsonTypeName(output)}.`,
    );
  }
  const value = '$$lhbucketvalue';
  const branches = boundaries.slice(0, -1).map((lower: unknown, i) => ({
    case: {
      $and: [
        { $gte: [value, { $literal: lower }] },
        { $lt: [value, { $literal: boundaries[i + 1] as unknown }] },
      ],
    },
    then: { $literal: lower },
  }));
  const bucketId = {
    $let: {
      vars: { lhbucketvalue: groupBy },
      in: { $switch: { branches, ...(hasDefault ? { default: { $literal: spec.default } } : {}) } },
    },
  };
  return [{ $group: { _id: bucketId, ...(output ?? { count: { $sum: 1 } }) } }, { $sort: { _id: 1 } }];
}
