// The creator's accounts summarised onto the creator (creator.accountSummary), so that the pool's
// facets and sorts on platforms, ownership and figures read one indexed document per creator
// instead of joining accounts and snapshots on every search.
import type { Types } from 'mongoose';
import { StatSnapshotModel } from '../registry/statSnapshot.model.js';

const dayMs = 24 * 60 * 60 * 1000;
/** Growth is measured over this many days before each account's latest figure. */
export const growthWindowDays = 30;

export interface AccountSummary {
  platforms: string[];
  ownershipStates: string[];
  followersTotal: number;
  followers: { platform: string; count: number }[];
  growth30d: number | null;
  latestFigureAt: Date | null;
  sources: string[];
  at: Date;
}

/** The account fields a summary reads. */
export interface SummarisedAccount {
  _id: Types.ObjectId;
  creator: Types.ObjectId;
  platform: string;
  ownership: { state: string };
  figure?: { followers: number; source: string; asOf: Date } | null;
}

/** The projection that reads a SummarisedAccount. */
export const summaryFields = { creator: 1, platform: 1, ownership: 1, figure: 1 } as const;

/**
 * Each account's growth baseline: the followers of its latest snapshot at least 30 days older
 * than its latest figure, keyed by account id (accounts without one are absent). One aggregation
 * for the whole batch: a `$or` branch per distinct cut-off (each read through the snapshots'
 * `{account, at}` index), the latest per account kept by a `$group` (`$max` of `{at, followers}`).
 */
export async function growthBaselines(accounts: readonly SummarisedAccount[]): Promise<Map<string, number>> {
  const byCutoff = new Map<number, Types.ObjectId[]>();
  for (const account of accounts) {
    if (!account.figure) continue;
    const cutoff = account.figure.asOf.getTime() - growthWindowDays * dayMs;
    const ids = byCutoff.get(cutoff) ?? [];
    ids.push(account._id);
    byCutoff.set(cutoff, ids);
  }
  const baselines = new Map<string, number>();
  if (byCutoff.size === 0) return baselines;
  const rows = await StatSnapshotModel.aggregate<{
    _id: Types.ObjectId;
    latest: { at: Date; followers: number };
  }>([
    {
      $match: {
        $or: [...byCutoff].map(([cutoff, ids]) => ({
          account: { $in: ids },
          at: { $lte: new Date(cutoff) },
        })),
      },
    },
    // The latest per account without sorting the batch: documents compare field by field.
    { $group: { _id: '$account', latest: { $max: { at: '$at', followers: '$followers' } } } },
  ]);
  for (const row of rows) baselines.set(String(row._id), row.latest.followers);
  return baselines;
}

/**
 * A creator's summary from its accounts and their growth baselines (growthBaselines). Growth:
 * for the accounts that have a snapshot at least 30 days older than their latest figure, (their
 * followers now − then) / then, in percent with one decimal; null when no account has one (a new
 * creator, or figures only days old).
 */
export function summaryOf(
  accounts: readonly SummarisedAccount[],
  baselines: ReadonlyMap<string, number>,
): AccountSummary {
  const perPlatform = new Map<string, number>();
  const sources = new Set<string>();
  let followersTotal = 0;
  let latestFigureAt: Date | null = null;
  let before = 0;
  let after = 0;
  for (const account of accounts) {
    const figure = account.figure;
    if (!figure) continue;
    followersTotal += figure.followers;
    sources.add(figure.source);
    perPlatform.set(account.platform, (perPlatform.get(account.platform) ?? 0) + figure.followers);
    if (!latestFigureAt || figure.asOf > latestFigureAt) latestFigureAt = figure.asOf;
    const baseline = baselines.get(String(account._id));
    if (baseline !== undefined) {
      before += baseline;
      after += figure.followers;
    }
  }
  return {
    platforms: [...new Set(accounts.map((account) => account.platform))].sort(),
    ownershipStates: [...new Set(accounts.map((account) => account.ownership.state))].sort(),
    followersTotal,
    followers: [...perPlatform].map(([platform, count]) => ({ platform, count })),
    growth30d: before > 0 ? Math.round(((after - before) / before) * 1000) / 10 : null,
    latestFigureAt,
    sources: [...sources].sort(),
    at: new Date(),
  };
}
