// Starts the portal (src/portal.ts) from the environment, seeds the demo district when asked
// (always in the offline lane, whose data lives in memory), and shuts down gracefully on
// SIGTERM/SIGINT.
import { ConfigError, loadConfig } from './config.js';
import { DatabaseLaneError } from './db/connection.js';
import { publicListingRebuild } from './features/directory/listing.js';
import { creatorSearchBackfill } from './features/pool/creatorSearch.js';
import { monthlyFiguresBackfill } from './features/registry/monthlyFigures.js';
import { createLogger } from './logger.js';
import { type PortalHook, startPortal } from './portal.js';
import { notify } from './features/notifications/service.js';
import { findUserByEmail } from './features/users/service.js';
import { seedDemoDistrict } from '../seeds/demo.js';

/** Loads the demo district and prints its log-ins, when SEED_DEMO or the offline lane ask for it. */
const demoSeeding: PortalHook = {
  name: 'demo district',
  start: async ({ config, logger, lane }) => {
    if (!(config.seedDemo ?? lane.inMemory)) return;
    const summary = await seedDemoDistrict();
    // A first notification (and its mail in the outbox) for the demo creator.
    if (summary.created > 0) {
      const creator = await findUserByEmail('psz@lighthouse.example');
      if (creator) {
        await notify(
          creator.id,
          'pledge.newVersion',
          { type: 'pledge', id: '1' },
          { version: 1 },
          'pledge:1',
        );
      }
    }
    logger.info({ created: summary.created, existing: summary.existing }, 'demo district loaded');
    console.log(`Demo log-ins (password: ${summary.password}):`);
    for (const login of summary.logins) console.log(`  ${login.role.padEnd(8)} ${login.email}`);
  },
};

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const portal = await startPortal({
    config,
    logger,
    hooks: [demoSeeding, creatorSearchBackfill, monthlyFiguresBackfill, publicListingRebuild],
  });
  logger.info({ url: `${portal.url}/`, lane: portal.lane.lane }, 'Lighthouse is listening');

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
    portal
      .stop()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
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
