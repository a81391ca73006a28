// One pass over a list of accounts: every automatic platform is pulled through its own polite
// client, platforms side by side, and each account gets an outcome. Pure of MongoDB: the scheduler
// hands in a batch of due accounts, stores a snapshot from each figure (onOutcome, as they arrive)
// and records the counts of the run.
import type { PlatformClient } from './platformClient.js';
import { adapters } from './adapters/index.js';
import {
  type AutomaticPlatform,
  isAutomaticPlatform,
  type PullOutcome,
  type StatsPlatform,
} from './outcomes.js';
import { emptyOutcomeCounts, type OutcomeCounts } from './stateStore.js';

export interface AccountRef {
  platform: string;
  platformId: string;
}

export interface AccountOutcome<A extends AccountRef> {
  account: A;
  outcome: PullOutcome;
}

export interface PullDeps<A extends AccountRef> {
  clients: Partial<Record<AutomaticPlatform, PlatformClient>>;
  /** Aborting stops taking new batches; the accounts not reached are "skipped: stopped". */
  signal?: AbortSignal;
  /** Called as each account's outcome arrives (awaited, so a slow store slows the pull). */
  onOutcome?: (result: AccountOutcome<A>) => void | Promise<void>;
  /** Batches in flight per platform; the client's spacer still spaces their requests. */
  concurrency?: number;
  /**
   * false: the report keeps the counts only, not every account's outcome (callers that store
   * outcomes through onOutcome, as the scheduler does, need not hold a batch's results twice).
   */
  collect?: boolean;
}

export interface PullReport<A extends AccountRef> {
  outcomes: AccountOutcome<A>[];
  byPlatform: Record<string, OutcomeCounts>;
  totals: OutcomeCounts;
}

/** The outcome for accounts of a platform that has no client: manual, unknown, or not configured. */
function outcomeWithoutPull(platform: string): PullOutcome {
  if (isAutomaticPlatform(platform)) return { kind: 'skipped', detail: 'not_configured' };
  const adapter = Object.hasOwn(adapters, platform) ? adapters[platform as StatsPlatform] : undefined;
  if (adapter?.mode === 'manual') return { kind: 'manual', detail: adapter.detail };
  return { kind: 'manual', detail: `no adapter for platform "${platform}"` };
}

function groupBy<A>(items: readonly A[], key: (item: A) => string): Map<string, A[]> {
  const groups = new Map<string, A[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

async function pullPlatform<A extends AccountRef>(
  client: PlatformClient,
  accounts: readonly A[],
  deps: PullDeps<A>,
  deliver: (account: A, outcome: PullOutcome) => Promise<void>,
): Promise<void> {
  const byId = groupBy(accounts, (account) => account.platformId);
  const batches = client.planBatches([...byId.keys()]);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const outcomes: Map<string, PullOutcome> = deps.signal?.aborted
        ? new Map(batch.map((id) => [id, { kind: 'skipped', detail: 'stopped' }]))
        : await client.pull(batch);
      for (const id of batch) {
        for (const account of byId.get(id) ?? []) await deliver(account, outcomes.get(id)!);
      }
    }
  };
  const workers = Math.max(1, Math.min(deps.concurrency ?? 4, batches.length));
  await Promise.all(Array.from({ length: workers }, worker));
}

/** Pulls every account once; returns each account's outcome and the counts per platform. */
export async function pullOnce<A extends AccountRef>(
  accounts: readonly A[],
  deps: PullDeps<A>,
): Promise<PullReport<A>> {
  const report: PullReport<A> = { outcomes: [], byPlatform: {}, totals: emptyOutcomeCounts() };
  const deliver = async (account: A, outcome: PullOutcome): Promise<void> => {
    if (deps.collect !== false) report.outcomes.push({ account, outcome });
    report.byPlatform[account.platform] ??= emptyOutcomeCounts();
    report.byPlatform[account.platform]![outcome.kind] += 1;
    report.totals[outcome.kind] += 1;
    await deps.onOutcome?.({ account, outcome });
  };

  await Promise.all(
    [...groupBy(accounts, (account) => account.platform)].map(async ([platform, group]) => {
      const client = isAutomaticPlatform(platform) ? deps.clients[platform] : undefined;
      if (!client) {
        const outcome = outcomeWithoutPull(platform);
        for (const account of group) await deliver(account, outcome);
        return;
      }
      await pullPlatform(client, group, deps, deliver);
    }),
  );
  return report;
}
