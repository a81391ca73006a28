// Figures and stat snapshots. recordFigure is the one way a follower figure is stored (a
// creator's manual entry, the stats puller): the account's latest figure, its snapshot (idempotent
// per account and bucket: a double submit or a retried write replaces the same snapshot), and the
// creator's summary that the resource pool filters and sorts on. A deleted creator's snapshots are
// folded into anonymous district totals (foldSnapshotsIntoTotals). Every change to the snapshots
// here also rewrites the account's monthly figure for that month (monthlyFigures.ts), which the
// office dashboard sums.
import mongoose, { type Types } from 'mongoose';
import { refreshCreatorSearch } from '../pool/creatorSearch.js';
import { AccountModel, type FigureSource } from './account.model.js';
import { changingMonth, markAccountsStale, refreshStaleMonthlyFigures } from './monthlyFigures.js';
import { StatSnapshotModel, snapshotBucket } from './statSnapshot.model.js';
import { StatTotalModel } from './statTotal.model.js';

export interface SnapshotInput {
  account: { _id: Types.ObjectId; creator: Types.ObjectId; platform: string };
  street?: string | undefined;
  at: Date;
  followers: number;
  precision: 'exact' | 'rounded' | 'abbreviated';
  source: FigureSource;
  raw?: string | undefined;
  evidence?: Types.ObjectId | undefined;
  enteredBy?: string | Types.ObjectId | undefined;
  anomaly?: 'dropped_to_zero' | 'jumped' | 'collapsed' | undefined;
}

export async function appendSnapshot(input: SnapshotInput): Promise<void> {
  const bucket = snapshotBucket(input.source, input.at);
  // the bucket is one UTC day, so a replaced snapshot stays in the same month
  await changingMonth(input.account._id, input.at, () =>
    StatSnapshotModel.updateOne(
      { account: input.account._id, bucket },
      {
        $set: {
          creator: input.account.creator,
          street: input.street,
          platform: input.account.platform,
          at: input.at,
          followers: input.followers,
          precision: input.precision,
          source: input.source,
          raw: input.raw,
          evidence: input.evidence,
          enteredBy: input.enteredBy,
          anomaly: input.anomaly,
        },
      },
      { upsert: true },
    ),
  );
}

export interface FigureInput {
  followers: number;
  precision: 'exact' | 'rounded' | 'abbreviated';
  source: FigureSource;
  asOf: Date;
  raw?: string | undefined;
  /** Manual figures: the evidence screenshot and who typed the figure. */
  evidence?: Types.ObjectId | undefined;
  enteredBy?: string | Types.ObjectId | undefined;
}

/**
 * Stores an account's latest figure: on the account (guarded on its creator, so an account moved
 * meanwhile is not written), as a snapshot, and in the creator's pool summary (followers, growth,
 * freshness). Returns false when the account no longer belongs to that creator.
 */
export async function recordFigure(
  account: SnapshotInput['account'],
  street: string | undefined,
  figure: FigureInput,
): Promise<boolean> {
  const { matchedCount } = await AccountModel.updateOne(
    { _id: account._id, creator: account.creator },
    { $set: { figure } },
  );
  if (matchedCount !== 1) return false;
  await appendSnapshot({ account, street, ...figure, at: figure.asOf });
  await refreshCreatorSearch(account.creator);
  return true;
}

/** Removes the snapshot a rejected manual figure left. */
export async function dropSnapshot(accountId: Types.ObjectId, source: FigureSource, at: Date): Promise<void> {
  await changingMonth(accountId, at, () =>
    StatSnapshotModel.deleteOne({ account: accountId, bucket: snapshotBucket(source, at) }),
  );
}

/**
 * Folds a creator's snapshots into the anonymous district totals and removes them (account
 * deletion). Each snapshot is taken out before it is counted, so a deletion interrupted and asked
 * again never counts one twice. Returns how many were folded.
 */
export async function foldSnapshotsIntoTotals(creatorId: Types.ObjectId): Promise<number> {
  let folded = 0;
  // their monthly figures go stale first (rewritten after, or at start-up if this is interrupted)
  await markAccountsStale({ creator: creatorId });
  for (;;) {
    const snapshot = await StatSnapshotModel.findOneAndDelete({ creator: creatorId });
    if (!snapshot) {
      await refreshStaleMonthlyFigures();
      return folded;
    }
    const key = {
      day: snapshot.at.toISOString().slice(0, 10),
      street: snapshot.street ?? null,
      platform: snapshot.platform,
      source: snapshot.source,
    };
    const add = () =>
      StatTotalModel.updateOne(
        key,
        { $inc: { followers: snapshot.followers, snapshots: 1 } },
        { upsert: true },
      );
    try {
      await add();
    } catch (error) {
      // two deletions creating the same day's total at once: the index kept one, add to it
      if (!(error instanceof mongoose.mongo.MongoServerError && error.code === 11000)) throw error;
      await add();
    }
    folded += 1;
  }
}
