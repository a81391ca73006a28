// The resource pool's searches, run in MongoDB. The creator filters (scope, text and every facet
// on the creator's own fields and account summary) come first, where their indexes serve them,
// then the sort (an index serves it too, except relevance), then the membership and the pledge
// signatures are joined for their facets, and in one $facet the page, the total and every
// facet's counts. The street scope of an officer is enforced here, whatever the query string says.
import { type PipelineStage, Types } from 'mongoose';
import { MembershipModel } from '../alliance/membership.model.js';
import { currentPledge } from '../alliance/pledgeService.js';
import { PledgeSignatureModel } from '../alliance/signature.model.js';
import { CreatorModel } from '../registry/creator.model.js';
import { candidateFilter, parseQuery, queryFilter, type NormalisedQuery } from '../search/query.js';
import type { SessionUser } from '../users/model.js';
import { scopedStreet, streetFilter } from '../users/scope.js';
import { type FacetContext, countStages, facets } from './facets.js';
import type { PoolQuery } from './validation.js';

/** One creator as the pool shows and exports it. */
export interface PoolRow {
  _id: Types.ObjectId;
  displayName: string;
  slug: string;
  street?: string;
  categories: string[];
  platforms: string[];
  ownershipStates: string[];
  followers: number;
  followersByPlatform: { platform: string; count: number }[];
  growth30d: number | null;
  asOf?: Date | null;
  /** Where the latest figures came from (official_api, public_web, manual). */
  sources: string[];
  membershipStatus: string;
  pledgeStatus: string;
  createdAt?: Date;
}

export interface PoolResult {
  rows: PoolRow[];
  total: number;
  /** Facet key → value → creators in the current result with that value. */
  counts: Record<string, Record<string, number>>;
}

type Actor = Pick<SessionUser, 'role' | 'streetScope'>;

/** The street an actor is limited to, or null for the whole district (the one rule: users/scope.ts). */
export function scopeOf(actor: Actor): string | null {
  return scopedStreet(actor);
}

/** The scope as a creator filter (empty for the whole district). */
export function scopeFilter(actor: Actor): Record<string, unknown> {
  return streetFilter(actor);
}

function facetFilters(
  query: PoolQuery,
  context: FacetContext,
  onCreator: boolean,
): Record<string, unknown>[] {
  return facets
    .filter((facet) => facet.onCreator === onCreator && (query.selected[facet.key] ?? []).length > 0)
    .map((facet) => facet.filter(query.selected[facet.key] ?? [], context));
}

/**
 * 4 exact name, 3 name prefix, 2 name substring, 1 bio word: the text ranking, in the database.
 * Each name key is scored once with `$indexOfBytes` (0: a prefix, above 0: inside), which reads
 * the query as plain text (no pattern to compile per key and document, nothing to escape).
 */
export function rankExpression(text: NormalisedQuery): Record<string, unknown> {
  const names = { $ifNull: ['$search.names', []] };
  const perForm = text.variants.map((form) => ({
    $max: {
      $map: {
        input: names,
        as: 'key',
        in: {
          $let: {
            vars: { at: { $indexOfBytes: ['$$key', { $literal: form }] } },
            in: {
              $cond: [
                { $eq: ['$$key', { $literal: form }] },
                4,
                { $cond: [{ $eq: ['$$at', 0] }, 3, { $cond: [{ $gt: ['$$at', 0] }, 2, 1] }] },
              ],
            },
          },
        },
      },
    },
  }));
  // A match through the bio only (or no name key at all) ranks 1.
  return perForm.length > 0 ? { $max: [1, ...perForm] } : { $literal: 0 };
}

const sortStages: Record<PoolQuery['sort'], Record<string, 1 | -1>> = {
  relevance: { rank: -1, 'accountSummary.followersTotal': -1, 'search.sortKey': 1, _id: 1 },
  followers: { 'accountSummary.followersTotal': -1, 'search.sortKey': 1, _id: 1 },
  growth: { 'accountSummary.growth30d': -1, 'search.sortKey': 1, _id: 1 },
  name: { 'search.sortKey': 1, _id: 1 },
  newest: { createdAt: -1, _id: -1 },
};

