// The office dashboard's audience per month as it was defined before the monthly figures were
// stored, straight over every stat snapshot: each account's last snapshot in each month (ties on
// `at`: the later-created snapshot), summed per month; accounts without a snapshot in a month do
// not count; a street officer sees the snapshots of their street. Tests compare the stored figures
// with it.
import { firstMonth } from '../../src/features/pool/dashboard.js';
import { StatSnapshotModel } from '../../src/features/registry/statSnapshot.model.js';

export async function directAudience(
  street: string | null,
  now: Date,
): Promise<{ month: string; followers: number }[]> {
  const since = new Date(`${firstMonth(now)}-01T00:00:00Z`);
  const months = await StatSnapshotModel.aggregate<{ _id: string; followers: number }>([
    { $match: { ...(street ? { street: { $eq: street } } : {}), at: { $gte: since } } },
    { $sort: { at: 1, _id: 1 } },
    {
      $group: {
        _id: { account: '$account', month: { $dateToString: { format: '%Y-%m', date: '$at' } } },
        followers: { $last: '$followers' },
      },
    },
    { $group: { _id: '$_id.month', followers: { $sum: '$followers' } } },
    { $sort: { _id: 1 } },
  ]);
  return months.map((m) => ({ month: m._id, followers: m.followers }));
}
