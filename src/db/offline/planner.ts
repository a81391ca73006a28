// Query planning as mongod does it for the simple cases: `_id` equality reads the primary map;
// otherwise each complete index whose collation matches the query's is given bounds (equality on
// a prefix of its fields, then a range on the next field, the rest unbounded) and may serve the
// sort; the index with the fewest candidate keys wins, and a collection scan is the fallback.
// Bounds are a superset of the matches (the caller tests every document against the filter),
// exact when the filter is nothing but those bounds (a count then reads the index alone).
import { Binary, ObjectId } from 'bson';
import type { Index } from './indexes.js';
import { type IndexKey, type KeyRange, MAX, MIN, bracketOf } from './ordered.js';
import { sortSpec } from './order.js';
import type { Collection, Stored } from './store.js';
import { type Doc, isPlainObject, keyOf } from './values.js';

export interface Plan {
  stage: 'COLLSCAN' | 'IDHACK' | 'IXSCAN' | 'OR';
  index?: Index;
  /** IDHACK: the primary keys to read. */
  pks?: string[];
  ranges: KeyRange[];
  /** Walk the index backwards (a sort in the opposite of its key pattern's directions). */
  reversed: boolean;
  /** The walk yields documents in the requested sort order (no in-memory sort needed). */
  servesSort: boolean;
  /** Every key in the bounds is a match, once per document: a count can read the index alone. */
  exact: boolean;
  /**
   * The ranges (one per `$in` value ahead of the sorted fields) are merged in the order of the
   * index's fields from this one on, so the walk gives the sort.
   */
  mergeFrom?: number;
  /** OR: one plan per `$or` branch; their documents, each once. */
  branches?: Plan[];
  /** Every range pins every field of the index to one value (a document has one key in each). */
  points?: boolean;
}

/** How many `$in` values ahead of a sorted field the planner still merges (mongod's cap is larger). */
const MAX_MERGED_RANGES = 64;

/** Keys and documents a plan read, for explain's executionStats. */
export interface ScanStats {
  keys: number;
  docs: number;
}

/** Values a filter field pins by plain equality (`v`, `{$eq: v}`, `{$in: [...]}`), if it does. */
export function equalityValues(condition: unknown): unknown[] | undefined {
  const pinnable = (value: unknown): boolean =>
    value !== undefined &&
    !Array.isArray(value) &&
    !(value instanceof RegExp) &&
    !isPlainObject(value) &&
    !(value instanceof Binary);
  if (pinnable(condition)) return [condition];
  if (!isPlainObject(condition)) return undefined;
  const keys = Object.keys(condition);
  if (keys.length !== 1) return undefined;
  if (keys[0] === '$eq' && pinnable(condition.$eq)) return [condition.$eq];
  if (
    keys[0] === '$in' &&
    Array.isArray(condition.$in) &&
    condition.$in.length > 0 &&
    condition.$in.every(pinnable)
  )
    return condition.$in as unknown[];
  return undefined;
}

/** Values a range bound may be (other types are left to the filter). */
const boundable = (value: unknown): boolean =>
  (typeof value === 'number' && !Number.isNaN(value)) ||
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  value instanceof Date ||
  value instanceof ObjectId;

interface Interval {
  low: unknown;
  lowIncluded: boolean;
  high: unknown;
  highIncluded: boolean;
  exact: boolean;
}

