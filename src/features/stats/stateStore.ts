// Each platform's feed health, kept where officers can read it and where a restarted process
// finds it again: pause flag, breaker state (with cockatiel's own snapshot, so an open breaker
// stays open across a restart), last success, last error and counts. The in-memory store serves
// tests and the demo; a MongoDB-backed store implements the same two methods later.
import type { AutomaticPlatform, OutcomeKind } from './outcomes.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

export type OutcomeCounts = Record<OutcomeKind, number>;

export interface PlatformHealth {
  platform: AutomaticPlatform;
  paused: boolean;
  pausedReason?: string;
  breaker: BreakerState;
  /** Why the breaker last opened (the platform's ban answer). */
  breakerReason?: string;
  breakerOpenedAt?: Date;
  /** When the open breaker lets one trial request through. */
  breakerRetryAt?: Date;
  lastSuccessAt?: Date;
  lastErrorAt?: Date;
  lastError?: string;
  /** Requests sent, retries among them, and accounts by outcome, since the counts were created. */
  requests: number;
  retries: number;
  outcomes: OutcomeCounts;
  /** cockatiel's breaker snapshot (CircuitBreakerPolicy.toJSON()), restored on start. */
  breakerSnapshot?: unknown;
}

export interface PullerStateStore {
  load(platform: AutomaticPlatform): Promise<PlatformHealth | undefined>;
  save(health: PlatformHealth): Promise<void>;
}

export function emptyOutcomeCounts(): OutcomeCounts {
  return { figure: 0, not_found: 0, hidden: 0, transient: 0, blocked: 0, skipped: 0, manual: 0 };
}

export function initialHealth(platform: AutomaticPlatform): PlatformHealth {
  return {
    platform,
    paused: false,
    breaker: 'closed',
    requests: 0,
    retries: 0,
    outcomes: emptyOutcomeCounts(),
  };
}

/** Keeps copies, so a caller mutating what it loaded cannot change the stored state. */
export class MemoryStateStore implements PullerStateStore {
  private readonly records = new Map<AutomaticPlatform, PlatformHealth>();

  load(platform: AutomaticPlatform): Promise<PlatformHealth | undefined> {
    const record = this.records.get(platform);
    return Promise.resolve(record ? structuredClone(record) : undefined);
  }

  save(health: PlatformHealth): Promise<void> {
    this.records.set(health.platform, structuredClone(health));
    return Promise.resolve();
  }
}
