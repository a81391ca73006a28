// Shared set-up for the stats puller's tests: a fixture server on a free loopback port, and
// platform clients pointed at it with fast politeness settings (the tests measure them).
import type { AxiosInstance } from 'axios';
import { automaticAdapters } from '../../../../src/features/stats/adapters/index.js';
import { startFixtureServer, type FixtureServer } from '../../../../src/features/stats/fixtureServer.js';
import { createPlatformHttp } from '../../../../src/features/stats/http.js';
import type { AutomaticPlatform } from '../../../../src/features/stats/outcomes.js';
import { PlatformClient, type PlatformClientOptions } from '../../../../src/features/stats/platformClient.js';
import { MemoryStateStore } from '../../../../src/features/stats/stateStore.js';

export const testCredentials = { youtubeApiKey: 'test-key', xBearerToken: 'test-token' };

export { startFixtureServer, type FixtureServer };

/** A bare axios instance for one platform on the fixture server (adapter tests, no politeness). */
export function fixtureHttp(server: FixtureServer, platform: string, timeoutMs = 2_000): AxiosInstance {
  return createPlatformHttp({
    baseURL: server.baseUrl(platform),
    timeoutMs,
    maxBodyBytes: 1_000_000,
    userAgent: 'lighthouse-test',
  });
}

/** A platform client on the fixture server; the defaults keep tests fast (no jitter, no retries). */
export function fixtureClient(
  server: FixtureServer,
  platform: AutomaticPlatform,
  overrides: Partial<PlatformClientOptions> = {},
): Promise<PlatformClient> {
  return PlatformClient.create({
    adapter: automaticAdapters[platform],
    baseUrl: server.baseUrl(platform),
    credentials: testCredentials,
    minIntervalMs: 0,
    jitterMs: 0,
    timeoutMs: 2_000,
    retries: 0,
    backoffInitialMs: 50,
    backoffMaxMs: 1_000,
    breakerCooldownMs: 60_000,
    maxBodyBytes: 1_000_000,
    userAgent: 'lighthouse-test',
    store: new MemoryStateStore(),
    ...overrides,
  });
}

/** The requests the fixture server saw for one platform whose URL contains `fragment`. */
export function requestsFor(server: FixtureServer, platform: string, fragment = '') {
  return server.requests.filter((request) => request.platform === platform && request.url.includes(fragment));
}

/** Milliseconds between consecutive requests, as the server measured their arrival. */
export function gapsOf(times: number[]): number[] {
  return times.slice(1).map((time, index) => time - times[index]!);
}

/** The portal's settings pointing every pulled platform at the fixture server, fast and without jitter. */
export function pullerEnv(server: FixtureServer, env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const platforms = ['BILIBILI', 'YOUTUBE', 'X', 'WEIBO', 'TOUTIAO'];
  return {
    ...Object.fromEntries(
      platforms.map((platform) => [`PULLER_${platform}_BASE_URL`, server.baseUrl(platform.toLowerCase())]),
    ),
    PULLER_MIN_INTERVAL_MS: '0',
    PULLER_JITTER_MS: '0',
    PULLER_RETRIES: '0',
    PULLER_TIMEOUT_MS: '2000',
    PULLER_ENABLED: '0',
    SCHEDULER_POLL_MS: '200',
    YOUTUBE_API_KEY: 'test-key',
    X_BEARER_TOKEN: 'test-token',
    ...env,
  };
}
