// A creator's alliance membership: one document per creator, from the application to the end of
// membership. Every state change is one conditional update of this document with its history
// entry embedded (no multi-document transactions needed), see service.ts.
import mongoose, { type HydratedDocument, type InferSchemaType, Schema } from 'mongoose';
import { limits } from '../../http/fields.js';

export const membershipStatuses = [
  'applied',
  'approved',
  'rejected',
  'suspended',
  'withdrawn',
  'expired',
] as const;
export type MembershipStatus = (typeof membershipStatuses)[number];

/** The alliance activities an applicant can take part in (labels under `alliance.activities.`). */
export const allianceActivities = [
  'good_stories',
  'check_in',
  'good_netizen',
  'resource_pool',
  'training',
  'public_service',
] as const;
export type AllianceActivity = (typeof allianceActivities)[number];

/** What happened in one transition (labels under `alliance.actions.`). */
export const membershipActions = [
  'apply',
  'update',
  'approve',
  'reject',
  'request_info',
  'suspend',
  'reinstate',
  'withdraw',
  'renew',
  'expire',
] as const;
export type MembershipAction = (typeof membershipActions)[number];

export const allianceLimits = {
  /** Why the creator wants to join: a few paragraphs. */
  motivation: 2000,
} as const;

const historySchema = new Schema(
  {
    action: { type: String, enum: membershipActions, required: true },
    from: { type: String, enum: [...membershipStatuses, 'none'], required: true },
    to: { type: String, enum: membershipStatuses, required: true },
    at: { type: Date, required: true },
    /** The creator, the deciding officer, or absent for the scheduler (expiry). */
    by: { type: Schema.Types.ObjectId, ref: 'User' },
    reason: { type: String, maxlength: limits.reason },
  },
  { _id: false },
);

const membershipSchema = new Schema(
  {
    creator: { type: Schema.Types.ObjectId, ref: 'Creator', required: true },
    status: { type: String, enum: membershipStatuses, required: true },
    motivation: { type: String, required: true, maxlength: allianceLimits.motivation },
    activities: { type: [{ type: String, enum: allianceActivities }], default: [] },
    /** An officer asked for more information; cleared when the creator updates the application. */
    infoRequest: {
      reason: { type: String, maxlength: limits.reason },
      at: { type: Date },
    },
    /** LH-YYYY-NNNN, given at the first approval and kept for good (never reused). */
    memberNumber: { type: String },
    appliedAt: { type: Date, required: true },
    approvedAt: { type: Date },
    renewalDate: { type: Date },
    /** The reason of the latest rejection or suspension, shown to the creator. */
    reason: { type: String, maxlength: limits.reason },
    history: { type: [historySchema], default: [] },
  },
  { timestamps: true, minimize: false },
);
membershipSchema.index({ creator: 1 }, { unique: true });
membershipSchema.index({ memberNumber: 1 }, { unique: true, sparse: true });
membershipSchema.index({ status: 1, appliedAt: 1 });
membershipSchema.index({ status: 1, renewalDate: 1 });

export type Membership = InferSchemaType<typeof membershipSchema>;
export type MembershipDocument = HydratedDocument<Membership>;

export const MembershipModel = mongoose.model('Membership', membershipSchema);

/** One counter per year for member numbers; `$inc` on it is atomic, so no number is issued twice. */
const memberCounterSchema = new Schema({ _id: { type: String }, seq: { type: Number, required: true } });
export const MemberCounterModel = mongoose.model('MemberCounter', memberCounterSchema, 'member_counters');
