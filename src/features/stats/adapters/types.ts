// The shape every platform adapter has. An automatic adapter turns one platform answer into an
// outcome per account id; a manual adapter only says why that platform is entered by hand.
// Adapters are pure of politeness: the platform client adds rate limits, retries and the breaker.
import type { AxiosInstance } from 'axios';
import type {
  AdapterOutcome,
  AutomaticPlatform,
  FigureSource,
  ManualPlatform,
  StatsPlatform,
} from '../outcomes.js';

/** Credentials the official APIs need; the public-web adapters need none. */
export interface PlatformCredentials {
  youtubeApiKey?: string | undefined;
  xBearerToken?: string | undefined;
}

export interface AutomaticAdapter {
  mode: 'automatic';
  platform: AutomaticPlatform;
  source: FigureSource;
  /** Headers the platform expects on every request (e.g. Bilibili's Referer). */
  headers?: Record<string, string>;
  /** Why the adapter cannot run with these credentials (e.g. no API key), or undefined. */
  missingCredentials(credentials: PlatformCredentials): string | undefined;
  /** Groups ids into requests (YouTube takes 50 channel ids a call; the others one id). */
  planBatches(ids: readonly string[]): string[][];
  /** One request for one batch: one outcome per id, in the batch's order. */
  pull(
    http: AxiosInstance,
    ids: readonly string[],
    credentials: PlatformCredentials,
  ): Promise<AdapterOutcome[]>;
  /** Reads the public profile with its bio for the ownership check (defaults to pull when it carries one). */
  readProfile?(http: AxiosInstance, id: string, credentials: PlatformCredentials): Promise<AdapterOutcome>;
}

export interface ManualAdapter {
  mode: 'manual';
  platform: ManualPlatform;
  /** Why figures are entered by the creator with evidence instead of pulled. */
  detail: string;
}

export type PlatformAdapter = AutomaticAdapter | ManualAdapter;

/** The batch plan of platforms that take one id per request. */
export const oneIdPerRequest = (ids: readonly string[]): string[][] => ids.map((id) => [id]);

export const needsNoCredentials = (): undefined => undefined;

/** A single-id pull as a batch pull, for the platforms that take one id per request. */
export function singleIdPull(
  pullOne: (http: AxiosInstance, id: string, credentials: PlatformCredentials) => Promise<AdapterOutcome>,
): AutomaticAdapter['pull'] {
  return async (http, ids, credentials) => Promise.all(ids.map((id) => pullOne(http, id, credentials)));
}

export function manualAdapter(platform: ManualPlatform, detail: string): ManualAdapter {
  return { mode: 'manual', platform, detail };
}

export type { StatsPlatform };
