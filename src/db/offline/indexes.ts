// Secondary indexes of the offline lane: each keeps its keys in a B+ tree in mongod's order
// (ordered.ts), so unique constraints are enforced and the planner (planner.ts) can read an
// equality, a range or a sort from it instead of scanning the collection.
import { BSONRegExp } from 'bson';
import type { Query } from 'mingo';
import { CommandError, badValue, notImplemented } from './errors.js';
import { collatorFor, parseCollation } from './collation.js';
import { compileFilter } from './filter.js';
import { OrderedKeys } from './ordered.js';
import { type Doc, isPlainObject, keyOf, showValue, valuesAtPath } from './values.js';

export interface IndexSpec extends Doc {
  v: number;
  key: Record<string, unknown>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
  /** A checked collation (parseCollation); absent for binary comparison. */
  collation?: Doc;
}

/** One entry an index holds for a document: the values of its fields, in key pattern order. */
export interface IndexEntry {
  values: unknown[];
}

/** What an index needs of a stored document: its primary key and insertion sequence. */
export interface Holder {
  readonly pk: string;
  readonly seq: number;
}

const supportedOptions = new Set([
  'key',
  'name',
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'background',
  'v',
  'ns',
  'collation',
  'hidden',
]);

/** The path of the first array met walking `field` through a document (the field itself if none). */
function arrayPrefixOf(doc: Doc, field: string): string {
  const segments = field.split('.');
  let value: unknown = doc;
  for (let i = 0; i < segments.length; i++) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) break;
    value = (value as Record<string, unknown>)[segments[i]!];
    if (Array.isArray(value)) return segments.slice(0, i + 1).join('.');
  }
  return field;
}

/** Whether walking a path through a document meets an array (the value at its end included). */
function hasArrayOnPath(doc: Doc, path: readonly string[]): boolean {
  let value: unknown = doc;
  for (const part of path) {
    if (Array.isArray(value)) return true;
    if (!isPlainObject(value)) return false;
    value = value[part];
  }
  return Array.isArray(value);
}

