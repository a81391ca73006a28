// $sample as mongod answers it when it scans (it does here: the data is in memory): `size`
// distinct documents in random order, all of them when `size` is the collection's size or more.
import { randomInt } from 'node:crypto';
import { Lazy, type Iterator } from 'mingo/lazy';
import { CommandError } from './errors.js';
import { type Doc, isPlainObject } from './values.js';

export function sampleStage(coll: Iterator, expr: Doc): Iterator {
  if (!isPlainObject(expr) || Object.keys(expr).some((key) => key !== 'size'))
    throw new CommandError(28748, 'Location28748', 'unrecognized option to $sample');
  const size = Number(expr.size?.valueOf());
  if (expr.size === undefined)
    throw new CommandError(28749, 'Location28749', '$sample stage must specify a size');
  if (!Number.isFinite(size) || typeof expr.size?.valueOf() !== 'number')
    throw new CommandError(28746, 'Location28746', 'size argument to $sample must be a number');
  if (size < 0)
    throw new CommandError(28747, 'Location28747', 'size argument to $sample must not be negative');
  return coll.transform((items: unknown[]) => {
    const pool = [...items];
    const wanted = Math.min(Math.floor(size), pool.length);
    // A partial Fisher–Yates shuffle: the first `wanted` places are a uniform sample.
    for (let i = 0; i < wanted; i++) {
      const j = i + randomInt(pool.length - i);
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return Lazy(pool.slice(0, wanted));
  });
}
