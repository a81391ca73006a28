// In-memory storage of the offline lane: databases → collections → documents and their indexes.
// Stored documents are never mutated in place: a write builds a new document, checks every
// index, and only then swaps it in, so a failed write leaves nothing half done.
import { BSON, ObjectId, UUID } from 'bson';
import { CommandError, badValue, duplicateKey, invalidNamespace } from './errors.js';
import { Index, type IndexEntry, type IndexSpec } from './indexes.js';
import { type ViewDefinition, viewNotSupported } from './views.js';
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
  /** Insertion sequence (mongod's record id): index keys break ties by it; a replace keeps it. */
  readonly seq: number;
  readonly doc: Doc;
  readonly view: Doc;
}

function stored(doc: Doc, seq: number): Stored {
  return { pk: keyOf(doc._id), seq, doc, view: hasWideNumbers(doc) ? numericView(doc) : doc };
}

const idIndexSpec: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  readonly docs = new Map<string, Stored>();
  readonly indexes = new Map<string, Index>();
  readonly uuid = new UUID();
  private nextSeq = 1;
  /** The `_id` index in order (the primary map is a hash): built when a query first needs it. */
  private idKeys: Index | undefined;

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

  /** The `_id` index as an ordered index (ranges and sorts on `_id`), kept from its first use on. */
  orderedIds(): Index {
    if (!this.idKeys) {
      const index = new Index(this.indexSpecs()[0]!);
      for (const entry of this.docs.values()) index.add(entry, index.entriesFor(entry.doc, entry.view));
      this.idKeys = index;
    }
    return this.idKeys;
  }

  /** Adds an index over the existing documents; refuses (leaving nothing behind) on a duplicate. */
  addIndex(spec: IndexSpec): void {
    const index = new Index(spec);
    for (const entry of this.docs.values()) {
      const entries = index.entriesFor(entry.doc, entry.view);
      const clash = index.conflict(entry.pk, entries);
      if (clash) throw this.duplicate(index, clash);
      index.add(entry, entries);
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
    const entry = stored(doc, this.nextSeq);
    if (this.docs.has(entry.pk)) {
      throw duplicateKey(this.ns, '_id_', { _id: 1 }, { _id: doc._id });
    }
    const plan = this.planIndexes(entry);
    this.nextSeq += 1;
    this.docs.set(entry.pk, entry);
    for (const [index, entries] of plan) index.add(entry, entries);
    this.idKeys?.add(entry, this.idKeys.entriesFor(doc, entry.view));
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
    const entry = stored(doc, previous.seq);
    const plan = this.planIndexes(entry);
    this.docs.set(entry.pk, entry);
    // An index whose entries the write left as they were keeps them (same pk, same seq): only the
    // indexes of changed fields are rewritten, as mongod does.
    for (const [index, entries] of plan) {
      const before = index.entriesFor(previous.doc, previous.view);
      if (sameEntries(before, entries)) continue;
      index.remove(previous, before);
      index.add(entry, entries);
    }
    return entry;
  }

  remove(entry: Stored): void {
    for (const index of this.indexes.values()) index.remove(entry, index.entriesFor(entry.doc, entry.view));
    this.idKeys?.remove(entry, this.idKeys.entriesFor(entry.doc, entry.view));
    this.docs.delete(entry.pk);
  }

  get(pk: string): Stored | undefined {
    return this.docs.get(pk);
  }

  private planIndexes(entry: Stored): [Index, IndexEntry[]][] {
    const plan: [Index, IndexEntry[]][] = [];
    for (const index of this.indexes.values()) {
      const entries = index.entriesFor(entry.doc, entry.view);
      const clash = index.conflict(entry.pk, entries);
      if (clash) throw this.duplicate(index, clash);
      plan.push([index, entries]);
    }
    return plan;
  }

  private duplicate(index: Index, clash: IndexEntry): CommandError {
    const keyValue: Doc = {};
    index.fields.forEach((field, i) => {
      keyValue[field] = clash.values[i] ?? null;
    });
    return duplicateKey(this.ns, index.name, index.spec.key, keyValue);
  }
}

/** The same index values in the same order, of the same BSON types (covered reads return them). */
function sameEntries(before: readonly IndexEntry[], after: readonly IndexEntry[]): boolean {
  if (before.length !== after.length) return false;
  for (let i = 0; i < before.length; i++) {
    const a = before[i]!.values;
    const b = after[i]!.values;
    if (a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) if (!sameValue(a[k], b[k])) return false;
  }
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a.constructor !== b.constructor) return false;
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (a instanceof ObjectId) return a.equals(b as ObjectId);
  return keyOf(a) === keyOf(b) && Buffer.compare(BSON.serialize({ a }), BSON.serialize({ a: b })) === 0;
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
  readonly views = new Map<string, ViewDefinition>();
  constructor(readonly name: string) {}

  /** Refuses a write (or an index command) on a view, as mongod does (166). */
  refuseView(name: string): void {
    if (this.views.has(name)) throw viewNotSupported(`${this.name}.${name}`);
  }

  collection(name: string): Collection | undefined {
    return this.collections.get(name);
  }

  /** The collection, created implicitly as mongod does on first write. */
  ensure(name: string): Collection {
    let collection = this.collections.get(name);
    if (!collection) {
      this.refuseView(name);
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
