// The one place that decides where data lives. Resolution order: MONGODB_URI → an embedded real
// mongod (mongodb-memory-server-core, files under ./data) where a mongod binary is already on
// this machine → the offline lane (in-process, in memory). MONGO_LANE forces one of them.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ConnectionString } from 'mongodb-connection-string-url';
import mongoose from 'mongoose';
import type { Config, DatabaseLane } from '../config.js';

export interface LaneLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface DatabaseLaneHandle {
  lane: DatabaseLane;
  /** A URI any MongoDB client can use, database name included. */
  uri: string;
  dbName: string;
  /** True in the offline lane: pages say "demo data, kept in memory". */
  inMemory: boolean;
  /** The offline lane's Unix domain socket (inside a 0700 directory); absent on other lanes. */
  socketPath?: string;
  /** Stops what this module started (the embedded mongod or the offline server); never a remote one. */
  stop(): Promise<void>;
}

export class DatabaseLaneError extends Error {}

/** Where the embedded lane would find a mongod without downloading one, if anywhere. */
async function locateMongod(config: Config['database']): Promise<string | undefined> {
  const { DryMongoBinary } = await import('mongodb-memory-server-core/lib/util/DryMongoBinary.js');
  const options = await DryMongoBinary.generateOptions(
    config.systemBinary ? { systemBinary: config.systemBinary } : {},
  );
  return DryMongoBinary.locateBinary(options);
}

async function startEmbedded(config: Config['database']): Promise<DatabaseLaneHandle> {
  const binary = await locateMongod(config);
  if (!binary && !config.allowDownload) {
    throw new DatabaseLaneError(
      'MONGO_LANE=embedded needs a mongod binary: set MONGOMS_SYSTEM_BINARY, or MONGO_EMBEDDED_DOWNLOAD=1 to let mongodb-memory-server download one.',
    );
  }
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const dbPath = path.resolve(config.dataDir, 'mongod');
  await mkdir(dbPath, { recursive: true });
  const server = await MongoMemoryServer.create({
    instance: { dbPath, storageEngine: 'wiredTiger' },
    binary: binary ? { systemBinary: binary } : {},
  });
  return {
    lane: 'embedded',
    uri: server.getUri(config.dbName),
    dbName: config.dbName,
    inMemory: false,
    stop: async () => {
      await server.stop({ doCleanup: false });
    },
  };
}

async function startOffline(config: Config['database'], logger: LaneLogger): Promise<DatabaseLaneHandle> {
  // Imported here only: nothing else in the app may reach the offline lane directly.
  const { OfflineMongoServer } = await import('./offline/index.js');
  const server = new OfflineMongoServer({ logger });
  // A Unix socket in a private directory, not a loopback port: the lane has no authentication,
  // and any local user could otherwise read sessions and password hashes.
  const base = await server.startPrivate();
  return {
    lane: 'offline',
    uri: `${base}/${config.dbName}`,
    dbName: config.dbName,
    inMemory: true,
    socketPath: server.socketPath,
    stop: () => server.stop(),
  };
}

/**
 * The database a MongoDB URI names, or `fallback` when its path is empty. Parsed with the
 * driver's own connection-string parser: WHATWG `URL` throws on multi-host URIs
 * (`db1:27017,db2:27017`), which every replica set has.
 */
export function databaseNameOf(uri: string, fallback: string): string {
  let parsed: ConnectionString;
  try {
    parsed = new ConnectionString(uri);
  } catch (error) {
    throw new DatabaseLaneError(
      `MONGODB_URI is not a MongoDB connection string: ${(error as Error).message}`,
    );
  }
  return decodeURIComponent(parsed.pathname.replace(/^\//, '')) || fallback;
}

async function chooseLane(config: Config): Promise<DatabaseLane> {
  const { database } = config;
  if (database.lane) return database.lane;
  if (database.uri) return 'uri';
  if (database.systemBinary || (await locateMongod(database))) return 'embedded';
  return 'offline';
}

/** Resolves the lane, starts what it needs, and logs the choice once. */
export async function openDatabaseLane(config: Config, logger: LaneLogger): Promise<DatabaseLaneHandle> {
  const lane = await chooseLane(config);
  if (config.isProduction && lane === 'offline') {
    throw new DatabaseLaneError(
      'NODE_ENV=production needs a real MongoDB: set MONGODB_URI (a replica set). The offline lane keeps data in memory only and is for development and tests.',
    );
  }
  let handle: DatabaseLaneHandle;
  if (lane === 'uri') {
    if (!config.database.uri) throw new DatabaseLaneError('MONGO_LANE=uri needs MONGODB_URI.');
    const dbName = databaseNameOf(config.database.uri, config.database.dbName);
    handle = { lane, uri: config.database.uri, dbName, inMemory: false, stop: () => Promise.resolve() };
  } else if (lane === 'embedded') {
    handle = await startEmbedded(config.database);
  } else {
    handle = await startOffline(config.database, logger);
  }
  logger.info(
    { lane: handle.lane, db: handle.dbName, inMemory: handle.inMemory },
    `database lane: ${handle.lane}`,
  );
  return handle;
}

/** Connects mongoose to the lane (the app's models use the default connection). */
export async function connectMongoose(handle: DatabaseLaneHandle): Promise<typeof mongoose> {
  return mongoose.connect(handle.uri, { dbName: handle.dbName, serverSelectionTimeoutMS: 10_000 });
}

/**
 * Builds every model's indexes (unique emails, TTLs) before the app serves, so the first
 * requests cannot race them. Unlike syncIndexes it never drops an index someone added by hand.
 */
export async function ensureIndexes(): Promise<void> {
  await Promise.all(Object.values(mongoose.connection.models).map((model) => model.createIndexes()));
}
