// find-style projections: inclusion or exclusion, `$slice`, `$elemMatch` and the positional `.$`.
import { DBRef } from 'bson';
import { Query } from 'mingo/query';
import { CommandError, badValue } from './errors.js';
import { compileFilter, filterContext } from './filter.js';
import { compareValues } from './order.js';
import { type Doc, deepCopy, idFirst, isPlainObject, numericView } from './values.js';

/**
 * mongod refuses a projection that both includes and excludes fields (other than `_id`);
 * findAndModify calls this before it writes anything.
 */
export function checkProjectionKind(projection: Doc): void {
  let kind: { include: boolean; field: string } | undefined;
  for (const [field, value] of Object.entries(projection)) {
    if (field === '_id') continue;
    let include: boolean;
    if (typeof value === 'number' || typeof value === 'boolean') include = Boolean(value);
    else if (isPlainObject(value) && ['$slice', '$elemMatch'].includes(Object.keys(value)[0] ?? '')) continue;
    else include = true; // a computed field
    if (kind && kind.include !== include) {
      throw include
        ? new CommandError(
            31253,
            'Location31253',
            `Cannot do inclusion on field ${field} in exclusion projection`,
          )
        : new CommandError(
            31254,
            'Location31254',
            `Cannot do exclusion on field ${field} in inclusion projection`,
          );
    }
    kind ??= { include, field };
  }
}

/** Applies an find-style projection to stored documents (the filter resolves `field.$`). */
export function project(docs: Doc[], projection: Doc | undefined, filter: Doc, variables?: Doc): Doc[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  checkProjectionKind(projection);
  const simple = topLevelProjection(projection);
  if (simple) return docs.map(simple);
  const slices = Object.entries(projection).filter((entry): entry is [string, Doc] => isSlice(entry[1]));
  if (slices.length) return projectWithSlices(docs, projection, slices, filter, variables);
  const elemMatches = Object.entries(projection).filter(
    (entry): entry is [string, { $elemMatch: Doc }] => !entry[0].includes('.') && isOwnElemMatch(entry[1]),
  );
  if (elemMatches.length) return projectWithElemMatch(docs, projection, elemMatches, filter, variables);
  const positional = Object.keys(projection).find((key) => key.endsWith('.$'));
  if (positional !== undefined) for (const doc of docs) checkPositional(doc, positional.slice(0, -2), filter);
  try {
    // mingo's exclusion of a nested field ('a.b': 0) deletes it from the document it is given: copies.
    const copies = docs.map((doc) => deepCopy(doc));
    return new Query(positional !== undefined ? filter : {}, {
      context: filterContext,
      ...(variables ? { variables } : {}),
    })
      .find(copies, projection)
      .all()
      .map((doc) => idFirst(doc as Doc));
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw badValue((error as Error).message);
  }
}

/**
 * A projection that only includes or excludes top-level fields (the common page shape), applied
 * without mingo: inclusion keeps `_id` (unless excluded) and the named fields in the document's
 * order, exclusion drops the named ones. Undefined for anything else (dotted paths, operators).
 */
function topLevelProjection(projection: Doc): ((doc: Doc) => Doc) | undefined {
  const entries = Object.entries(projection);
  if (
    !entries.every(
      ([field, value]) =>
        !field.includes('.') &&
        !field.startsWith('$') &&
        (typeof value === 'number' || typeof value === 'boolean'),
    )
  )
    return undefined;
  const included = new Set(
    entries.filter(([field, value]) => field !== '_id' && Boolean(value)).map(([field]) => field),
  );
  const excluded = new Set(entries.filter(([, value]) => !value).map(([field]) => field));
  const inclusion =
    included.size > 0 || (entries.length === 1 && '_id' in projection && Boolean(projection._id));
  if (inclusion) {
    const keepId = !excluded.has('_id');
    return (doc) => {
      const out: Doc = {};
      if (keepId && doc._id !== undefined) out._id = doc._id;
      for (const field of Object.keys(doc)) if (included.has(field)) out[field] = doc[field];
      return out;
    };
  }
  return (doc) => {
    const out: Doc = {};
    if (doc._id !== undefined && !excluded.has('_id')) out._id = doc._id;
    for (const field of Object.keys(doc))
      if (field !== '_id' && !excluded.has(field)) out[field] = doc[field];
    return out;
  };
}

/**
 * mongod's positional projection (`'a.$': 1`) takes the array element the filter matched; when
 * the projected path reaches an array and no condition of the filter looked inside an array of
 * that document, there is no such element: error 51246.
 */
function checkPositional(doc: Doc, path: string, filter: Doc): void {
  if (!pathReachesArray(doc, path)) return;
  if (filterPaths(filter).some((condition) => pathReachesArray(doc, condition))) return;
  throw new CommandError(
    51246,
    'Location51246',
    "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array",
  );
}

function pathReachesArray(doc: unknown, path: string): boolean {
  let value = doc;
  for (const part of path.split('.')) {
    if (!isPlainObject(value)) return false;
    value = value[part];
    if (Array.isArray(value)) return true;
  }
  return false;
}

/** The field paths a filter puts conditions on (through $and, where every condition holds). */
function filterPaths(filter: Doc): string[] {
  return Object.entries(filter).flatMap(([key, value]): string[] => {
    if (key === '$and' && Array.isArray(value))
      return value.flatMap((part) => (isPlainObject(part) ? filterPaths(part) : []));
    return key.startsWith('$') ? [] : [key];
  });
}