/** The interval a field's `$gt`/`$gte`/`$lt`/`$lte` allow, within the bound's BSON type. */
function intervalOf(condition: unknown, multikey: boolean): Interval | undefined {
  if (!isPlainObject(condition)) return undefined;
  // `{$elemMatch: {$gte: a, $lt: b}}`: one element lies within both bounds, so both bound a
  // multikey index too, as mongod intersects them. Never exact: a non-array value in the
  // interval is an index key that $elemMatch does not match.
  if (Object.keys(condition).length === 1 && isPlainObject(condition.$elemMatch)) {
    const inner = condition.$elemMatch;
    if (!Object.keys(inner).every((key) => key.startsWith('$'))) return undefined;
    const interval = intervalOf(inner, false);
    return interval && { ...interval, exact: false };
  }
  const keys = Object.keys(condition);
  const lower = (['$gt', '$gte'] as const).filter((op) => op in condition && boundable(condition[op]));
  const upper = (['$lt', '$lte'] as const).filter((op) => op in condition && boundable(condition[op]));
  if (!lower.length && !upper.length) return undefined;
  let exact = keys.length === lower.length + upper.length && lower.length <= 1 && upper.length <= 1;
  const lowOp = lower[0];
  let highOp = upper[0];
  // On an array field one element may meet the lower bound and another the upper: keep one side.
  if (
    lowOp &&
    highOp &&
    (multikey || bracketOf(condition[lowOp], false).rank !== bracketOf(condition[highOp], false).rank)
  ) {
    highOp = undefined;
    exact = false;
  }
  const from = lowOp ? condition[lowOp] : undefined;
  const to = highOp ? condition[highOp] : undefined;
  const anchor = lowOp ? from : to;
  return {
    low: lowOp ? from : bracketOf(anchor, false),
    lowIncluded: lowOp !== '$gt',
    high: highOp ? to : bracketOf(anchor, true),
    highIncluded: highOp !== '$lt',
    exact,
  };
}

/** Bounds and sort service of one index for a filter and sort, or nothing when it cannot help. */
function boundsFor(index: Index, filter: Doc, sort: [string, 1 | -1][]): Omit<Plan, 'stage'> | undefined {
  const fields = index.fields;
  // A positional path (`a.0`) is read differently by indexes and queries: left to a scan.
  if (fields.some((field) => /(^|\.)\d+(\.|$)/.test(field))) return undefined;
  const points: unknown[][] = [];
  let exact = true;
  const consumed = new Set<string>();
  for (const field of fields) {
    const values = equalityValues(filter[field]);
    if (!values) break;
    // null also matches a missing field, which a dotted path through an array may not index;
    // where no document ever had an array on the path, the null key (null or missing, as
    // mongod's) holds exactly the matches; on an array field `[]` is keyed there too.
    if (values.some((value) => value === null)) {
      const at = points.length;
      if (field.includes('.') && index.arrayOnPath[at]) break;
      if (index.multikey[at] || index.arrayOnPath[at]) exact = false;
    }
    points.push(values);
    consumed.add(field);
  }
  const k = points.length;
  let interval: Interval | undefined;
  if (k < fields.length && index.ordered(k)) {
    interval = intervalOf(filter[fields[k]!], index.multikey[k]!);
    if (interval) {
      consumed.add(fields[k]!);
      exact &&= interval.exact;
    }
  }
  exact &&= Object.keys(filter).every((key) => consumed.has(key));
  // The sort, less fields pinned to one value, must read as the next fields of the index.
  const pinned = (field: string): boolean => {
    const at = fields.indexOf(field);
    return at >= 0 && at < k && points[at]!.length === 1;
  };
  const rest = sort.filter(([field]) => !pinned(field));
  let servesSort = rest.length === 0;
  let reversed = false;
  const combinations = points.reduce((n, values) => n * values.length, 1);
  // One range per combination of `$in` values: each walks in the sort's order, and a merge of
  // them (on the fields after the equality prefix) gives the sort, as mongod's SORT_MERGE does.
  const merge = combinations > 1;
  if (rest.length && combinations <= MAX_MERGED_RANGES) {
    const sign = rest[0]![1] * index.directions[k]!;
    servesSort = rest.every(([field, direction], i) => {
      const at = k + i;
      return (
        fields[at] === field &&
        index.ordered(at) &&
        !index.multikey[at] &&
        direction * index.directions[at]! === sign
      );
    });
    reversed = sign < 0;
  }
  if (k === 0 && !interval && !(servesSort && sort.length)) return undefined;
  let combos: unknown[][] = [[]];
  for (const values of points) {
    const unique = [...new Map(values.map((value) => [keyOf(value), value])).values()];
    combos = combos.flatMap((combo) => unique.map((value) => [...combo, value]));
    if (combos.length > 1000) return undefined;
  }
  const lowest = (i: number): unknown => (index.directions[i]! > 0 ? MIN : MAX);
  const highest = (i: number): unknown => (index.directions[i]! > 0 ? MAX : MIN);
  const ranges = combos.map((combo): KeyRange => {
    if (k === fields.length) {
      return { low: key(combo, -Infinity), high: key(combo, Infinity) };
    }
    const ascending = index.directions[k]! > 0;
    let start: unknown = lowest(k);
    let end: unknown = highest(k);
    let startIncluded = true;
    let endIncluded = true;
    if (interval) {
      start = ascending ? interval.low : interval.high;
      end = ascending ? interval.high : interval.low;
      startIncluded = ascending ? interval.lowIncluded : interval.highIncluded;
      endIncluded = ascending ? interval.highIncluded : interval.lowIncluded;
    }
    const after = fields.slice(k + 1).map((_, j) => k + 1 + j);
    return {
      low: key(
        [...combo, start, ...after.map((i) => (startIncluded ? lowest(i) : highest(i)))],
        startIncluded ? -Infinity : Infinity,
      ),
      high: key(
        [...combo, end, ...after.map((i) => (endIncluded ? highest(i) : lowest(i)))],
        endIncluded ? Infinity : -Infinity,
      ),
    };
  });
  // On a multikey field an equality is still exact (a document matches when one of its elements
  // is the value, and each element is a key), but a range may be met by two elements apart, so it
  // is not. Several keys of one document are counted once (countPlan), as mongod's COUNT_SCAN.
  const exactOnArrays = !interval || !index.multikey[k];
  const plan: Omit<Plan, 'stage'> = { index, ranges, reversed, servesSort, exact: exact && exactOnArrays };
  if (k === fields.length) plan.points = true;
  if (servesSort && rest.length && merge) plan.mergeFrom = k;
  return plan;
}

