// explain for find, aggregate and count, in mongod 7.0's shape (classic engine): queryPlanner with the
// winning plan (IDHACK, IXSCAN under FETCH, or COLLSCAN, then SORT/SKIP/LIMIT/PROJECTION) and,
// at executionStats verbosity or above, the keys and documents the lane actually examined.
import {
  type CommandHandler,
  collectionName,
  optionalArray,
  optionalDoc,
  optionalNumber,
} from '../context.js';
import { CommandError, notImplemented } from '../errors.js';
import { serverVersion } from './admin.js';
import { collationOf } from '../collation.js';
import { compileFilter } from '../filter.js';
import { type FindRun, checkHint, runFind, select } from '../find.js';
import { letVariables } from '../pipeline.js';
import { type Plan, type ScanStats, planQuery } from '../planner.js';
import type { Collection } from '../store.js';
import { type Doc, isPlainObject } from '../values.js';

const verbosities = new Set(['queryPlanner', 'executionStats', 'allPlansExecution']);

/** The access stage of a plan: IDHACK, FETCH over IXSCAN, or COLLSCAN. */
function accessStage(
  plan: Plan | undefined,
  hint: unknown,
  collection: Collection | undefined,
  filter: Doc,
): Doc {
  const index =
    plan?.index ??
    (hint !== undefined && hint !== null && !(isPlainObject(hint) && '$natural' in hint)
      ? [...(collection?.indexes.values() ?? [])].find((candidate) =>
          typeof hint === 'string'
            ? candidate.name === hint
            : JSON.stringify(candidate.spec.key) === JSON.stringify(hint),
        )
      : undefined);
  if (plan?.stage === 'OR') {
    // FETCH over an OR of the branches' index scans, as mongod shows an indexed $or.
    const inputStages = (plan.branches ?? []).map((branch) =>
      branch.index
        ? ixscan(
            branch.index.name,
            branch.index.spec.key,
            branch.index.multikey.some(Boolean),
            branch.reversed,
          )
        : ixscan('_id_', { _id: 1 }, false, false),
    );
    const fetch: Doc = { stage: 'FETCH' };
    if (Object.keys(filter).length) fetch.filter = filter;
    fetch.inputStage = { stage: 'OR', inputStages };
    return fetch;
  }
  if (plan?.stage === 'IDHACK') {
    if ((plan.pks ?? []).length === 1) return { stage: 'IDHACK' };
    return { stage: 'FETCH', inputStage: ixscan('_id_', { _id: 1 }, false, false) };
  }
  if (index) {
    const fetch: Doc = { stage: 'FETCH' };
    if (Object.keys(filter).length) fetch.filter = filter;
    fetch.inputStage = ixscan(
      index.name,
      index.spec.key,
      index.multikey.some(Boolean),
      plan?.reversed ?? false,
    );
    return fetch;
  }
  const backwards = isPlainObject(hint) && Number(hint.$natural) < 0;
  return { stage: 'COLLSCAN', filter, direction: backwards ? 'backward' : 'forward' };
}

const ixscan = (indexName: string, keyPattern: Doc, isMultiKey: boolean, reversed: boolean): Doc => ({
  stage: 'IXSCAN',
  keyPattern,
  indexName,
  isMultiKey,
  isUnique: false,
  isSparse: false,
  isPartial: false,
  indexVersion: 2,
  direction: reversed ? 'backward' : 'forward',
});

interface Shape {
  sort?: Doc | undefined;
  sortedInMemory: boolean;
  skip: number;
  limit: number;
  projection?: Doc | undefined;
}

