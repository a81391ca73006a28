// Starts the portal: validate config, resolve the database lane, connect, seed the demo district
// when asked (always in the offline lane, whose data lives in memory), listen, and shut down
// gracefully on SIGTERM/SIGINT.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MongoStore } from 'connect-mongo';
import mongoose from 'mongoose';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseLaneError, connectMongoose, ensureIndexes, openDatabaseLane } from './db/connection.js';
import { createI18n } from './i18n/index.js';
import { createLogger } from './logger.js';
import { seedDemoDistrict } from '../seeds/demo.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const lane = await openDatabaseLane(config, logger);
  await connectMongoose(lane);
  await ensureIndexes();

  if (config.seedDemo ?? lane.inMemory) {
    const summary = await seedDemoDistrict();
    logger.info({ created: summary.created, existing: summary.existing }, 'demo district loaded');
    console.log(`Demo log-ins (password: ${summary.password}):`);
    for (const login of summary.logins) console.log(`  ${login.role.padEnd(8)} ${login.email}`);
  }

  const sessionStore = MongoStore.create({
    client: mongoose.connection.getClient(),
    dbName: lane.dbName,
    collectionName: 'sessions',
    autoRemove: 'native',
    touchAfter: 60 * 60,
  });
  const app = createApp({
    config,
    logger,
    sessionStore,
    i18n: await createI18n(config.defaultLanguage),
    lane,
    isDatabaseReady: async () => {
      await mongoose.connection.db?.admin().ping();
      return mongoose.connection.readyState === mongoose.ConnectionStates.connected;
    },
  });

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(config.port, config.host, (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ url: `http://${config.host}:${port}/`, lane: lane.lane }, 'Lighthouse is listening');

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close(() => {
      void (async () => {
        await sessionStore.close();
        await mongoose.disconnect();
        await lane.stop();
        logger.info('stopped');
        process.exit(0);
      })();
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseLaneError) {
    console.error(error.message);
  } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`Cannot listen: ${(error as Error).message}. Set PORT (and HOST) to a free address.`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
