// Applies update operators through mingo with mongod's checks in front of it: conflicting paths
// (40), arrayFilters identifiers, paths that cannot be created or traversed (28, and code 2 for
// array updates on a missing path or through arrays in a $rename), array padding beyond mongod's
// limit (34), array operators on non-arrays, and `$addToSet`/`$pullAll` comparing embedded
// documents with their field order, as BSON does. mingo's own conflict check stops at the first
// positional element ('items.$[a].x' and 'items.$[a].y' "conflict" at 'items'), so positional
// paths on one array are applied in separate passes.
import { Query, update as applyOperators } from 'mingo';
import type { Modifier } from 'mingo/updater';
import { CommandError, badValue, failedToParse, pathNotViable, typeMismatch } from './errors.js';
import { pullsAsSet } from './pull.js';
import {
  type Doc,
  type PathStep,
  childAt,
  deepCopy,
  isPlainObject,
  keyOf,
  numericView,
  prepareFilter,
  showElement,
  walkPath,
} from './values.js';

interface Entry {
  operator: string;
  path: string;
  argument: unknown;
}

const isPositional = (part: string): boolean => part === '$' || part === '$[]' || /^\$\[[^\]]*\]$/.test(part);

/** Every path an update writes, as mongod checks them for conflicts ($rename writes two). */
function writtenPaths(ops: Doc): string[] {
  const paths: string[] = [];
  for (const [operator, fields] of Object.entries(ops)) {
    if (!isPlainObject(fields)) continue;
    for (const [path, argument] of Object.entries(fields)) {
      paths.push(path);
      if (operator === '$rename' && typeof argument === 'string') paths.push(argument);
    }
  }
  return paths;
}

/** mongod: two paths of one update conflict when one is the other or lies inside it. */
function checkConflicts(ops: Doc): void {
  const seen: string[][] = [];
  for (const path of writtenPaths(ops)) {
    const parts = path.split('.');
    for (const other of seen) {
      const shorter = Math.min(parts.length, other.length);
      if (parts.slice(0, shorter).every((part, i) => part === other[i])) {
        throw new CommandError(
          40,
          'ConflictingUpdateOperators',
          `Updating the path '${path}' would create a conflict at '${other.slice(0, shorter).join('.')}'`,
        );
      }
    }
    seen.push(parts);
  }
}

/** Every `$[identifier]` needs exactly one array filter, and every array filter must be used. */
function checkArrayFilters(ops: Doc, arrayFilters: Doc[] | undefined): void {
  const used = new Map<string, string>();
  for (const path of writtenPaths(ops)) {
    for (const match of path.matchAll(/\$\[([^\]]+)\]/g)) used.set(match[1]!, path);
  }
  const declared = new Set<string>();
  for (const filter of arrayFilters ?? []) {
    const names = new Set(Object.keys(filter).map((key) => key.split('.')[0]!));
    if (names.size !== 1)
      throw failedToParse(
        'Error parsing array filter :: caused by :: Expected a single top-level field name, found ' +
          [...names].join(' and '),
      );
    const name = [...names][0]!;
    if (declared.has(name))
      throw failedToParse(`Found multiple array filters with the same top-level field name ${name}`);
    declared.add(name);
  }
  for (const [name, path] of used) {
    if (!declared.has(name))
      throw new CommandError(
        2,
        'BadValue',
        `No array filter found for identifier '${name}' in path '${path}'`,
      );
  }
  for (const name of declared) {
    if (!used.has(name))
      throw failedToParse(`The array filter for identifier '${name}' was not used in the update`);
  }
}

/** The value at a plain (non-positional) path, `undefined` when missing or behind an array. */
function valueAt(doc: Doc, path: string): { found: boolean; value?: unknown } {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(value) && /^\d+$/.test(part)) value = value[Number(part)];
    else if (isPlainObject(value)) value = value[part];
    else return { found: false };
    if (value === undefined) return { found: false };
  }
  return { found: true, value };
}

function bsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof Date) return 'date';
  if (isPlainObject(value)) return 'object';
  const bsonType = (value as { _bsontype?: unknown })._bsontype;
  return typeof bsonType === 'string' ? bsonType.toLowerCase() : typeof value;
}

