// The stats feed's demo state, so /office/stats shows every state after `npm start`: two finished
// runs (a clean one yesterday, one with errors the day before), X paused by an officer with its
// account failing repeatedly (not found four times), Toutiao's breaker open after a "fail" answer,
// and 坪山同镇's Weibo figure flagged (it jumped a hundredfold since the figure before it; kept, not
// trusted). Follower counts are left as the creators' builder wrote them (the dashboard's figures
// are hand-counted in the tests). Idempotent: nothing is written when the demo runs exist.
import { AccountModel } from '../../src/features/registry/account.model.js';
import { PlatformStateModel } from '../../src/features/stats/platformState.model.js';
import { banBreakerPolicy } from '../../src/features/stats/politeness.js';
import { StatRunModel } from '../../src/features/stats/run.model.js';

const hourMs = 60 * 60 * 1000;
/** The default cool-down (PULLER_BREAKER_COOLDOWN_MINUTES); the stored state says when it ends. */
const cooldownMs = 24 * hourMs;

const counts = (figure: number, extra: Record<string, number> = {}) => ({
  figure,
  not_found: 0,
  hidden: 0,
  transient: 0,
  blocked: 0,
  skipped: 0,
  manual: 0,
  ...extra,
});

/** cockatiel's snapshot of a breaker opened now by a blocked answer (restored by the next client). */
async function openBreakerSnapshot(): Promise<unknown> {
  const breaker = banBreakerPolicy(cooldownMs);
  await breaker.execute(() => [{ kind: 'blocked' as const, detail: 'fail' }]);
  return breaker.toJSON();
}

export async function seedStatsDemo(officerEmail: string, now = Date.now()): Promise<boolean> {
  if (await StatRunModel.exists({ instance: 'demo' })) return false;
  const day = 24 * hourMs;
  const clean = now - day - 2 * hourMs;
  const withErrors = now - 2 * day - 2 * hourMs;
  await StatRunModel.create([
    {
      state: 'finished',
      trigger: 'schedule',
      startedAt: new Date(withErrors),
      endedAt: new Date(withErrors + 9 * 60_000),
      dueBefore: new Date(withErrors - day / 2),
      heartbeatAt: new Date(withErrors + 9 * 60_000),
      instance: 'demo',
      totals: counts(6, { not_found: 1, hidden: 1, transient: 1, blocked: 1 }),
      platforms: {
        bilibili: { due: 3, done: 3, ...counts(2, { transient: 1 }) },
        weibo: { due: 4, done: 4, ...counts(4) },
        youtube: { due: 1, done: 1, ...counts(0, { hidden: 1 }) },
        x: { due: 1, done: 1, ...counts(0, { not_found: 1 }) },
        toutiao: { due: 1, done: 1, ...counts(0, { blocked: 1 }) },
      },
    },
    {
      state: 'finished',
      trigger: 'schedule',
      startedAt: new Date(clean),
      endedAt: new Date(clean + 7 * 60_000),
      dueBefore: new Date(clean - day / 2),
      heartbeatAt: new Date(clean + 7 * 60_000),
      instance: 'demo',
      totals: counts(7),
      platforms: {
        bilibili: { due: 3, done: 3, ...counts(3) },
        weibo: { due: 4, done: 4, ...counts(4) },
      },
    },
  ]);

  // X: paused by the district officer; its one account not found four times in a row.
  await PlatformStateModel.updateOne(
    { platform: 'x' },
    {
      $set: {
        paused: true,
        pausedBy: officerEmail,
        pausedAt: new Date(now - day),
        pausedReason: '',
        lastErrorAt: new Date(withErrors),
        lastError: 'not_found: Could not find user with username: [inpingshan].',
      },
    },
    { upsert: true },
  );
  await AccountModel.updateOne(
    { platform: 'x', platformId: 'inpingshan' },
    {
      $set: {
        'pull.lastTriedAt': new Date(withErrors),
        'pull.lastOutcome': 'not_found',
        'pull.lastError': 'not_found: Could not find user with username: [inpingshan].',
        'pull.lastErrorAt': new Date(withErrors),
        'pull.failures': 4,
      },
    },
  );

  // Toutiao: the breaker opened on a "fail" answer (a ban); one trial request after the cool-down.
  const opened = new Date();
  await PlatformStateModel.updateOne(
    { platform: 'toutiao' },
    {
      $set: {
        breaker: 'open',
        breakerReason: 'fail: Toutiao answered "error" (blocked)',
        breakerOpenedAt: opened,
        breakerRetryAt: new Date(opened.getTime() + cooldownMs),
        breakerSnapshot: await openBreakerSnapshot(),
        lastErrorAt: opened,
        lastError: 'blocked: fail',
        requests: 1,
      },
      $setOnInsert: { paused: false },
    },
    { upsert: true },
  );
  await AccountModel.updateOne(
    { platform: 'toutiao', platformId: '4000000000004' },
    {
      $set: {
        'pull.lastTriedAt': opened,
        'pull.lastOutcome': 'blocked',
        'pull.lastError': 'blocked: fail',
        'pull.lastErrorAt': opened,
        'pull.failures': 1,
      },
    },
  );

  // The working platforms: their last success (the clean run).
  for (const platform of ['bilibili', 'weibo', 'youtube']) {
    await PlatformStateModel.updateOne(
      { platform },
      {
        $set: { breaker: 'closed', lastSuccessAt: new Date(clean + 5 * 60_000), requests: 8 },
        $setOnInsert: { paused: false },
      },
      { upsert: true },
    );
  }

  // A figure kept but flagged for an officer (tried an hour ago: not due again today).
  await AccountModel.updateOne(
    { platform: 'weibo', platformId: '6543210001', figure: { $exists: true } },
    {
      $set: {
        'figure.anomaly': 'jumped',
        'pull.lastTriedAt': new Date(now - hourMs),
        'pull.lastSuccessAt': new Date(now - hourMs),
        'pull.lastOutcome': 'figure',
        'pull.failures': 0,
      },
    },
  );
  return true;
}
