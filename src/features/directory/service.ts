// Every read of the public directory: home, /members, member pages, the open-data API, the CSV
// and the sitemap read through publicMembers, publicMemberBySlug, listPublicSlugs, publicStats and
// memberGrowth, and get only the whitelisted fields of PublicMember: never contact, email,
// evidence, review notes or who typed a figure. Who is public (an approved alliance member whose
// creator consented to be listed and whose user is active with a verified email) and what of them
// (verified accounts; automatic or confirmed figures) is decided in one place, listing.ts, which
// keeps the stored public listing current; the reads here are indexed queries of that listing.
import type { Types } from 'mongoose';
import { rankExpression } from '../pool/service.js';
import { AccountModel } from '../registry/account.model.js';
import { StatSnapshotModel } from '../registry/statSnapshot.model.js';
import { type PublicCreatorFields, listingVersion } from './listing.js';
import { PublicListingModel } from './listing.model.js';
import { type NormalisedQuery, candidateFilter, parseQuery, queryFilter } from '../search/query.js';

export const directorySorts = ['relevance', 'followers', 'name', 'newest'] as const;
export type DirectorySort = (typeof directorySorts)[number];

/** A validated directory search (validation.ts builds it from a query string). */
export interface DirectoryQuery {
  q: string;
  platform: string[];
  category: string[];
  street: string[];
  sort: DirectorySort;
  page: number;
  perPage: number;
}

/** A figure as the public sees it: where it came from and as of when. */
export interface PublicFigure {
  followers: number;
  precision: string;
  source: string;
  asOf: Date;
  /** What the platform (or the creator) showed, e.g. "1.2万". */
  raw?: string;
}

export interface PublicAccount {
  id: string;
  platform: string;
  platformId: string;
  displayName: string;
  url?: string;
  figure?: PublicFigure;
}

export interface PublicMember {
  slug: string;
  displayName: string;
  kind: string;
  street?: string;
  categories: string[];
  bio: string;
  hasAvatar: boolean;
  memberNumber: string;
  memberSince?: Date;
  accounts: PublicAccount[];
  /** Sum of the shown figures, and the newest of their as-of dates. */
  followers: number;
  asOf?: Date;
  updatedAt?: Date;
}

export interface PublicMemberPage {
  rows: PublicMember[];
  total: number;
}

/** Private to the service: the creator's _id (growth chart, avatar), never rendered. */
export interface PublicMemberRecord extends PublicMember {
  creatorId: Types.ObjectId;
  avatarId?: Types.ObjectId;
}

const sortStages: Record<DirectorySort, Record<string, 1 | -1>> = {
  relevance: { rank: -1, followers: -1, 'search.sortKey': 1, _id: 1 },
  followers: { followers: -1, 'search.sortKey': 1, _id: 1 },
  name: { 'search.sortKey': 1, _id: 1 },
  newest: { memberSince: -1, _id: -1 },
};

/**
 * The filter of a search over the public listing (listing.model.ts holds public members only):
 * text, street, category and platform, each served by an index of the listing.
 */
function listingFilter(query: Omit<DirectoryQuery, 'page' | 'perPage'>, text: NormalisedQuery) {
  const filters: Record<string, unknown>[] = [];
  // The candidates first (a prefix range over the stored suffixes, which an index serves), then
  // the escaped patterns decide on those only.
  if (text.variants.length > 0) filters.push(candidateFilter(text, 'search'), queryFilter(text, 'search'));
  if (query.street.length > 0) filters.push({ street: { $in: query.street } });
  if (query.category.length > 0) filters.push({ categories: { $in: query.category } });
  if (query.platform.length > 0) filters.push({ platforms: { $in: query.platform } });
  return filters.length > 0 ? { $and: filters } : {};
}

/** The sort a search asks for (relevance without a query is followers). */
const sortOf = (query: Pick<DirectoryQuery, 'sort'>, text: NormalisedQuery): DirectorySort =>
  query.sort === 'relevance' && text.variants.length === 0 ? 'followers' : query.sort;

// Only what the public may see is read from the listing: never the user id or the search keys.
const listingProjection = {
  slug: 1,
  displayName: 1,
  kind: 1,
  street: 1,
  categories: 1,
  bio: 1,
  avatar: 1,
  memberNumber: 1,
  memberSince: 1,
  accounts: 1,
  followers: 1,
  asOf: 1,
  updatedAt: 1,
} as const;

interface ListedAccount {
  _id: Types.ObjectId;
  platform: string;
  platformId: string;
  displayName?: string | null;
  url?: string | null;
  figure?: {
    followers: number;
    precision?: string | null;
    source?: string | null;
    asOf?: Date | null;
    raw?: string | null;
  } | null;
}

interface ListedMember extends PublicCreatorFields {
  memberNumber?: string | null;
  memberSince?: Date | null;
  accounts?: ListedAccount[] | null;
  followers?: number | null;
  asOf?: Date | null;
}