/**
 * The projection without the fields this module projects itself; they are included (so that
 * they survive the rest) when `include` says so for the remainder's kind.
 */
function remainder(
  projection: Doc,
  own: [string, unknown][],
  include: (kind: 'inclusion' | 'exclusion' | 'none') => boolean,
): Doc {
  const rest: Doc = { ...projection };
  for (const [field] of own) delete rest[field];
  const values = Object.entries(rest).filter(([field]) => field !== '_id');
  const includes = (value: unknown): boolean =>
    typeof value === 'number' || typeof value === 'boolean' ? Boolean(value) : true;
  const kind =
    values.length === 0 ? 'none' : values.some(([, value]) => includes(value)) ? 'inclusion' : 'exclusion';
  if (include(kind)) for (const [field] of own) rest[field] = 1;
  return rest;
}

/** A well-formed `{$slice: n}` or `{$slice: [skip, limit]}` (malformed ones go to mingo, which refuses them). */
function isSlice(value: unknown): value is { $slice: number | [number, number] } {
  if (!isPlainObject(value) || Object.keys(value).length !== 1) return false;
  const slice = value.$slice;
  if (Number.isInteger(slice)) return true;
  return (
    Array.isArray(slice) &&
    slice.length === 2 &&
    Number.isInteger(slice[0]) &&
    Number.isInteger(slice[1]) &&
    (slice[1] as number) > 0
  );
}

/**
 * `$slice` neither includes nor excludes: alone or with exclusions every other field stays (mongod
 * 4.4+), with inclusions the sliced field is included. The rest of the projection runs as usual,
 * then each sliced array is cut.
 */
function projectWithSlices(
  docs: Doc[],
  projection: Doc,
  slices: [string, Doc][],
  filter: Doc,
  variables: Doc | undefined,
): Doc[] {
  const rest = remainder(projection, slices, (kind) => kind === 'inclusion');
  const projected = Object.keys(rest).length
    ? project(docs, rest, filter, variables)
    : docs.map((doc) => deepCopy(doc));
  for (const doc of projected)
    for (const [field, spec] of slices)
      sliceAt(doc, field.split('.'), spec.$slice as number | [number, number]);
  return projected;
}

/** Cuts the array at a path (through embedded documents and arrays of them) as `$slice` does. */
function sliceAt(value: unknown, parts: string[], slice: number | [number, number]): unknown {
  if (parts.length === 0) return Array.isArray(value) ? cut(value, slice) : value;
  if (Array.isArray(value))
    return value.map((item: unknown) => (isPlainObject(item) ? sliceAt(item, parts, slice) : item));
  if (!isPlainObject(value) || !Object.hasOwn(value, parts[0]!)) return value;
  value[parts[0]!] = sliceAt(value[parts[0]!], parts.slice(1), slice);
  return value;
}

function cut(array: unknown[], slice: number | [number, number]): unknown[] {
  if (typeof slice === 'number')
    return slice >= 0 ? array.slice(0, slice) : array.slice(Math.max(0, array.length + slice));
  const [skip, limit] = slice;
  const start = skip >= 0 ? skip : Math.max(0, array.length + skip);
  return array.slice(start, start + limit);
}

const queryLike = new Set(['$and', '$or', '$nor', '$expr', '$where', '$comment']);

/**
 * An `$elemMatch` projection mingo cannot run: a condition of operators only (`{$gte: 2}`, on
 * scalar elements) or one on a DBRef's `$ref`/`$id`/`$db`.
 */
function isOwnElemMatch(value: unknown): value is { $elemMatch: Doc } {
  if (!isPlainObject(value) || Object.keys(value).length !== 1 || !isPlainObject(value.$elemMatch))
    return false;
  const first = Object.keys(value.$elemMatch)[0];
  return first !== undefined && first.startsWith('$') && !queryLike.has(first);
}

function elementTest(condition: Doc): (element: unknown) => boolean {
  const keys = Object.keys(condition);
  if (keys.every((key) => ['$ref', '$id', '$db'].includes(key))) {
    return (element) => {
      const ref =
        element instanceof DBRef
          ? { $ref: element.collection, $id: element.oid, ...(element.db ? { $db: element.db } : {}) }
          : element;
      return isPlainObject(ref) && keys.every((key) => compareValues(ref[key], condition[key]) === 0);
    };
  }
  const { query } = compileFilter({ element: condition });
  return (element) => query.test({ element: numericView(element) });
}

/** `$elemMatch` keeps the first matching element (or drops the field) and counts as an inclusion. */
function projectWithElemMatch(
  docs: Doc[],
  projection: Doc,
  elemMatches: [string, { $elemMatch: Doc }][],
  filter: Doc,
  variables: Doc | undefined,
): Doc[] {
  const rest = remainder(projection, elemMatches, (kind) => kind !== 'exclusion');
  const projected = project(docs, rest, filter, variables);
  projected.forEach((doc, i) => {
    for (const [field, spec] of elemMatches) {
      const source = docs[i]?.[field];
      const test = elementTest(spec.$elemMatch);
      const found = Array.isArray(source)
        ? (source as unknown[]).find((element) => test(element))
        : undefined;
      if (found === undefined) delete doc[field];
      else doc[field] = [deepCopy(found)];
    }
  });
  return projected;
}
