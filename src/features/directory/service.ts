// The public directory's one definition of a "public member" and every read of them: an approved
// alliance member (not applied, suspended, withdrawn or expired) whose creator consented to be
// listed and whose user is active with a verified email. Only verified accounts are shown, and
// only figures that are not unconfirmed manual ones. Everything the public sees (home, /members,
// member pages, the open-data API, the CSV, the sitemap) reads through publicMembers,
// publicMemberBySlug, listPublicSlugs, publicStats and memberGrowth, and gets only the whitelisted
// fields of PublicMember: never contact, email, evidence, review notes or who typed a figure.
import escapeStringRegexp from 'escape-string-regexp';
import type { PipelineStage, Types } from 'mongoose';
import { AccountModel } from '../registry/account.model.js';
import { CreatorModel } from '../registry/creator.model.js';
import { StatSnapshotModel } from '../registry/statSnapshot.model.js';
import { parseQuery, queryFilter, type NormalisedQuery } from '../search/query.js';

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

// A manual figure counts once an officer confirmed it; automatic figures always count.
const shownFigure = {
  $cond: [
    {
      $and: [
        { $ne: [{ $ifNull: ['$figure.followers', null] }, null] },
        {
          $or: [
            { $ne: ['$figure.source', 'manual'] },
            { $ne: [{ $ifNull: ['$figure.confirmedAt', null] }, null] },
          ],
        },
      ],
    },
    {
      followers: '$figure.followers',
      precision: '$figure.precision',
      source: '$figure.source',
      asOf: '$figure.asOf',
      raw: '$figure.raw',
    },
    null,
  ],
};

/** 4 exact name, 3 name prefix, 2 name substring, 1 bio word (as the pool ranks). */
function rankExpression(text: NormalisedQuery): Record<string, unknown> {
  const names = { $ifNull: ['$search.names', []] };
  const anyName = (regex: string) => ({
    $anyElementTrue: [{ $map: { input: names, as: 'key', in: { $regexMatch: { input: '$$key', regex } } } }],
  });
  const perForm = text.variants.map((form) => ({
    $switch: {
      branches: [
        { case: { $in: [{ $literal: form }, names] }, then: 4 },
        { case: anyName(`^${escapeStringRegexp(form)}`), then: 3 },
        { case: anyName(escapeStringRegexp(form)), then: 2 },
      ],
      default: 1,
    },
  }));
  return perForm.length > 0 ? { $max: perForm } : { $literal: 0 };
}

const sortStages: Record<DirectorySort, Record<string, 1 | -1>> = {
  relevance: { rank: -1, followers: -1, 'search.sortKey': 1, _id: 1 },
  followers: { followers: -1, 'search.sortKey': 1, _id: 1 },
  name: { 'search.sortKey': 1, _id: 1 },
  newest: { memberSince: -1, _id: -1 },
};

type CreatorFilter = Record<string, unknown>;

/** Public members (creators matching `creatorFilter` first), with their public accounts joined. */
function publicPipeline(creatorFilter: CreatorFilter, text?: NormalisedQuery): PipelineStage[] {
  return [
    { $match: { $and: [{ 'consent.listed': true, user: { $exists: true } }, creatorFilter] } },
    {
      $lookup: {
        from: 'memberships',
        localField: '_id',
        foreignField: 'creator',
        pipeline: [{ $match: { status: 'approved' } }, { $project: { memberNumber: 1, approvedAt: 1 } }],
        as: 'membership',
      },
    },
    { $match: { 'membership.0': { $exists: true } } },
    {
      $lookup: {
        from: 'users',
        localField: 'user',
        foreignField: '_id',
        pipeline: [
          { $match: { status: 'active', emailVerifiedAt: { $type: 'date' } } },
          { $project: { _id: 1 } },
        ],
        as: 'owner',
      },
    },
    { $match: { 'owner.0': { $exists: true } } },
    {
      $lookup: {
        from: 'accounts',
        localField: '_id',
        foreignField: 'creator',
        pipeline: [
          { $match: { 'ownership.state': 'verified' } },
          { $project: { platform: 1, platformId: 1, displayName: 1, url: 1, shown: shownFigure } },
          { $sort: { platform: 1, _id: 1 } },
        ],
        as: 'accounts',
      },
    },
    {
      $addFields: {
        platforms: { $setUnion: ['$accounts.platform', []] },
        followers: { $sum: '$accounts.shown.followers' },
        asOf: { $max: '$accounts.shown.asOf' },
        memberNumber: { $first: '$membership.memberNumber' },
        memberSince: { $first: '$membership.approvedAt' },
        rank: text ? rankExpression(text) : { $literal: 0 },
      },
    },
  ];
}

/** The creator-side filter of a search: text, street and category (their indexes serve them). */
function creatorFilterOf(query: DirectoryQuery, text: NormalisedQuery): CreatorFilter {
  const filters: CreatorFilter[] = [queryFilter(text, 'search')];
  if (query.street.length > 0) filters.push({ street: { $in: query.street } });
  if (query.category.length > 0) filters.push({ categories: { $in: query.category } });
  return { $and: filters };
}