// A whitelist: only these fields ever leave the service.
function toPublicMember(raw: ListedMember): PublicMemberRecord {
  return {
    creatorId: raw._id,
    ...(raw.avatar ? { avatarId: raw.avatar } : {}),
    slug: raw.slug,
    displayName: raw.displayName,
    kind: raw.kind ?? 'person',
    ...(raw.street ? { street: raw.street } : {}),
    categories: raw.categories ?? [],
    bio: raw.bio ?? '',
    hasAvatar: !!raw.avatar,
    memberNumber: raw.memberNumber ?? '',
    ...(raw.memberSince ? { memberSince: raw.memberSince } : {}),
    accounts: (raw.accounts ?? []).map((account) => ({
      id: account._id.toHexString(),
      platform: account.platform,
      platformId: account.platformId,
      displayName: account.displayName ?? '',
      ...(account.url ? { url: account.url } : {}),
      ...(account.figure
        ? {
            figure: {
              followers: account.figure.followers,
              precision: account.figure.precision ?? '',
              source: account.figure.source ?? '',
              asOf: account.figure.asOf as Date,
              ...(account.figure.raw ? { raw: account.figure.raw } : {}),
            },
          }
        : {}),
    })),
    followers: raw.followers ?? 0,
    ...(raw.asOf ? { asOf: raw.asOf } : {}),
    ...(raw.updatedAt ? { updatedAt: raw.updatedAt } : {}),
  };
}

/**
 * One page of public members matching a search, and how many match in all: the page is read from
 * the listing's index in the asked order (skip/limit), the count apart; a text search ranks its
 * (few) matches in an aggregation.
 */
export async function publicMembers(query: DirectoryQuery): Promise<PublicMemberPage> {
  const text = parseQuery(query.q);
  const sort = sortOf(query, text);
  const filter = listingFilter(query, text);
  const skip = (query.page - 1) * query.perPage;
  if (sort === 'relevance') {
    const [result] = await PublicListingModel.aggregate<{ rows: ListedMember[]; total: { n: number }[] }>([
      { $match: filter },
      { $addFields: { rank: rankExpression(text) } },
      { $sort: sortStages.relevance },
      {
        $facet: {
          rows: [{ $skip: skip }, { $limit: query.perPage }, { $project: listingProjection }],
          total: [{ $count: 'n' }],
        },
      },
    ]);
    return { rows: (result?.rows ?? []).map(toPublicMember), total: result?.total[0]?.n ?? 0 };
  }
  const [rows, total] = await Promise.all([
    PublicListingModel.find(filter, listingProjection)
      .sort(sortStages[sort])
      .skip(skip)
      .limit(query.perPage)
      .lean<ListedMember[]>(),
    PublicListingModel.countDocuments(filter),
  ]);
  return { rows: rows.map(toPublicMember), total };
}

/** Every public member matching a search, in order, one at a time (the CSV). */
export async function* streamPublicMembers(
  query: Omit<DirectoryQuery, 'page' | 'perPage'>,
): AsyncGenerator<PublicMember> {
  const text = parseQuery(query.q);
  const sort = sortOf(query, text);
  const filter = listingFilter(query, text);
  const cursor =
    sort === 'relevance'
      ? PublicListingModel.aggregate<ListedMember>([
          { $match: filter },
          { $addFields: { rank: rankExpression(text) } },
          { $sort: sortStages.relevance },
          { $project: listingProjection },
        ]).cursor({ batchSize: 500 })
      : PublicListingModel.find(filter, listingProjection)
          .sort(sortStages[sort])
          .lean<ListedMember[]>()
          .cursor({ batchSize: 500 });
  for await (const raw of cursor as AsyncIterable<ListedMember>) yield toPublicMember(raw);
}

/** A public member by slug, or null (unknown, not a member, suspended, not consenting…). */
export async function publicMemberBySlug(slug: unknown): Promise<PublicMemberRecord | null> {
  if (typeof slug !== 'string' || !/^[a-z0-9-]{1,64}$/.test(slug)) return null;
  const raw = await PublicListingModel.findOne({ slug: { $eq: slug } }, listingProjection)
    .sort({ _id: 1 })
    .lean<ListedMember>();
  return raw ? toPublicMember(raw) : null;
}

/** Every public member's slug and last change, by slug (the sitemap). */
export async function listPublicSlugs(): Promise<{ slug: string; updatedAt?: Date }[]> {
  const rows = await PublicListingModel.find({}, { _id: 0, slug: 1, updatedAt: 1 })
    .sort({ slug: 1 })
    .lean<{ slug: string; updatedAt?: Date | null }[]>();
  return rows.map((row) => ({ slug: row.slug, ...(row.updatedAt ? { updatedAt: row.updatedAt } : {}) }));
}

/** Members, accounts and audience in one group, with the newest as-of date. */
export interface PublicTotal {
  members: number;
  accounts: number;
  followers: number;
  asOf?: Date;
}

