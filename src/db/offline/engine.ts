// Dispatches a decoded command to its handler and turns every failure into mongod's error reply.
import { adminCommands } from './commands/admin.js';
import { collMod } from './commands/collmod.js';
import { ddlCommands } from './commands/ddl.js';
import { readCommands } from './commands/read.js';
import { writeCommands } from './commands/write.js';
import type { CommandContext, CommandHandler, ServerState } from './context.js';
import { CommandError } from './errors.js';
import type { Doc } from './values.js';

const handlers: Record<string, CommandHandler> = {
  ...adminCommands,
  ...ddlCommands,
  ...readCommands,
  ...writeCommands,
  collMod,
};

/** Commands a standalone mongod answers with IllegalOperation because it has no transactions. */
const transactionCommands = new Set(['commitTransaction', 'abortTransaction']);

const noTransactions = (): CommandError =>
  new CommandError(
    20,
    'IllegalOperation',
    'Transaction numbers are only allowed on a replica set member or mongos',
  );

export interface Connection {
  id: number;
  remote: string;
}

export function runCommand(state: ServerState, command: Doc, connection: Connection): Doc {
  const name = Object.keys(command)[0];
  try {
    if (name === undefined)
      throw new CommandError(59, 'CommandNotFound', 'no such command: empty command document');
    if (typeof command.$db !== 'string')
      throw new CommandError(40571, 'Location40571', 'OP_MSG requests require a $db argument');
    if (
      command.txnNumber !== undefined ||
      command.startTransaction !== undefined ||
      transactionCommands.has(name)
    ) {
      throw noTransactions();
    }
    const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
    if (!handler) throw new CommandError(59, 'CommandNotFound', `no such command: '${name}'`);
    const context: CommandContext = {
      state,
      dbName: command.$db,
      db: state.store.database(command.$db),
      connectionId: connection.id,
      remote: connection.remote,
    };
    return handler(command, context);
  } catch (error) {
    if (error instanceof CommandError) return error.toReply();
    // A bug here must not take the server down: answer like mongod's InternalError and keep serving.
    return {
      ok: 0,
      errmsg: `internal error in the offline lane: ${(error as Error).message}`,
      code: 1,
      codeName: 'InternalError',
    };
  }
}
