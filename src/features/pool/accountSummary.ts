// The creator's accounts summarised onto the creator (creator.accountSummary), so that the pool's
// facets and sorts on platforms, ownership and figures read one indexed document per creator
// instead of joining accounts and snapshots on every search.
import type { Types } from 'mongoose';
import { AccountModel } from '../registry/account.model.js';
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

/**
 * One creator's summary from its accounts now. Growth: for the accounts that have a snapshot at
 * least 30 days older than their latest figure, (their followers now − then) / then, in percent
 * with one decimal; null when no account has one (a new creator, or figures only days old).
 */
export async function summariseAccounts(creatorId: Types.ObjectId): Promise<AccountSummary> {
  const accounts = await AccountModel.find(
    { creator: creatorId },
    { platform: 1, ownership: 1, figure: 1 },
  ).lean();
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
    const baseline = await StatSnapshotModel.findOne(
      { account: account._id, at: { $lte: new Date(figure.asOf.getTime() - growthWindowDays * dayMs) } },
      { followers: 1 },
    )
      .sort({ at: -1 })
      .lean();
    if (baseline) {
      before += baseline.followers;
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
