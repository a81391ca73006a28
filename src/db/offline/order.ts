// MongoDB's ordering of BSON values (the "comparison/sort order" of the manual) and sort keys as
// mongod builds them: an array sorts by its smallest element ascending and its largest
// descending, an empty array before null, and a missing field as null. mingo orders some BSON
// types differently (ObjectId, Long, Decimal128, booleans against dates), so sorts use this.
import {
  Binary,
  BSONRegExp,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from 'bson';
import { CommandError, notImplemented } from './errors.js';
import { type Doc, isPlainObject } from './values.js';

/** Sort key of an empty array: below null and missing. */
const EMPTY_ARRAY = Symbol('empty array');

/** The rank of a value's type in MongoDB's comparison order (all numbers share one). */
export function typeRank(value: unknown): number {
  if (value === EMPTY_ARRAY) return 0;
  if (value instanceof MinKey) return 1;
  if (value === null || value === undefined) return 2;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 3;
    case 'string':
    case 'symbol':
      return 4;
    case 'boolean':
      return 9;
    default:
      break;
  }
  if (value instanceof Timestamp) return 11; // before Long, which bson's Timestamp extends
  if (
    value instanceof Long ||
    value instanceof Decimal128 ||
    value instanceof Double ||
    value instanceof Int32
  )
    return 3;
  if (Array.isArray(value)) return 6;
  if (value instanceof Binary || value instanceof Uint8Array) return 7;
  if (value instanceof ObjectId) return 8;
  if (value instanceof Date) return 10;
  if (value instanceof Timestamp) return 11;
  if (value instanceof RegExp || value instanceof BSONRegExp) return 12;
  if (value instanceof MaxKey) return 14;
  return 5; // embedded document
}

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Compares two numbers of any BSON numeric type; int64 exactly, decimals as doubles. */
function compareNumbers(a: unknown, b: unknown): number {
  if (a instanceof Long && b instanceof Long) return a.compare(b);
  const x = toNumber(a);
  const y = toNumber(b);
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1; // NaN sorts below every other number
  if (Number.isNaN(y)) return 1;
  if (x !== y) return x < y ? -1 : 1;
  // Equal as doubles: an int64 beyond 2^53 may still differ from the double it rounds to.
  if (a instanceof Long && Number.isInteger(y) && Math.abs(y) < 2 ** 63)
    return sign(Number(a.toBigInt() - BigInt(y)));
  if (b instanceof Long && Number.isInteger(x) && Math.abs(x) < 2 ** 63)
    return sign(Number(BigInt(x) - b.toBigInt()));
  return 0;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Long) return value.toNumber();
  if (value instanceof Decimal128) return Number(value.toString());
  if (value instanceof Double || value instanceof Int32) return value.valueOf();
  return Number.NaN;
}

/** Strings compare by UTF-8 bytes as mongod's do: fix UTF-16 code-unit order for surrogates. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
    if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
    return x < y ? -1 : 1;
  }
  return sign(a.length - b.length);
}

function bytesOf(value: Binary | Uint8Array): Uint8Array {
  return value instanceof Binary ? value.buffer.subarray(0, value.position) : value;
}

export type StringComparator = (a: string, b: string) => number;

/** MongoDB's total order over BSON values. */
export function compareValues(a: unknown, b: unknown, strings: StringComparator = compareStrings): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA < rankB ? -1 : 1;
  switch (rankA) {
    case 3:
      return compareNumbers(a, b);
    case 4:
      return strings(String(a), String(b));
    case 5:
      return compareDocuments(a as Doc, b as Doc, strings);
    case 6:
      return compareDocuments(Object.assign({}, a), Object.assign({}, b), strings);
    case 7: {
      const x = bytesOf(a as Binary);
      const y = bytesOf(b as Binary);
      if (x.length !== y.length) return x.length < y.length ? -1 : 1;
      const subtypes = ((a as Binary).sub_type ?? 0) - ((b as Binary).sub_type ?? 0);
      if (subtypes) return sign(subtypes);
      return sign(Buffer.compare(x, y));
    }
    case 8:
      return sign(Buffer.compare((a as ObjectId).id, (b as ObjectId).id));
    case 9:
      return sign(Number(a) - Number(b));
    case 10:
      return sign((a as Date).getTime() - (b as Date).getTime());
    case 11:
      return (a as Timestamp).compare(b as Timestamp);
    case 12: {
      const [pa, fa] =
        a instanceof RegExp ? [a.source, a.flags] : [(a as BSONRegExp).pattern, (a as BSONRegExp).options];
      const [pb, fb] =
        b instanceof RegExp ? [b.source, b.flags] : [(b as BSONRegExp).pattern, (b as BSONRegExp).options];
      return compareStrings(pa, pb) || compareStrings(fa, fb);
    }
    default:
      return 0;
  }
}

