// Keeps the public listing (listing.model.ts) equal to what the source documents say, so that the
// public pages read one indexed collection instead of joining memberships, users and accounts over
// every creator on each request. The rule of who and what is public lives here only:
// - a creator is public when it consented to be listed, has a user, that user is active with a
//   verified email, and its membership is approved;
// - of its accounts only the verified ones are shown, and of their figures only automatic ones and
//   manual ones an officer confirmed.
// refreshPublicListing(creatorId) recomputes one creator from what is stored now and is called after
// every write that can change it (registry writes through pool/creatorSearch.ts refreshCreatorSearch,
// membership decisions, user verification and deletion, avatar, figure confirmation, creator
// deletion); rebuildPublicListings (a start-up hook) recomputes every creator and drops listings
// of creators who are no longer public, for documents written before the listing existed or
// around the services (seeds, imports straight to the models).
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Types } from 'mongoose';
import type { PortalHook } from '../../portal.js';
import { MembershipModel } from '../alliance/membership.model.js';
import { AccountModel } from '../registry/account.model.js';
import { CreatorModel } from '../registry/creator.model.js';
import { UserModel } from '../users/model.js';
import {
  type PublicListing,
  PublicListingModel,
  PublicListingVersionModel,
  listingVersionId,
} from './listing.model.js';

/** The creator fields the public sees, as both the stored listing's source and its readers have them. */
export interface PublicCreatorFields {
  _id: Types.ObjectId;
  slug: string;
  displayName: string;
  kind?: string | null;
  street?: string | null;
  categories?: string[] | null;
  bio?: string | null;
  avatar?: Types.ObjectId | null;
  updatedAt?: Date | null;
}

/** A creator as the listing reads it: the public fields, and what decides whether it is listed. */
interface SourceCreator extends PublicCreatorFields {
  user?: Types.ObjectId | null;
  consent?: { listed?: boolean | null } | null;
  search?: {
    names?: string[] | null;
    tokens?: string[] | null;
    suffixes?: string[] | null;
    sortKey?: string | null;
  } | null;
}

interface SourceAccount {
  _id: Types.ObjectId;
  creator: Types.ObjectId;
  platform: string;
  platformId: string;
  displayName?: string | null;
  url?: string | null;
  figure?: {
    followers?: number | null;
    precision?: string | null;
    source?: string | null;
    asOf?: Date | null;
    raw?: string | null;
    confirmedAt?: Date | null;
  } | null;
}

const creatorFields = {
  user: 1,
  slug: 1,
  displayName: 1,
  kind: 1,
  street: 1,
  categories: 1,
  bio: 1,
  avatar: 1,
  consent: 1,
  search: 1,
  updatedAt: 1,
} as const;

const accountFields = {
  creator: 1,
  platform: 1,
  platformId: 1,
  displayName: 1,
  url: 1,
  'figure.followers': 1,
  'figure.precision': 1,
  'figure.source': 1,
  'figure.asOf': 1,
  'figure.raw': 1,
  'figure.confirmedAt': 1,
} as const;

/** A figure the public may see: automatic, or manual and confirmed by an officer. */
function shownFigure(account: SourceAccount): NonNullable<PublicListing['accounts']>[number]['figure'] {
  const figure = account.figure;
  if (!figure || typeof figure.followers !== 'number') return undefined;
  if (figure.source === 'manual' && !(figure.confirmedAt instanceof Date)) return undefined;
  return {
    followers: figure.followers,
    ...(figure.precision ? { precision: figure.precision } : {}),
    ...(figure.source ? { source: figure.source } : {}),
    ...(figure.asOf ? { asOf: figure.asOf } : {}),
    ...(figure.raw ? { raw: figure.raw } : {}),
  };
}

const byPlatformThenId = (a: SourceAccount, b: SourceAccount): number =>
  a.platform < b.platform
    ? -1
    : a.platform > b.platform
      ? 1
      : a._id.toHexString() < b._id.toHexString()
        ? -1
        : 1;

/**
 * The listings of a batch of creators from what is stored now, by creator id; a creator that is
 * not public has no entry. Three reads for the batch (memberships, users, accounts).
 */