interface RawAccount {
  _id: Types.ObjectId;
  platform: string;
  platformId: string;
  displayName?: string;
  url?: string | null;
  shown?: {
    followers: number;
    precision: string;
    source: string;
    asOf: Date;
    raw?: string | null;
  } | null;
}

interface RawMember {
  _id: Types.ObjectId;
  slug: string;
  displayName: string;
  kind?: string;
  street?: string | null;
  categories?: string[];
  bio?: string;
  avatar?: Types.ObjectId | null;
  memberNumber?: string | null;
  memberSince?: Date | null;
  accounts: RawAccount[];
  followers: number;
  asOf?: Date | null;
  updatedAt?: Date;
}

// A whitelist: only these fields ever leave the service.
function toPublicMember(raw: RawMember): PublicMemberRecord {
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
    accounts: raw.accounts.map((account) => ({
      id: account._id.toHexString(),
      platform: account.platform,
      platformId: account.platformId,
      displayName: account.displayName ?? '',
      ...(account.url ? { url: account.url } : {}),
      ...(account.shown
        ? {
            figure: {
              followers: account.shown.followers,
              precision: account.shown.precision,
              source: account.shown.source,
              asOf: account.shown.asOf,
              ...(account.shown.raw ? { raw: account.shown.raw } : {}),
            },
          }
        : {}),
    })),
    followers: raw.followers,
    ...(raw.asOf ? { asOf: raw.asOf } : {}),
    ...(raw.updatedAt ? { updatedAt: raw.updatedAt } : {}),
  };
}

const memberProjection = {
  $project: {
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
  },
};

/** One page of public members matching a search, and how many match in all. */
export async function publicMembers(query: DirectoryQuery): Promise<PublicMemberPage> {
  const text = parseQuery(query.q);
  const sort = query.sort === 'relevance' && text.variants.length === 0 ? 'followers' : query.sort;
  const stages: PipelineStage[] = [...publicPipeline(creatorFilterOf(query, text), text)];
  if (query.platform.length > 0) stages.push({ $match: { platforms: { $in: query.platform } } });
  stages.push(
    { $sort: sortStages[sort] },
    {
      $facet: {
        rows: [{ $skip: (query.page - 1) * query.perPage }, { $limit: query.perPage }, memberProjection],
        total: [{ $count: 'n' }],
      },
    },
  );
  const [result] = await CreatorModel.aggregate<{ rows: RawMember[]; total: { n: number }[] }>(stages);
  return { rows: (result?.rows ?? []).map(toPublicMember), total: result?.total[0]?.n ?? 0 };
}

/** Every public member matching a search, in order, one at a time (the CSV). */
export async function* streamPublicMembers(
  query: Omit<DirectoryQuery, 'page' | 'perPage'>,
): AsyncGenerator<PublicMember> {
  const text = parseQuery(query.q);
  const sort = query.sort === 'relevance' && text.variants.length === 0 ? 'followers' : query.sort;
  const stages: PipelineStage[] = [
    ...publicPipeline(creatorFilterOf({ ...query, page: 1, perPage: 1 }, text), text),
  ];
  if (query.platform.length > 0) stages.push({ $match: { platforms: { $in: query.platform } } });
  stages.push({ $sort: sortStages[sort] }, memberProjection);
  const cursor = CreatorModel.aggregate<RawMember>(stages).cursor({ batchSize: 500 });
  for await (const raw of cursor as AsyncIterable<RawMember>) yield toPublicMember(raw);
}

/** A public member by slug, or null (unknown, not a member, suspended, not consenting…). */
export async function publicMemberBySlug(slug: unknown): Promise<PublicMemberRecord | null> {
  if (typeof slug !== 'string' || !/^[a-z0-9-]{1,64}$/.test(slug)) return null;
  const [raw] = await CreatorModel.aggregate<RawMember>([
    ...publicPipeline({ slug: { $eq: slug } }),
    memberProjection,
  ]);
  return raw ? toPublicMember(raw) : null;
}

/** Every public member's slug and last change, by slug (the sitemap). */
export async function listPublicSlugs(): Promise<{ slug: string; updatedAt?: Date }[]> {
  const rows = await CreatorModel.aggregate<{ slug: string; updatedAt?: Date }>([
    ...publicPipeline({}),
    { $sort: { slug: 1 } },
    { $project: { _id: 0, slug: 1, updatedAt: 1 } },
  ]);
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

/**
 * District totals over the public members (the directory's own figures: members who did not
 * consent to be listed are not counted, so a street of one cannot reveal anybody).
 */
export async function publicStats(): Promise<PublicStats> {
  // One row per (member, account); members without an account keep one row with no account.
  const perMember = {
    $group: {
      _id: null as string | null,
      members: { $addToSet: '$_id' },
      accounts: { $sum: { $cond: [{ $ifNull: ['$accounts._id', false] }, 1, 0] } },
      followers: { $sum: { $ifNull: ['$accounts.shown.followers', 0] } },
      asOf: { $max: '$accounts.shown.asOf' },
    },
  };
  const grouped = (key: string | null) => ({ $group: { ...perMember.$group, _id: key } });
  const [result] = await CreatorModel.aggregate<Record<string, GroupRow[]>>([
    ...publicPipeline({}),
    { $project: { street: 1, categories: 1, accounts: { _id: 1, platform: 1, shown: 1 } } },
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
