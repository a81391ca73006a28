// The database lane for tests: a real MongoDB when MONGODB_URI is set (lane 1; MONGO_LANE=embedded
// for lane 2), otherwise the offline lane. Each call gets a database of its own, dropped on stop,
// so test files never see each other's data and the suite runs unchanged on every lane.
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { loadConfig } from '../../src/config.js';
import { type DatabaseLaneHandle, openDatabaseLane } from '../../src/db/connection.js';
import { withDatabase } from '../../src/portal.js';
import { ensureIndexes } from '../../src/db/connection.js';

const quiet = { info: () => undefined, warn: () => undefined };

export interface TestDatabase extends DatabaseLaneHandle {
  /** Drops this test database and stops whatever the lane started. */
  stop(): Promise<void>;
}

export async function startTestDatabase(): Promise<TestDatabase> {
  const dbName = `lh_test_${randomBytes(4).toString('hex')}`;
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', MONGO_DB_NAME: dbName };
  // Never let the test suite fall through to a download attempt: without MONGODB_URI or an
  // explicit lane, the offline lane is used.
  if (!env.MONGODB_URI && !env.MONGO_LANE) env.MONGO_LANE = 'offline';
  const config = loadConfig(env);
  const lane = await openDatabaseLane(config, quiet);
  const uri = lane.lane === 'uri' ? withDatabase(lane.uri, dbName) : lane.uri;
  return {
    ...lane,
    uri,
    dbName,
    stop: async () => {
      const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
      try {
        await client.db(dbName).dropDatabase();
      } finally {
        await client.close();
      }
      await lane.stop();
    },
  };
}

/**
 * Empties every collection of the connected test database (documents only: indexes stay, so
 * unique emails and TTLs keep working). Call it in beforeEach instead of per-file deleteMany.
 */
export async function resetDatabase(): Promise<void> {
  const collections = await mongoose.connection.db?.collections();
  await Promise.all((collections ?? []).map((collection) => collection.deleteMany({})));
}

/**
 * For tests of services and models without HTTP: a database of its own with mongoose connected
 * and every model's indexes built, for the whole file.
 *
 *   describe('…', function () { connectedDatabase(); beforeEach(resetDatabase); … });
 */
export function connectedDatabase(): void {
  let db: TestDatabase | undefined;
  before(async function () {
    db = await startTestDatabase();
    await mongoose.connect(db.uri, { dbName: db.dbName });
    await ensureIndexes();
  });
  after(async function () {
    await mongoose.disconnect();
    await db?.stop();
  });
}
