// Anonymous district totals: what stays of a deleted creator's stat history. Their snapshots are
// folded in here (per UTC day, street, platform and source: a follower sum and how many snapshots
// made it) and then removed, so no figure can be traced back to an account or a person.
import mongoose, { type InferSchemaType, Schema } from 'mongoose';
import { figureSources } from './account.model.js';
import { platformKeys } from './platforms/index.js';

const statTotalSchema = new Schema(
  {
    /** The UTC day, YYYY-MM-DD. */
    day: { type: String, required: true },
    street: { type: String, default: null },
    platform: { type: String, enum: platformKeys, required: true },
    source: { type: String, enum: figureSources, required: true },
    followers: { type: Number, required: true, default: 0 },
    snapshots: { type: Number, required: true, default: 0 },
  },
  { collection: 'stat_totals', minimize: false },
);
statTotalSchema.index({ day: 1, street: 1, platform: 1, source: 1 }, { unique: true });

export type StatTotal = InferSchemaType<typeof statTotalSchema>;

export const StatTotalModel = mongoose.model('StatTotal', statTotalSchema);