/** The stages above the access stage, outermost first, as mongod stacks them. */
function stack(access: Doc, shape: Shape): Doc {
  let stage = access;
  if (shape.sortedInMemory) {
    stage = {
      stage: 'SORT',
      sortPattern: shape.sort,
      memLimit: 104_857_600,
      type: 'simple',
      inputStage: stage,
    };
    if (shape.limit) stage.limitAmount = shape.skip + shape.limit;
  }
  if (shape.skip) stage = { stage: 'SKIP', skipAmount: shape.skip, inputStage: stage };
  if (shape.limit && !shape.sortedInMemory)
    stage = { stage: 'LIMIT', limitAmount: shape.limit, inputStage: stage };
  if (shape.projection && Object.keys(shape.projection).length)
    stage = { stage: 'PROJECTION_DEFAULT', transformBy: shape.projection, inputStage: stage };
  return stage;
}

function report(
  namespace: string,
  filter: Doc,
  winningPlan: Doc,
  verbosity: string,
  stats: ScanStats,
  nReturned: number,
): Doc {
  const out: Doc = {
    explainVersion: '1',
    queryPlanner: {
      namespace,
      indexFilterSet: false,
      parsedQuery: filter,
      planCacheShapeHash: '00000000',
      maxIndexedOrSolutionsReached: false,
      maxIndexedAndSolutionsReached: false,
      maxScansToExplodeReached: false,
      winningPlan,
      rejectedPlans: [],
    },
  };
  if (verbosity !== 'queryPlanner') {
    out.executionStats = {
      executionSuccess: true,
      nReturned,
      executionTimeMillis: 0,
      totalKeysExamined: stats.keys,
      totalDocsExamined: stats.docs,
      executionStages: { ...winningPlan, nReturned },
    };
    if (verbosity === 'allPlansExecution') (out.executionStats as Doc).allPlansExecution = [];
  }
  return out;
}

function explainFind(inner: Doc, context: Parameters<CommandHandler>[1], verbosity: string): Doc {
  const name = collectionName(inner, 'find');
  const collection = context.db.collection(name);
  const collation = collationOf(inner, collection?.options.collation);
  const sort = optionalDoc(inner, 'sort');
  const skip = optionalNumber(inner, 'skip') ?? 0;
  const limit = Math.abs(optionalNumber(inner, 'limit') ?? 0);
  const projection = optionalDoc(inner, 'projection');
  const run: FindRun = runFind(collection, inner.filter, {
    sort,
    skip,
    limit,
    projection,
    collation,
    variables: letVariables(optionalDoc(inner, 'let')),
    hint: inner.hint,
  });
  const filter = compileFilter(inner.filter, collation).filter;
  const access = accessStage(run.plan, inner.hint, collection, filter);
  const plan = stack(access, { sort, sortedInMemory: run.sorted, skip, limit, projection });
  return report(`${context.dbName}.${name}`, filter, plan, verbosity, run.stats, run.docs.length);
}

function explainAggregate(inner: Doc, context: Parameters<CommandHandler>[1], verbosity: string): Doc {
  const name = collectionName(inner, 'aggregate');
  const collection = context.db.collection(name);
  const collation = collationOf(inner, collection?.options.collation);
  const pipeline = (optionalArray(inner, 'pipeline') ?? []).filter(isPlainObject);
  const first = pipeline[0];
  const filter = first && isPlainObject(first.$match) ? first.$match : {};
  const compiled = compileFilter(filter, collation, letVariables(optionalDoc(inner, 'let')));
  const hinted = inner.hint !== undefined && inner.hint !== null;
  const plan = hinted ? undefined : planQuery(collection, compiled.filter, { collation });
  const stats: ScanStats = { keys: 0, docs: 0 };
  const matched = collection
    ? select(collection, compiled.query, plan ?? planQuery(undefined, compiled.filter), Infinity, stats)
    : [];
  const access = accessStage(plan, inner.hint, collection, compiled.filter);
  const cursor = report(
    `${context.dbName}.${name}`,
    compiled.filter,
    access,
    verbosity,
    stats,
    matched.length,
  );
  const rest = first && '$match' in first ? pipeline.slice(1) : pipeline;
  if (rest.length === 0) return cursor;
  const { explainVersion, ...cursorStage } = cursor;
  return { explainVersion, stages: [{ $cursor: cursorStage }, ...rest] };
}

