// The one way to build the running portal, used by src/server.ts and by the tests
// (test/support/app.ts): open the database lane, connect mongoose, build indexes, sessions,
// languages, mail and the app, start the scheduler and the start-up hooks (demo seeding), listen.
//
//   const portal = await startPortal({ config, logger, hooks: [demoSeeding] });
//   portal.url   // http://127.0.0.1:3000
//   await portal.stop();  // hooks stopped in reverse order, server closed, lane stopped
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MongoStore } from 'connect-mongo';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { createApp } from './app.js';
import type { Config } from './config.js';
import {
  type DatabaseLaneHandle,
  connectMongoose,
  ensureIndexes,
  openDatabaseLane,
} from './db/connection.js';
import { closeMail, configureMail, useListeningUrl } from './features/mail/service.js';
import { fixtureServerHook } from './features/stats/fixtureHook.js';
import { countDemoUsers } from './features/users/service.js';
import { mongoRateLimitStores } from './http/rateLimits.js';
import { createI18n } from './i18n/index.js';
import './jobs.js';
import { type Logger, createLogger } from './logger.js';
import { schedulerHook } from './scheduler/index.js';

/** Something that starts with the portal and stops with it (the scheduler, demo seeding, …). */
export interface PortalHook {
  name: string;
  /** Runs after the database is ready and before the portal listens. */
  start(context: { config: Config; logger: Logger; lane: DatabaseLaneHandle }): Promise<void>;
  /** Runs once every hook has started, before the portal listens. */
  ready?(): Promise<void>;
  /** Runs when the portal stops, before the database connection closes. */
  stop?(): Promise<void>;
}

export interface PortalOptions {
  config: Config;
  logger?: Logger;
  /** A lane that is already open (tests): used as it is and left running on stop. */
  lane?: DatabaseLaneHandle;
  hooks?: PortalHook[];
}

export interface Portal {
  app: Express;
  server: Server;
  lane: DatabaseLaneHandle;
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:3000 */
  url: string;
  /** Stops hooks, closes the server (requests in flight finish), sessions, mongoose and the lane. */
  stop(): Promise<void>;
}

const secondsPerHour = 60 * 60;

export async function startPortal(options: PortalOptions): Promise<Portal> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config);
  const lane = options.lane ?? (await openDatabaseLane(config, logger));
  // A second portal in one process (the shared rate-limit test) reuses mongoose's connection.
  const ownsConnection = mongoose.connection.readyState === mongoose.ConnectionStates.disconnected;
  if (ownsConnection) await connectMongoose(lane);
  await ensureIndexes();
  const i18n = await createI18n(config.defaultLanguage);
  configureMail({ config: config.mail, i18n, logger, defaultLanguage: config.defaultLanguage });
  // Mail composed by the start-up hooks (the demo district's) links to the address the portal is
  // about to listen on, when it is known already (a fixed PORT) and PUBLIC_URL does not name one.
  if (config.port !== 0) useListeningUrl(listeningUrl(config.host, config.port));

  // The scheduler first: later hooks (demo seeding) may queue mail; it runs jobs only once every
  // hook has started (its `ready`), so no job races the seeding. Hooks stop in reverse order,
  // so the scheduler stops last, before the database connection closes.
  // The stats fixture server (development only) comes before the scheduler, so the first pull
  // already reaches it, and stops after it.
  const hooks = [
    fixtureServerHook(),
    schedulerHook({ processEveryMs: config.scheduler.processEveryMs }),
    ...(options.hooks ?? []),
  ];
  const started: PortalHook[] = [];
  for (const hook of hooks) {
    await hook.start({ config, logger, lane });
    started.push(hook);
  }
  for (const hook of started) await hook.ready?.();
  if (config.isProduction) {
    const demoUsers = await countDemoUsers();
    if (demoUsers > 0) {
      logger.warn(
        { demoUsers },
        'this database holds demo log-ins (seeded demo district): they are refused in production',
      );
    }
  }

  const sessionStore = MongoStore.create({
    client: mongoose.connection.getClient(),
    dbName: lane.dbName,
    collectionName: 'sessions',
    // The database removes expired sessions (TTL index); an unchanged session is written at
    // most once an hour.
    autoRemove: 'native',
    touchAfter: secondsPerHour,
  });
  const rateLimitStores = mongoRateLimitStores(withDatabase(lane.uri, lane.dbName), (error) =>
    logger.error({ err: error }, 'rate limit store failed'),
  );
  const app = createApp({
    config,
    logger,
    sessionStore,
    i18n,
    lane,
    isDatabaseReady: async () => {
      await mongoose.connection.db?.admin().ping();
      return mongoose.connection.readyState === mongoose.ConnectionStates.connected;
    },
    rateLimitStores: rateLimitStores.create,
  });

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(config.port, config.host, (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const { port } = server.address() as AddressInfo;
  const url = listeningUrl(config.host, port);
  useListeningUrl(url);

  return {
    app,
    server,
    lane,
    url,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      for (const hook of started.reverse()) await hook.stop?.();
      closeMail();
      await rateLimitStores.close();
      // The session store shares mongoose's client: disconnecting mongoose closes both.
      if (ownsConnection) await mongoose.disconnect();
      if (!options.lane) await lane.stop();
    },
  };
}

/** The same server URI pointed at another database (options kept). */
export function withDatabase(uri: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`cannot parse the MongoDB URI ${uri}`);
  return `${match[1]}/${dbName}${match[2] ?? ''}`;
}

/** The address a portal listening on host:port answers at (IPv6 hosts in brackets). */
function listeningUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