const key = (values: unknown[], seq: number): IndexKey => ({ values, seq, pk: '' });

/**
 * Keys within a plan's ranges (the planner's cost), counted leaf by leaf without visiting each
 * key, so weighing every candidate index costs a few tree descents each, not a walk of its keys.
 */
function countKeys(plan: Omit<Plan, 'stage'>): number {
  let n = 0;
  for (const range of plan.ranges) n += plan.index!.keys.countIn(range);
  return n;
}

export interface PlanRequest {
  sort?: Doc | undefined;
  /** Collation of the query (undefined: binary); only indexes with the same one are used. */
  collation?: Doc | undefined;
  /** skip + limit, when the query stops there. */
  wanted?: number;
}

/**
 * A filter with its top-level `$and` (nested ones too) spread into one predicate per field, as
 * mongod's planner sees `{$and: [{a: 1}, {b: {$in: [...]}}]}` like `{a: 1, b: {$in: [...]}}`:
 * empty `{}` conjuncts are dropped and each other conjunct's fields become top-level. A `$or` of
 * one branch is that branch (mongod's canonical query drops the lone `$or` too): its fields are
 * spread the same way. A field (or `$or`) met twice keeps its first condition for planning; the
 * others are left to the filter, which the caller runs on every document read, and a kept `$and`
 * key then marks the plan inexact. A filter without either is returned as it is.
 */
