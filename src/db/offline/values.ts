// BSON value handling for the offline lane: decoding options, isolation (deep copies), index keys
// and the numeric "view" that lets mingo compare int64/decimal values as numbers.
import { BSONRegExp, Decimal128, Long, ObjectId, Binary, Timestamp, Double, Int32 } from 'bson';
import { CommandError } from './errors.js';

export type Doc = Record<string, unknown>;

/**
 * Options for decoding documents off the wire. Longs and regular expressions are kept as BSON
 * objects so that what is stored comes back with the same type (int64 stays int64, a regex keeps
 * flags JavaScript has no equivalent for).
 */
export const decodeOptions = { promoteLongs: false, bsonRegExp: true } as const;

/** An int64 (bson's Timestamp extends Long, but it is no number). */
export const isLong = (value: unknown): value is Long =>
  value instanceof Long && !(value instanceof Timestamp);

export function isPlainObject(value: unknown): value is Doc {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A deep copy of a document: arrays and plain objects are copied, immutable BSON values shared. */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => deepCopy(item)) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (isPlainObject(value)) {
    const copy: Doc = {};
    for (const key of Object.keys(value)) copy[key] = deepCopy(value[key]);
    return copy as T;
  }
  return value;
}

/** True when a value holds an int64 or decimal anywhere (mingo compares those as strings). */
export function hasWideNumbers(value: unknown): boolean {
  if (isLong(value) || value instanceof Decimal128 || typeof value === 'bigint') return true;
  if (value instanceof Double || value instanceof Int32) return true;
  if (Array.isArray(value)) return value.some(hasWideNumbers);
  if (isPlainObject(value)) return Object.values(value).some(hasWideNumbers);
  return false;
}

/** The document as mingo should compare it: int64 and decimal values become numbers. */
export function numericView<T>(value: T): T {
  if (isLong(value)) return value.toNumber() as T;
  if (value instanceof Decimal128) return Number(value.toString()) as T;
  if (value instanceof Double || value instanceof Int32) return value.valueOf() as T;
  if (typeof value === 'bigint') return Number(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => numericView(item)) as T;
  if (isPlainObject(value)) {
    const view: Doc = {};
    for (const key of Object.keys(value)) view[key] = numericView(value[key]);
    return view as T;
  }
  return value;
}

const jsFlags = new Set(['i', 'm', 's', 'u']);

/** A regular expression written by a client as JavaScript can run it, or a clear refusal. */
export function toRegExp(pattern: string, options: string): RegExp {
  for (const flag of options) {
    if (!jsFlags.has(flag)) {
      throw new CommandError(
        238,
        'NotImplemented',
        `the offline lane does not support the regex option '${flag}'`,
      );
    }
  }
  try {
    return new RegExp(pattern, options);
  } catch (error) {
    throw new CommandError(
      51091,
      'Location51091',
      `Regular expression is invalid: ${(error as Error).message}`,
    );
  }
}

/** Filters arrive with BSON regular expressions; mingo needs JavaScript ones. */
export function prepareFilter<T>(value: T): T {
  if (value instanceof BSONRegExp) return toRegExp(value.pattern, value.options) as T;
  if (isLong(value) || value instanceof Decimal128 || value instanceof Double || value instanceof Int32) {
    return numericView(value);
  }
  if (Array.isArray(value)) return value.map((item: unknown) => prepareFilter(item)) as T;
  if (isPlainObject(value)) {
    const out: Doc = {};
    for (const key of Object.keys(value)) {
      const prepared = prepareFilter(value[key]);
      // {$gte: null} and {$lte: null} match what {$eq: null} matches (null and missing fields, as
      // on mongod); mingo's range comparison would miss the missing ones.
      if ((key === '$gte' || key === '$lte') && prepared === null) {
        if (!('$eq' in value)) out.$eq = null;
        else if (!('$in' in value)) out.$in = [null];
        else out[key] = prepared;
      } else out[key] = prepared;
    }
    if (typeof out.$regex === 'string' && typeof out.$options === 'string') {
      out.$regex = toRegExp(out.$regex, out.$options);
      delete out.$options;
    } else if (out.$regex instanceof RegExp && typeof out.$options === 'string') {
      out.$regex = toRegExp(out.$regex.source, out.$options);
      delete out.$options;
    }
    return out as T;
  }
  return value;
}

/**
 * A string that two values share exactly when MongoDB's index would treat them as the same key
 * (numbers compare by value whatever their BSON type).
 */
