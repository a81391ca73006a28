// The process's platform clients: a run builds them afresh from the shared MongoDB state store (so
// a breaker opened or a pause set by another instance applies), and "refresh now" and the
// ownership checks go through the same clients, so their requests share the run's spacing.
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { createPlatformClients, type PlatformClients } from './clients.js';
import { MongoStateStore } from './mongoStateStore.js';

export const stateStore = new MongoStateStore();

let current: { config: Config; clients: Promise<PlatformClients> } | undefined;

/** New clients from the stored state; they become the process's current clients. */
export function freshClients(config: Config, logger: Logger): Promise<PlatformClients> {
  const clients = createPlatformClients(config, stateStore, (error) =>
    logger.warn({ err: error }, 'puller state write failed'),
  );
  current = { config, clients };
  return clients;
}

/** The current clients (those of the run in progress), or new ones. */
export function sharedClients(config: Config, logger: Logger): Promise<PlatformClients> {
  if (current?.config === config) return current.clients;
  return freshClients(config, logger);
}
