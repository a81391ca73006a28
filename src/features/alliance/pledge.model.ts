// The Lighthouse pledge, versioned: admins publish a new version (title, body, effective date,
// grace period); earlier versions stay readable. The current version is the newest in effect.
import mongoose, { type HydratedDocument, type InferSchemaType, Schema } from 'mongoose';

export const pledgeLimits = {
  title: 120,
  body: 20000,
  /** Days members have to sign a new version before their badge says the renewal is overdue. */
  graceDaysMax: 365,
} as const;

const pledgeVersionSchema = new Schema(
  {
    /** 1, 2, 3…: the public address is /pledge/v/:version. */
    version: { type: Number, required: true, min: 1 },
    title: { type: String, required: true, maxlength: pledgeLimits.title },
    body: { type: String, required: true, maxlength: pledgeLimits.body },
    effectiveAt: { type: Date, required: true },
    graceDays: { type: Number, required: true, min: 0, max: pledgeLimits.graceDaysMax },
    publishedBy: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true },
);
pledgeVersionSchema.index({ version: 1 }, { unique: true });
pledgeVersionSchema.index({ effectiveAt: -1 });

export type PledgeVersion = InferSchemaType<typeof pledgeVersionSchema>;
export type PledgeVersionDocument = HydratedDocument<PledgeVersion>;

export const PledgeVersionModel = mongoose.model('PledgeVersion', pledgeVersionSchema);
