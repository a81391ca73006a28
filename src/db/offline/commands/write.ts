// Writes: insert, update, delete and findAndModify, with mongod's replies (writeErrors per
// statement, ordered batches stopping at the first error, upserted ids).
import { Long, ObjectId } from 'bson';
import {
  type CommandContext,
  type CommandHandler,
  collectionName,
  optionalArray,
  optionalDoc,
} from '../context.js';
import { collationOf } from '../collation.js';
import { CommandError, failedToParse } from '../errors.js';
import { compileFilter } from '../filter.js';
import { checkHint, matching, sortStored } from '../find.js';
import { letVariables } from '../pipeline.js';
import { checkProjectionKind, project } from '../projection.js';
import type { Collection, Stored } from '../store.js';
import { type UpdateSpec, applyUpdate, parseUpdate, seedFromFilter } from '../update.js';
import { type Doc, isPlainObject } from '../values.js';

interface WriteErrorEntry extends Doc {
  index: number;
  code: number;
  errmsg: string;
}

/** Runs each statement of a write batch, collecting errors the way mongod reports them. */
function eachStatement<T>(
  statements: T[],
  ordered: boolean,
  run: (statement: T, index: number) => void,
): WriteErrorEntry[] {
  const writeErrors: WriteErrorEntry[] = [];
  for (const [index, statement] of statements.entries()) {
    try {
      run(statement, index);
    } catch (error) {
      // A failure this lane did not foresee is still one statement's failure: report it as
      // mongod's InternalError (1) for that statement and keep the counts of the others.
      if (error instanceof CommandError)
        writeErrors.push({ index, code: error.code, errmsg: error.message, ...error.extra });
      else
        writeErrors.push({
          index,
          code: 1,
          errmsg: `internal error in the offline lane: ${(error as Error).message}`,
        });
      if (ordered) break;
    }
  }
  return writeErrors;
}

function withErrors(reply: Doc, writeErrors: WriteErrorEntry[]): Doc {
  if (writeErrors.length) reply.writeErrors = writeErrors;
  return reply;
}

const insert: CommandHandler = (command, context) => {
  const name = collectionName(command, 'insert');
  const documents = optionalArray(command, 'documents') ?? [];
  const collection = context.db.ensure(name);
  let n = 0;
  const writeErrors = eachStatement(documents, command.ordered !== false, (doc) => {
    if (!isPlainObject(doc)) throw new CommandError(14, 'TypeMismatch', 'documents must be objects');
    collection.insert(doc);
    n += 1;
  });
  return withErrors({ n, ok: 1 }, writeErrors);
};

interface UpdateOutcome {
  matched: number;
  modified: number;
  upsertedId?: unknown;
  before?: Doc;
  after?: Doc;
}

/** One update statement: updates the first (or every, with multi) match, or upserts. */
function updateStatement(
  collection: Collection,
  filterRaw: unknown,
  spec: UpdateSpec,
  options: {
    multi: boolean;
    upsert: boolean;
    arrayFilters?: Doc[] | undefined;
    sort?: Doc | undefined;
    collation?: Doc | undefined;
    /** The command's `let` variables, evaluated. */
    variables?: Doc | undefined;
  },
): UpdateOutcome {
  if (options.multi && spec.kind === 'replacement') {
    throw failedToParse('multi update is not supported for replacement-style update');
  }
  const { query, filter } = compileFilter(filterRaw, options.collation, options.variables);
  const sorted = options.sort !== undefined && Object.keys(options.sort).length > 0;
  // Without a sort, a single update needs the first match only: stop looking there.
  let targets: Stored[] = matching(
    collection,
    query,
    filter,
    options.collation,
    options.multi || sorted ? Infinity : 1,
  );
  if (sorted) targets = sortStored(targets, options.sort, options.collation);
  if (!options.multi) targets = targets.slice(0, 1);
  if (targets.length === 0) {
    if (!options.upsert) return { matched: 0, modified: 0 };
    const seed = seedFromFilter(filter);
    const { doc } = applyUpdate(seed, spec, {
      filter,
      arrayFilters: options.arrayFilters,
      isInsert: true,
      variables: options.variables,
    });
    if (spec.kind === 'replacement' && seed._id !== undefined && doc._id === undefined) doc._id = seed._id;
    if (doc._id === undefined) doc._id = new ObjectId();
    const insertedDoc = collection.insert(doc, 'upsert');
    return { matched: 0, modified: 0, upsertedId: insertedDoc._id, after: insertedDoc };
  }
  let modified = 0;
  let before: Doc | undefined;
  let after: Doc | undefined;
  for (const target of targets) {
    const result = applyUpdate(target.doc, spec, {
      filter,
      arrayFilters: options.arrayFilters,
      isInsert: false,
      collation: options.collation,
      variables: options.variables,
    });
    before ??= target.doc;
    if (!result.changed) {
      after ??= target.doc;
      continue;
    }
    const replaced = collection.replace(target, result.doc);
    after ??= replaced.doc;
    modified += 1;
  }
  return { matched: targets.length, modified, before, after };
}

function arrayFiltersOf(statement: Doc): Doc[] | undefined {
  const value = statement.arrayFilters;
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every(isPlainObject))
    throw failedToParse('arrayFilters must be an array of objects');
  return value;
}

