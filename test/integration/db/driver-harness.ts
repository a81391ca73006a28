// Shared glue for the driver conformance files: one test database per file (the offline lane in
// CI, a real MongoDB when MONGODB_URI is set), a connected MongoClient, a fresh collection per
// test, and a helper that asserts a server error by code.
import { expect } from 'chai';
import {
  type Collection,
  type Db,
  type Document,
  MongoClient,
  type MongoClientOptions,
  MongoServerError,
  type UpdateFilter,
} from 'mongodb';
import { type TestDatabase, startTestDatabase } from '../../support/database.js';

export interface DriverContext {
  handle: TestDatabase;
  client: MongoClient;
  db: Db;
  /** A collection name unique to the running test. */
  fresh<T extends Document = Document>(prefix?: string): Collection<T>;
}

let counter = 0;

/** Registers before/after hooks for the enclosing describe and returns an accessor. */
export function useDriver(options: MongoClientOptions = {}): () => DriverContext {
  let context: DriverContext | undefined;
  before(async function () {
    this.timeout(30_000);
    const handle = await startTestDatabase();
    const client = await MongoClient.connect(handle.uri, { serverSelectionTimeoutMS: 10_000, ...options });
    const db = client.db(handle.dbName);
    context = {
      handle,
      client,
      db,
      fresh: <T extends Document = Document>(prefix = 'c') => db.collection<T>(`${prefix}_${++counter}`),
    };
  });
  after(async function () {
    this.timeout(30_000);
    if (!context) return;
    await context.client.close();
    await context.handle.stop();
  });
  return () => {
    if (!context) throw new Error('the driver context is not started');
    return context;
  };
}

/**
 * An update document for a schemaless collection: the driver's types refuse array operators
 * ($push, $pull…) on `Document`, whose fields might be anything.
 */
export const ops = (update: Document): UpdateFilter<Document> => update;

/** Awaits a promise that must reject with a MongoServerError carrying `code`; returns that error. */
export async function serverError(promise: Promise<unknown>, code: number): Promise<MongoServerError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a server error with code ${code}`).to.be.instanceOf(Error);
  const error = caught as MongoServerError;
  expect(error.code, `error ${error.message}`).to.equal(code);
  return error;
}

/** Awaits a promise that must reject (any server error); returns the error. */
export async function rejected(promise: Promise<unknown>): Promise<MongoServerError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected the server to refuse').to.be.instanceOf(MongoServerError);
  return caught as MongoServerError;
}

/** Polls until `check` resolves true or the deadline passes. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs: number,
  stepMs = 250,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}