export interface PublicStats {
  totals: PublicTotal;
  byPlatform: Record<string, PublicTotal>;
  byStreet: Record<string, PublicTotal>;
  byCategory: Record<string, PublicTotal>;
}

interface GroupRow {
  _id: string | null;
  members: Types.ObjectId[];
  accounts: number;
  followers: number;
  asOf?: Date | null;
}

const totalOf = (row: GroupRow): PublicTotal => ({
  members: row.members.length,
  accounts: row.accounts,
  followers: row.followers,
  ...(row.asOf ? { asOf: row.asOf } : {}),
});

// The totals of the listing at one version (one entry: a newer version replaces it).
let statsCache: { version: string; stats: Promise<PublicStats> } | undefined;

/**
 * District totals over the public members (the directory's own figures: members who did not
 * consent to be listed are not counted, so a street of one cannot reveal anybody). Computed again
 * only when the listing's version moved since the last computation: every listing write raises it
 * (listing.ts), on whichever app instance, so the totals are always those of the current listing.
 */
export async function publicStats(): Promise<PublicStats> {
  // The version first, then the listing: the totals include every write up to that version.
  const version = await listingVersion();
  if (version === null) return computePublicStats();
  if (statsCache?.version !== version) {
    const stats = computePublicStats();
    statsCache = { version, stats };
    stats.catch(() => {
      if (statsCache?.stats === stats) statsCache = undefined; // a failure is not kept
    });
  }
  return statsCache.stats;
}

async function computePublicStats(): Promise<PublicStats> {
  // One row per (member, account); members without an account keep one row with no account.
  const perMember = {
    $group: {
      _id: null as string | null,
      members: { $addToSet: '$_id' },
      accounts: { $sum: { $cond: [{ $ifNull: ['$accounts._id', false] }, 1, 0] } },
      followers: { $sum: { $ifNull: ['$accounts.figure.followers', 0] } },
      asOf: { $max: '$accounts.figure.asOf' },
    },
  };
  const grouped = (key: string | null) => ({ $group: { ...perMember.$group, _id: key } });
  const [result] = await PublicListingModel.aggregate<Record<string, GroupRow[]>>([
    { $project: { street: 1, categories: 1, accounts: { _id: 1, platform: 1, figure: 1 } } },
    { $unwind: { path: '$accounts', preserveNullAndEmptyArrays: true } },
    {
      $facet: {
        totals: [grouped(null)],
        byPlatform: [{ $match: { 'accounts.platform': { $exists: true } } }, grouped('$accounts.platform')],
        byStreet: [{ $match: { street: { $type: 'string' } } }, grouped('$street')],
        byCategory: [{ $unwind: '$categories' }, grouped('$categories')],
      },
    },
  ]);
  const keyed = (rows: GroupRow[] = []) =>
    Object.fromEntries(
      rows.filter((row) => typeof row._id === 'string').map((row) => [String(row._id), totalOf(row)]),
    );
  const total = result?.totals?.[0];
  return {
    totals: total ? totalOf(total) : { members: 0, accounts: 0, followers: 0 },
    byPlatform: keyed(result?.byPlatform),
    byStreet: keyed(result?.byStreet),
    byCategory: keyed(result?.byCategory),
  };
}

export interface GrowthPoint {
  at: Date;
  followers: number;
  source: string;
}

/** Longest history a chart shows (about two years of monthly points, or weeks of daily ones). */
export const maxGrowthPoints = 120;

/**
 * Each shown account's follower history, oldest first, at most maxGrowthPoints per account (the
 * newest). An unconfirmed manual figure's snapshot is left out, as its figure is.
 */
export async function memberGrowth(member: PublicMemberRecord): Promise<Map<string, GrowthPoint[]>> {
  const ids = member.accounts.map((account) => account.id);
  const unconfirmed = await AccountModel.find({
    _id: { $in: ids },
    creator: member.creatorId,
    'figure.source': 'manual',
    'figure.confirmedAt': { $exists: false },
  }).lean();
  const hidden = new Set(unconfirmed.map((a) => `${String(a._id)}@${a.figure?.asOf?.getTime()}`));
  const snapshots = await StatSnapshotModel.find(
    { account: { $in: ids }, creator: member.creatorId },
    { account: 1, at: 1, followers: 1, source: 1 },
  )
    .sort({ at: 1 })
    .lean();
  const series = new Map<string, GrowthPoint[]>(ids.map((id) => [id, []]));
  for (const snapshot of snapshots) {
    const key = String(snapshot.account);
    if (snapshot.source === 'manual' && hidden.has(`${key}@${snapshot.at.getTime()}`)) continue;
    series.get(key)?.push({ at: snapshot.at, followers: snapshot.followers, source: snapshot.source });
  }
  for (const [key, points] of series) series.set(key, points.slice(-maxGrowthPoints));
  return series;
}