const update: CommandHandler = (command, context) => {
  const name = collectionName(command, 'update');
  const statements = optionalArray(command, 'updates') ?? [];
  const collection = context.db.ensure(name);
  let n = 0;
  let nModified = 0;
  const upserted: Doc[] = [];
  // The lane is a mongod 7.0, whose update statements have no `sort` (8.0 added it): refused
  // while the command is parsed, as 7.0 does, rather than ignored.
  if (statements.some((statement) => isPlainObject(statement) && statement.sort !== undefined))
    throw new CommandError(40415, 'Location40415', "BSON field 'update.updates.sort' is an unknown field.");
  const variables = letVariables(optionalDoc(command, 'let'));
  const writeErrors = eachStatement(statements, command.ordered !== false, (statement, index) => {
    if (!isPlainObject(statement)) throw failedToParse('update statements must be objects');
    checkHint(collection, statement.hint);
    const outcome = updateStatement(collection, statement.q, parseUpdate(statement.u), {
      multi: statement.multi === true,
      upsert: statement.upsert === true,
      arrayFilters: arrayFiltersOf(statement),
      collation: collationOf(statement, collection.options.collation),
      variables,
    });
    n += outcome.matched;
    nModified += outcome.modified;
    if (outcome.upsertedId !== undefined) {
      n += 1;
      upserted.push({ index, _id: outcome.upsertedId });
    }
  });
  const reply: Doc = { n, nModified, ok: 1 };
  if (upserted.length) reply.upserted = upserted;
  return withErrors(reply, writeErrors);
};

/**
 * A delete statement's `limit`: 1 deletes one match, 0 every match. mongod parses it with the
 * command, so anything else fails the whole command (FailedToParse), before any deletion.
 */
function deleteLimit(statement: unknown): 0 | 1 {
  if (!isPlainObject(statement)) throw failedToParse('delete statements must be objects');
  const raw = statement.limit;
  if (raw === undefined)
    throw new CommandError(
      40414,
      'Location40414',
      "BSON field 'delete.deletes.limit' is missing but a required field",
    );
  const limit = raw instanceof Long ? raw.toNumber() : typeof raw === 'number' ? raw : 0;
  if (limit !== 0 && limit !== 1)
    throw failedToParse(`The limit field in delete objects must be 0 or 1. Got ${limit}`);
  return limit;
}

const deleteCommand: CommandHandler = (command, context) => {
  const name = collectionName(command, 'delete');
  const statements = optionalArray(command, 'deletes') ?? [];
  const limits = statements.map(deleteLimit);
  context.db.refuseView(name);
  const collection = context.db.collection(name);
  const variables = letVariables(optionalDoc(command, 'let'));
  let n = 0;
  const writeErrors = eachStatement(statements as Doc[], command.ordered !== false, (statement, index) => {
    const collation = collationOf(statement, collection?.options.collation);
    checkHint(collection, statement.hint);
    const { query, filter } = compileFilter(statement.q, collation, variables);
    const targets = matching(collection, query, filter, collation, limits[index] === 1 ? 1 : Infinity);
    for (const target of targets) collection?.remove(target);
    n += targets.length;
  });
  return withErrors({ n, ok: 1 }, writeErrors);
};

const findAndModify = (command: Doc, context: CommandContext, commandName: string): Doc => {
  const name = collectionName(command, commandName);
  context.db.refuseView(name);
  const remove = command.remove === true;
  if (remove && command.update !== undefined)
    throw failedToParse('Cannot specify both an update and remove=true');
  if (!remove && command.update === undefined)
    throw failedToParse('Either an update or remove=true must be specified');
  if (remove && command.upsert === true)
    throw failedToParse('Cannot specify both upsert=true and remove=true');
  const sort = optionalDoc(command, 'sort');
  const fields = optionalDoc(command, 'fields');
  const collation = collationOf(command, context.db.collection(name)?.options.collation);
  if (fields) checkProjectionKind(fields);
  checkHint(context.db.collection(name), command.hint);
  const variables = letVariables(optionalDoc(command, 'let'));
  const { query, filter } = compileFilter(command.query, collation, variables);
  if (remove) {
    const collection = context.db.collection(name);
    const sorted = sort !== undefined && Object.keys(sort).length > 0;
    const candidates = matching(collection, query, filter, collation, sorted ? Infinity : 1);
    const target = sortStored(candidates, sort, collation)[0];
    if (!target) return { lastErrorObject: { n: 0 }, value: null, ok: 1 };
    // Projected first: a projection that fails leaves the document in place.
    const value = project([target.doc], fields, filter)[0];
    collection!.remove(target);
    return { lastErrorObject: { n: 1 }, value, ok: 1 };
  }
  const collection = context.db.ensure(name);
  const outcome = updateStatement(collection, command.query, parseUpdate(command.update), {
    multi: false,
    upsert: command.upsert === true,
    arrayFilters: arrayFiltersOf(command),
    sort,
    collation,
    variables,
  });
  const lastErrorObject: Doc = {
    n: outcome.matched || (outcome.upsertedId !== undefined ? 1 : 0),
    updatedExisting: outcome.matched > 0,
  };
  if (outcome.upsertedId !== undefined) lastErrorObject.upserted = outcome.upsertedId;
  const chosen = command.new === true ? outcome.after : outcome.before;
  return { lastErrorObject, value: chosen ? project([chosen], fields, filter)[0] : null, ok: 1 };
};

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: deleteCommand,
  findAndModify: (command, context) => findAndModify(command, context, 'findAndModify'),
  findandmodify: (command, context) => findAndModify(command, context, 'findandmodify'),
};
