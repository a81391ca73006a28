// The district office's dashboard figures, counted in MongoDB, nothing loaded into Node but the
// counts. The creators' breakdowns are one count per shown value, each with that value's pool
// filter (so a number is exactly what its link finds) and each answered from an index; the
// audience is one `$group` over the creators in scope; membership is grouped over the
// memberships (one per creator, far fewer than creators), each status counted in scope; the
// audience per month sums the stored monthly figures (registry/monthlyFigure.model.ts: each
// account's last snapshot per month) instead of grouping every snapshot. docs/pool.md says why.
import type { Types } from 'mongoose';
import { MembershipModel } from '../alliance/membership.model.js';
import { categories, streets } from '../registry/catalogue.js';
import { CreatorModel } from '../registry/creator.model.js';
import { MonthlyFigureModel } from '../registry/monthlyFigure.model.js';
import { platformKeys } from '../registry/platforms/index.js';
import type { SessionUser } from '../users/model.js';
import { type FacetContext, facets, freshnessBands } from './facets.js';
import { scopeFilter, scopeOf } from './service.js';

type Actor = Pick<SessionUser, 'role' | 'streetScope'>;
type Counts = Record<string, number>;

export interface DashboardFigures {
  creators: number;
  audience: number;
  byStreet: Counts;
  byCategory: Counts;
  byPlatform: Counts;
  byMembership: Counts;
  byFreshness: Counts;
  /** Audience per month ("2026-07" → followers), oldest first. */
  audienceByMonth: { month: string; followers: number }[];
}

/** Months of audience history the dashboard shows. */
export const historyMonths = 6;

/** The first month shown ("2026-07"): the current UTC month and the five before it. */
export function firstMonth(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (historyMonths - 1), 1))
    .toISOString()
    .slice(0, 7);
}

/** Creators in scope per value of an on-creator facet, each count the facet's own filter. */
async function facetCounts(
  key: string,
  values: readonly string[],
  scope: Record<string, unknown>,
  context: FacetContext,
): Promise<Counts> {
  const facet = facets.find((f) => f.key === key);
  if (!facet) return {};
  const counts = await Promise.all(
    values.map((value) => CreatorModel.countDocuments({ $and: [scope, facet.filter([value], context)] })),
  );
  const counted: Counts = {};
  values.forEach((value, i) => {
    if (counts[i]) counted[value] = counts[i];
  });
  return counted;
}

/**
 * Membership per status of the creators in scope; `none` for those who never applied. The
 * memberships (at most one per creator) are grouped first, then each status's creators counted in
 * scope through `_id`: no pass over every creator (a `$lookup` from the memberships would read the
 * whole creators collection in the offline lane).
 */
async function membershipCounts(scope: Record<string, unknown>, creators: number): Promise<Counts> {
  const groups = await MembershipModel.aggregate<{ _id: string; creators: Types.ObjectId[] }>([
    { $group: { _id: '$status', creators: { $push: '$creator' } } },
  ]);
  const counts: Counts = {};
  let members = 0;
  for (const group of groups) {
    const n = await CreatorModel.countDocuments({ ...scope, _id: { $in: group.creators } });
    if (n > 0) counts[String(group._id)] = n;
    members += n;
  }
  if (creators - members > 0) counts.none = creators - members;
  return counts;
}

/**
 * The audience per month: each account's last snapshot in each month, summed (accounts without a
 * snapshot in a month do not count in it); for a street officer, each account's last snapshot
 * with that street. Read from the monthly figures.
 */
export async function audienceByMonth(
  actor: Actor,
  now: Date,
): Promise<{ month: string; followers: number }[]> {
  const scope = scopeOf(actor);
  const since = firstMonth(now);
  const months = await MonthlyFigureModel.aggregate<{ _id: string; followers: number }>(
    scope === null
      ? [
          { $match: { month: { $gte: since }, followers: { $exists: true } } },
          { $group: { _id: '$month', followers: { $sum: '$followers' } } },
          { $sort: { _id: 1 } },
        ]
      : [
          { $match: { 'streets.street': { $eq: scope }, month: { $gte: since } } },
          // the street's entry summed in place (no $unwind: one document per row, not per entry)
          {
            $group: {
              _id: '$month',
              followers: {
                $sum: {
                  $sum: {
                    $map: {
                      input: { $filter: { input: '$streets', cond: { $eq: ['$$this.street', scope] } } },
                      in: '$$this.followers',
                    },
                  },
                },
              },
            },
          },
          { $sort: { _id: 1 } },
        ],
  );
  return months.map((m) => ({ month: m._id, followers: m.followers }));
}

export async function dashboardFigures(actor: Actor, now = new Date()): Promise<DashboardFigures> {
  const scope = scopeFilter(actor);
  const context: FacetContext = { now, selected: {} };
  const [creators, audience, byStreet, byCategory, byPlatform, byFreshness, months] = await Promise.all([
    CreatorModel.countDocuments(scope),
    CreatorModel.aggregate<{ n: number }>([
      { $match: scope },
      { $group: { _id: null, n: { $sum: '$accountSummary.followersTotal' } } },
    ]),
    facetCounts('street', streets, scope, context),
    facetCounts('category', categories, scope, context),
    facetCounts('platform', platformKeys, scope, context),
    facetCounts(
      'freshness',
      freshnessBands.map((band) => band.value),
      scope,
      context,
    ),
    audienceByMonth(actor, now),
  ]);
  return {
    creators,
    audience: audience[0]?.n ?? 0,
    byStreet,
    byCategory,
    byPlatform,
    byMembership: await membershipCounts(scope, creators),
    byFreshness,
    audienceByMonth: months,
  };
}
