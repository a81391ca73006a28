// The puller's scheduled work, registered when this module loads (src/jobs.ts lists it):
// - `stats.pull`: the recurring run (every PULLER_INTERVAL_MINUTES, daily by default), one at a
//   time across instances, resumable after a kill (runService.ts);
// - `stats.resume`: every lock lifetime, a run whose heartbeat stopped (its process was killed) is
//   taken over and resumed here, without waiting for the next scheduled run (a restarted
//   scheduler re-registers the recurring job and so clears the dead process's agenda lock);
// - `stats.refresh`: "refresh now" for one account (its figure and, if pending, its ownership
//   check), through the same polite clients.
// An instance with PULLER_ENABLED=0 runs none of them: what it enqueues ("refresh now") waits for
// an instance with the puller on (and the tests' background stays quiet).
import { Types } from 'mongoose';
import { defineJob } from '../../scheduler/index.js';
import { AccountModel } from '../registry/account.model.js';
import { checkOwnership, type DueAccount, storeOutcome } from './accountPull.js';
import { isAutomaticPlatform } from './outcomes.js';
import { StatRunModel } from './run.model.js';
import { runPull } from './runService.js';
import { sharedClients } from './runtime.js';
import { adapters } from './adapters/index.js';

export const pullJob = 'stats.pull';
export const refreshJob = 'stats.refresh';

defineJob(
  pullJob,
  async (_data, job, context) => {
    await runPull({ ...context, touch: () => job.touch() });
  },
  {
    every: (config) => (config.puller.enabled ? `${config.puller.intervalMinutes} minutes` : undefined),
    lockLifetimeMs: (config) => config.puller.lockMs,
    concurrency: 1,
  },
);

export const resumeJob = 'stats.resume';

defineJob(
  resumeJob,
  async (_data, job, context) => {
    const stale = new Date(Date.now() - context.config.puller.lockMs);
    const orphan = await StatRunModel.exists({ active: true, heartbeatAt: { $lt: stale } });
    if (orphan) await runPull({ ...context, touch: () => job.touch() });
  },
  {
    every: (config) =>
      config.puller.enabled ? `${Math.ceil(config.puller.lockMs / 1000)} seconds` : undefined,
    lockLifetimeMs: (config) => config.puller.lockMs,
    concurrency: 1,
    runsHere: (config) => config.puller.enabled,
  },
);

defineJob<{ accountId: string }>(
  refreshJob,
  async (data, _job, context) => {
    if (!Types.ObjectId.isValid(data.accountId)) return;
    const account = await AccountModel.findById(data.accountId, {
      creator: 1,
      platform: 1,
      platformId: 1,
      'ownership.state': 1,
    }).lean<DueAccount>();
    if (!account) return;
    if (!isAutomaticPlatform(account.platform)) {
      const adapter = adapters[account.platform as keyof typeof adapters];
      await storeOutcome(account, {
        kind: 'manual',
        detail: adapter.mode === 'manual' ? adapter.detail : '',
      });
      return;
    }
    const client = (await sharedClients(context.config, context.logger))[account.platform];
    const outcome = (await client.pull([account.platformId])).get(account.platformId);
    if (outcome) await storeOutcome(account, outcome);
    // the figure's answer carried no bio (Bilibili's stat endpoint): read the profile for it
    const bioShown = outcome !== undefined && 'profile' in outcome && Boolean(outcome.profile?.bio);
    if (account.ownership?.state === 'pending' && !bioShown) await checkOwnership(client, account);
    await client.flush();
  },
  { concurrency: 2, lockLifetimeMs: 5 * 60_000, runsHere: (config) => config.puller.enabled },
);
