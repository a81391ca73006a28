// The monthly figures: one document per account and month holding that account's last stat
// snapshot of the month, a rollup of the stat snapshots that the office dashboard sums instead
// of grouping every snapshot on each request. Rewritten from the account's snapshots of that
// month whenever one is stored or removed (monthlyFigures.ts), so it never drifts from them.
import mongoose, { type InferSchemaType, Schema } from 'mongoose';
import { platformKeys } from './platforms/index.js';

const streetFigureSchema = new Schema(
  {
    street: { type: String, required: true },
    followers: { type: Number, required: true, min: 0 },
  },
  { _id: false },
);

const monthlyFigureSchema = new Schema(
  {
    /** The account (also an anonymous one's: its snapshots stay, so does its rollup). */
    account: { type: Schema.Types.ObjectId, required: true },
    /** UTC month, "2026-07". */
    month: { type: String, required: true },
    platform: { type: String, enum: platformKeys },
    /** The account's last snapshot in the month (the district's figure). */
    at: { type: Date },
    followers: { type: Number, min: 0 },
    street: { type: String },
    /**
     * Per street, the account's last snapshot in the month with that street (what a street
     * officer's dashboard sums: one entry unless the creator moved during the month).
     */
    streets: { type: [streetFigureSchema], default: undefined },
    /**
     * Set before the account's snapshots of the month change and cleared by the rewrite after:
     * a row left stale by an interrupted write is rewritten by the start-up backfill.
     */
    stale: { type: Boolean },
  },
  { timestamps: false, versionKey: false },
);
monthlyFigureSchema.index({ account: 1, month: 1 }, { unique: true });
// the dashboard: district-wide by month, a street's by month
monthlyFigureSchema.index({ month: 1 });
monthlyFigureSchema.index({ 'streets.street': 1, month: 1 });
monthlyFigureSchema.index({ stale: 1 }, { sparse: true });

export type MonthlyFigure = InferSchemaType<typeof monthlyFigureSchema>;

export const MonthlyFigureModel = mongoose.model('MonthlyFigure', monthlyFigureSchema);