export class Index {
  readonly fields: string[];
  /** 1 or -1 per field (a hashed field keeps ascending order here: it serves equality only). */
  readonly directions: number[];
  /** Per field: whether some document held an array there (mongod's multikey paths; never reset). */
  readonly multikey: boolean[];
  /**
   * Per field: whether some document had an array anywhere on the field's path (`a` in `a.b`,
   * even of one element, or the field itself; never reset). Without one, a document has exactly
   * one value there (null or missing both keyed as null), so a null equality is exact.
   */
  readonly arrayOnPath: boolean[];
  private readonly paths: string[][];
  readonly keys: OrderedKeys;
  private readonly partial: Query | undefined;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.directions = this.fields.map((field) => (spec.key[field] === -1 ? -1 : 1));
    this.multikey = this.fields.map(() => false);
    this.arrayOnPath = this.fields.map(() => false);
    this.paths = this.fields.map((field) => field.split('.'));
    this.keys = new OrderedKeys(this.directions, collatorFor(spec.collation));
    this.partial = spec.partialFilterExpression
      ? compileFilter(spec.partialFilterExpression).query
      : undefined;
  }

  /** Whether a document (its numeric view) falls inside the partial filter, if there is one. */
  covers(view: Doc): boolean {
    return !this.partial || this.partial.test(view);
  }

  get name(): string {
    return this.spec.name;
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  /** Whether every document of the collection has an entry (so a scan of it can replace a scan). */
  get complete(): boolean {
    return !this.spec.sparse && !this.partial;
  }

  /** Whether a field keeps values in order (a hashed field does not serve ranges or sorts). */
  ordered(field: number): boolean {
    const direction = this.spec.key[this.fields[field]!];
    return direction === 1 || direction === -1;
  }

  /** The entries this index holds for a document; empty when sparse or partial leaves it out. */
  entriesFor(doc: Doc, view: Doc): IndexEntry[] {
    if (!this.covers(view)) return [];
    // The common case first: one value (no array) per field, one entry, nothing to combine.
    const single = this.singleEntry(doc);
    if (single) {
      if (this.spec.sparse && single.every((value) => value === undefined)) return [];
      return [{ values: single }];
    }
    const perField = this.fields.map((field, i) => {
      if (hasArrayOnPath(doc, this.paths[i]!)) this.arrayOnPath[i] = true;
      const found = valuesAtPath(doc, field);
      if (found.length > 1 || found.some(Array.isArray)) this.multikey[i] = true;
      const values = found.flatMap((value): unknown[] =>
        Array.isArray(value) ? (value.length ? (value as unknown[]) : [undefined]) : [value],
      );
      return values.length ? values : [undefined];
    });
    if (this.spec.sparse && perField.every((values) => values.every((value) => value === undefined)))
      return [];
    // Two fields with several values each are parallel arrays unless both come from the same array
    // (mongod indexes { 'a.x': 1, 'a.y': 1 } over an array of subdocuments `a`).
    const arrays = new Set(
      this.fields.filter((_, i) => (perField[i]?.length ?? 0) > 1).map((field) => arrayPrefixOf(doc, field)),
    );
    if (arrays.size > 1) {
      throw new CommandError(
        171,
        'CannotIndexParallelArrays',
        `cannot index parallel arrays for index ${this.name}`,
      );
    }
    let combos: unknown[][] = [[]];
    for (const values of perField) {
      const next: unknown[][] = [];
      for (const combo of combos) for (const value of values) next.push([...combo, value]);
      combos = next;
    }
    // Exact duplicates collapse here; values the collation holds equal collapse in the tree.
    const seen = new Map<string, IndexEntry>();
    for (const values of combos) {
      const key = values.map(keyOf).join('|');
      if (!seen.has(key)) seen.set(key, { values });
    }
    return [...seen.values()];
  }

  /**
   * The key values of a document that meets no array on any field's path (one value per field),
   * else undefined (the general path then sets the multikey and array flags).
   */
  private singleEntry(doc: Doc): unknown[] | undefined {
    const values: unknown[] = [];
    for (const path of this.paths) {
      let value: unknown = doc;
      for (const part of path) {
        if (Array.isArray(value)) return undefined;
        if (!isPlainObject(value)) {
          value = undefined;
          break;
        }
        value = value[part];
      }
      if (Array.isArray(value)) return undefined;
      values.push(value);
    }
    return values;
  }

  add(holder: Holder, entries: IndexEntry[]): void {
    for (const { values } of entries) this.keys.add({ values, seq: holder.seq, pk: holder.pk });
  }

  remove(holder: Holder, entries: IndexEntry[]): void {
    for (const { values } of entries) this.keys.remove({ values, seq: holder.seq, pk: holder.pk });
  }

  /**
   * The first entry another document already holds, if this index is unique: keys the index
   * orders as equal (under its collation, the collation's equality) clash.
   */
  conflict(pk: string, entries: IndexEntry[]): IndexEntry | undefined {
    if (!this.unique) return undefined;
    return entries.find(({ values }) => {
      const range = {
        low: { values, seq: -Infinity, pk: '' },
        high: { values, seq: Infinity, pk: '' },
      };
      for (const key of this.keys.keysIn(range, false)) if (key.pk !== pk) return true;
      return false;
    });
  }
}

/** Checks a createIndexes spec the way mongod does and refuses index kinds this lane cannot keep. */
export function validateIndexSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw) || !isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    throw new CommandError(9, 'FailedToParse', 'Index spec must include a non-empty key document');
  }
  for (const option of Object.keys(raw)) {
    if (!supportedOptions.has(option)) {
      throw new CommandError(
        197,
        'InvalidIndexSpecificationOption',
        `The field '${option}' is not valid for an index specification.`,
      );
    }
  }
  for (const [field, direction] of Object.entries(raw.key)) {
    if (
      direction === 'text' ||
      direction === '2dsphere' ||
      direction === '2d' ||
      direction === 'geoHaystack'
    ) {
      throw notImplemented(`index type '${String(direction)}' on field '${field}'`);
    }
    if (!(typeof direction === 'number' && direction !== 0) && direction !== 'hashed') {
      throw new CommandError(
        67,
        'CannotCreateIndex',
        `Values in the index key pattern can't be ${JSON.stringify(direction)}`,
      );
    }
  }
  const name = typeof raw.name === 'string' ? raw.name : defaultIndexName(raw.key);
  if (raw.expireAfterSeconds !== undefined && typeof raw.expireAfterSeconds !== 'number') {
    throw new CommandError(67, 'CannotCreateIndex', 'TTL index expireAfterSeconds must be a number');
  }
  if (raw.partialFilterExpression !== undefined && !isPlainObject(raw.partialFilterExpression)) {
    throw badValue('partialFilterExpression must be an object');
  }
  const spec: IndexSpec = { v: 2, key: raw.key, name };
  // Kept as given ({locale: 'simple'} included) until createIndexes weighs it against the
  // collection's default collation.
  const collation = parseCollation(raw.collation);
  if (collation) spec.collation = collation;
  if (raw.partialFilterExpression !== undefined) {
    const failure = partialFilterProblem(raw.partialFilterExpression);
    if (failure)
      throw new CommandError(
        67,
        'CannotCreateIndex',
        `Error in specification ${showValue(raw)} :: caused by :: ${failure}`,
      );
    if (raw.sparse)
      throw new CommandError(
        67,
        'CannotCreateIndex',
        'cannot mix "partialFilterExpression" and "sparse" options',
      );
  }
  for (const option of [
    'unique',
    'sparse',
    'partialFilterExpression',
    'expireAfterSeconds',
    'hidden',
  ] as const) {
    if (raw[option] !== undefined && raw[option] !== false) spec[option] = raw[option] as never;
  }
  return spec;
}