/** mongod refuses array operators on a field that holds something else; mingo skips it silently. */
function checkArrayTargets(doc: Doc, entries: Entry[]): void {
  for (const { operator, path } of entries) {
    if (!['$push', '$addToSet', '$pull', '$pullAll', '$pop'].includes(operator)) continue;
    if (path.split('.').some(isPositional)) continue;
    const { found, value } = valueAt(doc, path);
    if (!found || Array.isArray(value)) continue;
    const field = path.split('.').pop()!;
    const type = bsonTypeName(value);
    switch (operator) {
      case '$push':
        throw new CommandError(
          2,
          'BadValue',
          `The field '${field}' must be an array but is of type ${type} in document {_id: ${keyOf(doc._id).replace(/^\w:/, '')}}`,
        );
      case '$addToSet':
        throw new CommandError(
          2,
          'BadValue',
          `Cannot apply $addToSet to non-array field. Field named '${field}' has non-array type ${type}`,
        );
      case '$pop':
        throw typeMismatch(`Path '${path}' contains an element of non-array type '${type}'`);
      default:
        // mongod names $pull for $pullAll too
        throw new CommandError(2, 'BadValue', 'Cannot apply $pull to a non-array value');
    }
  }
}

/**
 * `$addToSet` on a plain path becomes a `$push` of the values the array does not hold yet, compared
 * as BSON does (field order counts in embedded documents; mingo ignores it).
 */
function addToSetAsPush(doc: Doc, modifier: Doc): Doc {
  const addToSet = modifier.$addToSet;
  if (!isPlainObject(addToSet)) return modifier;
  const out: Doc = { ...modifier };
  const keep: Doc = {};
  const push: Doc = { ...(isPlainObject(modifier.$push) ? modifier.$push : {}) };
  for (const [path, argument] of Object.entries(addToSet)) {
    if (path.split('.').some(isPositional)) {
      keep[path] = argument;
      continue;
    }
    const values =
      isPlainObject(argument) && Object.keys(argument)[0] === '$each' && Array.isArray(argument.$each)
        ? argument.$each
        : [argument];
    const { found, value } = valueAt(doc, path);
    const present = new Set((Array.isArray(value) ? value : []).map(keyOf));
    const fresh: unknown[] = [];
    for (const item of values) {
      const key = keyOf(item);
      if (present.has(key)) continue;
      present.add(key);
      fresh.push(item);
    }
    if (fresh.length || !found) push[path] = { $each: fresh };
  }
  if (Object.keys(keep).length) out.$addToSet = keep;
  else delete out.$addToSet;
  if (Object.keys(push).length) out.$push = push;
  return out;
}

const maxPadding = 1_500_000;
const isIndex = (part: string): boolean => /^\d+$/.test(part);
const isArrayUpdate = (part: string): boolean => /^\$\[[^\]]*\]$/.test(part);
const creating = new Set(['$set', '$inc', '$mul', '$min', '$max', '$push', '$addToSet', '$bit']);
const culling = new Set(['$pull', '$pullAll', '$pop']);

const lastOf = (chain: PathStep[]): PathStep => chain[chain.length - 1]!;
const idText = (doc: Doc): string => (doc._id === undefined ? 'no id' : showElement('_id', doc._id));

/** Tests array elements against the arrayFilters of an update (`$[id]`). */
class ElementFilters {
  private readonly compiled = new Map<string, Query>();
  constructor(private readonly filters: Doc[] | undefined) {}

  matches(identifier: string, element: unknown): boolean {
    let query = this.compiled.get(identifier);
    if (!query) {
      const filter = (this.filters ?? []).find((candidate) =>
        Object.keys(candidate).some((key) => key === identifier || key.startsWith(`${identifier}.`)),
      );
      if (!filter) return false;
      try {
        query = new Query(prepareFilter(filter));
      } catch (error) {
        throw badValue((error as Error).message);
      }
      this.compiled.set(identifier, query);
    }
    return query.test({ [identifier]: numericView(element) });
  }
}

/**
 * The concrete paths an update path with `$[]` / `$[id]` parts stands for in this document, each
 * array part replaced by the index of an element it selects. mongod refuses array updates on a
 * path that does not exist or on a value that is not an array (code 2).
 */
