// The officers' feed-health page model: per platform its breaker, pause, last success, error rate
// (of the latest run) and accounts due; the run in progress with its progress per platform; recent
// runs; accounts failing repeatedly and flagged figures in the officer's scope.
import type { Config } from '../../config.js';
import { AccountModel } from '../registry/account.model.js';
import { CreatorModel } from '../registry/creator.model.js';
import { automaticPlatforms } from './outcomes.js';
import { PlatformStateModel } from './platformState.model.js';
import { StatRunModel } from './run.model.js';
import { dueCutoff, dueFilter } from './runService.js';

/** Failed pulls in a row from which an account is listed as failing repeatedly. */
export const repeatedFailures = 3;

export async function feedHealth(config: Config, street: string | undefined) {
  const [states, runs] = await Promise.all([
    PlatformStateModel.find().lean(),
    StatRunModel.find().sort({ startedAt: -1 }).limit(10).lean(),
  ]);
  const cutoff = dueCutoff(config);
  const latest = runs[0];
  const platforms = await Promise.all(
    automaticPlatforms.map(async (platform) => {
      const state = states.find((entry) => entry.platform === platform);
      const progress = latest?.platforms?.[platform] as Record<string, number> | undefined;
      const count = (key: string): number => progress?.[key] ?? 0;
      const tried = count('done') - count('skipped') - count('manual');
      const errors = count('transient') + count('blocked');
      return {
        platform,
        breaker: state?.breaker ?? 'closed',
        breakerRetryAt: state?.breakerRetryAt,
        paused: state?.paused ?? false,
        lastSuccessAt: state?.lastSuccessAt,
        lastError: state?.lastError,
        errorRate: tried > 0 ? Math.round((errors / tried) * 100) : undefined,
        due: await AccountModel.countDocuments(dueFilter(platform, cutoff)),
      };
    }),
  );
  const inStreet: Record<string, unknown> = { street: { $eq: street } };
  const scope: Record<string, unknown> = street
    ? { creator: { $in: await CreatorModel.find(inStreet).distinct('_id') } }
    : {};
  const [failing, flagged] = await Promise.all([
    AccountModel.find({ ...scope, 'pull.failures': { $gte: repeatedFailures } })
      .sort({ 'pull.failures': -1 })
      .limit(50)
      .lean(),
    AccountModel.find({ ...scope, 'figure.anomaly': { $exists: true } })
      .limit(50)
      .lean(),
  ]);
  const active = runs.find((run) => run.active);
  return { platforms, active, runs, failing, flagged };
}
