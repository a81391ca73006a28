// The `$type` query operator with BSON's type names. mingo's own knows only JavaScript types
// (no objectId, binData, timestamp, minKey/maxKey; a regex stored as BSONRegExp is not a regex to
// it) and does not look inside arrays, so `{tags: {$type: 'string'}}` would miss ['a']. Also the
// type names mongod prints in its error messages.
import {
  Binary,
  BSONRegExp,
  BSONSymbol,
  Code,
  DBRef,
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
import { isPlainObject, valuesAtPath } from './values.js';

const aliases: Record<string, number> = {
  double: 1,
  string: 2,
  object: 3,
  array: 4,
  binData: 5,
  undefined: 6,
  objectId: 7,
  bool: 8,
  date: 9,
  null: 10,
  regex: 11,
  dbPointer: 12,
  javascript: 13,
  symbol: 14,
  javascriptWithScope: 15,
  int: 16,
  timestamp: 17,
  long: 18,
  decimal: 19,
  minKey: -1,
  maxKey: 127,
};

/** Numbers are held as doubles here: int, long, double and decimal cannot be told apart. */
const numericCodes = new Set([1, 16, 18, 19]);

/** The BSON type code of a value as the offline lane stores it (numbers answer 'number'). */
function typeCode(value: unknown): number | 'number' | undefined {
  if (value === undefined) return undefined;
  if (value === null) return 10;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 2;
    case 'boolean':
      return 8;
    default:
      break;
  }
  if (Array.isArray(value)) return 4;
  if (value instanceof ObjectId) return 7;
  if (value instanceof Date) return 9;
  if (value instanceof RegExp || value instanceof BSONRegExp) return 11;
  if (value instanceof Binary) return 5;
  if (value instanceof Timestamp) return 17;
  if (value instanceof MinKey) return -1;
  if (value instanceof MaxKey) return 127;
  if (value instanceof BSONSymbol) return 14;
  if (value instanceof Code) return value.scope ? 15 : 13;
  if (value instanceof DBRef) return 3;
  if (isPlainObject(value)) return 3;
  if (typeof (value as { _bsontype?: unknown })._bsontype === 'string') {
    const kind = (value as { _bsontype: string })._bsontype;
    if (kind === 'Long' || kind === 'Decimal128' || kind === 'Double' || kind === 'Int32') return 'number';
  }
  return 3;
}

/** Parses a `$type` argument into type codes (or 'number'), refusing what cannot be answered. */
export function parseTypes(spec: unknown): (number | 'number')[] {
  const list = Array.isArray(spec) ? spec : [spec];
  if (list.length === 0) throw new CommandError(9, 'FailedToParse', '$type must match at least one type');
  return list.map((entry) => {
    let code: number | 'number';
    if (entry === 'number') code = 'number';
    else if (typeof entry === 'string') {
      if (!Object.hasOwn(aliases, entry))
        throw new CommandError(2, 'BadValue', `Unknown type name alias: ${entry}`);
      code = aliases[entry]!;
    } else if (typeof entry === 'number' && Number.isInteger(entry)) {
      if (!Object.values(aliases).includes(entry))
        throw new CommandError(2, 'BadValue', `Invalid numerical type code: ${entry}`);
      code = entry;
    } else throw new CommandError(14, 'TypeMismatch', 'type must be represented as a number or a string');
    if (code !== 'number' && numericCodes.has(code))
      throw notImplemented(`$type ${JSON.stringify(entry)} (use 'number')`);
    return code;
  });
}

/** Whether a value (or, for arrays, the array or one of its elements) has one of the types. */
function matchesType(value: unknown, codes: (number | 'number')[]): boolean {
  const own = typeCode(value);
  if (own !== undefined && codes.includes(own)) return true;
  if (Array.isArray(value))
    return value.some((item) => !Array.isArray(item) && codes.includes(typeCode(item)!));
  return false;
}

/** mingo query operator: `{path: {$type: ...}}`. */
export const $type = (selector: string, spec: unknown): ((doc: unknown) => boolean) => {
  const codes = parseTypes(spec);
  return (doc) => valuesAtPath(doc, selector).some((value) => matchesType(value, codes));
};

const namesByCode = new Map(Object.entries(aliases).map(([name, code]) => [code, name]));

/**
 * The BSON type name mongod would print for a value in an error message ("missing" when absent).
 * Integral numbers in int32 range read as 'int', as the lane stores them.
 */
export function bsonTypeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'number')
    return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 'int' : 'double';
  if (value instanceof Timestamp) return 'timestamp';
  if (value instanceof Long || typeof value === 'bigint') return 'long';
  if (value instanceof Decimal128) return 'decimal';
  if (value instanceof Double) return 'double';
  if (value instanceof Int32) return 'int';
  const code = typeCode(value);
  return (typeof code === 'number' && namesByCode.get(code)) || 'object';
}