function concretePaths(doc: Doc, parts: string[], filters: ElementFilters): string[][] {
  if (!parts.some(isArrayUpdate)) return [parts];
  const out: string[][] = [];
  const visit = (value: unknown, name: string, at: number, taken: string[]): void => {
    if (at === parts.length) {
      out.push(taken);
      return;
    }
    const part = parts[at]!;
    if (isArrayUpdate(part)) {
      if (!Array.isArray(value)) {
        throw badValue(`Cannot apply array updates to non-array element ${showElement(name, value)}`);
      }
      const identifier = part.slice(2, -1);
      value.forEach((element: unknown, index) => {
        if (identifier === '' || filters.matches(identifier, element))
          visit(element, String(index), at + 1, [...taken, String(index)]);
      });
      return;
    }
    const child = childAt(value, part);
    if (child === undefined) {
      const next = parts.findIndex((candidate, k) => k > at && isArrayUpdate(candidate));
      if (next < 0) {
        out.push([...taken, ...parts.slice(at)]);
        return;
      }
      const missing = [...taken, ...parts.slice(at, next)].join('.');
      throw badValue(`The path '${missing}' must exist in the document in order to apply array updates.`);
    }
    visit(child, part, at + 1, [...taken, part]);
  };
  visit(doc, '', 0, []);
  return out;
}

/**
 * mongod's checks on a concrete path before an operator applies: creating a field inside a value
 * that is not a document, or a non-numeric field in an array, is PathNotViable (28); padding an
 * array by more than 1,500,000 elements is CannotBackfillArray (34). `$unset` of such a path is a
 * no-op; `$pull`, `$pullAll` and `$pop` refuse only a path that could not be created.
 */
function checkViable(doc: Doc, operator: string, parts: string[]): void {
  const { chain, rest } = walkPath(doc, parts);
  if (rest.length === 0) return;
  const { name, value } = lastOf(chain);
  const first = rest[0]!;
  if (culling.has(operator)) {
    if (operator === '$pop' && chain.length === 1) return;
    if (isPlainObject(value) || (Array.isArray(value) && isIndex(first))) return;
    throw pathNotViable(
      `Cannot use the part (${first}) of (${parts.join('.')}) to traverse the element ({${showElement(name, value)}})`,
    );
  }
  if (!creating.has(operator) || isPlainObject(value)) return;
  if (Array.isArray(value) && isIndex(first)) {
    if (Number(first) - value.length > maxPadding)
      throw new CommandError(34, 'CannotBackfillArray', `can't backfill more than ${maxPadding} elements`);
    return;
  }
  throw pathNotViable(`Cannot create field '${first}' in element {${showElement(name, value)}}`);
}

/**
 * `$rename` as mongod applies it: a source behind a value that cannot be traversed is 28, a
 * missing source a no-op, a source or a destination inside an array code 2, a destination that
 * cannot be created 28.
 */
function checkRename(doc: Doc, from: string, to: string): void {
  const source: PathStep[] = [{ name: '', value: doc }];
  for (const part of from.split('.')) {
    const { name, value } = lastOf(source);
    if (!isPlainObject(value) && !(Array.isArray(value) && isIndex(part))) {
      throw pathNotViable(
        `cannot use the part (${name} of ${from}) to traverse the element ({${showElement(name, value)}})`,
      );
    }
    const child = childAt(value, part);
    if (child === undefined) return;
    source.push({ name: part, value: child });
  }
  for (const step of source.slice(1, -1).reverse()) {
    if (Array.isArray(step.value)) {
      throw badValue(
        `The source field cannot be an array element, '${from}' in doc with ${idText(doc)} has an array field called '${step.name}'`,
      );
    }
  }
  const { chain, rest } = walkPath(doc, to.split('.'));
  const above = rest.length ? chain.slice(1) : chain.slice(1, -1);
  for (const step of above.reverse()) {
    if (Array.isArray(step.value)) {
      throw badValue(
        `The destination field cannot be an array element, '${to}' in doc with ${idText(doc)} has an array field called '${step.name}'`,
      );
    }
  }
  const { name, value } = lastOf(chain);
  if (rest.length && !isPlainObject(value))
    throw pathNotViable(`Cannot create field '${rest[0]}' in element {${showElement(name, value)}}`);
}

/** Runs the path checks above over every path of a (positional-resolved) modifier. */
function checkPaths(doc: Doc, modifier: Doc, arrayFilters: Doc[] | undefined): void {
  const filters = new ElementFilters(arrayFilters);
  for (const [operator, fields] of Object.entries(modifier)) {
    for (const [path, argument] of Object.entries(fields as Doc)) {
      if (operator === '$rename') {
        if (typeof argument === 'string') checkRename(doc, path, argument);
        continue;
      }
      for (const parts of concretePaths(doc, path.split('.'), filters)) checkViable(doc, operator, parts);
    }
  }
}

