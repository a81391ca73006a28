// Collections and indexes: create, drop, list, and the index commands.
import {
  type CommandHandler,
  collectionName,
  cursorBatchSize,
  envelopeFields,
  optionalArray,
  optionalDoc,
} from '../context.js';
import { parseCollation } from '../collation.js';
import { CommandError, notImplemented } from '../errors.js';
import { type IndexSpec, sameIndex, validateIndexSpec } from '../indexes.js';
import { Collection, type Database, validateCollectionName } from '../store.js';
import { checkPipeline } from './read.js';
import type { ViewDefinition } from '../views.js';
import { compileFilter } from '../filter.js';
import { type Doc, isPlainObject, keyOf } from '../values.js';

const namespaceNotFound = (ns: string): CommandError =>
  new CommandError(26, 'NamespaceNotFound', `ns does not exist: ${ns}`);

/** Options of `create` that this lane keeps; anything else is refused rather than ignored. */
const createOptions = new Set(['create', ...envelopeFields]);

const namespaceExists = (): CommandError =>
  new CommandError(
    48,
    'NamespaceExists',
    'Collection already exists. Options in createCollection command conflict with existing collection options',
  );

/** A view's definition from `create` (or `collMod`): `viewOn` a name, `pipeline` an array of stages. */
export function viewDefinition(command: Doc, previous?: ViewDefinition): ViewDefinition {
  const viewOn = command.viewOn ?? previous?.viewOn;
  if (typeof viewOn !== 'string')
    throw new CommandError(
      14,
      'TypeMismatch',
      "BSON field 'viewOn' is the wrong type, expected type 'string'",
    );
  if (viewOn === '') throw new CommandError(2, 'BadValue', "'viewOn' cannot be empty");
  const raw = command.pipeline ?? previous?.pipeline ?? [];
  if (!Array.isArray(raw))
    throw new CommandError(
      14,
      'TypeMismatch',
      "BSON field 'pipeline' is the wrong type, expected type 'array'",
    );
  const pipeline = checkPipeline(raw as unknown[]);
  return { viewOn, pipeline, collation: previous?.collation };
}

/** Whether making `name` read `viewOn` would close a loop of views (mongod: GraphContainsCycle, 9). */
export function refuseCycle(db: Database, name: string, viewOn: string): void {
  const seen = new Set([name]);
  for (let next: string | undefined = viewOn; next !== undefined; next = db.views.get(next)?.viewOn) {
    if (seen.has(next))
      throw new CommandError(
        9,
        'GraphContainsCycle',
        `View cycle detected: ${[...seen, next].map((view) => `${db.name}.${view}`).join(' => ')}`,
      );
    seen.add(next);
  }
}

const viewEntry = (name: string, view: ViewDefinition, nameOnly: boolean): Doc => {
  if (nameOnly) return { name, type: 'view' };
  const options: Doc = { viewOn: view.viewOn, pipeline: view.pipeline };
  if (view.collation) options.collation = view.collation;
  return { name, type: 'view', options, info: { readOnly: true } };
};

function createView(command: Doc, context: Parameters<CommandHandler>[1], name: string): Doc {
  const unknown = Object.keys(command).filter(
    (option) => !createOptions.has(option) && !['collation', 'viewOn', 'pipeline'].includes(option),
  );
  const collation = parseCollation(command.collation);
  const view = viewDefinition(command);
  if (collation && collation.locale !== 'simple') view.collation = collation;
  const existing = context.db.views.get(name);
  if (context.db.collection(name)) throw namespaceExists();
  if (existing) {
    if (
      unknown.length === 0 &&
      keyOf(viewEntry(name, existing, false)) === keyOf(viewEntry(name, view, false))
    )
      return { ok: 1 };
    throw namespaceExists();
  }
  if (unknown.length) throw notImplemented(`create option '${unknown[0]}'`);
  refuseCycle(context.db, name, view.viewOn);
  context.db.views.set(name, view);
  return { ok: 1 };
}

const create: CommandHandler = (command, context) => {
  const name = collectionName(command, 'create');
  validateCollectionName(name);
  if (command.viewOn !== undefined) return createView(command, context, name);
  if (command.pipeline !== undefined)
    throw new CommandError(9, 'FailedToParse', "'pipeline' requires 'viewOn' to also be specified");
  const options = Object.keys(command).filter(
    (option) => !createOptions.has(option) && option !== 'collation',
  );
  const collation = parseCollation(command.collation);
  const kept: Doc = collation && collation.locale !== 'simple' ? { collation } : {};
  if (context.db.views.has(name)) throw namespaceExists();
  const existing = context.db.collection(name);
  if (existing) {
    // mongod ≥ 5.1: the same create again succeeds; other options than the collection's conflict.
    if (options.length === 0 && keyOf(existing.options.collation) === keyOf(kept.collation)) return { ok: 1 };
    throw namespaceExists();
  }
  if (options.length) throw notImplemented(`create option '${options[0]}'`);
  context.db.collections.set(name, new Collection(context.dbName, name, kept));
  return { ok: 1 };
};

const drop: CommandHandler = (command, context) => {
  const name = collectionName(command, 'drop');
  if (context.db.views.delete(name)) return { ns: `${context.dbName}.${name}`, ok: 1 };
  const collection = context.db.collection(name);
  if (!collection) return { ok: 1 }; // mongod 7.0 answers a drop of a missing collection with ok
  context.db.collections.delete(name);
  context.state.cursors.closeNamespace(collection.ns);
  return { nIndexesWas: collection.indexes.size + 1, ns: collection.ns, ok: 1 };
};

