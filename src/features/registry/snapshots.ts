// Stat snapshots: appended whenever a figure changes, idempotent per account and bucket (a
// double submit or a retried write replaces the same snapshot).
import mongoose, { type Types } from 'mongoose';
import type { FigureSource } from './account.model.js';
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
}

export async function appendSnapshot(input: SnapshotInput): Promise<void> {
  const bucket = snapshotBucket(input.source, input.at);
  await StatSnapshotModel.updateOne(
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
      },
    },
    { upsert: true },
  );
}

/** Removes the snapshot a rejected manual figure left. */
export async function dropSnapshot(accountId: Types.ObjectId, source: FigureSource, at: Date): Promise<void> {
  await StatSnapshotModel.deleteOne({ account: accountId, bucket: snapshotBucket(source, at) });
}

/**
 * Folds a creator's snapshots into the anonymous district totals and removes them (account
 * deletion). Each snapshot is taken out before it is counted, so a deletion interrupted and asked
 * again never counts one twice. Returns how many were folded.
 */
export async function foldSnapshotsIntoTotals(creatorId: Types.ObjectId): Promise<number> {
  let folded = 0;
  for (;;) {
    const snapshot = await StatSnapshotModel.findOneAndDelete({ creator: creatorId });
    if (!snapshot) return folded;
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
