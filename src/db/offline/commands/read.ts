// Reads: find, getMore, killCursors, count, distinct and aggregate.
import { Long } from 'bson';
import {
  type CommandHandler,
  collectionName,
  cursorBatchSize,
  optionalArray,
  optionalDoc,
  optionalNumber,
} from '../context.js';
import { CommandError, notImplemented, typeMismatch } from '../errors.js';
import { explain, explainAggregateCommand } from './explain.js';
import { collatedKeyOf, collationOf, collatorFor } from '../collation.js';
import { compareValues } from '../order.js';
import { letVariables, runPipeline, sortInput, streamPipeline, streamable } from '../pipeline.js';
import { compileFilter } from '../filter.js';
import { checkHint, countMatching, find as findDocs, inHintOrder, matching } from '../find.js';
import { WideNumbers } from '../restore.js';
import type { Stored } from '../store.js';
import { type Doc, isPlainObject, keyOf, valuesAtPath } from '../values.js';
import { parseCollation } from '../collation.js';
import { project } from '../projection.js';
import { type ResolvedView, readView, resolveView, sourceDocuments, viewCollation } from '../views.js';

/** A hint on a view would have to reach the collection under its pipeline: refused here. */
function refuseViewHint(command: Doc): void {
  if (command.hint !== undefined && command.hint !== null) throw notImplemented('hint on a view');
}

/** The documents a read of a view yields: its pipeline, then `stages`, types restored. */
function viewRead(
  context: Parameters<CommandHandler>[1],
  view: ResolvedView,
  command: Doc,
  stages: Doc[],
  variables?: Doc,
): Doc[] {
  refuseViewHint(command);
  const collation = viewCollation(view, parseCollation(command.collation));
  const wide = new WideNumbers();
  return wide.restore(readView(context.db, view, stages, wide, collation, variables));
}

/** find on a view: the view's pipeline, then $match, $sort, $skip and $limit, then the projection. */
function findOnView(
  context: Parameters<CommandHandler>[1],
  view: ResolvedView,
  command: Doc,
  name: string,
): Doc {
  const filter = optionalDoc(command, 'filter') ?? {};
  const sort = optionalDoc(command, 'sort');
  const skip = optionalNumber(command, 'skip') ?? 0;
  const limit = Math.abs(optionalNumber(command, 'limit') ?? 0);
  const variables = letVariables(optionalDoc(command, 'let'));
  const stages: Doc[] = [];
  if (Object.keys(filter).length) stages.push({ $match: filter });
  if (sort && Object.keys(sort).length) stages.push({ $sort: sort });
  if (skip) stages.push({ $skip: skip });
  if (limit) stages.push({ $limit: limit });
  const docs = project(
    viewRead(context, view, command, stages, variables),
    optionalDoc(command, 'projection'),
    filter,
    variables,
  );
  const cursor = context.state.cursors.open(
    `${context.dbName}.${name}`,
    docs,
    optionalNumber(command, 'batchSize'),
    {
      singleBatch: command.singleBatch === true || (optionalNumber(command, 'limit') ?? 0) < 0,
      noTimeout: command.noCursorTimeout === true,
    },
  );
  return { cursor, ok: 1 };
}

/** find options the offline lane does not implement: refused rather than ignored. */
const unsupportedFindOptions = ['min', 'max', 'returnKey', 'showRecordId'] as const;

const find: CommandHandler = (command, context) => {
  const name = collectionName(command, 'find');
  if (command.tailable) throw notImplemented('tailable cursors');
  for (const option of unsupportedFindOptions) {
    const value = command[option];
    if (value !== undefined && value !== null && value !== false)
      throw notImplemented(`find's '${option}' option`);
  }
  const view = resolveView(context.db, name);
  if (view) return findOnView(context, view, command, name);
  const limit = optionalNumber(command, 'limit');
  const collection = context.db.collection(name);
  const collation = collationOf(command, collection?.options.collation);
  checkHint(collection, command.hint);
  const results = findDocs(collection, command.filter, {
    sort: optionalDoc(command, 'sort'),
    skip: optionalNumber(command, 'skip'),
    limit,
    projection: optionalDoc(command, 'projection'),
    collation,
    variables: letVariables(optionalDoc(command, 'let')),
    hint: command.hint,
  });
  const cursor = context.state.cursors.open(
    `${context.dbName}.${name}`,
    results,
    optionalNumber(command, 'batchSize'),
    {
      singleBatch: command.singleBatch === true || (limit !== undefined && limit < 0),
      noTimeout: command.noCursorTimeout === true,
    },
  );
  return { cursor, ok: 1 };
};

