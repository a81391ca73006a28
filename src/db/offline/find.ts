// Reading documents: the candidates a collection's indexes allow, tested against a compiled
// filter, then sort, skip, limit and projection.
import type { Query } from 'mingo/query';
import { CommandError, badValue } from './errors.js';
import { compileFilter } from './filter.js';
import { collatorFor } from './collation.js';
import { sortBy } from './order.js';
import { project } from './projection.js';
import { type Plan, type ScanStats, countPlan, planQuery, readPlan } from './planner.js';
import type { Collection, Stored } from './store.js';
import { type Doc, isPlainObject, keyOf } from './values.js';

export interface FindOptions {
  sort?: Doc | undefined;
  skip?: number | undefined;
  limit?: number | undefined;
  projection?: Doc | undefined;
  collation?: Doc | undefined;
  /** The command's `let` variables, evaluated. */
  variables?: Doc | undefined;
  /** An index to read through (checked with checkHint): its order, and only the documents it holds. */
  hint?: unknown;
}

/**
 * The stored documents matching a filter, in the order the chosen plan reads them (insertion
 * order on a collection scan); the first `stopAfter` of them only, when given.
 */
export function matching(
  collection: Collection | undefined,
  query: Query,
  filter: Doc,
  collation?: Doc,
  stopAfter = Infinity,
): Stored[] {
  if (!collection || stopAfter <= 0) return [];
  return select(
    collection,
    query,
    planQuery(collection, filter, { collation, wanted: stopAfter }),
    stopAfter,
  );
}

/** Reads a plan and tests each document; stops after `stopAfter` matches. */
export function select(
  collection: Collection,
  query: Query,
  plan: Plan,
  stopAfter = Infinity,
  stats?: ScanStats,
): Stored[] {
  const out: Stored[] = [];
  if (stopAfter <= 0) return out;
  try {
    for (const entry of readPlan(collection, plan, stats)) {
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

/**
 * How many documents match, after skip and limit: read from the index alone when its bounds
 * are the whole filter (no document is fetched), else by testing the plan's documents.
 */
export function countMatching(
  collection: Collection | undefined,
  query: Query,
  filter: Doc,
  collation: Doc | undefined,
  skip: number,
  limit: number,
): number {
  if (!collection) return 0;
  const wanted = limit ? skip + limit : Infinity;
  let n: number;
  if (Object.keys(filter).length === 0) n = collection.docs.size;
  else {
    const plan = planQuery(collection, filter, { collation, wanted });
    n = plan.exact ? countPlan(collection, plan, wanted) : select(collection, query, plan, wanted).length;
  }
  n = Math.max(0, n - skip);
  return limit ? Math.min(n, limit) : n;
}

/** Sorts stored documents in MongoDB's order (BSON comparison over the stored values). */
export function sortStored(entries: Stored[], sort: Doc | undefined, collation?: Doc): Stored[] {
  if (!sort || Object.keys(sort).length === 0) return entries;
  return sortBy(entries, sort, (entry) => entry.doc, collatorFor(collation));
}

/**
 * mongod refuses a hint that names no index of the collection (by name or key pattern); `_id_`
 * always exists, and `{$natural: 1}` asks for a collection scan.
 */
export function checkHint(collection: Collection | undefined, hint: unknown): void {
  if (!collection || hint === undefined || hint === null) return;
  // A hidden index is not there for the planner, a hint included.
  const specs = collection.indexSpecs().filter((spec) => spec.hidden !== true);
  if (typeof hint === 'string') {
    if (specs.some((spec) => spec.name === hint)) return;
  } else if (isPlainObject(hint)) {
    const keys = Object.keys(hint);
    if (keys.length === 0 || (keys.length === 1 && keys[0] === '$natural')) return;
    const wanted = keyOf(hint);
    if (specs.some((spec) => keyOf(spec.key) === wanted)) return;
  } else return;
  throw badHint();
}

const badHint = (): CommandError =>
  badValue(
    'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
  );

/**
 * Stored documents as a scan of the hinted index yields them, as on mongod: in the index's key
 * order (then insertion order), and only those the index holds (a sparse or partial index leaves
 * some out). `{$natural: -1}` reads the collection backwards. No hint: unchanged.
 */
export function inHintOrder(collection: Collection | undefined, entries: Stored[], hint: unknown): Stored[] {
  if (!collection || hint === undefined || hint === null) return entries;
  if (isPlainObject(hint) && Object.keys(hint).length === 1 && '$natural' in hint)
    return Number(hint.$natural) < 0 ? [...entries].reverse() : entries;
  const spec = collection
    .indexSpecs()
    .find((candidate) =>
      typeof hint === 'string' ? candidate.name === hint : keyOf(candidate.key) === keyOf(hint),
    );
  if (!spec) return entries;
  const index = collection.indexes.get(spec.name);
  const held = index
    ? entries.filter((entry) => index.entriesFor(entry.doc, entry.view).length > 0)
    : entries;
  // A hashed index keeps no order that a client could rely on.
  if (Object.values(spec.key).some((direction) => direction !== 1 && direction !== -1)) return held;
  return sortStored(held, spec.key, spec.collation);
}

/** What a find read and how, for explain. */
export interface FindRun {
  docs: Doc[];
  plan: Plan | undefined;
  stats: ScanStats;
  /** An in-memory sort ran after the plan. */
  sorted: boolean;
}

/** find's full read path: plan, match, sort (unless the index gives the order), skip, limit, project. */
export function runFind(
  collection: Collection | undefined,
  rawFilter: unknown,
  options: FindOptions,
): FindRun {
  const { query, filter } = compileFilter(rawFilter, options.collation, options.variables);
  const skip = options.skip ?? 0;
  if (skip < 0) throw badValue('skip value must be non-negative');
  const limit = Math.abs(options.limit ?? 0);
  const sorted = options.sort !== undefined && Object.keys(options.sort).length > 0;
  const hinted = options.hint !== undefined && options.hint !== null;
  const stats: ScanStats = { keys: 0, docs: 0 };
  const wanted = limit ? skip + limit : Infinity;
  let entries: Stored[];
  let plan: Plan | undefined;
  let sortedInMemory = false;
  if (!collection) entries = [];
  else if (hinted) {
    entries = inHintOrder(
      collection,
      select(collection, query, planQuery(undefined, filter), Infinity, stats),
      options.hint,
    );
    stats.docs = collection.docs.size;
    sortedInMemory = sorted;
    entries = sortStored(entries, options.sort, options.collation);
  } else {
    plan = planQuery(collection, filter, { sort: options.sort, collation: options.collation, wanted });
    // Without a sort, or with one the index gives, the first skip + limit matches are the answer.
    const streams = !sorted || plan.servesSort;
    entries = select(collection, query, plan, streams ? wanted : Infinity, stats);
    if (!streams) {
      entries = sortStored(entries, options.sort, options.collation);
      sortedInMemory = true;
    }
  }
  if (skip || limit) entries = entries.slice(skip, limit ? skip + limit : undefined);
  const docs = project(
    entries.map((entry) => entry.doc),
    options.projection,
    filter,
    options.variables,
  );
  return { docs, plan, stats, sorted: sortedInMemory };
}

export function find(collection: Collection | undefined, rawFilter: unknown, options: FindOptions): Doc[] {
  return runFind(collection, rawFilter, options).docs;
}
