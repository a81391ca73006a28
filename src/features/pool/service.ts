// The resource pool's searches, run in MongoDB: creator filters (scope, text, creator facets) with
// their indexes, the accounts joined for platforms, ownership and follower totals, then the
// account facets, and in one $facet the page, the total and every facet's counts. The street
// scope of an officer is enforced here, whatever the query string says.
import escapeStringRegexp from 'escape-string-regexp';
import type { PipelineStage } from 'mongoose';
import { CreatorModel } from '../registry/creator.model.js';
import { parseQuery, queryFilter, type NormalisedQuery } from '../search/query.js';
import { districtScope, type SessionUser } from '../users/model.js';
import { facets, followerBands } from './facets.js';
import type { PoolQuery } from './validation.js';

/** One creator as the pool shows and exports it. */
export interface PoolRow {
  _id: unknown;
  displayName: string;
  slug: string;
  street?: string;
  categories: string[];
  platforms: string[];
  ownershipStates: string[];
  followers: number;
  asOf?: Date | null;
  createdAt?: Date;
}

export interface PoolResult {
  rows: PoolRow[];
  total: number;
  /** Facet key → value → creators in the current result with that value. */
  counts: Record<string, Record<string, number>>;
}

type Actor = Pick<SessionUser, 'role' | 'streetScope'>;

/** The street an actor is limited to, or null for the whole district (admins, district officers). */
export function scopeOf(actor: Actor): string | null {
  if (actor.role === 'admin' || actor.streetScope === districtScope) return null;
  // An officer without a scope sees no street rather than every street.
  return actor.streetScope ?? '-none-';
}

const match = (query: PoolQuery, onCreator: boolean): Record<string, unknown> => {
  const filter: Record<string, unknown> = {};
  for (const facet of facets) {
    const values = query.selected[facet.key] ?? [];
    if (facet.onCreator === onCreator && values.length > 0) filter[facet.field] = { $in: values };
  }
  return filter;
};

/** 4 exact name, 3 name prefix, 2 name substring, 1 bio word: the text ranking, in the database. */
export function rankExpression(text: NormalisedQuery): Record<string, unknown> {
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

const sortStages: Record<PoolQuery['sort'], Record<string, 1 | -1>> = {
  relevance: { rank: -1, followers: -1, 'search.sortKey': 1, _id: 1 },
  followers: { followers: -1, 'search.sortKey': 1, _id: 1 },
  name: { 'search.sortKey': 1, _id: 1 },
  newest: { createdAt: -1, _id: -1 },
};

/** The filtered, sorted rows (before paging): shared by the page and the export. */
export function poolPipeline(actor: Actor, query: PoolQuery): PipelineStage[] {
  const text = parseQuery(query.q);
  const scope = scopeOf(actor);
  const filters = [queryFilter(text, 'search'), match(query, true)];
  if (scope) filters.push({ street: { $eq: scope } }); // with a street facet, both must hold
  const first = { $and: filters };
  const sort = query.sort === 'relevance' && text.variants.length === 0 ? 'followers' : query.sort;
  return [
    { $match: first },
    {
      $lookup: {
        from: 'accounts',
        localField: '_id',
        foreignField: 'creator',
        pipeline: [
          { $project: { platform: 1, 'ownership.state': 1, 'figure.followers': 1, 'figure.asOf': 1 } },
        ],
        as: 'accounts',
      },
    },
    {
      $addFields: {
        platforms: { $setUnion: ['$accounts.platform', []] },
        ownershipStates: { $setUnion: ['$accounts.ownership.state', []] },
        followers: { $sum: '$accounts.figure.followers' },
        asOf: { $max: '$accounts.figure.asOf' },
        rank: rankExpression(text),
      },
    },
    {
      $addFields: {
        followerBand: {
          $switch: {
            branches: [...followerBands]
              .reverse()
              .map((band) => ({ case: { $gte: ['$followers', band.min] }, then: band.value })),
            default: 'none',
          },
        },
      },
    },
    { $match: match(query, false) },
    { $sort: sortStages[sort] },
    {
      $project: {
        displayName: 1,
        slug: 1,
        street: 1,
        categories: 1,
        platforms: 1,
        ownershipStates: 1,
        followers: 1,
        followerBand: 1,
        asOf: 1,
        createdAt: 1,
      },
    },
  ];
}

/** One page of the pool, its total and the facet counts of the whole current result. */
export async function searchPool(actor: Actor, query: PoolQuery): Promise<PoolResult> {
  const countStages = Object.fromEntries(
    facets.map((facet) => [
      facet.key,
      [{ $unwind: `$${facet.field}` }, { $group: { _id: `$${facet.field}`, n: { $sum: 1 } } }],
    ]),
  );
  const [result] = await CreatorModel.aggregate<Record<string, unknown[]>>([
    ...poolPipeline(actor, query),
    {
      $facet: {
        rows: [{ $skip: (query.page - 1) * query.perPage }, { $limit: query.perPage }],
        total: [{ $count: 'n' }],
        ...countStages,
      },
    },
  ]);
  const counts: PoolResult['counts'] = {};
  for (const facet of facets) {
    const groups = (result?.[facet.key] ?? []) as { _id: string; n: number }[];
    counts[facet.key] = Object.fromEntries(groups.map((group) => [group._id, group.n]));
  }
  const total = (result?.total?.[0] as { n: number } | undefined)?.n ?? 0;
  return { rows: (result?.rows ?? []) as PoolRow[], total, counts };
}
