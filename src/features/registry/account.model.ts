// A self-media account of a creator on one platform: unique per platform across the registry,
// with its ownership proof (state machine with embedded history: one document per state change,
// no transactions needed) and its latest follower figure.
import mongoose, { type HydratedDocument, type InferSchemaType, Schema } from 'mongoose';
import { limits } from '../../http/fields.js';
import { platformKeys } from './platforms/index.js';

export const ownershipStates = ['unverified', 'pending', 'verified', 'rejected'] as const;
export type OwnershipState = (typeof ownershipStates)[number];

export const figureSources = ['official_api', 'public_web', 'manual'] as const;
export type FigureSource = (typeof figureSources)[number];
export const figurePrecisions = ['exact', 'rounded', 'abbreviated'] as const;

const historySchema = new Schema(
  {
    state: { type: String, enum: ownershipStates, required: true },
    at: { type: Date, required: true },
    /** Who moved it there (the creator asking, or the deciding officer). */
    by: { type: Schema.Types.ObjectId, ref: 'User' },
    reason: { type: String, maxlength: limits.reason },
    /** Decided by the puller's automatic check of the public bio (no officer). */
    automatic: { type: Boolean },
  },
  { _id: false },
);

/** Pulled counts that fall to zero or move a hundredfold (stats/anomaly.ts): kept, flagged for officers. */
export const figureAnomalies = ['dropped_to_zero', 'jumped', 'collapsed'] as const;

const figureSchema = new Schema(
  {
    followers: { type: Number, required: true, min: 0 },
    precision: { type: String, enum: figurePrecisions, required: true },
    /** What the platform (or the creator) showed, e.g. "1.2万". */
    raw: { type: String, maxlength: limits.countText },
    source: { type: String, enum: figureSources, required: true },
    asOf: { type: Date, required: true },
    /** Manual figures: the evidence screenshot (GridFS) and who typed the figure. */
    evidence: { type: Schema.Types.ObjectId },
    enteredBy: { type: Schema.Types.ObjectId, ref: 'User' },
    /** Manual figures are unconfirmed until an officer confirms them. */
    confirmedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    confirmedAt: { type: Date },
    /** A pulled figure that moved suspiciously since the last one (shown to officers). */
    anomaly: { type: String, enum: figureAnomalies },
  },
  { _id: false },
);

/** The stats puller's bookkeeping for an automatic platform's account (written through pulledFigures.ts). */
const pullSchema = new Schema(
  {
    lastTriedAt: { type: Date },
    lastSuccessAt: { type: Date },
    /** The last outcome kind (figure, not_found, hidden, transient, blocked, skipped). */
    lastOutcome: { type: String },
    lastError: { type: String, maxlength: 500 },
    lastErrorAt: { type: Date },
    /** Failed pulls in a row (transient, blocked, not found); a figure resets it. */
    failures: { type: Number, default: 0 },
    /** When someone last asked for "refresh now" (a creator may ask once an hour). */
    refreshRequestedAt: { type: Date },
  },
  { _id: false },
);

const ownershipSchema = new Schema(
  {
    state: { type: String, enum: ownershipStates, required: true, default: 'unverified' },
    /** The code to place in the account's bio (ownership.ts). */
    code: { type: String, required: true },
    evidence: { type: [Schema.Types.ObjectId], default: [] },
    requestedAt: { type: Date },
    decidedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    decidedAt: { type: Date },
    reason: { type: String, maxlength: limits.reason },
    history: { type: [historySchema], default: [] },
  },
  { _id: false },
);

const accountSchema = new Schema(
  {
    creator: { type: Schema.Types.ObjectId, ref: 'Creator', required: true },
    platform: { type: String, enum: platformKeys, required: true },
    platformId: { type: String, required: true, maxlength: limits.profileInput },
    displayName: { type: String, default: '', maxlength: limits.displayName },
    /** The canonical public profile address (none for WeChat). */
    url: { type: String, maxlength: limits.profileInput },
    ownership: { type: ownershipSchema, required: true },
    figure: { type: figureSchema },
    pull: { type: pullSchema },
  },
  { timestamps: true, minimize: false },
);
// An account belongs to one creator across the registry: a second claim becomes a conflict.
accountSchema.index({ platform: 1, platformId: 1 }, { unique: true });
accountSchema.index({ creator: 1 });
accountSchema.index({ 'ownership.state': 1, 'ownership.requestedAt': 1 });
// The figure queue (and its count on the office dashboard): unconfirmed manual figures.
accountSchema.index({ 'figure.source': 1, 'figure.confirmedAt': 1, 'figure.asOf': 1 });
// The puller walks due accounts per platform (never tried, or tried before a cut-off).
accountSchema.index({ platform: 1, 'pull.lastTriedAt': 1, _id: 1 });

export type Account = InferSchemaType<typeof accountSchema>;
export type AccountDocument = HydratedDocument<Account>;

export const AccountModel = mongoose.model('Account', accountSchema);
