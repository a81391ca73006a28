// Notifications in the demo district: what the registry and alliance demos left waiting in the
// office's queues becomes queue notifications (through the registry's notifyQueue, with the keys
// the live decisions use), IN坪山's membership comes up for renewal within 30 days (with its
// `membership.expiring` notification, from the same job the scheduler runs daily), the founders
// have read the welcome of their approval (other notifications stay unread), queue items already
// decided are read, and, when the portal's mail is set up, the officers' digest of today is in the
// outbox. 坪山夜读 (seeds/builders/directory.ts) is the member whose pledge standing is overdue:
// approved, and pledge v1 still unsigned after its 30-day grace period. Idempotent: keyed like the
// live notifications, and the renewal date is moved once.
import { notifyExpiringMemberships } from '../../src/features/alliance/expiring.js';
import { MembershipModel } from '../../src/features/alliance/membership.model.js';
import { mailConfigured } from '../../src/features/mail/service.js';
import { sendOfficerDigests } from '../../src/features/notifications/digest.js';
import { NotificationModel } from '../../src/features/notifications/model.js';
import { AccountModel } from '../../src/features/registry/account.model.js';
import { ConflictModel } from '../../src/features/registry/conflict.model.js';
import { CreatorModel } from '../../src/features/registry/creator.model.js';
import {
  notifyConflictQueued,
  notifyFigureQueued,
  notifyOwnershipQueued,
} from '../../src/features/registry/notify.js';
import { UserModel } from '../../src/features/users/model.js';
import { findUserByEmail } from '../../src/features/users/service.js';

const dayMs = 24 * 60 * 60 * 1000;
/** The member whose renewal date falls within the notice period. */
const expiringMember = 'inpingshan@lighthouse.example';

export async function seedNotificationsDemo(now = new Date()): Promise<void> {
  await queueItems();
  await expiringMembership(now);
  await markDecidedRead();
  // Today's digest (one per officer per day: the 08:00 job will not send it again).
  if (mailConfigured()) await sendOfficerDigests(now);
}

/** The registry demo's pending checks, unconfirmed figures and open conflict, as the live code tells them. */
async function queueItems(): Promise<void> {
  for (const account of await AccountModel.find({ 'ownership.state': 'pending' }))
    await notifyOwnershipQueued(account, account.ownership.requestedAt ?? account.createdAt);
  const unconfirmed = await AccountModel.find({
    'figure.source': 'manual',
    'figure.confirmedAt': { $exists: false },
  });
  for (const account of unconfirmed) await notifyFigureQueued(account, account.figure!.asOf);
  for (const conflict of await ConflictModel.find({ state: 'open' })) await notifyConflictQueued(conflict);
}

/** IN坪山's membership comes up for renewal in 20 days, and the daily job tells the member. */
async function expiringMembership(now: Date): Promise<void> {
  const user = await findUserByEmail(expiringMember);
  const creator = user ? await CreatorModel.findOne({ user: user._id }) : null;
  if (!creator) return;
  await MembershipModel.updateOne(
    {
      creator: creator._id,
      status: 'approved',
      renewalDate: { $gt: new Date(now.getTime() + 30 * dayMs) },
    },
    { $set: { renewalDate: new Date(now.getTime() + 20 * dayMs) } },
  );
  await notifyExpiringMemberships(now);
}

/** Read: the founders' welcome, and queue items whose application is decided already (demo log-ins only). */
async function markDecidedRead(): Promise<void> {
  const readAt = new Date();
  const demoPeople = await UserModel.find({ demo: true }).distinct('_id');
  await NotificationModel.updateMany(
    { person: { $in: demoPeople }, kind: 'application.approved', readAt: null },
    { $set: { readAt } },
  );
  const decided = await MembershipModel.find({ status: { $ne: 'applied' } }).distinct('_id');
  await NotificationModel.updateMany(
    {
      person: { $in: demoPeople },
      kind: 'queue.application',
      'target.id': { $in: decided.map(String) },
      readAt: null,
    },
    { $set: { readAt } },
  );
}
