// Keeps the monthly figures (monthlyFigure.model.ts: each account's last snapshot per month) in
// step with the stat snapshots. Every writer of snapshots goes through snapshots.ts, which wraps
// each change in changingMonth(): the row is marked stale, the snapshots change, and the row is
// rewritten from the account's snapshots of that month (one read over the snapshots'
// `{ account, at }` index). A write interrupted in between leaves the row stale, and the start-up
// backfill rewrites it. The backfill also builds the rows once for snapshots stored before the
// rollup existed (or inserted around the services: bulk seeds, the benchmark).
import { isDeepStrictEqual } from 'node:util';
import type { Types } from 'mongoose';
import type { PortalHook } from '../../portal.js';
import { MonthlyFigureModel } from './monthlyFigure.model.js';
import type { platformKeys } from './platforms/index.js';
import { StatSnapshotModel } from './statSnapshot.model.js';

/** The UTC month of a time, "2026-07" (as `$dateToString: '%Y-%m'` has it). */
export const monthOf = (at: Date): string => at.toISOString().slice(0, 7);

/** The first instant of a month and of the next one. */
function monthRange(month: string): { start: Date; end: Date } {
  const [year, index] = month.split('-').map(Number) as [number, number];
  return { start: new Date(Date.UTC(year, index - 1, 1)), end: new Date(Date.UTC(year, index, 1)) };
}

type Platform = (typeof platformKeys)[number];

interface SnapshotFigure {
  _id: Types.ObjectId;
  street?: string | null;
  platform: Platform;
  at: Date;
  followers: number;
}

type MonthRow = {
  platform: Platform;
  at: Date;
  followers: number;
  street?: string;
  streets: { street: string; followers: number }[];
} | null;

/**
 * An account's row for one month from its snapshots: the last snapshot (a tie on `at` goes to
 * the later-created snapshot), and per street the last one with that street. Null: no snapshot.
 */
function rowOf(snapshots: readonly SnapshotFigure[]): MonthRow {
  const [last] = snapshots;
  if (!last) return null;
  const streets: { street: string; followers: number }[] = [];
  for (const snapshot of snapshots)
    if (snapshot.street && !streets.some((entry) => entry.street === snapshot.street))
      streets.push({ street: snapshot.street, followers: snapshot.followers });
  return {
    platform: last.platform,
    at: last.at,
    followers: last.followers,
    ...(last.street ? { street: last.street } : {}),
    streets,
  };
}

async function computeRow(account: Types.ObjectId, month: string): Promise<MonthRow> {
  const { start, end } = monthRange(month);
  const snapshots = await StatSnapshotModel.find(
    { account, at: { $gte: start, $lt: end } },
    { street: 1, platform: 1, at: 1, followers: 1 },
  )
    .sort({ at: -1, _id: -1 })
    .lean<SnapshotFigure[]>();
  return rowOf(snapshots);
}

async function writeRow(account: Types.ObjectId, month: string, row: MonthRow): Promise<void> {
  if (!row) await MonthlyFigureModel.deleteOne({ account, month });
  else await MonthlyFigureModel.replaceOne({ account, month }, { account, month, ...row }, { upsert: true });
}

/**
 * Rewrites an account's row for a month from its snapshots (and clears `stale`). Read again after
 * the write: when two writers of the same month crossed, the one that read first may have
 * written last, and this second read catches that and writes again.
 */
export async function refreshMonthlyFigure(account: Types.ObjectId, month: string): Promise<void> {
  let row = await computeRow(account, month);
  for (let attempt = 0; attempt < 5; attempt++) {
    await writeRow(account, month, row);
    const again = await computeRow(account, month);
    if (isDeepStrictEqual(again, row)) return;
    row = again;
  }
  await writeRow(account, month, row);
}

/** Marks rows stale before their snapshots change (an interrupted change is redone at start-up). */
async function markStale(account: Types.ObjectId, month: string): Promise<void> {
  await MonthlyFigureModel.updateOne({ account, month }, { $set: { stale: true } }, { upsert: true });
}

/** Runs a change to an account's snapshots of the month holding `at`, keeping its row in step. */
export async function changingMonth<T>(
  account: Types.ObjectId,
  at: Date,
  change: () => Promise<T>,
): Promise<T> {
  const month = monthOf(at);
  await markStale(account, month);
  const result = await change();
  await refreshMonthlyFigure(account, month);
  return result;
}