const getMore: CommandHandler = (command, context) => {
  const id = command.getMore;
  if (!(id instanceof Long))
    throw typeMismatch("BSON field 'getMore.getMore' is the wrong type, expected type 'long'");
  const name = collectionName(command, 'collection');
  const cursor = context.state.cursors.getMore(
    id,
    `${context.dbName}.${name}`,
    optionalNumber(command, 'batchSize'),
  );
  return { cursor, ok: 1 };
};

const killCursors: CommandHandler = (command, context) => {
  const ids = (optionalArray(command, 'cursors') ?? []).filter((id): id is Long => id instanceof Long);
  return { ...context.state.cursors.kill(ids), cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

const count: CommandHandler = (command, context) => {
  const name = collectionName(command, 'count');
  const collection = context.db.collection(name);
  const query = optionalDoc(command, 'query');
  const skip = optionalNumber(command, 'skip') ?? 0;
  const limit = Math.abs(optionalNumber(command, 'limit') ?? 0);
  const view = resolveView(context.db, name);
  if (view) {
    const stages: Doc[] = query && Object.keys(query).length ? [{ $match: query }] : [];
    if (skip) stages.push({ $skip: skip });
    if (limit) stages.push({ $limit: limit });
    return { n: viewRead(context, view, command, stages).length, ok: 1 };
  }
  checkHint(collection, command.hint);
  const hinted = command.hint !== undefined && command.hint !== null;
  const collation = collationOf(command, collection?.options.collation);
  const compiled = compileFilter(query, collation);
  let n: number;
  if (!hinted) n = countMatching(collection, compiled.query, compiled.filter, collation, skip, limit);
  else {
    const matches = matching(collection, compiled.query, compiled.filter, collation);
    n = Math.max(0, inHintOrder(collection, matches, command.hint).length - skip);
    if (limit) n = Math.min(n, limit);
  }
  return { n, ok: 1 };
};

const distinct: CommandHandler = (command, context) => {
  const name = collectionName(command, 'distinct');
  const key = command.key;
  if (typeof key !== 'string')
    throw typeMismatch("BSON field 'distinct.key' is missing or the wrong type, expected type 'string'");
  const collection = context.db.collection(name);
  const view = resolveView(context.db, name);
  let collation: Doc | undefined;
  let docs: Doc[];
  if (view) {
    const query = optionalDoc(command, 'query');
    docs = viewRead(context, view, command, query && Object.keys(query).length ? [{ $match: query }] : []);
    collation = view.collation;
  } else {
    collation = collationOf(command, collection?.options.collation);
    const compiled = compileFilter(command.query, collation);
    docs = matching(collection, compiled.query, compiled.filter, collation).map((entry) => entry.doc);
  }
  const strings = collatorFor(collation);
  // Values a collation holds equal share a folded key; within one, compare with the collation.
  const seen = new Map<string, unknown[]>();
  for (const doc of docs) {
    for (const value of valuesAtPath(doc, key)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item === undefined) continue;
        const itemKey = collatedKeyOf(item, collation);
        const bucket = seen.get(itemKey);
        if (!bucket) seen.set(itemKey, [item]);
        else if (!bucket.some((other) => compareValues(other, item, strings) === 0)) bucket.push(item);
      }
    }
  }
  // mongod answers in BSON order (the order of its index or sort), not in document order.
  return { values: [...seen.values()].flat().sort((a, b) => compareValues(a, b, strings)), ok: 1 };
};

/** Stages mingo cannot run here: refused by name rather than approximated. */
const unsupportedStages = new Set([
  '$out',
  '$merge',
  '$geoNear',
  '$search',
  '$searchMeta',
  '$vectorSearch',
  '$changeStream',
  '$collStats',
  '$indexStats',
  '$currentOp',
  '$listSessions',
  '$listLocalSessions',
  '$planCacheStats',
  '$listSearchIndexes',
]);
const knownStages = new Set([
  '$addFields',
  '$bucket',
  '$bucketAuto',
  '$count',
  '$densify',
  '$documents',
  '$facet',
  '$fill',
  '$graphLookup',
  '$group',
  '$limit',
  '$lookup',
  '$match',
  '$project',
  '$redact',
  '$replaceRoot',
  '$replaceWith',
  '$sample',
  '$set',
  '$setWindowFields',
  '$skip',
  '$sort',
  '$sortByCount',
  '$unionWith',
  '$unset',
  '$unwind',
]);

