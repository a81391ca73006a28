// The district office's dashboard figures, aggregated in MongoDB: one $facet over the creators in
// the officer's scope (totals, streets, categories, platforms, membership, freshness, audience)
// and one $group over the stat snapshots (audience per month). Nothing is loaded into Node but
// the counts.
import type { PipelineStage } from 'mongoose';
import { MembershipModel } from '../alliance/membership.model.js';
import { CreatorModel } from '../registry/creator.model.js';
import { StatSnapshotModel } from '../registry/statSnapshot.model.js';
import type { SessionUser } from '../users/model.js';
import { facets } from './facets.js';
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

const groupBy = (path: string): PipelineStage.FacetPipelineStage[] => [
  { $group: { _id: path, n: { $sum: 1 } } },
];
const countsOf = (groups: unknown): Counts =>
  Object.fromEntries(((groups ?? []) as { _id: unknown; n: number }[]).map((g) => [String(g._id), g.n]));

export async function dashboardFigures(actor: Actor, now = new Date()): Promise<DashboardFigures> {
  const freshness = facets.find((facet) => facet.key === 'freshness');
  const [creators] = await CreatorModel.aggregate<Record<string, unknown[]>>([
    { $match: scopeFilter(actor) },
    {
      $facet: {
        total: [{ $count: 'n' }],
        audience: [{ $group: { _id: null, n: { $sum: '$accountSummary.followersTotal' } } }],
        byStreet: groupBy('$street'),
        byCategory: [{ $unwind: '$categories' }, ...groupBy('$categories')],
        byPlatform: [{ $unwind: '$accountSummary.platforms' }, ...groupBy('$accountSummary.platforms')],
        byFreshness: freshness?.count({ now, selected: {} }) ?? [],
        byMembership: [
          {
            $lookup: {
              from: MembershipModel.collection.name,
              localField: '_id',
              foreignField: 'creator',
              pipeline: [{ $project: { _id: 0, status: 1 } }],
              as: 'membership',
            },
          },
          ...groupBy({ $ifNull: [{ $arrayElemAt: ['$membership.status', 0] }, 'none'] } as never),
        ],
      },
    },
  ]);
  const scope = scopeOf(actor);
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (historyMonths - 1), 1));
  // Each account's last snapshot in each month, summed per month.
  const months = await StatSnapshotModel.aggregate<{ _id: string; followers: number }>([
    { $match: { ...(scope ? { street: { $eq: scope } } : {}), at: { $gte: since } } },
    { $sort: { at: 1 } },
    {
      $group: {
        _id: { account: '$account', month: { $dateToString: { format: '%Y-%m', date: '$at' } } },
        followers: { $last: '$followers' },
      },
    },
    { $group: { _id: '$_id.month', followers: { $sum: '$followers' } } },
    { $sort: { _id: 1 } },
  ]);
  const first = (key: string) => (creators?.[key]?.[0] as { n: number } | undefined)?.n ?? 0;
  return {
    creators: first('total'),
    audience: first('audience'),
    byStreet: countsOf(creators?.byStreet),
    byCategory: countsOf(creators?.byCategory),
    byPlatform: countsOf(creators?.byPlatform),
    byMembership: countsOf(creators?.byMembership),
    byFreshness: countsOf(creators?.byFreshness),
    audienceByMonth: months.map((m) => ({ month: m._id, followers: m.followers })),
  };
}
