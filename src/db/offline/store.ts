// In-memory storage of the offline lane: databases → collections → documents and their indexes.
// Stored documents are never mutated in place: a write builds a new document, checks every
// index, and only then swaps it in, so a failed write leaves nothing half done.
import { BSON, ObjectId, UUID } from 'bson';
import { CommandError, badValue, duplicateKey, invalidNamespace } from './errors.js';
import { Index, type IndexEntry, type IndexSpec } from './indexes.js';
import {
  type Doc,
  MAX_DOCUMENT_BYTES,
  hasWideNumbers,
  idFirst,
  isPlainObject,
  keyOf,
  numericView,
} from './values.js';

/** A stored document and the form mingo compares (the same object unless it holds int64/decimal). */
export interface Stored {
  readonly pk: string;
  readonly doc: Doc;
  readonly view: Doc;
}

function stored(doc: Doc): Stored {
  return { pk: keyOf(doc._id), doc, view: hasWideNumbers(doc) ? numericView(doc) : doc };
}

const idIndexSpec: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  readonly docs = new Map<string, Stored>();
  readonly indexes = new Map<string, Index>();
  readonly uuid = new UUID();

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Doc = {},
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** Index specs as listIndexes shows them, the `_id_` index first. */
  indexSpecs(): IndexSpec[] {
    const collation = this.options.collation as Doc | undefined;
    return [
      collation ? { ...idIndexSpec, collation } : idIndexSpec,
      ...[...this.indexes.values()].map((index) => index.spec),
    ];
  }

  /** Adds an index over the existing documents; refuses (leaving nothing behind) on a duplicate. */
  addIndex(spec: IndexSpec): void {
    const index = new Index(spec);
    for (const entry of this.docs.values()) {
      const entries = index.entriesFor(entry.doc, entry.view);
      const clash = index.conflict(entry.pk, entries, this.entriesOf(index));
      if (clash) throw this.duplicate(index, clash);
      index.add(entry.pk, entries);
    }
    this.indexes.set(spec.name, index);
  }

  /** Stores a new document; `upsert` when an update inserts it (mongod words its size error so). */
  insert(input: Doc, origin: 'insert' | 'upsert' = 'insert'): Doc {
    const doc = idFirst('_id' in input ? input : { _id: new ObjectId(), ...input });
    checkId(doc._id);
    const size = BSON.calculateObjectSize(doc);
    if (size > MAX_DOCUMENT_BYTES) {
      throw origin === 'insert'
        ? badValue(`object to insert too large. size in bytes: ${size}, max size: ${MAX_DOCUMENT_BYTES}`)
        : new CommandError(17420, 'Location17420', `Document to upsert is larger than ${MAX_DOCUMENT_BYTES}`);
    }
    const entry = stored(doc);
    if (this.docs.has(entry.pk)) {
      throw duplicateKey(this.ns, '_id_', { _id: 1 }, { _id: doc._id });
    }
    const plan = this.planIndexes(entry);
    this.docs.set(entry.pk, entry);
    for (const [index, entries] of plan) index.add(entry.pk, entries);
    return doc;
  }

  /** Replaces a stored document with a new version of it (same `_id`). */
  replace(previous: Stored, next: Doc): Stored {
    if (keyOf(next._id) !== previous.pk) {
      throw new CommandError(
        66,
        'ImmutableField',
        "Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    }
    const doc = idFirst(next);
    if (BSON.calculateObjectSize(doc) > MAX_DOCUMENT_BYTES) {
      throw new CommandError(
        17419,
        'Location17419',
        `Resulting document after update is larger than ${MAX_DOCUMENT_BYTES}`,
      );
    }
    const entry = stored(doc);
    const plan = this.planIndexes(entry);
    for (const index of this.indexes.values())
      index.remove(previous.pk, index.entriesFor(previous.doc, previous.view));
    this.docs.set(entry.pk, entry);
    for (const [index, entries] of plan) index.add(entry.pk, entries);
    return entry;
  }

  remove(entry: Stored): void {
    for (const index of this.indexes.values())
      index.remove(entry.pk, index.entriesFor(entry.doc, entry.view));
    this.docs.delete(entry.pk);
  }

  get(pk: string): Stored | undefined {
    return this.docs.get(pk);
  }

  /**
   * The documents a filter can match, without scanning when the filter pins `_id` or every field
   * of a complete index by equality. The caller still tests each candidate against the filter.
   */
  candidates(filter: Doc, useIndexes: boolean): Iterable<Stored> {
    if (useIndexes) {
      const ids = equalityValues(filter._id);
      if (ids) {
        // `$in: [a, a]` matches a once
        const pks = new Set(ids.map(keyOf));
        return [...pks].flatMap((pk): Stored[] => {
          const entry = this.docs.get(pk);
          return entry ? [entry] : [];
        });
      }
      for (const index of this.indexes.values()) {
        if (!index.complete) continue;
        const perField = index.fields.map((field) => equalityValues(filter[field]));
        if (perField.some((values) => values?.length !== 1)) continue;
        const pks = index.lookup(perField.map((values) => values![0]));
        return [...(pks ?? new Set<string>())].flatMap((pk): Stored[] => {
          const entry = this.docs.get(pk);
          return entry ? [entry] : [];
        });
      }
    }
    return this.docs.values();
  }

  private planIndexes(entry: Stored): [Index, IndexEntry[]][] {
    const plan: [Index, IndexEntry[]][] = [];
    for (const index of this.indexes.values()) {
      const entries = index.entriesFor(entry.doc, entry.view);
      const clash = index.conflict(entry.pk, entries, this.entriesOf(index));
      if (clash) throw this.duplicate(index, clash);
      plan.push([index, entries]);
    }
    return plan;
  }

  /** How a collated unique index reads another document's entries to compare them exactly. */
  private entriesOf(index: Index): (pk: string) => IndexEntry[] {
    return (pk) => {
      const holder = this.docs.get(pk);
      return holder ? index.entriesFor(holder.doc, holder.view) : [];
    };
  }

  private duplicate(index: Index, clash: IndexEntry): CommandError {
    const keyValue: Doc = {};
    index.fields.forEach((field, i) => {
      keyValue[field] = clash.values[i] ?? null;
    });
    return duplicateKey(this.ns, index.name, index.spec.key, keyValue);
  }
}

/** Values a filter field pins by plain equality (`v`, `{$eq: v}`, `{$in: [...]}`), if it does. */
function equalityValues(condition: unknown): unknown[] | undefined {
  const pinnable = (value: unknown): boolean =>
    value !== undefined && !Array.isArray(value) && !(value instanceof RegExp) && !isPlainObject(value);
  if (pinnable(condition)) return [condition];
  if (!isPlainObject(condition)) return undefined;
  const keys = Object.keys(condition);
  if (keys.length !== 1) return undefined;
  if (keys[0] === '$eq' && pinnable(condition.$eq)) return [condition.$eq];
  if (keys[0] === '$in' && Array.isArray(condition.$in) && condition.$in.every(pinnable))
    return condition.$in as unknown[];
  return undefined;
}

function checkId(id: unknown): void {
  if (Array.isArray(id)) throw badValue(`The '_id' value cannot be of type array`);
  if (id instanceof RegExp) throw badValue(`can't use a regex for _id`);
  if (id === undefined) throw badValue(`can't use undefined for _id`);
  if (isPlainObject(id) && Object.keys(id).some((key) => key.startsWith('$'))) {
    throw badValue(`_id fields may not contain '$'-prefixed fields`);
  }
}

export class Database {
  readonly collections = new Map<string, Collection>();
  constructor(readonly name: string) {}

  collection(name: string): Collection | undefined {
    return this.collections.get(name);
  }

  /** The collection, created implicitly as mongod does on first write. */
  ensure(name: string): Collection {
    let collection = this.collections.get(name);
    if (!collection) {
      validateCollectionName(name);
      collection = new Collection(this.name, name);
      this.collections.set(name, collection);
    }
    return collection;
  }
}

export function validateCollectionName(name: string): void {
  if (!name || name.includes('\0') || name.startsWith('system.') || name.includes('$')) {
    throw invalidNamespace(`Invalid collection name: ${name}`);
  }
}

export class Store {
  readonly databases = new Map<string, Database>();

  database(name: string): Database {
    if (!/^[^/\\. "$*<>:|?]{1,63}$/.test(name)) throw invalidNamespace(`Invalid database name: '${name}'`);
    let db = this.databases.get(name);
    if (!db) {
      db = new Database(name);
      this.databases.set(name, db);
    }
    return db;
  }

  /** Removes documents whose TTL index date has passed, as mongod's TTL monitor does. */
  sweepExpired(now = Date.now()): number {
    let removed = 0;
    for (const db of this.databases.values()) {
      for (const collection of db.collections.values()) {
        for (const index of collection.indexes.values()) {
          const ttl = index.spec.expireAfterSeconds;
          if (typeof ttl !== 'number' || index.fields.length !== 1) continue;
          const field = index.fields[0]!;
          for (const entry of [...collection.docs.values()]) {
            const value = entry.doc[field];
            const dates = (Array.isArray(value) ? value : [value]).filter(
              (v): v is Date => v instanceof Date,
            );
            if (!dates.length || !index.covers(entry.view)) continue;
            const earliest = Math.min(...dates.map((date) => date.getTime()));
            if (earliest + ttl * 1000 <= now) {
              collection.remove(entry);
              removed += 1;
            }
          }
        }
      }
    }
    return removed;
  }
}