export function flattenAnd(filter: Doc): Doc {
  const conjuncts = filter.$and;
  const spreadAnd = Array.isArray(conjuncts) && conjuncts.length > 0 && conjuncts.every(isPlainObject);
  const lone = loneBranch(filter.$or);
  if (!spreadAnd && !lone) return filter;
  const flat: Doc = {};
  let dropped = false;
  const add = (key: string, condition: unknown): void => {
    if (key in flat) dropped = true;
    else flat[key] = condition;
  };
  const spread = (conjunct: Doc): void => {
    const inner = flattenAnd(conjunct);
    for (const [key, condition] of Object.entries(inner)) {
      if (key === '$and') dropped = true;
      else add(key, condition);
    }
  };
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' && spreadAnd) continue;
    if (key === '$or' && lone) spread(lone);
    else add(key, condition);
  }
  if (spreadAnd) for (const conjunct of conjuncts) spread(conjunct);
  // Left in only to keep the plan inexact; no index has a `$and` field.
  if (dropped) flat.$and = spreadAnd ? conjuncts : [];
  return flat;
}

/** The one branch of a `$or` that has only one, if it is one. */
function loneBranch(branches: unknown): Doc | undefined {
  if (!Array.isArray(branches) || branches.length !== 1) return undefined;
  const [branch] = branches as unknown[];
  return isPlainObject(branch) ? branch : undefined;
}

/** The plan mongod would choose for these simple shapes (a top-level `$and` flattened first). */
export function planQuery(collection: Collection | undefined, query: Doc, request: PlanRequest = {}): Plan {
  const filter = flattenAnd(query);
  const scan: Plan = { stage: 'COLLSCAN', ranges: [], reversed: false, servesSort: false, exact: false };
  if (!collection) return scan;
  const sort = request.sort ? sortSpec(request.sort) : [];
  const collation = keyOf(request.collation);
  const ids = equalityValues(filter._id);
  if (ids && (request.collation === undefined || ids.every((id) => typeof id !== 'string'))) {
    // Exact when `_id` is the whole filter: each primary key present is one match.
    const exact = Object.keys(filter).length === 1;
    return { ...scan, stage: 'IDHACK', pks: [...new Set(ids.map(keyOf))], exact };
  }
  const wanted = request.wanted ?? Infinity;
  const candidates: { plan: Omit<Plan, 'stage'>; stopsEarly: boolean }[] = [];
  const indexes = [...collection.indexes.values()];
  // `_id` ranges and sorts read the `_id` index in order (kept from the first query that needs it).
  if (intervalOf(filter._id, false) || sort[0]?.[0] === '_id') indexes.push(collection.orderedIds());
  for (const index of indexes) {
    if (!index.complete || index.spec.hidden === true || keyOf(index.spec.collation) !== collation) continue;
    const plan = boundsFor(index, filter, sort);
    // An index that serves the sort and decides the matches alone stops at skip + limit.
    if (plan) candidates.push({ plan, stopsEarly: plan.exact && (plan.servesSort || !sort.length) });
  }
  // Those bounded by skip + limit first, so the others are counted only up to their cost.
  candidates.sort((a, b) => Number(b.stopsEarly) - Number(a.stopsEarly));
  let best: Omit<Plan, 'stage'> | undefined;
  let bestCost = Infinity;
  for (const { plan, stopsEarly } of candidates) {
    let cost = countKeys(plan);
    if (stopsEarly) cost = Math.min(cost, wanted);
    const better =
      cost < bestCost || (cost === bestCost && best !== undefined && plan.servesSort && !best.servesSort);
    if (!best || better) {
      best = plan;
      bestCost = cost;
    }
  }
  const union = orPlan(collection, filter, request.collation);
  if (union && (!best || union.cost < bestCost)) return union.plan;
  return best ? { stage: 'IXSCAN', ...best } : scan;
}

/**
 * A `$or` whose every branch an index (or `_id`) serves: the union of the branches' plans, each
 * document once, as mongod's OR stage. Its cost is the keys of all branches.
 */