/** Rewrites every stale row; the number rewritten. */
export async function refreshStaleMonthlyFigures(): Promise<number> {
  let refreshed = 0;
  for (;;) {
    const rows = await MonthlyFigureModel.find({ stale: true }, { account: 1, month: 1 }).limit(500).lean();
    if (!rows.length) return refreshed;
    for (const row of rows) await refreshMonthlyFigure(row.account, row.month);
    refreshed += rows.length;
  }
}

/** Marks stale the rows of every account with a snapshot matching `filter` (before removing them). */
export async function markAccountsStale(filter: { creator: Types.ObjectId }): Promise<void> {
  const accounts: Types.ObjectId[] = await StatSnapshotModel.distinct('account', filter);
  const months = await StatSnapshotModel.aggregate<{ _id: { account: Types.ObjectId; month: string } }>([
    { $match: { account: { $in: accounts } } },
    { $group: { _id: { account: '$account', month: { $dateToString: { format: '%Y-%m', date: '$at' } } } } },
  ]);
  if (!months.length) return;
  await MonthlyFigureModel.bulkWrite(
    months.map(({ _id }) => ({
      updateOne: {
        filter: { account: _id.account, month: _id.month },
        update: { $set: { stale: true } },
        upsert: true,
      },
    })),
    { ordered: false },
  );
}

/** Accounts whose rows one backfill batch builds (one snapshot read and one bulkWrite each). */
const BACKFILL_ACCOUNTS = 200;

/**
 * Builds the rows of a batch of accounts from all their snapshots: one read in `{ account, at }`
 * order, rows grouped in Node per account and month, one bulkWrite (replacing what was there, so
 * running it twice writes the same rows).
 */
async function buildAccounts(accounts: readonly Types.ObjectId[]): Promise<number> {
  const snapshots = await StatSnapshotModel.find(
    { account: { $in: accounts } },
    { account: 1, street: 1, platform: 1, at: 1, followers: 1 },
  ).lean<(SnapshotFigure & { account: Types.ObjectId })[]>();
  const byMonth = new Map<string, (SnapshotFigure & { account: Types.ObjectId })[]>();
  for (const snapshot of snapshots) {
    const key = `${String(snapshot.account)} ${monthOf(snapshot.at)}`;
    const list = byMonth.get(key) ?? [];
    list.push(snapshot);
    byMonth.set(key, list);
  }
  const writes = [...byMonth.values()].map((list) => {
    list.sort((a, b) => b.at.getTime() - a.at.getTime() || String(b._id).localeCompare(String(a._id)));
    const first = list[0]!;
    const month = monthOf(first.at);
    const row = rowOf(list)!;
    return {
      replaceOne: {
        filter: { account: first.account, month },
        replacement: { account: first.account, month, ...row },
        upsert: true,
      },
    };
  });
  if (writes.length) await MonthlyFigureModel.collection.bulkWrite(writes, { ordered: false });
  return writes.length;
}

/**
 * Start-up backfill: the rows of every account that has snapshots but no row (snapshots stored
 * before the rollup existed, or inserted around snapshots.ts: bulk seeds, the benchmark; an
 * account with a snapshot always has a row, so this set is exactly the accounts never built,
 * including those of a build that was interrupted), in batches of accounts; then the rows left
 * stale by an interrupted write. Idempotent; returns the number of rows written.
 */
export async function backfillMonthlyFigures(): Promise<number> {
  const [withSnapshots, withRows] = await Promise.all([
    StatSnapshotModel.distinct('account') as Promise<Types.ObjectId[]>,
    MonthlyFigureModel.distinct('account') as Promise<Types.ObjectId[]>,
  ]);
  const built = new Set(withRows.map(String));
  const missing = withSnapshots.filter((account) => !built.has(String(account)));
  let written = 0;
  for (let start = 0; start < missing.length; start += BACKFILL_ACCOUNTS)
    written += await buildAccounts(missing.slice(start, start + BACKFILL_ACCOUNTS));
  return written + (await refreshStaleMonthlyFigures());
}

/** Start-up hook: builds the monthly figures for snapshots stored without them. */
export const monthlyFiguresBackfill: PortalHook = {
  name: 'monthly figures',
  start: async ({ logger }) => {
    const written = await backfillMonthlyFigures();
    if (written > 0) logger.info({ written }, 'monthly figures backfilled');
  },
};
