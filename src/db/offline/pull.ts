// `$pull` and `$pullAll` on a plain path, done here rather than by mingo, whose $pull ignores a logical condition
// (`{$or: [...]}`, which mongoose sends for `doc.arr.pull(a, b)`). mongod tests each element one of
// three ways: a condition that reads like a query (fields, or $and/$or/$nor/$expr) against element
// documents only; an operator condition (`{$gte: 6}`, `{$in: [...]}`) against the element itself;
// any other value by BSON equality.
import { compileFilter } from './filter.js';
import { collatorFor } from './collation.js';
import { compareValues } from './order.js';
import { type Doc, isPlainObject, keyOf, numericView, walkPath } from './values.js';

const queryOperators = new Set(['$and', '$or', '$nor', '$expr', '$where', '$comment', '$jsonSchema']);

function elementMatcher(condition: unknown, collation: Doc | undefined): (element: unknown) => boolean {
  if (isPlainObject(condition)) {
    const first = Object.keys(condition)[0];
    if (first === undefined || !first.startsWith('$') || queryOperators.has(first)) {
      const { query } = compileFilter(condition, collation);
      return (element) => isPlainObject(element) && query.test(numericView(element));
    }
    const { query } = compileFilter({ element: condition }, collation);
    return (element) => query.test({ element: numericView(element) });
  }
  const strings = collatorFor(collation);
  return (element) => compareValues(element, condition, strings) === 0;
}

/**
 * `$pull` and `$pullAll` on a path without positional parts become a `$set` of the array without
 * the removed elements (nothing removed: nothing set, a no-op as on mongod); positional ones stay
 * for mingo. `$pullAll` compares as BSON does (field order counts in embedded documents; mingo
 * ignores it).
 */
export function pullsAsSet(doc: Doc, modifier: Doc, collation?: Doc): Doc {
  const pulled = asSet(doc, modifier, '$pull', (condition) => elementMatcher(condition, collation));
  return asSet(doc, pulled, '$pullAll', (argument) => {
    const unwanted = new Set(Array.isArray(argument) ? argument.map(keyOf) : []);
    return (element) => unwanted.has(keyOf(element));
  });
}

function asSet(
  doc: Doc,
  modifier: Doc,
  operator: '$pull' | '$pullAll',
  matcher: (argument: unknown) => (element: unknown) => boolean,
): Doc {
  const fields = modifier[operator];
  if (!isPlainObject(fields)) return modifier;
  const out: Doc = { ...modifier };
  const keep: Doc = {};
  const set: Doc = { ...(isPlainObject(modifier.$set) ? modifier.$set : {}) };
  for (const [path, argument] of Object.entries(fields)) {
    const parts = path.split('.');
    if (parts.some((part) => part.startsWith('$'))) {
      keep[path] = argument;
      continue;
    }
    const { chain, rest } = walkPath(doc, parts);
    const value = chain[chain.length - 1]!.value;
    if (rest.length || !Array.isArray(value)) continue;
    const matches = matcher(argument);
    const kept = value.filter((element) => !matches(element));
    if (kept.length !== value.length) set[path] = kept;
  }
  if (Object.keys(keep).length) out[operator] = keep;
  else delete out[operator];
  if (Object.keys(set).length) out.$set = set;
  return out;
}