/** Documents compare field by field, in order: value type, then field name, then value. */
function compareDocuments(a: Doc, b: Doc, strings: StringComparator): number {
  const keysA = Object.keys(a).filter((key) => a[key] !== undefined);
  const keysB = Object.keys(b).filter((key) => b[key] !== undefined);
  for (let i = 0; i < Math.min(keysA.length, keysB.length); i++) {
    const ka = keysA[i]!;
    const kb = keysB[i]!;
    const types = typeRank(a[ka]) - typeRank(b[kb]);
    if (types) return sign(types);
    const names = compareStrings(ka, kb);
    if (names) return names;
    const values = compareValues(a[ka], b[kb], strings);
    if (values) return values;
  }
  return sign(keysA.length - keysB.length);
}

/** The values a sort on `path` considers for a document (arrays along the path fan out). */
function sortCandidates(doc: unknown, path: string): unknown[] {
  const parts = path.split('.');
  const out: unknown[] = [];
  const walk = (value: unknown, index: number, fromArray: boolean): void => {
    if (index === parts.length) {
      if (Array.isArray(value) && !fromArray) {
        if (value.length === 0) out.push(EMPTY_ARRAY);
        else for (const item of value) out.push(item);
      } else out.push(value);
      return;
    }
    if (Array.isArray(value)) {
      const part = parts[index]!;
      if (/^\d+$/.test(part) && Number(part) < value.length) walk(value[Number(part)], index + 1, false);
      for (const item of value) if (isPlainObject(item)) walk(item, index, true);
      if (!value.some(isPlainObject) && !/^\d+$/.test(part)) out.push(undefined);
      return;
    }
    if (isPlainObject(value)) {
      walk(value[parts[index]!], index + 1, false);
      return;
    }
    out.push(undefined);
  };
  walk(doc, 0, false);
  return out.length ? out : [undefined];
}

/** The sort key of one field: the smallest candidate ascending, the largest descending. */
function sortKey(doc: unknown, path: string, direction: 1 | -1, strings: StringComparator): unknown {
  const candidates = sortCandidates(doc, path);
  let best = candidates[0];
  for (const candidate of candidates.slice(1)) {
    const order = compareValues(candidate, best, strings);
    if (direction === 1 ? order < 0 : order > 0) best = candidate;
  }
  return best;
}

/** Validates a sort specification the way mongod does. */
export function sortSpec(sort: Doc): [string, 1 | -1][] {
  return Object.entries(sort).map(([field, direction]) => {
    if (isPlainObject(direction)) throw notImplemented(`sort by ${JSON.stringify(direction)} on '${field}'`);
    const value =
      direction instanceof Long || direction instanceof Int32 || direction instanceof Double
        ? Number(direction.valueOf())
        : direction;
    if (value !== 1 && value !== -1) {
      throw new CommandError(
        15975,
        'Location15975',
        '$sort key ordering must be 1 (for ascending) or -1 (for descending)',
      );
    }
    return [field, value];
  });
}

/** Sorts items (stably) by a MongoDB sort specification; `view` picks the document to read. */
export function sortBy<T>(
  items: T[],
  sort: Doc,
  view: (item: T) => unknown,
  strings: StringComparator = compareStrings,
): T[] {
  const fields = sortSpec(sort);
  if (fields.length === 0) return items;
  const keyed = items.map((item, index) => ({
    item,
    index,
    keys: fields.map(([path, direction]) => sortKey(view(item), path, direction, strings)),
  }));
  keyed.sort((x, y) => {
    for (let i = 0; i < fields.length; i++) {
      const order = compareValues(x.keys[i], y.keys[i], strings);
      if (order) return order * fields[i]![1];
    }
    return x.index - y.index;
  });
  return keyed.map((entry) => entry.item);
}