function orPlan(
  collection: Collection,
  filter: Doc,
  collation: Doc | undefined,
): { plan: Plan; cost: number } | undefined {
  const branches = filter.$or;
  if (!Array.isArray(branches) || branches.length === 0 || !branches.every(isPlainObject)) return undefined;
  const plans: Plan[] = [];
  let cost = 0;
  for (const branch of branches) {
    const plan = planQuery(collection, branch, { collation });
    if (plan.stage === 'COLLSCAN') return undefined;
    cost += plan.stage === 'IDHACK' ? (plan.pks?.length ?? 0) : countKeys(plan);
    plans.push(plan);
  }
  const plan: Plan = { stage: 'OR', ranges: [], reversed: false, servesSort: false, exact: false };
  plan.branches = plans;
  return { plan, cost };
}

/** The stored documents a plan reads, each once, in the plan's order. */
export function* readPlan(collection: Collection, plan: Plan, stats?: ScanStats): Generator<Stored> {
  if (plan.stage === 'COLLSCAN') {
    for (const entry of collection.docs.values()) {
      if (stats) stats.docs += 1;
      yield entry;
    }
    return;
  }
  if (plan.stage === 'IDHACK') {
    for (const pk of plan.pks ?? []) {
      if (stats) stats.keys += 1;
      const entry = collection.docs.get(pk);
      if (!entry) continue;
      if (stats) stats.docs += 1;
      yield entry;
    }
    return;
  }
  if (plan.stage === 'OR') {
    const seen = new Set<string>();
    for (const branch of plan.branches ?? []) {
      for (const entry of readPlan(collection, branch, stats)) {
        if (seen.has(entry.pk)) continue;
        seen.add(entry.pk);
        yield entry;
      }
    }
    return;
  }
  const seen = new Set<string>();
  const dedupe = plan.ranges.length > 1 || plan.index!.multikey.some(Boolean);
  const keys = plan.index!.keys;
  const walk =
    plan.mergeFrom === undefined
      ? inTurn(plan.ranges, (range) => keys.keysIn(range, plan.reversed))
      : keys.mergedFrom(plan.ranges, plan.mergeFrom, plan.reversed);
  for (const indexKey of walk) {
    if (stats) stats.keys += 1;
    if (dedupe) {
      if (seen.has(indexKey.pk)) continue;
      seen.add(indexKey.pk);
    }
    const entry = collection.docs.get(indexKey.pk);
    if (!entry) continue;
    if (stats) stats.docs += 1;
    yield entry;
  }
}

/** The walks of several ranges one after the other, lazily. */
function* inTurn<T>(ranges: readonly KeyRange[], walk: (range: KeyRange) => Iterable<T>): Generator<T> {
  for (const range of ranges) yield* walk(range);
}

/**
 * How many documents an exact plan holds, read from the index alone (up to `cap`), as mongod's
 * COUNT_SCAN: IDHACK counts the primary keys present. Ranges that share no key, on an index
 * holding one key per document (not multikey), or a single point range on any index (a
 * document's keys are distinct, so it has at most one key equal to the point), are counted leaf
 * by leaf without visiting the keys. Otherwise (a multikey index, where one document may have
 * keys in two ranges or several in one range; ranges that overlap, as `$in` values a collation
 * holds equal) each document is counted once by its primary key.
 */
export function countPlan(collection: Collection, plan: Plan, cap = Infinity): number {
  if (plan.stage === 'IDHACK') {
    let n = 0;
    for (const pk of plan.pks ?? []) if (collection.docs.has(pk) && ++n >= cap) return n;
    return n;
  }
  const index = plan.index!;
  const keys = index.keys;
  const multikey = index.multikey.some(Boolean);
  if ((!multikey || (plan.points === true && plan.ranges.length === 1)) && keys.disjoint(plan.ranges)) {
    let n = 0;
    for (const range of plan.ranges) n += keys.countIn(range);
    return Math.min(n, cap);
  }
  const seen = new Set<string>();
  for (const range of plan.ranges) {
    keys.forEachIn(range, (key) => {
      if (!seen.has(key.pk)) seen.add(key.pk);
      return seen.size >= cap;
    });
    if (seen.size >= cap) break;
  }
  return seen.size;
}
