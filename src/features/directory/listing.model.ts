// The public listing: one document per creator the public may see right now (an approved member,
// listed by consent, with an active verified user), holding exactly what the public is shown
// (verified accounts, confirmed or automatic figures) and the keys its searches and sorts read.
// Written only by ./listing.ts (refreshPublicListing after every write that can change what the
// public sees, rebuildPublicListings at start-up); every public read goes through ./service.ts.
// A creator who is not public has no document here, so nothing private can be read from it.
import mongoose, { type InferSchemaType, Schema } from 'mongoose';

const figureSchema = new Schema(
  {
    followers: { type: Number, required: true },
    precision: { type: String },
    source: { type: String },
    asOf: { type: Date },
    raw: { type: String },
  },
  { _id: false },
);

const accountSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    platform: { type: String, required: true },
    platformId: { type: String, required: true },
    displayName: { type: String },
    url: { type: String },
    /** Only a figure the public may see: automatic, or manual and confirmed by an officer. */
    figure: { type: figureSchema, default: undefined },
  },
  { _id: false },
);

const publicListingSchema = new Schema(
  {
    /** The creator's _id. */
    _id: { type: Schema.Types.ObjectId, required: true },
    /** The creator's user (refreshes after a change of the user find the listing by it). */
    user: { type: Schema.Types.ObjectId, required: true },
    slug: { type: String, required: true },
    displayName: { type: String, required: true },
    kind: { type: String },
    street: { type: String },
    categories: { type: [String], default: undefined },
    bio: { type: String },
    avatar: { type: Schema.Types.ObjectId },
    memberNumber: { type: String },
    memberSince: { type: Date },
    accounts: { type: [accountSchema], default: undefined },
    platforms: { type: [String], default: undefined },
    /** Sum of the shown figures, and the newest of their as-of dates. */
    followers: { type: Number, required: true },
    asOf: { type: Date },
    /** The creator's search keys (pool/creatorSearch.ts), for `q` and the name sort. */
    search: {
      names: { type: [String], default: undefined },
      tokens: { type: [String], default: undefined },
      /** The creator's stored suffixes (search/keys.ts): a text search's candidates, by index. */
      suffixes: { type: [String], default: undefined },
      sortKey: { type: String },
    },
    /** The creator's last change (the sitemap's lastmod). */
    updatedAt: { type: Date },
    /** When this listing was computed. */
    listedAt: { type: Date, required: true },
  },
  { collection: 'public_listings', timestamps: false, versionKey: false, minimize: false },
);

// One index per directory sort (the default directory sort is followers), the filters, the slug.
// Not unique: a slug handed from one creator to another may sit on two listings until both refreshes ran.
publicListingSchema.index({ slug: 1 });
publicListingSchema.index({ user: 1 });
publicListingSchema.index({ followers: -1, 'search.sortKey': 1, _id: 1 });
publicListingSchema.index({ 'search.sortKey': 1, _id: 1 });
publicListingSchema.index({ memberSince: -1, _id: -1 });
publicListingSchema.index({ street: 1, followers: -1 });
publicListingSchema.index({ categories: 1 });
publicListingSchema.index({ platforms: 1 });
publicListingSchema.index({ 'search.suffixes': 1 });
publicListingSchema.index({ 'search.names': 1 });
publicListingSchema.index({ 'search.tokens': 1 });

export type PublicListing = InferSchemaType<typeof publicListingSchema>;
export const PublicListingModel = mongoose.model('PublicListing', publicListingSchema);

/**
 * One counter, raised by listing.ts after every write of the listing (by any app instance): what
 * is derived from the whole listing (the district totals) is recomputed only when it moved.
 */
const publicListingVersionSchema = new Schema(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
    /** Set when the counter is created: a dropped and recreated counter never repeats a key. */
    epoch: { type: String, required: true },
  },
  { collection: 'public_listing_version', timestamps: false, versionKey: false },
);
export const PublicListingVersionModel = mongoose.model('PublicListingVersion', publicListingVersionSchema);
export const listingVersionId = 'listing';