export function checkPipeline(pipeline: unknown[]): Doc[] {
  return pipeline.map((stage) => {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw new CommandError(
        40323,
        'Location40323',
        'A pipeline stage specification object must contain exactly one field.',
      );
    }
    const stageName = Object.keys(stage)[0]!;
    if (unsupportedStages.has(stageName)) throw notImplemented(`aggregation stage ${stageName}`);
    if (!knownStages.has(stageName)) {
      throw new CommandError(40324, 'Location40324', `Unrecognized pipeline stage name: '${stageName}'`);
    }
    for (const nested of ['$facet', '$lookup', '$unionWith'] as const) {
      if (stageName !== nested) continue;
      const spec = stage[nested];
      if (nested === '$facet' && isPlainObject(spec))
        Object.values(spec).forEach((inner) => Array.isArray(inner) && checkPipeline(inner));
      if (isPlainObject(spec) && Array.isArray(spec.pipeline)) checkPipeline(spec.pipeline);
    }
    return stage;
  });
}

const hinted = (command: Doc): boolean => command.hint !== undefined && command.hint !== null;

/**
 * The pipeline the driver's countDocuments sends: `$match`, then `$skip`/`$limit`, then a
 * `$group` of every document under one constant `_id` counting `{$sum: 1}`.
 */
function countShape(
  pipeline: Doc[],
): { skip: number; limit: number; id: unknown; field: string } | undefined {
  if (pipeline.length < 2 || !('$match' in pipeline[0]!)) return undefined;
  const group = pipeline[pipeline.length - 1]!.$group;
  if (!isPlainObject(group) || Object.keys(group).length !== 2) return undefined;
  const id = group._id;
  const constant = id === null || typeof id === 'number' || (typeof id === 'string' && !id.startsWith('$'));
  const field = Object.keys(group).find((key) => key !== '_id');
  const sum = field === undefined ? undefined : group[field];
  if (!constant || field === undefined || !isPlainObject(sum) || keyOf(sum) !== keyOf({ $sum: 1 }))
    return undefined;
  let skip = 0;
  let limit = 0;
  for (const stage of pipeline.slice(1, -1)) {
    const value = stage.$skip ?? stage.$limit;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return undefined;
    if ('$skip' in stage && !limit) skip += value;
    else if ('$limit' in stage && value > 0) limit = limit ? Math.min(limit, value) : value;
    else return undefined;
  }
  return { skip, limit, id, field };
}

/**
 * `$match`, then a `$group` of every document under one constant `_id` summing one field path
 * (`{$sum: '$a.b'}`), as the dashboard's audience: its `_id`, output field and path.
 */
function sumShape(pipeline: Doc[]): { id: unknown; field: string; path: string[] } | undefined {
  if (pipeline.length !== 2 || Object.keys(pipeline[0]!).length !== 1 || !isPlainObject(pipeline[0]!.$match))
    return undefined;
  const group = pipeline[1]!.$group;
  if (Object.keys(pipeline[1]!).length !== 1 || !isPlainObject(group) || Object.keys(group).length !== 2)
    return undefined;
  const id = group._id;
  const constant = id === null || typeof id === 'number' || (typeof id === 'string' && !id.startsWith('$'));
  const field = Object.keys(group).find((key) => key !== '_id');
  const sum = field === undefined ? undefined : group[field];
  if (!constant || field === undefined || !isPlainObject(sum) || Object.keys(sum).length !== 1)
    return undefined;
  const operand = sum.$sum;
  if (typeof operand !== 'string' || !/^\$[^$]/.test(operand)) return undefined;
  const path = operand.slice(1).split('.');
  // An own `__proto__` key is stored under another name (protokeys.ts): the pipeline answers.
  if (path.some((part) => part === '' || part === '__proto__')) return undefined;
  return { id, field, path };
}

/**
 * The total of a field over stored documents (and how many there were), when every value met
 * is a safe integer, null or missing and the total stays a safe integer: the order of the
 * additions then cannot change it, and `$sum` (which skips null and missing) gives the same
 * number. Anything else (a fraction, an int64, a string, an array on the path) gives undefined,
 * and the pipeline answers.
 */
function integerTotal(
  entries: Iterable<Stored>,
  path: readonly string[],
): { total: number; n: number } | undefined {
  let total = 0;
  let n = 0;
  for (const entry of entries) {
    n += 1;
    let value: unknown = entry.doc;
    for (const part of path) {
      if (Array.isArray(value)) return undefined;
      if (!isPlainObject(value)) {
        value = undefined;
        break;
      }
      value = value[part];
    }
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return undefined;
    total += value;
    if (!Number.isSafeInteger(total)) return undefined;
  }
  return { total, n };
}

