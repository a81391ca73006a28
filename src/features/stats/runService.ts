// One run of the recurring pull: at most one active run across every instance (a unique partial
// index on the run), walked per platform through a cursor over the due accounts in batches, with
// a heartbeat. A run whose heartbeat stopped (its process was killed) is taken over by the next
// instance and resumed with its original cut-off: accounts already tried in it are no longer due
// (no duplicate snapshots, and the snapshot key is unique per account, source and day anyway), the
// others still are (none lost).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { AccountModel } from '../registry/account.model.js';
import { checkOwnership, type DueAccount, storeOutcome } from './accountPull.js';
import type { PlatformClients } from './clients.js';
import { automaticPlatforms, type AutomaticPlatform, type OutcomeKind } from './outcomes.js';
import type { PlatformClient } from './platformClient.js';
import { pullOnce } from './pullOnce.js';
import { StatRunModel, type StatRunDocument } from './run.model.js';
import { freshClients, stateStore } from './runtime.js';
import { emptyOutcomeCounts, type OutcomeCounts } from './stateStore.js';

export interface RunContext {
  config: Config;
  logger: Logger;
  /** Aborted at shutdown: the run stops after the batch in flight and stays resumable. */
  signal: AbortSignal;
  /** Keeps the scheduler's own lock alive (agenda's job.touch()). */
  touch?: () => Promise<unknown>;
  trigger?: 'schedule' | 'manual';
}

export type RunResult =
  { outcome: 'finished' | 'stopped'; run: StatRunDocument } | { outcome: 'busy'; runId: string };

const instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
/** Pending ownership checks per platform per run (each is one polite request). */
const ownershipChecksPerRun = 50;

/** Accounts of a platform not tried since the cut-off (never tried included). */
export function dueFilter(platform: string, dueBefore: Date): Record<string, unknown> {
  return {
    platform: { $eq: platform },
    $or: [{ 'pull.lastTriedAt': { $exists: false } }, { 'pull.lastTriedAt': { $lt: dueBefore } }],
  };
}

