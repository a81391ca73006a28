// A claim conflict: a creator claimed a platform account that another creator already holds.
// Nothing is overwritten: an officer decides, and both parties are told.
import mongoose, { type HydratedDocument, type InferSchemaType, Schema } from 'mongoose';
import { limits } from '../../http/fields.js';
import { platformKeys } from './platforms/index.js';

export const conflictStates = ['open', 'kept', 'transferred'] as const;
export type ConflictState = (typeof conflictStates)[number];

const conflictSchema = new Schema(
  {
    platform: { type: String, enum: platformKeys, required: true },
    platformId: { type: String, required: true, maxlength: limits.profileInput },
    /** The account as it is held today. */
    account: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    holder: { type: Schema.Types.ObjectId, ref: 'Creator', required: true },
    claimant: { type: Schema.Types.ObjectId, ref: 'Creator', required: true },
    state: { type: String, enum: conflictStates, required: true, default: 'open' },
    openedAt: { type: Date, required: true, default: () => new Date() },
    decidedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    decidedAt: { type: Date },
    reason: { type: String, maxlength: limits.reason },
  },
  { minimize: false },
);
// One open conflict per claimant and account: a double submit does not open two.
conflictSchema.index(
  { account: 1, claimant: 1, state: 1 },
  { unique: true, partialFilterExpression: { state: 'open' } },
);
conflictSchema.index({ state: 1, openedAt: 1 });

export type Conflict = InferSchemaType<typeof conflictSchema>;
export type ConflictDocument = HydratedDocument<Conflict>;

export const ConflictModel = mongoose.model('Conflict', conflictSchema);
