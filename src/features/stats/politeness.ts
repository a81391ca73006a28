// The politeness primitives one platform client combines, from well-kept libraries:
// - a serial queue (bottleneck) that spaces request starts by at least the minimum interval plus
//   a random jitter, so the platform never sees a burst or a regular machine rhythm;
// - retries with exponential backoff (cockatiel) for transient answers only: a ban, a not-found
//   or a hidden count is never asked again;
// - a circuit breaker (cockatiel) that opens on the first ban answer and lets one trial request
//   through after the cool-down.
import Bottleneck from 'bottleneck';
import {
  circuitBreaker,
  ConsecutiveBreaker,
  ExponentialBackoff,
  halfJitterGenerator,
  handleWhenResult,
  retry,
} from 'cockatiel';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AdapterOutcome } from './outcomes.js';

export interface SpacingOptions {
  minIntervalMs: number;
  jitterMs: number;
  /** Injected in tests that need a fixed jitter; Math.random otherwise. */
  random?: () => number;
}

/** Runs tasks one at a time, each task's start at least minInterval + jitter after the previous one's. */
export class RequestSpacer {
  private readonly queue: Bottleneck;
  private nextStartAt = 0;
  private readonly random: () => number;

  constructor(private readonly options: SpacingOptions) {
    // minTime is a floor the library keeps even if the jitter arithmetic below were wrong.
    this.queue = new Bottleneck({ maxConcurrent: 1, minTime: options.minIntervalMs });
    this.random = options.random ?? Math.random;
  }

  /** Tasks waiting for their turn (not counting the one running). */
  get waiting(): number {
    return this.queue.counts().QUEUED + this.queue.counts().RECEIVED;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.schedule(async () => {
      const wait = this.nextStartAt - Date.now();
      if (wait > 0) await sleep(wait);
      const startedAt = Date.now();
      this.nextStartAt =
        startedAt + this.options.minIntervalMs + Math.floor(this.random() * this.options.jitterMs);
      return task();
    });
  }
}

export const hasTransient = (outcomes: unknown): boolean =>
  Array.isArray(outcomes) && outcomes.some((outcome: AdapterOutcome) => outcome.kind === 'transient');

export const hasBlocked = (outcomes: unknown): boolean =>
  Array.isArray(outcomes) && outcomes.some((outcome: AdapterOutcome) => outcome.kind === 'blocked');

export interface RetryOptions {
  /** Retries after the first attempt (0: none). */
  retries: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
}

/** Retries a batch whose answer is transient; gives back the last answer when the retries run out. */
export function transientRetryPolicy(options: RetryOptions) {
  return retry(
    handleWhenResult((outcomes) => hasTransient(outcomes) && !hasBlocked(outcomes)),
    {
      maxAttempts: options.retries,
      backoff: new ExponentialBackoff({
        generator: halfJitterGenerator,
        initialDelay: options.backoffInitialMs,
        maxDelay: options.backoffMaxMs,
      }),
    },
  );
}

/** Opens on one ban answer, stays open for the cool-down, then lets one trial through. */
export function banBreakerPolicy(cooldownMs: number, snapshot?: unknown) {
  return circuitBreaker(handleWhenResult(hasBlocked), {
    halfOpenAfter: cooldownMs,
    breaker: new ConsecutiveBreaker(1),
    ...(snapshot ? { initialState: snapshot } : {}),
  });
}
