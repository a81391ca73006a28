// What every command handler receives, and small readers for command fields.
import { Long } from 'bson';
import type { CursorRegistry } from './cursors.js';
import { CommandError, typeMismatch } from './errors.js';
import type { Database, Store } from './store.js';
import { type Doc, isPlainObject } from './values.js';

export interface ServerState {
  store: Store;
  cursors: CursorRegistry;
  startedAt: Date;
  parameters: { ttlMonitorSleepSecs: number };
  connections: { current: number; totalCreated: number };
}

export interface CommandContext {
  state: ServerState;
  dbName: string;
  db: Database;
  connectionId: number;
  remote: string;
}

export type CommandHandler = (command: Doc, context: CommandContext) => Doc;

/** Fields any command may carry besides its own options (sessions, write concern, API version…). */
export const envelopeFields: readonly string[] = [
  'writeConcern',
  'comment',
  'lsid',
  '$db',
  '$clusterTime',
  '$readPreference',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
];

/** The collection name a command targets (its first field's value). */
export function collectionName(command: Doc, name: string): string {
  const value = command[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new CommandError(
      73,
      'InvalidNamespace',
      `collection name has invalid type ${value === undefined ? 'missing' : typeof value}`,
    );
  }
  return value;
}

export function optionalDoc(command: Doc, field: string): Doc | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value))
    throw typeMismatch(`BSON field '${field}' is the wrong type '${typeof value}', expected type 'object'`);
  return value;
}

export function optionalNumber(command: Doc, field: string): number | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  if (value instanceof Long) return value.toNumber();
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw typeMismatch(
      `BSON field '${field}' is the wrong type '${typeof value}', expected types '[long, int, decimal, double]'`,
    );
  }
  return value;
}

export function optionalArray(command: Doc, field: string): unknown[] | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value))
    throw typeMismatch(`BSON field '${field}' is the wrong type '${typeof value}', expected type 'array'`);
  return value as unknown[];
}

export function cursorBatchSize(command: Doc): number | undefined {
  const cursor = optionalDoc(command, 'cursor');
  return cursor ? optionalNumber(cursor, 'batchSize') : undefined;
}
