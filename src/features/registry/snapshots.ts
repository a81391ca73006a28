// Stat snapshots: appended whenever a figure changes, idempotent per account and bucket (a
// double submit or a retried write replaces the same snapshot).
import type { Types } from 'mongoose';
import type { FigureSource } from './account.model.js';
import { StatSnapshotModel, snapshotBucket } from './statSnapshot.model.js';

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
        anomaly: input.anomaly,
      },
    },
    { upsert: true },
  );
}

/** Removes the snapshot a rejected manual figure left. */
export async function dropSnapshot(accountId: Types.ObjectId, source: FigureSource, at: Date): Promise<void> {
  await StatSnapshotModel.deleteOne({ account: accountId, bucket: snapshotBucket(source, at) });
}