const dropDatabase: CommandHandler = (_command, context) => {
  context.state.store.databases.delete(context.dbName);
  context.state.cursors.closeNamespace(context.dbName);
  return { ok: 1 };
};

const listCollections: CommandHandler = (command, context) => {
  const filter = optionalDoc(command, 'filter');
  let entries: Doc[] = [...context.db.collections.values()].map((collection) =>
    command.nameOnly
      ? { name: collection.name, type: 'collection' }
      : {
          name: collection.name,
          type: 'collection',
          options: collection.options,
          info: { readOnly: false, uuid: collection.uuid },
          idIndex: collection.indexSpecs()[0],
        },
  );
  for (const [name, view] of context.db.views) entries.push(viewEntry(name, view, command.nameOnly === true));
  if (filter) {
    const { query } = compileFilter(filter); // a bad filter is mongod's BadValue (2), as in a find
    entries = entries.filter((entry) => query.test(entry));
  }
  const cursor = context.state.cursors.open(
    `${context.dbName}.$cmd.listCollections`,
    entries,
    cursorBatchSize(command),
  );
  return { cursor, ok: 1 };
};

const createIndexes: CommandHandler = (command, context) => {
  const name = collectionName(command, 'createIndexes');
  const specs = (optionalArray(command, 'indexes') ?? []).map(validateIndexSpec);
  if (specs.length === 0) throw new CommandError(2, 'BadValue', 'Must specify at least one index to create');
  const existed = context.db.collection(name) !== undefined;
  const collection = context.db.ensure(name);
  const before = collection.indexes.size + 1;
  const fresh: IndexSpec[] = [];
  for (const spec of specs) {
    // An index takes the collection's default collation unless it names its own ('simple': none).
    if (!spec.collation && collection.options.collation) spec.collation = collection.options.collation as Doc;
    else if (spec.collation?.locale === 'simple') delete spec.collation;
    if (spec.name === '_id_' || keyOf(spec.key) === keyOf({ _id: 1 })) continue;
    const sameName = collection.indexes.get(spec.name);
    if (sameName) {
      if (sameIndex(sameName.spec, spec)) continue;
      throw new CommandError(
        86,
        'IndexKeySpecsConflict',
        `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec)}`,
      );
    }
    const sameKey = [...collection.indexes.values()].find(
      (index) =>
        keyOf(index.spec.key) === keyOf(spec.key) &&
        keyOf(index.spec.partialFilterExpression) === keyOf(spec.partialFilterExpression),
    );
    if (sameKey) {
      throw new CommandError(
        85,
        'IndexOptionsConflict',
        `Index already exists with a different name: ${sameKey.name}`,
      );
    }
    fresh.push(spec);
  }
  // All or nothing: an index that fails (a duplicate among existing documents) removes the ones added before it.
  const added: string[] = [];
  try {
    for (const spec of fresh) {
      collection.addIndex(spec);
      added.push(spec.name);
    }
  } catch (error) {
    for (const indexName of added) collection.indexes.delete(indexName);
    throw error;
  }
  const reply: Doc = {
    numIndexesBefore: before,
    numIndexesAfter: collection.indexes.size + 1,
    createdCollectionAutomatically: !existed,
    ok: 1,
  };
  if (fresh.length === 0) reply.note = 'all indexes already exist';
  return reply;
};

const listIndexes: CommandHandler = (command, context) => {
  const name = collectionName(command, 'listIndexes');
  context.db.refuseView(name);
  const collection = context.db.collection(name);
  if (!collection) throw namespaceNotFound(`${context.dbName}.${name}`);
  const cursor = context.state.cursors.open(collection.ns, collection.indexSpecs(), cursorBatchSize(command));
  return { cursor, ok: 1 };
};

const dropIndexes: CommandHandler = (command, context) => {
  const name = collectionName(command, 'dropIndexes');
  context.db.refuseView(name);
  const collection = context.db.collection(name);
  if (!collection) throw namespaceNotFound(`${context.dbName}.${name}`);
  const nIndexesWas = collection.indexes.size + 1;
  const target = command.index;
  const names: string[] = [];
  if (target === '*') names.push(...collection.indexes.keys());
  else if (typeof target === 'string') names.push(target);
  else if (Array.isArray(target)) names.push(...target.map(String));
  else if (isPlainObject(target)) {
    const match = [...collection.indexes.values()].find((index) => keyOf(index.spec.key) === keyOf(target));
    if (!match)
      throw new CommandError(27, 'IndexNotFound', `can't find index with key: ${JSON.stringify(target)}`);
    names.push(match.name);
  } else throw new CommandError(14, 'TypeMismatch', "BSON field 'index' is missing or of the wrong type");
  for (const indexName of names) {
    if (indexName === '_id_') throw new CommandError(72, 'InvalidOptions', 'cannot drop _id index');
    if (!collection.indexes.has(indexName))
      throw new CommandError(27, 'IndexNotFound', `index not found with name [${indexName}]`);
  }
  for (const indexName of names) collection.indexes.delete(indexName);
  return { nIndexesWas, ok: 1 };
};

export const ddlCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  listCollections,
  createIndexes,
  listIndexes,
  dropIndexes,
};