async function computeListings(creators: readonly SourceCreator[]): Promise<Map<string, PublicListing>> {
  const candidates = creators.filter((creator) => creator.consent?.listed === true && creator.user);
  const listings = new Map<string, PublicListing>();
  if (candidates.length === 0) return listings;
  const creatorIds = candidates.map((creator) => creator._id);
  const [memberships, users, accounts] = await Promise.all([
    MembershipModel.find(
      { creator: { $in: creatorIds }, status: 'approved' },
      { creator: 1, memberNumber: 1, approvedAt: 1 },
    ).lean(),
    UserModel.find(
      {
        _id: { $in: candidates.map((creator) => creator.user as Types.ObjectId) },
        status: 'active',
        emailVerifiedAt: { $type: 'date' },
      },
      { _id: 1 },
    ).lean(),
    AccountModel.find({ creator: { $in: creatorIds }, 'ownership.state': 'verified' }, accountFields).lean<
      SourceAccount[]
    >(),
  ]);
  const membershipOf = new Map(memberships.map((membership) => [String(membership.creator), membership]));
  const activeUsers = new Set(users.map((user) => String(user._id)));
  const accountsOf = new Map<string, SourceAccount[]>();
  for (const account of accounts) {
    const key = String(account.creator);
    accountsOf.set(key, [...(accountsOf.get(key) ?? []), account]);
  }
  const listedAt = new Date();
  for (const creator of candidates) {
    const key = String(creator._id);
    const membership = membershipOf.get(key);
    if (!membership || !activeUsers.has(String(creator.user))) continue;
    const shown = (accountsOf.get(key) ?? []).sort(byPlatformThenId).map((account) => ({
      _id: account._id,
      platform: account.platform,
      platformId: account.platformId,
      ...(account.displayName ? { displayName: account.displayName } : {}),
      ...(account.url ? { url: account.url } : {}),
      ...(shownFigure(account) ? { figure: shownFigure(account) } : {}),
    }));
    const asOfs = shown.flatMap((account) => (account.figure?.asOf ? [account.figure.asOf.getTime()] : []));
    listings.set(key, {
      _id: creator._id,
      user: creator.user as Types.ObjectId,
      slug: creator.slug,
      displayName: creator.displayName,
      kind: creator.kind ?? 'person',
      ...(creator.street ? { street: creator.street } : {}),
      categories: creator.categories ?? [],
      bio: creator.bio ?? '',
      ...(creator.avatar ? { avatar: creator.avatar } : {}),
      ...(membership.memberNumber ? { memberNumber: membership.memberNumber } : {}),
      ...(membership.approvedAt ? { memberSince: membership.approvedAt } : {}),
      accounts: shown,
      platforms: [...new Set(shown.map((account) => account.platform))].sort(),
      followers: shown.reduce((sum, account) => sum + (account.figure?.followers ?? 0), 0),
      ...(asOfs.length > 0 ? { asOf: new Date(Math.max(...asOfs)) } : {}),
      search: {
        names: creator.search?.names ?? [],
        tokens: creator.search?.tokens ?? [],
        // No stored suffixes yet (keys of an older format): the '' marker makes it a candidate
        // of every text search, so it is never missed (candidateFilter).
        suffixes: creator.search?.suffixes?.length ? creator.search.suffixes : [''],
        ...(creator.search?.sortKey ? { sortKey: creator.search.sortKey } : {}),
      },
      ...(creator.updatedAt ? { updatedAt: creator.updatedAt } : {}),
      listedAt,
    } as PublicListing);
  }
  return listings;
}

/** One creator's listing from what is stored now (null: not public, or no such creator). */
async function listingOf(creatorId: Types.ObjectId): Promise<PublicListing | null> {
  const creator = await CreatorModel.findById(creatorId, creatorFields).lean<SourceCreator>();
  if (!creator) return null;
  return (await computeListings([creator])).get(String(creatorId)) ?? null;
}

/** Writes (or removes) one creator's listing, then raises the listing's version. */
async function storeListing(creatorId: Types.ObjectId, listing: PublicListing | null): Promise<void> {
  if (listing) await PublicListingModel.replaceOne({ _id: creatorId }, listing, { upsert: true });
  else await PublicListingModel.deleteOne({ _id: creatorId });
  await raiseListingVersion();
}

