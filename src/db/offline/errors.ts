// Errors that become `{ ok: 0, errmsg, code, codeName }` replies, with mongod's codes and names.
import { ObjectId } from 'bson';

export class CommandError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }
}

export const badValue = (message: string): CommandError => new CommandError(2, 'BadValue', message);
export const failedToParse = (message: string): CommandError => new CommandError(9, 'FailedToParse', message);
export const typeMismatch = (message: string): CommandError => new CommandError(14, 'TypeMismatch', message);
export const invalidNamespace = (message: string): CommandError =>
  new CommandError(73, 'InvalidNamespace', message);
export const pathNotViable = (message: string): CommandError =>
  new CommandError(28, 'PathNotViable', message);
export const emptyFieldName = (message: string): CommandError =>
  new CommandError(56, 'EmptyFieldName', message);
export const notImplemented = (message: string): CommandError =>
  new CommandError(238, 'NotImplemented', `${message} (not supported by the offline MongoDB lane)`);

/** A write error as it appears inside `writeErrors`, e.g. a duplicate key. */
export class WriteError extends CommandError {}

export function duplicateKey(
  ns: string,
  indexName: string,
  keyPattern: Record<string, unknown>,
  keyValue: Record<string, unknown>,
): WriteError {
  const shown = Object.entries(keyValue)
    .map(([field, value]) => `${field}: ${formatValue(value)}`)
    .join(', ');
  return new WriteError(
    11000,
    'DuplicateKey',
    `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: { ${shown} }`,
    {
      keyPattern,
      keyValue,
    },
  );
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'null';
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  return JSON.stringify(value) ?? typeof value;
}
