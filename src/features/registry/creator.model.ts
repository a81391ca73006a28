// A creator (自媒体): one per creator user, or unclaimed after a bulk import until the person
// claims it through a single-use link. Private contact is shown to officers only.
import mongoose, { type HydratedDocument, type InferSchemaType, Schema } from 'mongoose';
import { limits } from '../../http/fields.js';
import { categories, creatorKinds, streets } from './catalogue.js';
import { maxSlugLength } from './slug.js';

/** Messages shown on the creator's dashboard until the mail/notification feature lands. */
export const noticeKinds = [
  'conflict_opened',
  'conflict_decided',
  'ownership_decided',
  'figure_decided',
] as const;
export type NoticeKind = (typeof noticeKinds)[number];

const noticeSchema = new Schema(
  {
    kind: { type: String, enum: noticeKinds, required: true },
    /** Interpolation values for the notice's message (platform key, account id, reason…). */
    params: { type: Schema.Types.Mixed, default: {} },
    /** The decision it tells about (notify.ts): one notice per decision. Older notices have none. */
    key: { type: String },
    at: { type: Date, required: true, default: () => new Date() },
  },
  { _id: true, minimize: false },
);

const creatorSchema = new Schema(
  {
    /** The creator user; absent while an imported creator is unclaimed. */
    user: { type: Schema.Types.ObjectId, ref: 'User' },
    displayName: { type: String, required: true, maxlength: limits.displayName },
    kind: { type: String, enum: creatorKinds, required: true, default: 'person' },
    street: { type: String, enum: streets },
    categories: { type: [{ type: String, enum: categories }], default: [] },
    bio: { type: String, default: '', maxlength: limits.bio },
    /** GridFS id of the re-encoded avatar (files/storage.ts). */
    avatar: { type: Schema.Types.ObjectId },
    /** Shown to officers only, never on public pages. */
    contact: {
      phone: { type: String, default: '', maxlength: limits.phone },
      wechat: { type: String, default: '', maxlength: limits.wechat },
    },
    slug: { type: String, required: true, maxlength: maxSlugLength },
    /** Consent to appear in the public directory, and when it was last given or withdrawn. */
    consent: {
      listed: { type: Boolean, required: true, default: false },
      at: { type: Date },
    },
    /** Bulk import: the hashed single-use claim token (the token itself is handed over once). */
    claim: {
      tokenHash: { type: String },
      createdAt: { type: Date },
      /** The claim link stops working after this (claim.ts). */
      expiresAt: { type: Date },
      /** Set on every creator an import made (or a claim merged into): later imports match it. */
      importedBy: { type: Schema.Types.ObjectId, ref: 'User' },
      /** The address the import mailed the link to (private, like the contact). */
      email: { type: String, maxlength: limits.email },
      claimedAt: { type: Date },
    },
    notices: { type: [noticeSchema], default: [] },
    /**
     * Resource pool search keys (features/pool/creatorSearch.ts): names = display name, slug and
     * the accounts' display names and handles; tokens = the bio's words; sortKey = the display
     * name in pinyin, the name sort's key. Rewritten by refreshCreatorSearch after every write of
     * the creator or of one of its accounts' names, and backfilled at start-up.
     */
    search: {
      names: { type: [String], default: undefined },
      tokens: { type: [String], default: undefined },
      /** Every suffix of the names and tokens (search/keys.ts): substring search as a prefix range. */
      suffixes: { type: [String], default: undefined, select: false },
      /** The keys' format (search/keys.ts searchKeyVersion): another one is keyed again at start-up. */
      version: { type: Number },
      sortKey: { type: String },
    },
    /**
     * The resource pool's summary of the creator's accounts (features/pool/accountSummary.ts),
     * stored so that facets and sorts on figures are index ranges, not joins: the platforms and
     * ownership states of its accounts, the latest followers (total and per platform), the growth
     * over the 30 days before each account's latest figure (percent; null when no figure is 30
     * days old), and the newest figure's date. Rewritten by refreshCreatorSearch whenever an
     * account or a figure changes (registry/snapshots.ts recordFigure), backfilled at start-up.
     */
    accountSummary: {
      platforms: { type: [String], default: undefined },
      ownershipStates: { type: [String], default: undefined },
      followersTotal: { type: Number, default: 0 },
      followers: {
        type: [new Schema({ platform: String, count: Number }, { _id: false })],
        default: undefined,
      },
      growth30d: { type: Number, default: null },
      latestFigureAt: { type: Date, default: null },
      /** Where the latest figures came from (official_api, public_web, manual), for the pool's rows. */
      sources: { type: [String], default: undefined },
      /** When the summary was computed; absent on documents the backfill has not reached yet. */
      at: { type: Date },
    },
  },
  { timestamps: true, minimize: false },
);
// One creator per user; unclaimed (imported) creators have no user.
creatorSchema.index({ user: 1 }, { unique: true, sparse: true });
creatorSchema.index({ slug: 1 }, { unique: true });
creatorSchema.index({ street: 1 });
creatorSchema.index({ 'claim.tokenHash': 1 }, { sparse: true });
// The resource pool's text search (prefix ranges, key-only substring scans), facets and sorts.
creatorSchema.index({ 'search.names': 1 });
creatorSchema.index({ 'search.tokens': 1 });
creatorSchema.index({ 'search.suffixes': 1 });
creatorSchema.index({ street: 1, 'search.names': 1 });
creatorSchema.index({ 'search.sortKey': 1 });
creatorSchema.index({ categories: 1 });
creatorSchema.index({ createdAt: -1 });
// Figures (docs/pool.md): follower bands and the followers sort, growth bands and sort,
// freshness ranges, platform and ownership facets, per-platform follower ranges.
creatorSchema.index({ 'accountSummary.followersTotal': -1, 'search.sortKey': 1, _id: 1 });
creatorSchema.index({ street: 1, 'accountSummary.followersTotal': -1 });
creatorSchema.index({ 'accountSummary.growth30d': -1, 'search.sortKey': 1, _id: 1 });
creatorSchema.index({ street: 1, 'accountSummary.growth30d': -1 });
creatorSchema.index({ 'accountSummary.latestFigureAt': 1 });
creatorSchema.index({ 'accountSummary.platforms': 1 });
creatorSchema.index({ 'accountSummary.ownershipStates': 1 });
creatorSchema.index({ 'accountSummary.followers.platform': 1, 'accountSummary.followers.count': -1 });
creatorSchema.index({ 'accountSummary.at': 1 });

export type Creator = InferSchemaType<typeof creatorSchema>;
export type CreatorDocument = HydratedDocument<Creator>;

export const CreatorModel = mongoose.model('Creator', creatorSchema);
