// Secondary indexes of the offline lane: each keeps a map from index key to the documents that
// hold it, so unique constraints are enforced and equality lookups do not scan the collection.
import { BSONRegExp } from 'bson';
import type { Query } from 'mingo';
import { CommandError, badValue, notImplemented } from './errors.js';
import { collatedKeyOf, collatorFor, parseCollation } from './collation.js';
import { compileFilter } from './filter.js';
import { compareValues } from './order.js';
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

/** One entry an index holds for a document: its key string and the values that form it. */
export interface IndexEntry {
  key: string;
  values: unknown[];
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

export class Index {
  readonly fields: string[];
  /** index key → primary keys (keyOf(_id)) of the documents that hold it */
  readonly entries = new Map<string, Set<string>>();
  private readonly partial: Query | undefined;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
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

  /** Whether every document of the collection has an entry (so a lookup can replace a scan). */
  get complete(): boolean {
    return !this.spec.sparse && !this.partial && this.spec.collation === undefined;
  }

  /** The entries this index holds for a document; empty when sparse or partial leaves it out. */
  entriesFor(doc: Doc, view: Doc): IndexEntry[] {
    if (!this.covers(view)) return [];
    const perField = this.fields.map((field) => {
      const values = valuesAtPath(doc, field).flatMap((value): unknown[] =>
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
    const seen = new Map<string, IndexEntry>();
    const collation = this.spec.collation;
    for (const values of combos) {
      // Under a collation the key is folded (coarser than the collation's equality): see conflict().
      const key = values.map((value) => collatedKeyOf(value, collation)).join('|');
      if (!seen.has(key)) seen.set(key, { key, values });
    }
    return [...seen.values()];
  }

  add(pk: string, entries: IndexEntry[]): void {
    for (const { key } of entries) {
      let holders = this.entries.get(key);
      if (!holders) {
        holders = new Set();
        this.entries.set(key, holders);
      }
      holders.add(pk);
    }
  }

  remove(pk: string, entries: IndexEntry[]): void {
    for (const { key } of entries) {
      const holders = this.entries.get(key);
      if (!holders) continue;
      holders.delete(pk);
      if (holders.size === 0) this.entries.delete(key);
    }
  }

  /**
   * The first entry another document already holds, if this index is unique. Under a collation a
   * shared (folded) key is a clash only when the values compare equal with the collation, so the
   * holders' entries are read again through `entriesOf`.
   */
  conflict(
    pk: string,
    entries: IndexEntry[],
    entriesOf?: (pk: string) => IndexEntry[],
  ): IndexEntry | undefined {
    if (!this.unique) return undefined;
    const strings = this.spec.collation ? collatorFor(this.spec.collation) : undefined;
    return entries.find(({ key, values }) => {
      const holders = this.entries.get(key);
      if (!holders) return false;
      for (const holder of holders) {
        if (holder === pk) continue;
        if (!strings || !entriesOf) return true;
        const same = (other: IndexEntry): boolean =>
          other.key === key &&
          other.values.every((value, i) => compareValues(value, values[i], strings) === 0);
        if (entriesOf(holder).some(same)) return true;
      }
      return false;
    });
  }

  /** Primary keys of documents whose key equals these values, field by field. */
  lookup(values: unknown[]): Set<string> | undefined {
    return this.entries.get(values.map(keyOf).join('|'));
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