/** Operators a partial filter may apply to a field on mongod 7.0 (besides plain equality). */
const partialOperators = new Set(['$eq', '$gt', '$gte', '$lt', '$lte', '$type', '$in', '$exists']);

/**
 * Why mongod 7.0 refuses a partialFilterExpression, if it does: `$expr` (224) and `$where` (2)
 * are not allowed there, a malformed filter fails as a query would (2), and only equality,
 * `$exists: true`, `$gt`/`$gte`/`$lt`/`$lte`, `$type`, `$in`, `$and` and `$or` are supported
 * (anything else, `$ne` and `$exists: false` included, is CannotCreateIndex: the message).
 */
function partialFilterProblem(filter: Doc): string | undefined {
  const refuseContext = (expression: Doc): void => {
    for (const [key, value] of Object.entries(expression)) {
      if (key === '$expr')
        throw new CommandError(224, 'QueryFeatureNotAllowed', '$expr is not allowed in this context');
      if (key === '$where') throw badValue('$where is not allowed in this context');
      if ((key === '$and' || key === '$or') && Array.isArray(value))
        for (const part of value) if (isPlainObject(part)) refuseContext(part);
    }
  };
  refuseContext(filter);
  compileFilter(filter);
  const unsupported = (what: string): string => `Expression not supported in partial index: ${what}`;
  const visit = (expression: Doc): string | undefined => {
    for (const [key, value] of Object.entries(expression)) {
      if (key === '$and' || key === '$or') {
        for (const part of value as Doc[]) {
          const problem = visit(part);
          if (problem) return problem;
        }
        continue;
      }
      if (key === '$comment') continue;
      if (key.startsWith('$')) return unsupported(key);
      if (value instanceof RegExp || value instanceof BSONRegExp) return unsupported(`${key} regex`);
      if (!isPlainObject(value) || !Object.keys(value).some((operator) => operator.startsWith('$'))) continue;
      for (const [operator, argument] of Object.entries(value)) {
        if (operator === '$exists' && !argument) return unsupported(`$not\n    ${key} exists\n`);
        if (!partialOperators.has(operator)) return unsupported(`${key} ${operator}`);
        if (operator === '$eq' && (argument instanceof RegExp || argument instanceof BSONRegExp)) continue; // {$eq: /re/} is an equality with a regex value
      }
    }
    return undefined;
  };
  return visit(filter);
}

export function defaultIndexName(key: Record<string, unknown>): string {
  return Object.entries(key)
    .map(([field, direction]) => `${field}_${String(direction)}`)
    .join('_');
}

/** Two specs describe the same index (mongod then answers "index already exists" quietly). */
export function sameIndex(a: IndexSpec, b: IndexSpec): boolean {
  const options = ['unique', 'sparse', 'expireAfterSeconds'] as const;
  return (
    keyOf(a.key) === keyOf(b.key) &&
    keyOf(a.collation) === keyOf(b.collation) &&
    options.every((option) => (a[option] ?? false) === (b[option] ?? false)) &&
    keyOf(a.partialFilterExpression) === keyOf(b.partialFilterExpression)
  );
}
