// Query operators that mingo answers wrongly for BinData, replaced in the filter context:
// $gt/$gte/$lt/$lte with a BinData operand compare as mongod orders BinData (length, then subtype,
// then bytes; mingo compares bytes only), and the four $bits* operators test BinData bits (mingo
// never matches BinData) and numbers as 64-bit two's complement (mingo uses 32-bit operators).
import { Binary } from 'bson';
import * as queryOperators from 'mingo/operators/query';
import { badValue } from './errors.js';
import { compareValues } from './order.js';
import { valuesAtPath } from './values.js';

type QueryOperator = (typeof queryOperators)['$gt'];

/** The value at a path and, for arrays, each element: a leaf operator matches any of them. */
function leaves(doc: unknown, selector: string): unknown[] {
  return valuesAtPath(doc, selector).flatMap((value): unknown[] =>
    Array.isArray(value) ? [value, ...(value as unknown[])] : [value],
  );
}

function binaryRange(original: QueryOperator, holds: (order: number) => boolean): QueryOperator {
  return (selector, value, options) => {
    if (!(value instanceof Binary)) return original(selector, value, options);
    return (doc) =>
      leaves(doc, selector).some((leaf) => leaf instanceof Binary && holds(compareValues(leaf, value)));
  };
}

const bytesOf = (binary: Binary): Uint8Array => binary.buffer.subarray(0, binary.position);

/** Bit positions a $bits* operand names: a list of positions, a non-negative number or BinData. */
function bitPositions(operator: string, mask: unknown): number[] {
  if (mask instanceof Binary) {
    const positions: number[] = [];
    bytesOf(mask).forEach((byte, i) => {
      for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) positions.push(i * 8 + bit);
    });
    return positions;
  }
  if (typeof mask === 'number') {
    if (!Number.isInteger(mask) || mask < 0 || mask >= 2 ** 63)
      throw badValue(`${operator} must be a non-negative integer representable as a 64-bit integer: ${mask}`);
    const positions: number[] = [];
    let rest = BigInt(mask);
    for (let bit = 0; rest > 0n; bit++, rest >>= 1n) if (rest & 1n) positions.push(bit);
    return positions;
  }
  if (Array.isArray(mask)) {
    return mask.map((position: unknown) => {
      if (typeof position !== 'number' || !Number.isInteger(position))
        throw badValue(`bit positions must be an integer but got: ${String(position)}`);
      if (position < 0) throw badValue(`bit positions must be >= 0 but got: ${position}`);
      return position;
    });
  }
  throw badValue(`${operator} takes an Array, a number, or a BinData but received: ${String(mask)}`);
}

/** A function telling whether bit `i` of a value is set, or undefined when bits do not apply. */
function bitReader(value: unknown): ((bit: number) => boolean) | undefined {
  if (value instanceof Binary) {
    const bytes = bytesOf(value);
    return (bit) => ((bytes[bit >> 3] ?? 0) & (1 << (bit & 7))) !== 0;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) >= 2 ** 63) return undefined;
  const bits = BigInt.asUintN(64, BigInt(value));
  // Beyond bit 63 a negative number is all ones (sign extension), as on mongod.
  return (bit) => (bit < 64 ? ((bits >> BigInt(bit)) & 1n) === 1n : value < 0);
}

function bitwise(
  operator: string,
  test: (positions: number[], set: (bit: number) => boolean) => boolean,
): QueryOperator {
  return (selector, mask) => {
    const positions = bitPositions(operator, mask);
    return (doc) =>
      leaves(doc, selector).some((leaf) => {
        const read = bitReader(leaf);
        return read !== undefined && test(positions, read);
      });
  };
}

export const binaryQueryOperators = {
  $gt: binaryRange(queryOperators.$gt, (order) => order > 0),
  $gte: binaryRange(queryOperators.$gte, (order) => order >= 0),
  $lt: binaryRange(queryOperators.$lt, (order) => order < 0),
  $lte: binaryRange(queryOperators.$lte, (order) => order <= 0),
  $bitsAllSet: bitwise('$bitsAllSet', (positions, set) => positions.every(set)),
  $bitsAnySet: bitwise('$bitsAnySet', (positions, set) => positions.some(set)),
  $bitsAllClear: bitwise('$bitsAllClear', (positions, set) => positions.every((bit) => !set(bit))),
  $bitsAnyClear: bitwise('$bitsAnyClear', (positions, set) => positions.some((bit) => !set(bit))),
};
