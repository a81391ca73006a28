// Applies an update (operators, a replacement, or a pipeline) to a copy of a stored document,
// with mingo's update operators and mongod's checks where mingo is lenient.
import { BSON, Timestamp, Long, Decimal128 } from 'bson';
import {
  CommandError,
  badValue,
  emptyFieldName,
  failedToParse,
  notImplemented,
  typeMismatch,
} from './errors.js';
import { applyModifiers } from './modifiers.js';
import { runPipeline } from './pipeline.js';
import { WideNumbers } from './restore.js';
import {
  type Doc,
  deepCopy,
  hasWideNumbers,
  isPlainObject,
  keyOf,
  numericView,
  showElement,
  walkPath,
} from './values.js';

export type UpdateSpec =
  { kind: 'operators'; ops: Doc } | { kind: 'replacement'; doc: Doc } | { kind: 'pipeline'; stages: Doc[] };

const knownOperators = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$pop',
  '$bit',
  '$currentDate',
  '$setOnInsert',
]);
const numericOperators = new Set(['$inc', '$mul']);
const pipelineStages = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

/** Classifies an update document the way mongod does, refusing mixed or unknown forms. */
export function parseUpdate(raw: unknown): UpdateSpec {
  if (Array.isArray(raw)) {
    for (const stage of raw) {
      const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
      if (!name || !pipelineStages.has(name)) {
        throw new CommandError(
          72,
          'InvalidOptions',
          `${String(name)} is not allowed to be used within an update`,
        );
      }
    }
    return { kind: 'pipeline', stages: raw as Doc[] };
  }
  if (!isPlainObject(raw)) throw failedToParse('Update argument must be either an object or an array');
  const keys = Object.keys(raw);
  if (keys.length === 0 || !keys[0]!.startsWith('$')) {
    const dollar = keys.find((key) => key.startsWith('$'));
    if (dollar)
      throw new CommandError(
        52,
        'DollarPrefixedFieldName',
        `The dollar ($) prefixed field '${dollar}' in '${dollar}' is not allowed in the context of an update's replacement document.`,
      );
    return { kind: 'replacement', doc: raw };
  }
  for (const key of keys) {
    if (!knownOperators.has(key)) {
      throw failedToParse(
        `Unknown modifier: ${key}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    const fields = raw[key];
    if (!isPlainObject(fields)) {
      throw failedToParse(
        `Modifiers operate on fields but we found type ${typeof fields} instead. For example: {$mod: {<field>: ...}} not {${key}: ${JSON.stringify(fields)}}`,
      );
    }
    for (const [path, argument] of Object.entries(fields)) {
      checkUpdatePath(path);
      if (key === '$rename') checkRename(path, argument);
      if (key === '$pullAll' && !Array.isArray(argument))
        throw badValue(`$pullAll requires an array argument but was given a ${typeName(argument)}`);
    }
  }
  return { kind: 'operators', ops: raw };
}

const isDynamic = (part: string): boolean => part === '$' || /^\$\[[^\]]*\]$/.test(part);

/** mongod's parse-time check of every update path: no empty field names (code 56). */
function checkUpdatePath(path: string): void {
  if (path === '') throw emptyFieldName('An empty update path is not valid.');
  if (path.split('.').includes(''))
    throw emptyFieldName(`The update path '${path}' contains an empty field name, which is not allowed.`);
}

/** `$rename` needs a string target, off the source's own path, and no positional parts (code 2). */
function checkRename(from: string, to: unknown): void {
  if (typeof to !== 'string')
    throw badValue(`The 'to' field for $rename must be a string: ${showElement(from, to)}`);
  checkUpdatePath(to);
  const expression = showElement(from, to);
  if (from === to) throw badValue(`The source and target field for $rename must differ: ${expression}`);
  const source = from.split('.');
  const target = to.split('.');
  const isPrefix = (a: string[], b: string[]): boolean =>
    a.length <= b.length && a.every((part, i) => part === b[i]);
  if (isPrefix(source, target) || isPrefix(target, source))
    throw badValue(`The source and target field for $rename must not be on the same path: ${expression}`);
  if (source.some(isDynamic)) throw badValue(`The source field for $rename may not be dynamic: ${from}`);
  if (target.some(isDynamic)) throw badValue(`The destination field for $rename may not be dynamic: ${to}`);
}

/**
 * The document after the update, and whether anything changed. `isInsert` applies
 * `$setOnInsert`; `filter` resolves the positional `$` operator.
 */
/** Whether two documents have the same BSON (by value when a renamed `__proto__` key has no BSON form). */
function sameBson(a: Doc, b: Doc): boolean {
  try {
    return Buffer.from(BSON.serialize(a)).equals(BSON.serialize(b));
  } catch {
    return keyOf(a) === keyOf(b);
  }
}

export function applyUpdate(
  current: Doc,
  spec: UpdateSpec,
  options: {
    filter: Doc;
    arrayFilters?: Doc[];
    isInsert: boolean;
    collation?: Doc | undefined;
    variables?: Doc | undefined;
  },
): { doc: Doc; changed: boolean } {
  if (spec.kind === 'replacement') {
    const doc: Doc = { _id: current._id, ...deepCopy(spec.doc) };
    if (spec.doc._id === undefined) doc._id = current._id;
    // mongod compares the documents' BSON: an identical replacement modifies nothing.
    return { doc, changed: !sameBson(doc, current) };
  }
  if (spec.kind === 'pipeline') return applyPipelineUpdate(current, spec.stages, options.variables);
  const doc = deepCopy(current);
  const modifier: Doc = {};
  for (const [operator, fields] of Object.entries(spec.ops) as [string, Doc][]) {
    if (operator === '$setOnInsert') {
      if (options.isInsert) modifier.$set = { ...(modifier.$set as Doc | undefined), ...fields };
      continue;
    }
    if (operator === '$currentDate') {
      modifier.$set = { ...(modifier.$set as Doc | undefined), ...currentDates(fields) };
      continue;
    }
    if (operator === '$set') {
      modifier.$set = { ...(modifier.$set as Doc | undefined), ...fields };
      continue;
    }
    modifier[operator] = fields;
  }
  // $set of _id: mongod accepts the value the document already has (connect-mongo sets it on every
  // save) and, on an upsert, takes it as the new document's _id. mingo refuses it outright.
  const set = modifier.$set as Doc | undefined;
  if (set && Object.hasOwn(set, '_id')) {
    const { _id: id, ...rest } = set;
    if (doc._id === undefined) doc._id = deepCopy(id);
    else if (keyOf(id) !== keyOf(doc._id)) {
      throw new CommandError(
        66,
        'ImmutableField',
        "Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    }
    if (Object.keys(rest).length) modifier.$set = rest;
    else delete modifier.$set;
  }
  const dollarFields = takeDollarFields(modifier, options.isInsert);
  for (const [operator, fields] of Object.entries(modifier) as [string, Doc][])
    checkOperator(doc, operator, fields);
  if (Object.keys(modifier).length === 0 && !dollarFields) return { doc, changed: false };
  const modified = Object.keys(modifier).length ? applyModifiers(doc, modifier, spec.ops, options) : [];
  const exact = setExactly(doc, modifier.$set as Doc | undefined);
  for (const [field, value] of Object.entries(dollarFields ?? {})) doc[field] = deepCopy(value);
  return { doc, changed: modified.length > 0 || exact || dollarFields !== undefined };
}

/**
 * Top-level `$`-prefixed field names in `$set` (and `$setOnInsert`): since MongoDB 5.0 an upsert
 * that inserts stores them (the new document is validated as an insert), while an update of an
 * existing document refuses them (52), as mongod 7.0 does. Taken out of the modifier, which mingo
 * would refuse, and returned for the caller to write.
 */
function takeDollarFields(modifier: Doc, isInsert: boolean): Doc | undefined {
  const set = modifier.$set as Doc | undefined;
  if (!set) return undefined;
  const fields = Object.keys(set).filter((path) => path.startsWith('$') && !path.includes('.'));
  if (!fields.length) return undefined;
  if (!isInsert)
    throw new CommandError(
      52,
      'DollarPrefixedFieldName',
      `The dollar ($) prefixed field '${fields[0]}' in '${fields[0]}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`,
    );
  const taken: Doc = {};
  const rest: Doc = {};
  for (const [path, value] of Object.entries(set)) {
    if (fields.includes(path)) taken[path] = value;
    else rest[path] = value;
  }
  if (Object.keys(rest).length) modifier.$set = rest;
  else delete modifier.$set;
  return taken;
}

/**
 * mingo's $set skips a value it deems equal to the stored one, and it deems BinData equal across
 * subtypes; mongod compares BSON (a new subtype is a change). Writes what mingo skipped; true if any.
 */
function setExactly(doc: Doc, set: Doc | undefined): boolean {
  let changed = false;
  for (const [path, value] of Object.entries(set ?? {})) {
    const parts = path.split('.');
    if (parts.some((part) => part.startsWith('$'))) continue;
    const { chain, rest } = walkPath(doc, parts);
    if (rest.length || keyOf(chain[chain.length - 1]!.value) === keyOf(value)) continue;
    const parent = chain[chain.length - 2]?.value;
    if (isPlainObject(parent)) parent[parts[parts.length - 1]!] = deepCopy(value);
    else if (Array.isArray(parent)) parent[Number(parts[parts.length - 1])] = deepCopy(value);
    else continue;
    changed = true;
  }
  return changed;
}

/**
 * A pipeline-style update runs through the aggregation engine (so its expressions answer, and
 * fail, as in an aggregate); the result keeps the document's `_id`, which it may not change.
 */
function applyPipelineUpdate(current: Doc, stages: Doc[], variables?: Doc): { doc: Doc; changed: boolean } {
  const wide = new WideNumbers();
  const input = wide.note({ doc: current, view: hasWideNumbers(current) ? numericView(current) : current });
  const [output] = wide.restore(
    runPipeline([deepCopy(input)], stages, () => [], variables ? { let: variables } : {}),
  );
  if (!isPlainObject(output)) throw badValue('a pipeline-style update must produce a document');
  let doc = output;
  if (current._id !== undefined) {
    if (doc._id === undefined) doc = { _id: current._id, ...doc };
    else if (keyOf(doc._id) !== keyOf(current._id)) {
      throw new CommandError(
        66,
        'ImmutableField',
        `After applying the update, the (immutable) field '_id' was found to have been altered to ${showElement('_id', doc._id)}`,
      );
    }
  }
  return { doc, changed: keyOf(doc) !== keyOf(current) };
}

function currentDates(fields: Doc): Doc {
  const out: Doc = {};
  for (const [path, kind] of Object.entries(fields)) {
    const type = isPlainObject(kind) ? kind.$type : 'date';
    if (kind === true || type === 'date') out[path] = new Date();
    else if (type === 'timestamp') out[path] = new Timestamp({ t: Math.floor(Date.now() / 1000), i: 1 });
    else throw badDateType(path);
  }
  return out;
}

const badDateType = (path: string): CommandError =>
  new CommandError(
    2,
    'BadValue',
    `The '$type' string field is required to be 'date' or 'timestamp' for '${path}'`,
  );

/** mongod's checks that mingo would pass over silently. */
function checkOperator(doc: Doc, operator: string, fields: Doc): void {
  for (const [path, argument] of Object.entries(fields)) {
    if (path === '_id' && operator !== '$set' && operator !== '$setOnInsert') {
      throw new CommandError(
        66,
        'ImmutableField',
        "Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    }
    if (!numericOperators.has(operator)) continue;
    if (!isNumeric(argument))
      throw typeMismatch(
        `Cannot ${operator === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(argument)}}`,
      );
    // Positional paths are resolved later (against the filter); paths that do not reach a value
    // are checked for viability there too (code 28).
    if (path.includes('$')) continue;
    const { chain, rest } = walkPath(doc, path.split('.'));
    if (rest.length) continue;
    const value = chain[chain.length - 1]!.value;
    if (!isNumeric(value)) {
      throw typeMismatch(
        `Cannot apply ${operator} to a value of non-numeric type. {_id: ${JSON.stringify(doc._id)}} has the field '${path.split('.').pop()}' of non-numeric type ${typeName(value)}`,
      );
    }
    if (value instanceof Long || value instanceof Decimal128)
      throw notImplemented(`${operator} on an int64 or decimal field`);
  }
}

const isNumeric = (value: unknown): boolean =>
  typeof value === 'number' || value instanceof Long || value instanceof Decimal128;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

/** The document an upsert starts from: the filter's equality conditions (mongod's rules). */
export function seedFromFilter(filter: Doc): Doc {
  const seed: Doc = {};
  const visit = (conditions: Doc): void => {
    for (const [key, condition] of Object.entries(conditions)) {
      if (key === '$and' && Array.isArray(condition)) {
        for (const part of condition) if (isPlainObject(part)) visit(part);
        continue;
      }
      if (key.startsWith('$')) continue;
      let value: unknown = condition;
      if (isPlainObject(condition) && Object.keys(condition).some((k) => k.startsWith('$'))) {
        if (!('$eq' in condition)) continue;
        value = condition.$eq;
      }
      if (value instanceof RegExp) continue;
      setPath(seed, key, deepCopy(value));
    }
  };
  visit(filter);
  return seed;
}

function setPath(target: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part] as Doc;
  }
  node[parts[parts.length - 1]!] = value;
}
