// Handshake, server information and session commands, answered as a standalone mongod 7.0 does.
import { BSON } from 'bson';
import { CommandError } from '../errors.js';
import { type CommandHandler, optionalDoc } from '../context.js';
import { compileFilter } from '../filter.js';
import type { Doc } from '../values.js';

export const serverVersion = '7.0.0';
export const maxWireVersion = 21;
const limits = {
  maxBsonObjectSize: 16 * 1024 * 1024,
  maxMessageSizeBytes: 48_000_000,
  maxWriteBatchSize: 100_000,
};

const hello =
  (legacy: boolean): CommandHandler =>
  (_command, context) => ({
    helloOk: true,
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    ...limits,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: context.connectionId,
    minWireVersion: 0,
    maxWireVersion,
    readOnly: false,
    ok: 1,
  });

const buildInfo: CommandHandler = () => ({
  version: serverVersion,
  gitVersion: 'lighthouse-offline-lane',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: limits.maxBsonObjectSize,
  storageEngines: ['memory'],
  javascriptEngine: 'none',
  modules: [],
  // Lets a client tell this lane from a real mongod.
  lighthouseOfflineLane: true,
  ok: 1,
});

const getParameter: CommandHandler = (command, context) => {
  const available: Doc = {
    featureCompatibilityVersion: { version: '7.0' },
    ttlMonitorSleepSecs: context.state.parameters.ttlMonitorSleepSecs,
    authenticationMechanisms: [],
    requireApiVersion: false,
  };
  if (command.getParameter === '*') return { ...available, ok: 1 };
  const out: Doc = {};
  for (const key of Object.keys(command)) {
    if (key === 'getParameter' || key.startsWith('$') || key === 'lsid' || key === 'comment') continue;
    // mongod skips names it does not know, and fails only when it found none.
    if (Object.hasOwn(available, key)) out[key] = available[key];
  }
  if (Object.keys(out).length === 0) throw new CommandError(72, 'InvalidOptions', 'no option found to get');
  return { ...out, ok: 1 };
};

const setParameter: CommandHandler = (command, context) => {
  if (typeof command.ttlMonitorSleepSecs === 'number' && command.ttlMonitorSleepSecs > 0) {
    const was = context.state.parameters.ttlMonitorSleepSecs;
    context.state.parameters.ttlMonitorSleepSecs = command.ttlMonitorSleepSecs;
    return { was, ok: 1 };
  }
  const names = Object.keys(command).filter(
    (key) => key !== 'setParameter' && !key.startsWith('$') && key !== 'lsid',
  );
  throw new CommandError(
    72,
    'InvalidOptions',
    `the offline lane can only set ttlMonitorSleepSecs, not: ${names.join(', ')}`,
  );
};

const listDatabases: CommandHandler = (command, context) => {
  const filter = optionalDoc(command, 'filter');
  const query = filter ? compileFilter(filter).query : undefined;
  const entries = [...context.state.store.databases.values()]
    .filter((db) => db.collections.size > 0 || db.views.size > 0)
    .map((db) => {
      const sizeOnDisk = [...db.collections.values()].reduce(
        (sum, collection) =>
          sum +
          [...collection.docs.values()].reduce(
            (bytes, entry) => bytes + BSON.calculateObjectSize(entry.doc),
            0,
          ),
        0,
      );
      return { name: db.name, sizeOnDisk, empty: sizeOnDisk === 0 };
    })
    .filter((entry) => !query || query.test(entry));
  if (command.nameOnly) return { databases: entries.map(({ name }) => ({ name })), ok: 1 };
  const totalSize = entries.reduce((sum, db) => sum + db.sizeOnDisk, 0);
  return { databases: entries, totalSize, totalSizeMb: Math.round(totalSize / 1048576), ok: 1 };
};

const serverStatus: CommandHandler = (_command, context) => ({
  host: 'localhost',
  version: serverVersion,
  process: 'mongod',
  pid: BigInt(process.pid),
  uptime: (Date.now() - context.state.startedAt.getTime()) / 1000,
  localTime: new Date(),
  connections: {
    current: context.state.connections.current,
    totalCreated: context.state.connections.totalCreated,
  },
  ok: 1,
});

const dbStats: CommandHandler = (_command, context) => {
  const collections = [...context.db.collections.values()];
  const objects = collections.reduce((sum, collection) => sum + collection.docs.size, 0);
  const indexes = collections.reduce((sum, collection) => sum + collection.indexes.size + 1, 0);
  return {
    db: context.dbName,
    collections: collections.length,
    views: context.db.views.size,
    objects,
    indexes,
    ok: 1,
  };
};

const ok: CommandHandler = () => ({ ok: 1 });

export const adminCommands: Record<string, CommandHandler> = {
  hello: hello(false),
  isMaster: hello(true),
  ismaster: hello(true),
  ping: ok,
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  setParameter,
  listDatabases,
  serverStatus,
  dbStats,
  endSessions: ok,
  killAllSessions: ok,
  refreshSessions: ok,
  logout: ok,
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  whatsmyuri: (_command, context) => ({ you: context.remote, ok: 1 }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
  getCmdLineOpts: () => ({ argv: ['lighthouse-offline-lane'], parsed: {}, ok: 1 }),
  hostInfo: () => ({ system: { currentTime: new Date(), hostname: 'localhost' }, os: {}, extra: {}, ok: 1 }),
  saslStart: () => {
    throw new CommandError(
      18,
      'AuthenticationFailed',
      'Authentication failed: the offline lane has no users',
    );
  },
  authenticate: () => {
    throw new CommandError(
      18,
      'AuthenticationFailed',
      'Authentication failed: the offline lane has no users',
    );
  },
};