/**
 * explain of `count`: COUNT over COUNT_SCAN when the index answers alone (an exact plan: no
 * document examined, as mongod's covered count), over IDHACK when `_id` is the whole filter (the
 * primary keys looked up, no document tested), else over the plan's FETCH or COLLSCAN with the
 * documents it tested. A hinted count reads as find does with that hint.
 */
function explainCount(inner: Doc, context: Parameters<CommandHandler>[1], verbosity: string): Doc {
  const name = collectionName(inner, 'count');
  const collection = context.db.collection(name);
  checkHint(collection, inner.hint);
  const collation = collationOf(inner, collection?.options.collation);
  const compiled = compileFilter(optionalDoc(inner, 'query'), collation);
  const hinted = inner.hint !== undefined && inner.hint !== null;
  const stats: ScanStats = { keys: 0, docs: 0 };
  const namespace = `${context.dbName}.${name}`;
  const counted = (input: Doc): Doc => ({ stage: 'COUNT', inputStage: input });
  if (!hinted && collection && Object.keys(compiled.filter).length === 0)
    return report(namespace, compiled.filter, { stage: 'RECORD_STORE_FAST_COUNT' }, verbosity, stats, 0);
  const plan = hinted ? undefined : planQuery(collection, compiled.filter, { collation });
  if (collection && plan?.exact && plan.stage === 'IDHACK') {
    stats.keys = plan.pks?.length ?? 0;
    return report(namespace, compiled.filter, counted({ stage: 'IDHACK' }), verbosity, stats, 0);
  }
  if (collection && plan?.exact && plan.index) {
    const index = plan.index;
    for (const range of plan.ranges) stats.keys += index.keys.countIn(range);
    const scan: Doc = {
      ...ixscan(index.name, index.spec.key, index.multikey.some(Boolean), false),
      stage: 'COUNT_SCAN',
    };
    delete scan.direction;
    return report(namespace, compiled.filter, counted(scan), verbosity, stats, 0);
  }
  if (collection)
    select(collection, compiled.query, plan ?? planQuery(undefined, compiled.filter), Infinity, stats);
  const access = accessStage(plan, inner.hint, collection, compiled.filter);
  return report(namespace, compiled.filter, counted(access), verbosity, stats, 0);
}

/** `{explain: {find | aggregate | count: …}, verbosity}`; others are refused (238). */
export const explain: CommandHandler = (command, context) => {
  const inner = command.explain;
  if (!isPlainObject(inner))
    throw new CommandError(
      14,
      'TypeMismatch',
      "BSON field 'explain.explain' is the wrong type, expected type 'object'",
    );
  const verbosity = command.verbosity === undefined ? 'allPlansExecution' : command.verbosity;
  if (typeof verbosity !== 'string' || !verbosities.has(verbosity))
    throw new CommandError(
      2,
      'BadValue',
      `verbosity string must be one of {'queryPlanner', 'executionStats', 'allPlansExecution'}`,
    );
  const which = Object.keys(inner)[0];
  const target = which === undefined ? undefined : inner[which];
  if (typeof target === 'string' && context.db.views.has(target))
    throw notImplemented('explain of a read on a view');
  let out: Doc;
  if (which === 'find') out = explainFind(inner, context, verbosity);
  else if (which === 'aggregate') out = explainAggregate(inner, context, verbosity);
  else if (which === 'count') out = explainCount(inner, context, verbosity);
  else throw notImplemented(`explain of '${String(which)}'`);
  return { ...out, command: inner, serverInfo: { host: 'offline', port: 0, version: serverVersion }, ok: 1 };
};

/** aggregate with `explain: true` (the older form): explain at queryPlanner verbosity. */
export const explainAggregateCommand = (command: Doc, context: Parameters<CommandHandler>[1]): Doc => {
  if (typeof command.aggregate === 'string' && context.db.views.has(command.aggregate))
    throw notImplemented('explain of a read on a view');
  return { ...explainAggregate(command, context, 'queryPlanner'), command, ok: 1 };
};
