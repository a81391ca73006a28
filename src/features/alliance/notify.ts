// Tells creators about the alliance's decisions through the notifications feature, and the
// reviewing officers about a new application (a queue item for their daily digest). Called from
// the single places where decisions are made (membershipService's decided() and approval, and
// pledgeService's publishPledge). A creator without a user (unclaimed import) has nobody to tell.
import type { Types } from 'mongoose';
import type { NotificationKind } from '../notifications/catalogue.js';
import { notify, notifyOfficers } from '../notifications/service.js';
import { CreatorModel } from '../registry/creator.model.js';
import { type MembershipAction, type MembershipDocument, MembershipModel } from './membership.model.js';

/** The decisions the creator hears about (the creator's own moves and the scheduler's are not). */
const kindOf: Partial<Record<MembershipAction, NotificationKind>> = {
  approve: 'application.approved',
  reject: 'application.rejected',
  request_info: 'application.moreInfo',
  suspend: 'membership.suspended',
  reinstate: 'membership.reinstated',
};

async function userOf(creatorId: Types.ObjectId): Promise<string | undefined> {
  const creator = await CreatorModel.findById(creatorId, { user: 1 }).lean();
  return creator?.user ? String(creator.user) : undefined;
}

/** Notifies the membership's creator of a decision (nothing for actions without a kind). */
export async function notifyDecision(
  membership: MembershipDocument,
  action: MembershipAction,
  reason = '',
): Promise<void> {
  if (action === 'apply') await notifyReviewers(membership, 'queue.application');
  const kind = kindOf[action];
  if (!kind) return;
  const user = await userOf(membership.creator);
  if (!user) return;
  await notify(
    user,
    kind,
    { type: 'membership', id: membership.id },
    { number: membership.memberNumber ?? '', reason, question: reason },
    // The decision is the history entry it added: a retry of the same decision finds this one.
    `membership:${membership.id}:${action}:${membership.history.length}`,
  );
}

/**
 * A new application (or a creator's answer to a request for more information) lands in the queue
 * of the officers who cover the creator's street.
 */
async function notifyReviewers(
  membership: MembershipDocument,
  kind: 'queue.application' | 'queue.answer',
): Promise<void> {
  const creator = await CreatorModel.findById(membership.creator, { displayName: 1, street: 1 }).lean();
  if (!creator) return;
  await notifyOfficers(
    [creator.street],
    kind,
    { type: 'membership', id: membership.id },
    { name: creator.displayName },
    // The application (or the answer) is the history entry it added: a later one is a new item.
    `membership:${membership.id}:${kind === 'queue.answer' ? 'answer' : 'apply'}:${membership.history.length}`,
  );
}

/** The creator changed an application an officer had asked more information about. */
export async function notifyAnswer(membership: MembershipDocument): Promise<void> {
  await notifyReviewers(membership, 'queue.answer');
}

/** Asks every approved member to sign a newly published pledge version. */
export async function notifyNewPledge(version: number): Promise<void> {
  const members = await MembershipModel.find({ status: 'approved' }, { creator: 1 }).lean();
  for (const member of members) {
    const user = await userOf(member.creator);
    if (user) {
      await notify(
        user,
        'pledge.newVersion',
        { type: 'pledge', id: String(version) },
        { version },
        `pledge:${version}`,
      );
    }
  }
}
