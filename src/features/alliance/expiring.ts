// "Your membership expires in 30 days": a daily job finds the approved memberships whose renewal
// date falls within the next 30 days and tells each member once per membership term. The
// notification's key names the membership and its renewal date, so a second run (or two
// instances, or a run after a restart) finds the notification it stored and tells nobody twice;
// a renewal moves the renewal date, which starts a new term and a new notice a year later.
import { districtTimeZone } from '../../i18n/format.js';
import { notify } from '../notifications/service.js';
import { CreatorModel } from '../registry/creator.model.js';
import { MembershipModel } from './membership.model.js';

/** Members hear this many days before their renewal date. */
export const expiringNoticeDays = 30;
const dayMs = 24 * 60 * 60 * 1000;

/** YYYY-MM-DD in the district's time zone: read the same in every language. */
const isoDay = new Intl.DateTimeFormat('en-CA', { timeZone: districtTimeZone, dateStyle: 'short' });

/** Notifies every member whose renewal date is within the notice period; returns how many were due. */
export async function notifyExpiringMemberships(now = new Date()): Promise<number> {
  const expiring = await MembershipModel.find(
    {
      status: 'approved',
      renewalDate: { $gt: now, $lte: new Date(now.getTime() + expiringNoticeDays * dayMs) },
    },
    { creator: 1, renewalDate: 1 },
  ).lean();
  for (const membership of expiring) {
    const creator = await CreatorModel.findById(membership.creator, { user: 1 }).lean();
    if (!creator?.user || !membership.renewalDate) continue;
    await notify(
      String(creator.user),
      'membership.expiring',
      { type: 'membership', id: String(membership._id) },
      { date: isoDay.format(membership.renewalDate) },
      `membership:${String(membership._id)}:expiring:${membership.renewalDate.toISOString()}`,
    );
  }
  return expiring.length;
}
