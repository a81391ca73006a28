// The puller's platform clients built from the validated config, one per pulled platform, each
// restored from the state store (a platform paused or banned before a restart stays so).
import type { Config } from '../../config.js';
import { automaticAdapters } from './adapters/index.js';
import { automaticPlatforms, type AutomaticPlatform } from './outcomes.js';
import { PlatformClient } from './platformClient.js';
import type { PullerStateStore } from './stateStore.js';

export type PlatformClients = Record<AutomaticPlatform, PlatformClient>;

export async function createPlatformClients(
  config: Pick<Config, 'puller' | 'platforms'>,
  store: PullerStateStore,
  onStoreError?: (error: unknown) => void,
): Promise<PlatformClients> {
  const { puller } = config;
  const entries = await Promise.all(
    automaticPlatforms.map(async (platform) => {
      const client = await PlatformClient.create({
        adapter: automaticAdapters[platform],
        baseUrl: puller.platforms[platform].baseUrl,
        credentials: config.platforms,
        minIntervalMs: puller.platforms[platform].minIntervalMs,
        jitterMs: puller.jitterMs,
        timeoutMs: puller.timeoutMs,
        retries: puller.retries,
        backoffInitialMs: puller.backoffInitialMs,
        backoffMaxMs: puller.backoffMaxMs,
        breakerCooldownMs: puller.breakerCooldownMs,
        maxBodyBytes: puller.maxBodyBytes,
        userAgent: puller.userAgent,
        store,
        ...(onStoreError ? { onStoreError } : {}),
      });
      return [platform, client] as const;
    }),
  );
  return Object.fromEntries(entries) as PlatformClients;
}