/**
 * Raised after (never before) each write of the listing: a reader that reads the version first and
 * then the listing has every write up to that version in what it reads (see service.ts publicStats).
 */
async function raiseListingVersion(): Promise<void> {
  await PublicListingVersionModel.updateOne(
    { _id: listingVersionId },
    { $inc: { version: 1 }, $setOnInsert: { epoch: randomUUID() } },
    { upsert: true },
  );
}

/** The listing's version now, as a key (null before the first write: nothing may be kept for it). */
export async function listingVersion(): Promise<string | null> {
  const row = await PublicListingVersionModel.findById(listingVersionId, { version: 1, epoch: 1 }).lean();
  return row ? `${row.epoch}:${row.version}` : null;
}

const withoutStamp = (listing: PublicListing | null): unknown =>
  listing ? { ...listing, listedAt: undefined } : null;

/** How often a refresh recomputes when the sources changed under it (see refreshPublicListing). */
const MAX_ROUNDS = 5;

/**
 * Recomputes one creator's public listing from what is stored now, after a write that can change
 * it. Two refreshes of one creator may run at once (two writes, two app instances): each one
 * computes again after storing and stores again until what it stored is what the sources say, so
 * the last one to store has checked its result against the sources read after its own write.
 */
export async function refreshPublicListing(creatorId: Types.ObjectId): Promise<void> {
  let listing = await listingOf(creatorId);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    await storeListing(creatorId, listing);
    const again = await listingOf(creatorId);
    if (isDeepStrictEqual(withoutStamp(again), withoutStamp(listing))) return;
    listing = again;
  }
  await storeListing(creatorId, listing);
}

/** Refreshes the listing of a user's creator (after the user's status, email or deletion changed). */
export async function refreshPublicListingOfUser(userId: string | Types.ObjectId): Promise<void> {
  const [creators, listed] = await Promise.all([
    CreatorModel.find({ user: { $eq: userId } }, { _id: 1 }).lean(),
    PublicListingModel.find({ user: { $eq: userId } }, { _id: 1 }).lean(),
  ]);
  const ids = new Map([...creators, ...listed].map((doc) => [String(doc._id), doc._id]));
  for (const id of ids.values()) await refreshPublicListing(id);
}

/** Creators recomputed per round trip by the rebuild (bounds its memory). */
const REBUILD_BATCH = 500;

/**
 * Recomputes every creator's listing and removes the listings of creators who are not public (or
 * no longer exist); the number of public creators.
 */
export async function rebuildPublicListings(): Promise<number> {
  const cursor = CreatorModel.find({ 'consent.listed': true, user: { $exists: true } }, creatorFields)
    .lean<SourceCreator[]>()
    .cursor({ batchSize: REBUILD_BATCH });
  const publicIds: Types.ObjectId[] = [];
  let batch: SourceCreator[] = [];
  const flush = async (): Promise<void> => {
    const listings = await computeListings(batch);
    const writes = batch.map((creator) => {
      const listing = listings.get(String(creator._id));
      if (!listing) return { deleteOne: { filter: { _id: creator._id } } };
      publicIds.push(creator._id);
      return { replaceOne: { filter: { _id: creator._id }, replacement: listing, upsert: true } };
    });
    if (writes.length > 0) await PublicListingModel.bulkWrite(writes, { ordered: false });
    await raiseListingVersion();
    batch = [];
  };
  for await (const creator of cursor as AsyncIterable<SourceCreator>) {
    batch.push(creator);
    if (batch.length >= REBUILD_BATCH) await flush();
  }
  await flush();
  await PublicListingModel.deleteMany({ _id: { $nin: publicIds } });
  await raiseListingVersion();
  return publicIds.length;
}

/** Start-up hook: the listing of every creator, as the sources say now. */
export const publicListingRebuild: PortalHook = {
  name: 'public listing',
  start: async ({ logger }) => {
    const listed = await rebuildPublicListings();
    logger.info({ listed }, 'public listing rebuilt');
  },
};
