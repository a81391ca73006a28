// One platform's polite caller: every request goes through the breaker, then the transient-only
// retry, then the spacer (so retries are spaced too), then the adapter with its timeout and body
// cap. Its health (breaker, last success, errors, counts, pause) is observable and written to a
// state store, for the officers' feed-health page and for the next process to pick up.
import type { AxiosInstance } from 'axios';
import { BrokenCircuitError, CircuitState, IsolatedCircuitError } from 'cockatiel';
import type { AutomaticAdapter, PlatformCredentials } from './adapters/types.js';
import { createPlatformHttp } from './http.js';
import type { AdapterOutcome, PullOutcome } from './outcomes.js';
import { banBreakerPolicy, RequestSpacer, type RetryOptions, transientRetryPolicy } from './politeness.js';
import {
  type BreakerState,
  initialHealth,
  type PlatformHealth,
  type PullerStateStore,
} from './stateStore.js';

export interface PlatformClientOptions extends RetryOptions {
  adapter: AutomaticAdapter;
  baseUrl: string;
  credentials: PlatformCredentials;
  minIntervalMs: number;
  jitterMs: number;
  /** Requests to this platform awaiting an answer at once (default 1: one after another). */
  maxInFlight?: number;
  timeoutMs: number;
  breakerCooldownMs: number;
  maxBodyBytes: number;
  userAgent: string;
  store: PullerStateStore;
  /** Where a failed state write is reported (the pull itself goes on). */
  onStoreError?: (error: unknown) => void;
  random?: () => number;
}

const breakerStates: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

type Listener = (health: PlatformHealth) => void;

export class PlatformClient {
  private readonly http: AxiosInstance;
  private readonly spacer: RequestSpacer;
  private readonly retryPolicy;
  private readonly breaker;
  private readonly listeners = new Set<Listener>();
  /** A change not yet written to the store. */
  private dirty = false;
  private writing: Promise<void> | undefined;
  private lastBlocked = '';

  private constructor(
    private readonly options: PlatformClientOptions,
    private readonly state: PlatformHealth,
  ) {
    const { adapter } = options;
    this.http = createPlatformHttp({
      baseURL: options.baseUrl,
      timeoutMs: options.timeoutMs,
      maxBodyBytes: options.maxBodyBytes,
      userAgent: options.userAgent,
      ...(adapter.headers ? { headers: adapter.headers } : {}),
    });
    this.spacer = new RequestSpacer({
      minIntervalMs: options.minIntervalMs,
      jitterMs: options.jitterMs,
      maxInFlight: options.maxInFlight ?? 1,
      ...(options.random ? { random: options.random } : {}),
    });
    this.retryPolicy = transientRetryPolicy(options);
    this.retryPolicy.onRetry(() => {
      this.state.retries += 1;
    });
    // cockatiel keeps (and adds to) the object it is given: hand it a copy of the stored snapshot.
    this.breaker = banBreakerPolicy(options.breakerCooldownMs, structuredClone(state.breakerSnapshot));
    delete this.state.breakerSnapshot;
    this.breaker.onBreak(() => {
      const now = new Date();
      this.state.breakerReason = this.lastBlocked;
      this.state.breakerOpenedAt = now;
      this.state.breakerRetryAt = new Date(now.getTime() + options.breakerCooldownMs);
    });
    this.breaker.onReset(() => {
      delete this.state.breakerRetryAt;
    });
    this.breaker.onStateChange(() => void this.changed());
  }

  /** A client with the platform's stored state (pause flag, open breaker) restored. */
  static async create(options: PlatformClientOptions): Promise<PlatformClient> {
    const stored = await options.store.load(options.adapter.platform);
    return new PlatformClient(options, stored ?? initialHealth(options.adapter.platform));
  }

  get platform(): AutomaticAdapter['platform'] {
    return this.options.adapter.platform;
  }

  /** Whether readProfile can give the bio the ownership-code check needs. */
  get readsBio(): boolean {
    return this.options.adapter.readsBio;
  }

  /** The platform's feed health now (a copy). */
  health(): PlatformHealth {
    return structuredClone({ ...this.state, breaker: breakerStates[this.breaker.state] });
  }

  /** Called after every change of health; returns the unsubscribe function. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops sending requests for this platform (requests in flight finish) until resume(). */
  pause(reason = 'paused by an officer'): Promise<void> {
    this.state.paused = true;
    this.state.pausedReason = reason;
    return this.changed();
  }

