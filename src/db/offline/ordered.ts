// The ordered key store behind every secondary index: a B+ tree (sorted-btree) of index keys in
// mongod's order (BSON comparison order, the index's collation for strings, each field in its
// key pattern's direction), ties broken by the document's insertion sequence as mongod's record
// ids break them. Bounds may hold sentinels: below or above everything, or the first or last
// value of one BSON type (a range `{$gte: 5}` stops where the numbers end, as mongod's does).
import sorted from 'sorted-btree';
import { type StringComparator, compareValues, typeRank } from './order.js';

const BTree = sorted.default;

/** One key of an index: the values of its fields, then the document's sequence and primary key. */
export interface IndexKey {
  readonly values: readonly unknown[];
  readonly seq: number;
  readonly pk: string;
}

/** A bound that is no BSON value: the lowest or highest of everything, or of one type's values. */
export class Sentinel {
  constructor(
    /** The BSON type's rank (typeRank), or -Infinity/Infinity for everything. */
    readonly rank: number,
    readonly high: boolean,
  ) {}
}

export const MIN = new Sentinel(-Infinity, false);
export const MAX = new Sentinel(Infinity, true);

/** The first (`high` false) or last value of a value's BSON type, in comparison order. */
export const bracketOf = (value: unknown, high: boolean): Sentinel => new Sentinel(typeRank(value), high);

function compareWithSentinels(a: unknown, b: unknown, strings: StringComparator): number {
  // The common cases first: two strings, two (non-NaN) numbers.
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : strings(a, b);
  if (typeof a === 'number' && typeof b === 'number' && a === a && b === b) return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Sentinel) {
    if (b instanceof Sentinel)
      return a.rank === b.rank ? Number(a.high) - Number(b.high) : a.rank < b.rank ? -1 : 1;
    const rank = typeRank(b);
    return a.rank === rank ? (a.high ? 1 : -1) : a.rank < rank ? -1 : 1;
  }
  if (b instanceof Sentinel) return -compareWithSentinels(b, a, strings);
  return compareValues(a, b, strings);
}

/**
 * What rankOf reads of sorted-btree's nodes: a leaf's keys; an internal node's children, each
 * child's largest key at the same position in `keys`, and `size()`, cached per subtree.
 */
interface TreeNode {
  readonly keys: readonly IndexKey[];
  readonly children?: readonly TreeNode[];
  size(): number;
}

/** A key range in the tree's order, both ends included (exclusive ends are built into the keys). */
export interface KeyRange {
  low: IndexKey;
  high: IndexKey;
}

export class OrderedKeys {
  private readonly tree;
  private readonly compare: (a: IndexKey, b: IndexKey) => number;

  constructor(
    private readonly directions: readonly number[],
    private readonly strings: StringComparator,
  ) {
    this.compare = (a, b) => this.compareFrom(a, b, 0);
    this.tree = new BTree<IndexKey, undefined>(undefined, this.compare);
  }

  /** Tree order over the fields from `from` on (then the insertion sequence). */
  private compareFrom(a: IndexKey, b: IndexKey, from: number): number {
    const { directions, strings } = this;
    for (let i = from; i < directions.length; i++) {
      const order = compareWithSentinels(a.values[i], b.values[i], strings);
      if (order) return order * directions[i]!;
    }
    return a.seq - b.seq;
  }

  /**
   * The keys of several ranges merged in the order of the fields from `from` on (each range
   * already walks in that order when the fields before `from` are one value within it): the way
   * mongod merges the scans of an `$in` ahead of a sorted field.
   */
  *mergedFrom(ranges: readonly KeyRange[], from: number, reversed: boolean): Generator<IndexKey> {
    const walks = ranges.map((range) => this.keysIn(range, reversed));
    const heads = walks.map((walk) => walk.next());
    const sign = reversed ? -1 : 1;
    for (;;) {
      let best = -1;
      for (let i = 0; i < heads.length; i++) {
        const head = heads[i]!;
        if (head.done) continue;
        if (best < 0 || sign * this.compareFrom(head.value, heads[best]!.value as IndexKey, from) < 0)
          best = i;
      }
      if (best < 0) return;
      yield heads[best]!.value as IndexKey;
      heads[best] = walks[best]!.next();
    }
  }

  get size(): number {
    return this.tree.size;
  }

  add(key: IndexKey): void {
    this.tree.set(key, undefined);
  }

  remove(key: IndexKey): void {
    this.tree.delete(key);
  }

  /**
   * How many keys a range holds, without visiting them: the keys at most its high end less those
   * below its low end, each a rank found in one descent of the tree (rankOf).
   */
  countIn(range: KeyRange): number {
    if (this.compare(range.low, range.high) > 0) return 0;
    const root = (this.tree as unknown as { _root?: TreeNode })._root;
    // Not the node layout rankOf knows (another sorted-btree): leaf by leaf, through its API.
    if (!root || !Array.isArray(root.keys)) return this.tree.forRange(range.low, range.high, true);
    return this.rankOf(root, range.high, true) - this.rankOf(root, range.low, false);
  }

  /**
   * The keys below `bound` (at most `bound` when `inclusive`), in one descent: an internal node
   * of sorted-btree 2.x keeps each child's largest key and caches each subtree's size, so the
   * children wholly below the bound are added by size and only one child per level is entered
   * (a few dozen comparisons, where a walk compares at every leaf of the range).
   */
  private rankOf(root: TreeNode, bound: IndexKey, inclusive: boolean): number {
    let node = root;
    let n = 0;
    for (;;) {
      const keys = node.keys;
      let low = 0;
      let high = keys.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        const order = this.compare(keys[middle]!, bound);
        if (order < 0 || (inclusive && order === 0)) low = middle + 1;
        else high = middle;
      }
      const children = node.children;
      if (!children) return n + low;
      for (let i = 0; i < low; i++) n += children[i]!.size();
      if (low >= children.length) return n;
      node = children[low]!;
    }
  }

  /**
   * Calls `visit` with each key of a range in the tree's order, in the tree's own loop (no
   * generator step per key); `visit` returning true stops the walk.
   */
  forEachIn(range: KeyRange, visit: (key: IndexKey) => boolean | void): void {
    if (this.compare(range.low, range.high) > 0) return;
    const stop = { break: true };
    this.tree.forRange(range.low, range.high, true, (key) => (visit(key) === true ? stop : undefined));
  }

  /** Whether no two of the ranges hold a key in common (so their counts add up). */
  disjoint(ranges: readonly KeyRange[]): boolean {
    if (ranges.length < 2) return true;
    const byLow = [...ranges].sort((a, b) => this.compare(a.low, b.low));
    for (let i = 1; i < byLow.length; i++)
      if (this.compare(byLow[i]!.low, byLow[i - 1]!.high) <= 0) return false;
    return true;
  }

  /** Keys within a range, in the tree's order (or reversed). */
  *keysIn(range: KeyRange, reversed: boolean): Generator<IndexKey> {
    if (this.compare(range.low, range.high) > 0) return;
    if (!reversed) {
      for (const [key] of this.tree.entries(range.low)) {
        if (this.compare(key, range.high) > 0) return;
        yield key;
      }
      return;
    }
    for (const [key] of this.tree.entriesReversed(range.high)) {
      if (this.compare(key, range.low) < 0) return;
      yield key;
    }
  }
}
