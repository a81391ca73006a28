// A stat snapshot: one account's follower count at one time, appended whenever a figure changes
// (the puller adds more). Idempotent per account and time bucket, so a retried write or a double
// submit replaces the same snapshot instead of adding one.
import mongoose, { type HydratedDocument, type InferSchemaType, Schema } from 'mongoose';
import { limits } from '../../http/fields.js';
import { figureAnomalies, figurePrecisions, figureSources } from './account.model.js';
import { platformKeys } from './platforms/index.js';

const statSnapshotSchema = new Schema(
  {
    /** The account (an opaque id once the account is deleted: figures stay as anonymous totals). */
    account: { type: Schema.Types.ObjectId, required: true },
    /** Removed when the creator deletes their account. */
    creator: { type: Schema.Types.ObjectId, ref: 'Creator' },
    /** Kept on anonymisation so that district totals per street still add up. */
    street: { type: String },
    platform: { type: String, enum: platformKeys, required: true },
    at: { type: Date, required: true },
    /** `<source>:<UTC day>`: one snapshot per account, source and day. */
    bucket: { type: String, required: true },
    followers: { type: Number, required: true, min: 0 },
    precision: { type: String, enum: figurePrecisions, required: true },
    source: { type: String, enum: figureSources, required: true },
    raw: { type: String, maxlength: limits.countText },
    evidence: { type: Schema.Types.ObjectId },
    enteredBy: { type: Schema.Types.ObjectId, ref: 'User' },
    /** Kept but flagged: a pulled count that fell to zero or moved a hundredfold. */
    anomaly: { type: String, enum: figureAnomalies },
  },
  { timestamps: false },
);
statSnapshotSchema.index({ account: 1, bucket: 1 }, { unique: true });
statSnapshotSchema.index({ creator: 1, at: -1 });
// The pool's growth baseline (an account's snapshot 30 days back) and the dashboard's audience
// over time (district-wide, or one street's).
statSnapshotSchema.index({ account: 1, at: -1 });
statSnapshotSchema.index({ at: 1 });
statSnapshotSchema.index({ street: 1, at: 1 });

export type StatSnapshot = InferSchemaType<typeof statSnapshotSchema>;
export type StatSnapshotDocument = HydratedDocument<StatSnapshot>;

export const StatSnapshotModel = mongoose.model('StatSnapshot', statSnapshotSchema);

export function snapshotBucket(source: string, at: Date): string {
  return `${source}:${at.toISOString().slice(0, 10)}`;
}