const aggregate: CommandHandler = (command, context) => {
  const target = command.aggregate;
  const pipeline = checkPipeline(optionalArray(command, 'pipeline') ?? []);
  if (command.explain) return explainAggregateCommand(command, context);
  if (!isPlainObject(command.cursor)) {
    throw new CommandError(
      9,
      'FailedToParse',
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  const variables = letVariables(optionalDoc(command, 'let'));
  let collation = collationOf(command, undefined);
  const wide = new WideNumbers();
  const resolve = (name: string): Doc[] => sourceDocuments(context.db, name, wide);
  let input: Doc[];
  let ns: string;
  if (target === 1) {
    if (!pipeline[0] || !('$documents' in pipeline[0])) {
      throw new CommandError(
        73,
        'InvalidNamespace',
        "{aggregate: 1} is not valid for '$match'; a collection is required.",
      );
    }
    input = [{}];
    ns = `${context.dbName}.$cmd.aggregate`;
  } else {
    const name = collectionName(command, 'aggregate');
    ns = `${context.dbName}.${name}`;
    const view = resolveView(context.db, name);
    if (view) {
      const rows = viewRead(context, view, command, pipeline, variables);
      return { cursor: context.state.cursors.open(ns, rows, cursorBatchSize(command)), ok: 1 };
    }
    const collection = context.db.collection(name);
    collation = collationOf(command, collection?.options.collation);
    checkHint(collection, command.hint);
    const first = pipeline[0];
    let entries: Stored[];
    const counted = hinted(command) ? undefined : countShape(pipeline);
    if (counted && first && isPlainObject(first.$match)) {
      // countDocuments: the index answers alone when its bounds are the whole filter.
      const compiled = compileFilter(first.$match, collation, variables);
      const n = countMatching(
        collection,
        compiled.query,
        compiled.filter,
        collation,
        counted.skip,
        counted.limit,
      );
      const rows = n ? [{ _id: counted.id, [counted.field]: n }] : [];
      return { cursor: context.state.cursors.open(ns, rows, cursorBatchSize(command)), ok: 1 };
    }
    const summed = hinted(command) || !collection ? undefined : sumShape(pipeline);
    if (summed && first && isPlainObject(first.$match)) {
      // The total of one field: added up as the matched documents are read (no copy into the
      // pipeline), when integerTotal can answer exactly.
      const compiled = compileFilter(first.$match, collation, variables);
      const read =
        Object.keys(compiled.filter).length === 0
          ? collection!.docs.values()
          : matching(collection, compiled.query, compiled.filter, collation);
      const answer = integerTotal(read, summed.path);
      if (answer) {
        const rows = answer.n ? [{ _id: summed.id, [summed.field]: answer.total }] : [];
        return { cursor: context.state.cursors.open(ns, rows, cursorBatchSize(command)), ok: 1 };
      }
    }
    if (first && isPlainObject(first.$match)) {
      // A leading $match goes through the indexes instead of feeding the whole collection to mingo.
      const compiled = compileFilter(first.$match, collation, variables);
      entries = matching(collection, compiled.query, compiled.filter, collation);
      pipeline.shift();
    } else {
      entries = [...(collection?.docs.values() ?? [])];
    }
    entries = inHintOrder(collection, entries, command.hint);
    // A $sort next orders the stored documents themselves, so they are copied into the pipeline
    // one by one as the rest of it asks, not all at once for the sort.
    const sorted = sortInput(entries, pipeline[0], (entry) => entry.view, collation);
    if (sorted) {
      entries = sorted;
      pipeline.shift();
    }
    input = entries.map((entry) => wide.note(entry));
  }
  const options: { collation?: Doc; let?: Doc } = {};
  if (collation) options.collation = collation;
  if (variables) options.let = variables;
  if (streamable(pipeline)) {
    // Each batch is computed when the driver asks for it: memory holds a batch, not the answer.
    const results = streamPipeline(input, pipeline, resolve, options, (doc) => wide.restoreOne(doc));
    return { cursor: context.state.cursors.open(ns, results, cursorBatchSize(command)), ok: 1 };
  }
  const results = wide.restore(runPipeline(input, pipeline, resolve, options));
  const cursor = context.state.cursors.open(ns, results, cursorBatchSize(command));
  return { cursor, ok: 1 };
};

export const readCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
  aggregate,
  explain,
};