/** The pool row fields, from a creator with its joins. */
export const rowProjection: PipelineStage.Project = {
  $project: {
    displayName: 1,
    slug: 1,
    street: 1,
    categories: 1,
    platforms: { $ifNull: ['$accountSummary.platforms', []] },
    ownershipStates: { $ifNull: ['$accountSummary.ownershipStates', []] },
    followers: { $ifNull: ['$accountSummary.followersTotal', 0] },
    followersByPlatform: { $ifNull: ['$accountSummary.followers', []] },
    growth30d: { $ifNull: ['$accountSummary.growth30d', null] },
    asOf: '$accountSummary.latestFigureAt',
    sources: { $ifNull: ['$accountSummary.sources', []] },
    membershipStatus: 1,
    pledgeStatus: 1,
    createdAt: 1,
  },
};

/** The creator fields read after the sort: by `rowProjection` and by the facets' filters and counts. */
const leanProjection: PipelineStage.Project = {
  $project: {
    displayName: 1,
    slug: 1,
    street: 1,
    categories: 1,
    accountSummary: 1,
    createdAt: 1,
  },
};

/** What a search depends on besides its query: the time (freshness) and the pledge's current version. */
export interface SearchContext extends FacetContext {
  pledgeVersion: number;
}

export async function searchContext(query: PoolQuery, now = new Date()): Promise<SearchContext> {
  const pledge = await currentPledge(now);
  return { now, selected: query.selected, pledgeVersion: pledge?.version ?? 0 };
}

/** The filtered, sorted creators with their membership and pledge status (before paging). */
export function poolPipeline(actor: Actor, query: PoolQuery, context: SearchContext): PipelineStage[] {
  const text = parseQuery(query.q);
  // The candidates first: their $or is the one the planner reads an index for (a prefix range
  // over the stored suffixes); the regexes then decide on those candidates only.
  const filters = [
    candidateFilter(text, 'search'),
    queryFilter(text, 'search'),
    scopeFilter(actor),
    ...facetFilters(query, context, true),
  ];
  if (query.ids.length > 0) filters.push({ _id: { $in: query.ids.map((id) => new Types.ObjectId(id)) } });
  const sort = query.sort === 'relevance' && text.variants.length === 0 ? 'followers' : query.sort;
  const joined = facetFilters(query, context, false);
  return [
    { $match: { $and: filters } },
    ...(sort === 'relevance' ? [{ $addFields: { rank: rankExpression(text) } }] : []),
    { $sort: sortStages[sort] },
    // Only what the rows and the facet counts read goes on: the search keys, bio and contact are
    // left behind, so the joins and each facet's pass over the result carry small documents.
    leanProjection,
    {
      $lookup: {
        from: MembershipModel.collection.name,
        localField: '_id',
        foreignField: 'creator',
        pipeline: [{ $project: { _id: 0, status: 1 } }],
        as: 'membership',
      },
    },
    {
      $lookup: {
        from: PledgeSignatureModel.collection.name,
        localField: '_id',
        foreignField: 'creator',
        pipeline: [{ $project: { _id: 0, version: 1 } }],
        as: 'signatures',
      },
    },
    {
      $addFields: {
        membershipStatus: { $ifNull: [{ $arrayElemAt: ['$membership.status', 0] }, 'none'] },
        pledgeStatus: {
          $let: {
            vars: { top: { $max: '$signatures.version' } },
            in: {
              $switch: {
                branches: [
                  { case: { $eq: [{ $ifNull: ['$$top', null] }, null] }, then: 'not_signed' },
                  { case: { $gte: ['$$top', context.pledgeVersion] }, then: 'signed' },
                ],
                default: 'renewal_due',
              },
            },
          },
        },
      },
    },
    ...(joined.length > 0 ? [{ $match: { $and: joined } }] : []),
  ];
}

/** One page of the pool, its total and the facet counts of the whole current result. */
export async function searchPool(actor: Actor, query: PoolQuery, now = new Date()): Promise<PoolResult> {
  const context = await searchContext(query, now);
  const [result] = await CreatorModel.aggregate<Record<string, unknown[]>>([
    ...poolPipeline(actor, query, context),
    {
      $facet: {
        rows: [{ $skip: (query.page - 1) * query.perPage }, { $limit: query.perPage }, rowProjection],
        total: [{ $count: 'n' }],
        // Every facet counted in one pass (one unwind and one group), not one pass per facet.
        counts: countStages(context),
      },
    },
  ]);
  const counts: PoolResult['counts'] = Object.fromEntries(facets.map((facet) => [facet.key, {}]));
  for (const group of (result?.counts ?? []) as { _id: { facet: string; value: string }; n: number }[]) {
    const perValue = counts[group._id.facet];
    if (perValue) perValue[group._id.value] = group.n;
  }
  const total = (result?.total?.[0] as { n: number } | undefined)?.n ?? 0;
  return { rows: (result?.rows ?? []) as PoolRow[], total, counts };
}