  resume(): Promise<void> {
    this.state.paused = false;
    delete this.state.pausedReason;
    return this.changed();
  }

  /** Waits until every state write so far has reached the store. */
  flush(): Promise<void> {
    return this.writing ?? Promise.resolve();
  }

  /** How these ids go into requests (YouTube: 50 channel ids a request; the others one id). */
  planBatches(ids: readonly string[]): string[][] {
    return this.options.adapter.planBatches(ids);
  }

  /** Pulls figures for these ids (batched as the platform allows); one outcome per distinct id. */
  async pull(ids: readonly string[]): Promise<Map<string, PullOutcome>> {
    const outcomes = new Map<string, PullOutcome>();
    const distinct = [...new Set(ids)];
    const missing = this.options.adapter.missingCredentials(this.options.credentials);
    if (missing) {
      for (const id of distinct) outcomes.set(id, { kind: 'skipped', detail: 'not_configured' });
      return outcomes;
    }
    const batches = this.options.adapter.planBatches(distinct);
    await Promise.all(
      batches.map(async (batch) => {
        const answers = await this.run(batch, (http) =>
          this.options.adapter.pull(http, batch, this.options.credentials),
        );
        batch.forEach((id, index) => outcomes.set(id, answers[index] ?? answers[0]!));
      }),
    );
    return outcomes;
  }

  /** Reads one public profile with its bio (for the ownership check), with the same politeness. */
  async readProfile(id: string): Promise<PullOutcome> {
    const { adapter, credentials } = this.options;
    if (adapter.missingCredentials(credentials)) return { kind: 'skipped', detail: 'not_configured' };
    const [answer] = await this.run([id], async (http) =>
      adapter.readProfile
        ? [await adapter.readProfile(http, id, credentials)]
        : adapter.pull(http, [id], credentials),
    );
    return answer!;
  }

  /** One batch through breaker → retry → spacer → adapter; the skipped outcomes when it cannot go. */
  private async run(
    batch: readonly string[],
    call: (http: AxiosInstance) => Promise<AdapterOutcome[]>,
  ): Promise<PullOutcome[]> {
    if (this.state.paused) return this.record(batch.map(() => ({ kind: 'skipped', detail: 'paused' })));
    let answers: AdapterOutcome[];
    try {
      answers = await this.breaker.execute(() =>
        this.retryPolicy.execute(() =>
          this.spacer.run(async () => {
            this.state.requests += 1;
            const result = await call(this.http).catch((error: unknown) =>
              batch.map((): AdapterOutcome => ({
                kind: 'transient',
                detail: `adapter failed: ${String(error)}`,
              })),
            );
            this.lastBlocked = result.find((outcome) => outcome.kind === 'blocked')?.detail ?? '';
            return result;
          }),
        ),
      );
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
        return this.record(batch.map(() => ({ kind: 'skipped', detail: 'breaker_open' })));
      }
      throw error;
    }
    return this.record(answers);
  }

  private record(outcomes: PullOutcome[]): PullOutcome[] {
    const now = new Date();
    for (const outcome of outcomes) {
      this.state.outcomes[outcome.kind] += 1;
      if (outcome.kind === 'figure' || outcome.kind === 'not_found' || outcome.kind === 'hidden') {
        this.state.lastSuccessAt = now;
      } else if (outcome.kind === 'transient' || outcome.kind === 'blocked') {
        this.state.lastErrorAt = now;
        this.state.lastError = `${outcome.kind}: ${outcome.detail}`;
      }
    }
    void this.changed();
    return outcomes;
  }

  private changed(): Promise<void> {
    // The health is copied only for listeners and when a write goes out, not once per answer: a
    // run of thousands of requests made a copy (and a breaker snapshot) per answer, all garbage.
    if (this.listeners.size > 0) {
      const health = this.snapshot();
      for (const listener of this.listeners) listener(health);
    }
    // Write-behind, newest wins: one write at a time, and a burst of changes becomes one write of
    // the latest state (a chain of one write per change grew without bound under load).
    this.dirty = true;
    this.writing ??= this.writeLatest();
    return this.writing;
  }

  private snapshot(): PlatformHealth {
    const health = this.health();
    health.breakerSnapshot = this.breaker.toJSON();
    return health;
  }

  private async writeLatest(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      try {
        await this.options.store.save(this.snapshot());
      } catch (error) {
        this.options.onStoreError?.(error);
      }
    }
    this.writing = undefined;
  }
}
