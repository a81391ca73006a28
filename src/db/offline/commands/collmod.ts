// collMod: a view's `viewOn`/`pipeline`, and an index's `expireAfterSeconds` or `hidden`, as
// mongod 7.0 changes them. Every other collMod option is refused rather than ignored.
import type { CommandHandler } from '../context.js';
import { collectionName, envelopeFields, optionalDoc } from '../context.js';
import { CommandError, notImplemented } from '../errors.js';
import type { Index } from '../indexes.js';
import type { Collection } from '../store.js';
import { type Doc, isPlainObject, keyOf } from '../values.js';
import { refuseCycle, viewDefinition } from './ddl.js';

/** Fields of any command that are not collMod options. */
const generic = new Set(['collMod', ...envelopeFields]);

const invalidOptions = (message: string): CommandError => new CommandError(72, 'InvalidOptions', message);

/** The index a collMod `index` document names, by `keyPattern` or by `name` (one of them). */
function namedIndex(collection: Collection, spec: Doc): Index | undefined {
  const byName = typeof spec.name === 'string';
  const byKey = isPlainObject(spec.keyPattern);
  if (byName === byKey)
    throw invalidOptions('must specify exactly one of keyPattern or name of the index to modify');
  if (byKey && keyOf(spec.keyPattern) === keyOf({ _id: 1 })) return undefined;
  if (byName && spec.name === '_id_') return undefined;
  const index = [...collection.indexes.values()].find((candidate) =>
    byName ? candidate.name === spec.name : keyOf(candidate.spec.key) === keyOf(spec.keyPattern),
  );
  if (!index) {
    const shown = byName ? String(spec.name) : JSON.stringify(spec.keyPattern);
    throw new CommandError(27, 'IndexNotFound', `cannot find index ${shown} for ns ${collection.ns}`);
  }
  return index;
}

function modifyIndex(collection: Collection, spec: Doc): Doc {
  for (const option of Object.keys(spec)) {
    if (['keyPattern', 'name', 'expireAfterSeconds', 'hidden'].includes(option)) continue;
    if (option === 'unique' || option === 'prepareUnique')
      throw notImplemented(`collMod index option '${option}'`);
    throw invalidOptions(`unknown option to collMod index: ${option}`);
  }
  if (spec.expireAfterSeconds === undefined && spec.hidden === undefined)
    throw invalidOptions('no expireAfterSeconds or hidden field');
  const index = namedIndex(collection, spec);
  if (!index) throw badIdIndex();
  const reply: Doc = {};
  const expire = spec.expireAfterSeconds;
  if (expire !== undefined) {
    if (typeof expire !== 'number' || !Number.isInteger(expire) || expire < 0 || expire > 2147483647)
      throw invalidOptions(
        "TTL index 'expireAfterSeconds' option must be within an acceptable range [0, 2147483647]",
      );
    // Since 5.1 a single-field index becomes a TTL index this way; a compound one never does.
    if (index.fields.length !== 1)
      throw invalidOptions('TTL indexes are single-field indexes, compound indexes do not support TTL');
    const old = index.spec.expireAfterSeconds;
    if (old !== undefined) reply.expireAfterSeconds_old = old;
    reply.expireAfterSeconds_new = expire;
    index.spec.expireAfterSeconds = expire;
  }
  if (spec.hidden !== undefined) {
    if (typeof spec.hidden !== 'boolean')
      throw new CommandError(
        14,
        'TypeMismatch',
        "BSON field 'hidden' is the wrong type, expected type 'bool'",
      );
    const old = index.spec.hidden === true;
    // mongod reports hidden_old/hidden_new only when the value changes.
    if (old !== spec.hidden) {
      reply.hidden_old = old;
      reply.hidden_new = spec.hidden;
      if (spec.hidden) index.spec.hidden = true;
      else delete index.spec.hidden;
    }
  }
  return reply;
}

const badIdIndex = (): CommandError => new CommandError(2, 'BadValue', "can't modify the _id index");

export const collMod: CommandHandler = (command, context) => {
  const name = collectionName(command, 'collMod');
  const options = Object.keys(command).filter((option) => !generic.has(option));
  const view = context.db.views.get(name);
  if (view) {
    const other = options.find((option) => option !== 'viewOn' && option !== 'pipeline');
    if (other) throw invalidOptions(`option not supported on a view: ${other}`);
    if (!options.length) return { ok: 1 };
    const next = viewDefinition(command, view);
    refuseCycle(context.db, name, next.viewOn);
    context.db.views.set(name, next);
    return { ok: 1 };
  }
  const collection = context.db.collection(name);
  if (!collection)
    throw new CommandError(26, 'NamespaceNotFound', `ns does not exist: ${context.dbName}.${name}`);
  const viewOption = options.find((option) => option === 'viewOn' || option === 'pipeline');
  if (viewOption) throw invalidOptions(`option only supported on a view: ${viewOption}`);
  const unsupported = options.find((option) => option !== 'index');
  if (unsupported) throw notImplemented(`collMod option '${unsupported}'`);
  const index = optionalDoc(command, 'index');
  return { ...(index ? modifyIndex(collection, index) : {}), ok: 1 };
};