/** Accounts last tried more than half an interval ago are due (a run takes hours at 5 s a request). */
export function dueCutoff(config: Config, now = new Date()): Date {
  return new Date(now.getTime() - (config.puller.intervalMinutes * 60_000) / 2);
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

function isDuplicateKey(error: unknown): boolean {
  return error instanceof mongoose.mongo.MongoServerError && error.code === 11000;
}

/**
 * Starts a run, or takes over one whose heartbeat stopped; "busy" when a live run is going on
 * elsewhere (its heartbeat moves while we watch it for one lock lifetime).
 */
async function acquireRun(context: RunContext): Promise<StatRunDocument | { busy: string }> {
  const { lockMs } = context.config.puller;
  let watched: { id: string; heartbeat: number; since: number } | undefined;
  for (;;) {
    const active = await StatRunModel.findOne({ active: true });
    const now = Date.now();
    if (!active) {
      try {
        return await StatRunModel.create({
          state: 'running',
          active: true,
          trigger: context.trigger ?? 'schedule',
          startedAt: new Date(now),
          dueBefore: dueCutoff(context.config, new Date(now)),
          heartbeatAt: new Date(now),
          instance: instanceId,
        });
      } catch (error) {
        if (isDuplicateKey(error)) continue; // another instance started one this instant
        throw error;
      }
    }
    const heartbeat = active.heartbeatAt.getTime();
    if (heartbeat < now - lockMs) {
      const taken = await StatRunModel.findOneAndUpdate(
        { _id: active._id, active: true, heartbeatAt: active.heartbeatAt },
        { $set: { heartbeatAt: new Date(now), instance: instanceId }, $inc: { resumes: 1 } },
        { returnDocument: 'after' },
      );
      if (taken) {
        context.logger.info(
          { run: taken.id, from: active.instance },
          'stats run taken over (its heartbeat stopped)',
        );
        return taken;
      }
      continue;
    }
    if (watched?.id === active.id && watched.heartbeat !== heartbeat) return { busy: active.id };
    if (watched && now - watched.since > lockMs * 1.5) return { busy: active.id };
    watched ??= { id: active.id, heartbeat, since: now };
    if (context.signal.aborted) return { busy: active.id };
    await sleep(Math.max(50, Math.min(lockMs / 3, 60_000)), context.signal);
  }
}

/** The heartbeat: the run's and the scheduler lock's, every third of the lock lifetime. */
function startHeartbeat(run: StatRunDocument, context: RunContext, lost: AbortController): () => void {
  const beat = async (): Promise<void> => {
    const { modifiedCount } = await StatRunModel.updateOne(
      { _id: run._id, active: true, instance: instanceId },
      { $set: { heartbeatAt: new Date() } },
    );
    if (modifiedCount !== 1) lost.abort(); // taken over: stop before writing more
    await context.touch?.();
  };
  const timer = setInterval(() => {
    beat().catch((error: unknown) => context.logger.warn({ err: error }, 'stats run heartbeat failed'));
  }, context.config.puller.lockMs / 3);
  return () => clearInterval(timer);
}

/** Walks one platform's due accounts in batches; progress and counts go to the run per batch. */
async function walkPlatform(
  run: StatRunDocument,
  platform: AutomaticPlatform,
  client: PlatformClient,
  context: RunContext,
  signal: AbortSignal,
): Promise<void> {
  const filter = dueFilter(platform, run.dueBefore);
  const remaining = await AccountModel.countDocuments(filter);
  const doneBefore = run.platforms?.get(platform)?.done ?? 0;
  await StatRunModel.updateOne(
    { _id: run._id },
    { $set: { [`platforms.${platform}.due`]: doneBefore + remaining } },
  );
  if (remaining === 0) return;

  const cursor = AccountModel.find(filter, { creator: 1, platform: 1, platformId: 1, 'ownership.state': 1 })
    .sort({ _id: 1 })
    .lean<DueAccount[]>()
    .cursor({ batchSize: context.config.puller.batchSize });
  let batch: DueAccount[] = [];
  const flush = async (): Promise<void> => {
    const accounts = batch;
    batch = [];
    const paused = await stateStore.isPaused(platform);
    if (paused !== client.health().paused) await (paused ? client.pause() : client.resume());
    const counts = emptyOutcomeCounts();
    await pullOnce(accounts, {
      clients: { [platform]: client },
      signal,
      collect: false,
      onOutcome: async ({ account, outcome }) => {
        // accounts left for later when the run stops are not done (they stay due)
        if (outcome.kind === 'skipped' && outcome.detail === 'stopped') return;
        counts[outcome.kind] += 1;
        await storeOutcome(account, outcome);
      },
    });
    await recordProgress(run, platform, counts);
  };
  try {
    for await (const account of cursor) {
      if (signal.aborted) break;
      batch.push(account);
      if (batch.length >= context.config.puller.batchSize) await flush();
    }
    if (batch.length > 0 && !signal.aborted) await flush();
  } finally {
    await cursor.close();
  }
}

/** Adds one batch's counts to the run: done excludes the accounts left for later (stopped). */
async function recordProgress(run: StatRunDocument, platform: string, counts: OutcomeCounts): Promise<void> {
  const inc: Record<string, number> = {};
  let done = 0;
  for (const [kind, count] of Object.entries(counts) as [OutcomeKind, number][]) {
    if (count === 0) continue;
    inc[`platforms.${platform}.${kind}`] = count;
    inc[`totals.${kind}`] = count;
    done += count;
  }
  inc[`platforms.${platform}.done`] = done;
  await StatRunModel.updateOne({ _id: run._id }, { $inc: inc });
}

/** Pending ownership requests on the platforms whose bio the puller reads, checked politely. */
async function checkPendingOwnership(clients: PlatformClients, signal: AbortSignal): Promise<void> {
  const readers = automaticPlatforms.filter((platform) => clients[platform].readsBio);
  const pending = await AccountModel.find(
    { 'ownership.state': 'pending', platform: { $in: readers } },
    { creator: 1, platform: 1, platformId: 1, 'ownership.state': 1 },
  )
    .sort({ 'ownership.requestedAt': 1 })
    .limit(ownershipChecksPerRun * readers.length)
    .lean<DueAccount[]>();
  for (const account of pending) {
    if (signal.aborted) return;
    await checkOwnership(clients[account.platform as AutomaticPlatform], account);
  }
}

/** One run of the recurring pull (the `stats.pull` job). */
export async function runPull(context: RunContext): Promise<RunResult> {
  const acquired = await acquireRun(context);
  if ('busy' in acquired) {
    context.logger.info({ run: acquired.busy }, 'a stats run is already in progress on another instance');
    return { outcome: 'busy', runId: acquired.busy };
  }
  const run = acquired;
  const lost = new AbortController();
  const signal = AbortSignal.any([context.signal, lost.signal]);
  const stopHeartbeat = startHeartbeat(run, context, lost);
  try {
    const clients = await freshClients(context.config, context.logger);
    await Promise.all(
      automaticPlatforms.map((platform) => walkPlatform(run, platform, clients[platform], context, signal)),
    );
    await checkPendingOwnership(clients, signal);
    await Promise.all(automaticPlatforms.map((platform) => clients[platform].flush()));
  } finally {
    stopHeartbeat();
  }
  if (lost.signal.aborted) return { outcome: 'stopped', run };
  if (context.signal.aborted) {
    // Shut down: the next instance (or this one restarted) resumes it at once.
    await StatRunModel.updateOne(
      { _id: run._id, instance: instanceId },
      { $set: { heartbeatAt: new Date(0) } },
    );
    return { outcome: 'stopped', run };
  }
  const ended = await StatRunModel.findOneAndUpdate(
    { _id: run._id, instance: instanceId },
    { $set: { state: 'finished', endedAt: new Date() }, $unset: { active: '' } },
    { returnDocument: 'after' },
  );
  return { outcome: 'finished', run: ended ?? run };
}