/** Splits a modifier so that no pass holds two positional paths into the same array. */
function passes(modifier: Doc): Doc[] {
  const out: { modifier: Doc; arrays: Set<string> }[] = [{ modifier: {}, arrays: new Set() }];
  for (const [operator, fields] of Object.entries(modifier)) {
    for (const [path, argument] of Object.entries(fields as Doc)) {
      const parts = path.split('.');
      const at = parts.findIndex(isPositional);
      const array = at < 0 ? undefined : parts.slice(0, at).join('.');
      let pass = out.find((candidate) => array === undefined || !candidate.arrays.has(array));
      if (!pass) {
        pass = { modifier: {}, arrays: new Set() };
        out.push(pass);
      }
      if (array !== undefined) pass.arrays.add(array);
      pass.modifier[operator] = { ...(pass.modifier[operator] as Doc | undefined), [path]: argument };
    }
  }
  return out.map((pass) => pass.modifier).filter((pass) => Object.keys(pass).length > 0);
}

const positionalNotFound = (): CommandError =>
  new CommandError(2, 'BadValue', 'The positional operator did not find the match needed from the query.');

/**
 * Replaces `array.$` by the index of the first element the filter's conditions on that array
 * match (tested on the numeric view, so int64 and decimal elements compare as numbers).
 */
function resolvePositional(doc: Doc, path: string, filter: Doc): string {
  const parts = path.split('.');
  const at = parts.indexOf('$');
  if (at < 0) return path;
  if (parts.indexOf('$', at + 1) >= 0)
    throw new CommandError(2, 'BadValue', `Too many positional (i.e. '$') elements found in path '${path}'`);
  const array = parts.slice(0, at).join('.');
  const keys = Object.keys(filter).filter((key) => key === array || key.startsWith(`${array}.`));
  const { value } = valueAt(doc, array);
  if (keys.length === 0 || !Array.isArray(value)) throw positionalNotFound();
  const query = new Query(Object.fromEntries(keys.map((key) => [key, filter[key]])));
  const index = value.findIndex((element) => query.test(probe(parts.slice(0, at), numericView(element))));
  if (index < 0) throw positionalNotFound();
  return [...parts.slice(0, at), String(index), ...parts.slice(at + 1)].join('.');
}

/** A document holding just `element` in a one-element array at `path`. */
function probe(path: string[], element: unknown): Doc {
  let value: unknown = [element];
  for (const part of [...path].reverse()) value = { [part]: value };
  return value as Doc;
}

function resolveAllPositional(doc: Doc, modifier: Doc, filter: Doc): Doc {
  const out: Doc = {};
  for (const [operator, fields] of Object.entries(modifier)) {
    const resolved: Doc = {};
    for (const [path, argument] of Object.entries(fields as Doc)) {
      const target = resolvePositional(doc, path, filter);
      if (operator === '$rename' && typeof argument === 'string')
        resolved[target] = resolvePositional(doc, argument, filter);
      else resolved[target] = argument;
    }
    out[operator] = resolved;
  }
  return out;
}

/**
 * Applies update operators to `doc` in place; returns the paths mingo reports as modified.
 * `ops` is the update as the client sent it (for the conflict and arrayFilters checks).
 */
export function applyModifiers(
  doc: Doc,
  modifier: Doc,
  ops: Doc,
  options: { filter: Doc; arrayFilters?: Doc[] | undefined; collation?: Doc | undefined },
): string[] {
  checkConflicts(ops);
  checkArrayFilters(ops, options.arrayFilters);
  const resolved = resolveAllPositional(doc, modifier, prepareFilter(options.filter));
  const entries = Object.entries(resolved).flatMap(([operator, fields]) =>
    Object.entries(fields as Doc).map(([path, argument]) => ({ operator, path, argument })),
  );
  checkPaths(doc, resolved, options.arrayFilters);
  checkArrayTargets(doc, entries);
  const modified: string[] = [];
  const arrayFilters = options.arrayFilters?.map(prepareFilter);
  for (const pass of passes(pullsAsSet(doc, addToSetAsPush(doc, resolved), options.collation))) {
    try {
      modified.push(
        ...applyOperators(doc, deepCopy(pass) as Modifier<Doc>, arrayFilters, {}, { cloneMode: 'deep' }),
      );
    } catch (error) {
      if (error instanceof CommandError) throw error;
      const message = (error as Error).message;
      // Two positional paths reaching the same element: mongod finds it while applying (40).
      if (/would create a conflict/.test(message))
        throw new CommandError(40, 'ConflictingUpdateOperators', message.replace(/^updating/, 'Updating'));
      throw failedToParse(message);
    }
  }
  return modified;
}