export function keyOf(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? 'n:0' : `n:${value}`;
    case 'bigint':
      return `n:${value.toString()}`;
    case 'string':
      return `s:${JSON.stringify(value)}`;
    case 'boolean':
      return `b:${value}`;
    default:
      break;
  }
  if (value instanceof ObjectId) return `o:${value.toHexString()}`;
  if (value instanceof Date) return `d:${value.getTime()}`;
  if (isLong(value)) return `n:${value.toString()}`;
  if (value instanceof Double || value instanceof Int32) return `n:${value.valueOf()}`;
  if (value instanceof Decimal128) return `n:${Number(value.toString())}`;
  if (value instanceof Binary) return `x:${value.sub_type}:${Buffer.from(value.buffer).toString('base64')}`;
  if (value instanceof Timestamp) return `t:${value.t}:${value.i}`;
  if (value instanceof RegExp) return `r:${value.source}/${value.flags}`;
  if (value instanceof BSONRegExp) return `r:${value.pattern}/${value.options}`;
  if (Array.isArray(value)) return `a:[${value.map(keyOf).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .map((key) => `${JSON.stringify(key)}:${keyOf(value[key])}`)
      .join(',')}}`;
  }
  const bsonType = (value as { _bsontype?: unknown })._bsontype;
  return typeof bsonType === 'string' ? `${bsonType}:${JSON.stringify(value)}` : `?:${typeof value}`;
}

/** Reads a dotted path; arrays along the path yield every element's value (multikey semantics). */
export function valuesAtPath(doc: unknown, path: string): unknown[] {
  const parts = path.split('.');
  const out: unknown[] = [];
  const walk = (value: unknown, index: number): void => {
    if (index === parts.length) {
      out.push(value);
      return;
    }
    if (Array.isArray(value)) {
      const part = parts[index]!;
      if (/^\d+$/.test(part)) {
        walk(value[Number(part)], index + 1);
        return;
      }
      if (value.length === 0) out.push(undefined);
      for (const item of value) walk(item, index);
      return;
    }
    if (isPlainObject(value)) {
      walk(value[parts[index]!], index + 1);
      return;
    }
    out.push(undefined);
  };
  walk(doc, 0);
  return out;
}

/** Moves `_id` to the front, as mongod always returns it. */
export function idFirst(doc: Doc): Doc {
  if (!('_id' in doc)) return doc;
  const keys = Object.keys(doc);
  if (keys[0] === '_id') return doc;
  const out: Doc = { _id: doc._id };
  for (const key of keys) if (key !== '_id') out[key] = doc[key];
  return out;
}

/** mongod's largest user document (BSONObjMaxUserSize). */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** A value as mongod prints it in error messages (`[ 1, 2 ]`, `{ a: "x" }`, `null`). */
export function showValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (isLong(value) || value instanceof Double || value instanceof Int32) return value.toString();
  if (value instanceof Decimal128) return `NumberDecimal("${value.toString()}")`;
  if (value instanceof RegExp) return `/${value.source}/${value.flags}`;
  if (value instanceof BSONRegExp) return `/${value.pattern}/${value.options}`;
  if (Array.isArray(value)) return value.length ? `[ ${value.map(showValue).join(', ')} ]` : '[]';
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    return keys.length ? `{ ${keys.map((key) => `${key}: ${showValue(value[key])}`).join(', ')} }` : '{}';
  }
  // Other BSON values (Binary, Timestamp, MinKey…) print themselves.
  return typeof value === 'object' ? (value as { toString(): string }).toString() : typeof value;
}

/** An element as mongod prints it: `name: value`. */
export const showElement = (name: string, value: unknown): string => `${name}: ${showValue(value)}`;

/** One step of a walk down a path: the field name and the value found there. */
export interface PathStep {
  name: string;
  value: unknown;
}

/**
 * Follows a dotted path as mongod's update system does: into embedded documents by field name,
 * into arrays by numeric index only. `chain` holds the document and every value reached (the last
 * is where the walk stopped); `rest` the parts that do not exist (empty when the path exists).
 */
export function walkPath(doc: Doc, parts: string[]): { chain: PathStep[]; rest: string[] } {
  const chain: PathStep[] = [{ name: '', value: doc }];
  for (let i = 0; i < parts.length; i++) {
    const child = childAt(chain[chain.length - 1]!.value, parts[i]!);
    if (child === undefined) return { chain, rest: parts.slice(i) };
    chain.push({ name: parts[i]!, value: child });
  }
  return { chain, rest: [] };
}

/** The value under one path part: a field of a document or an element of an array by index. */
export function childAt(value: unknown, part: string): unknown {
  if (isPlainObject(value)) return Object.hasOwn(value, part) ? value[part] : undefined;
  if (Array.isArray(value) && /^\d+$/.test(part)) return value[Number(part)];
  return undefined;
}
