// The puller's state store on MongoDB, so every instance (and the next process) sees a platform's
// open breaker, its pause and its health. The pause belongs to the officers: a client's save never
// writes it (a pull running elsewhere cannot undo a pause); setPaused() does.
import { emptyOutcomeCounts, type PlatformHealth, type PullerStateStore } from './stateStore.js';
import type { AutomaticPlatform } from './outcomes.js';
import { PlatformStateModel } from './platformState.model.js';

export class MongoStateStore implements PullerStateStore {
  async load(platform: AutomaticPlatform): Promise<PlatformHealth | undefined> {
    const stored = await PlatformStateModel.findOne({ platform: { $eq: platform } }).lean();
    if (!stored) return undefined;
    const health: PlatformHealth = {
      platform,
      paused: stored.paused ?? false,
      breaker: stored.breaker ?? 'closed',
      requests: stored.requests ?? 0,
      retries: stored.retries ?? 0,
      outcomes: { ...emptyOutcomeCounts(), ...(stored.outcomes as Partial<PlatformHealth['outcomes']>) },
    };
    if (stored.pausedReason) health.pausedReason = stored.pausedReason;
    if (stored.breakerReason) health.breakerReason = stored.breakerReason;
    if (stored.breakerOpenedAt) health.breakerOpenedAt = stored.breakerOpenedAt;
    if (stored.breakerRetryAt) health.breakerRetryAt = stored.breakerRetryAt;
    if (stored.lastSuccessAt) health.lastSuccessAt = stored.lastSuccessAt;
    if (stored.lastErrorAt) health.lastErrorAt = stored.lastErrorAt;
    if (stored.lastError) health.lastError = stored.lastError;
    if (stored.breakerSnapshot !== undefined) health.breakerSnapshot = stored.breakerSnapshot;
    return health;
  }

  async save(health: PlatformHealth): Promise<void> {
    const { platform, paused: _paused, pausedReason: _reason, ...rest } = health;
    const unset = ['breakerReason', 'breakerOpenedAt', 'breakerRetryAt', 'lastError', 'lastErrorAt'].filter(
      (key) => rest[key as keyof typeof rest] === undefined,
    );
    await PlatformStateModel.updateOne(
      { platform: { $eq: platform } },
      {
        $set: rest,
        ...(unset.length ? { $unset: Object.fromEntries(unset.map((key) => [key, ''])) } : {}),
        $setOnInsert: { paused: false },
      },
      { upsert: true },
    );
  }

  /** The officers' pause and resume; true when the state changed. */
  async setPaused(platform: AutomaticPlatform, paused: boolean, by: string, reason = ''): Promise<boolean> {
    const { modifiedCount } = await PlatformStateModel.updateOne(
      { platform: { $eq: platform }, paused: { $ne: paused } },
      paused
        ? { $set: { paused, pausedReason: reason, pausedBy: by, pausedAt: new Date() } }
        : { $set: { paused }, $unset: { pausedReason: '', pausedBy: '', pausedAt: '' } },
      { upsert: false },
    );
    if (modifiedCount === 1) return true;
    if (!paused) return false;
    // first pause of a platform that never ran: no document yet
    const exists = await PlatformStateModel.exists({ platform: { $eq: platform } });
    if (exists) return false;
    await PlatformStateModel.create({
      platform,
      paused,
      pausedReason: reason,
      pausedBy: by,
      pausedAt: new Date(),
    });
    return true;
  }

  /** Whether officers paused the platform (read before each batch of a run). */
  async isPaused(platform: AutomaticPlatform): Promise<boolean> {
    const stored = await PlatformStateModel.findOne({ platform: { $eq: platform } }, { paused: 1 }).lean();
    return stored?.paused ?? false;
  }
}
