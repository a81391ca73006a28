// find-style projections: inclusion or exclusion, `$slice`, `$elemMatch` and the positional `.$`.
import { Query } from 'mingo/query';
import { CommandError, badValue } from './errors.js';
import { filterContext } from './filter.js';
import { type Doc, deepCopy, idFirst, isPlainObject } from './values.js';

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
