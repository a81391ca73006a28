// Membership transitions: the only module that writes memberships. Each transition reads the
// membership, checks that the move is legal from its current status, then applies it as one
// conditional update on that status (findOneAndUpdate with the expected status): two officers
// deciding at once cannot both win. The history entry is embedded in the same update; the audit
// entry follows. This is also the single place where a decision is made, so the creator's
// notification follows in `decided()` below. An approval sets the status and the member number in
// that one update (approveApplication): no member is ever approved without a number.
import mongoose, { type Types } from 'mongoose';
import { recordAudit } from '../audit/service.js';
import { refreshPublicListing } from '../directory/listing.js';
import type { SessionUser } from '../users/model.js';
import {
  type AllianceActivity,
  type MembershipAction,
  type MembershipDocument,
  MembershipModel,
  type MembershipStatus,
} from './membership.model.js';
import { allocateMemberNumber } from './memberNumber.js';
import { notifyAnswer, notifyDecision } from './notify.js';
import { AllianceRefusal } from './refusal.js';

export type Actor = Pick<SessionUser, 'id' | 'email'>;

/** The scheduler's actor for expiry (audit entries need one; no user has this id). */
export const systemActor: Actor = { id: '000000000000000000000000', email: 'system@lighthouse.local' };

/** From which statuses each action may start, and where it leads. */
const transitions: Record<
  Exclude<MembershipAction, 'apply'>,
  { from: readonly MembershipStatus[]; to: MembershipStatus; refusal: string }
> = {
  update: { from: ['applied'], to: 'applied', refusal: 'alliance.refusals.notPending' },
  approve: { from: ['applied'], to: 'approved', refusal: 'alliance.refusals.alreadyDecided' },
  reject: { from: ['applied'], to: 'rejected', refusal: 'alliance.refusals.alreadyDecided' },
  request_info: { from: ['applied'], to: 'applied', refusal: 'alliance.refusals.alreadyDecided' },
  suspend: { from: ['approved'], to: 'suspended', refusal: 'alliance.refusals.notActiveMember' },
  reinstate: { from: ['suspended'], to: 'approved', refusal: 'alliance.refusals.notSuspended' },
  withdraw: { from: ['applied', 'approved'], to: 'withdrawn', refusal: 'alliance.refusals.cannotWithdraw' },
  renew: { from: ['approved'], to: 'approved', refusal: 'alliance.refusals.notRenewable' },
  expire: { from: ['approved'], to: 'expired', refusal: 'alliance.refusals.notActiveMember' },
};

/** Statuses from which a creator may apply (again). */
const reapplyFrom: readonly MembershipStatus[] = ['rejected', 'withdrawn', 'expired'];

/** A membership can be renewed this many days before its renewal date. */
export const renewalWindowDays = 60;
const dayMs = 24 * 60 * 60 * 1000;

export function oneYearAfter(date: Date): Date {
  const next = new Date(date);
  next.setUTCFullYear(next.getUTCFullYear() + 1);
  return next;
}

export function canRenew(
  membership: Pick<MembershipDocument, 'status' | 'renewalDate'>,
  now = new Date(),
): boolean {
  return (
    membership.status === 'approved' &&
    !!membership.renewalDate &&
    membership.renewalDate.getTime() - now.getTime() <= renewalWindowDays * dayMs
  );
}

export function findMembershipOfCreator(creatorId: Types.ObjectId): Promise<MembershipDocument | null> {
  return MembershipModel.findOne({ creator: creatorId }).exec();
}

export function findMembershipById(id: unknown): Promise<MembershipDocument | null> {
  if (typeof id !== 'string' || !/^[0-9a-f]{24}$/i.test(id)) return Promise.resolve(null);
  return MembershipModel.findById(id).exec();
}

export interface ApplicationInput {
  motivation: string;
  activities: AllianceActivity[];
}

interface Change {
  set?: Record<string, unknown>;
  unset?: string[];
  reason?: string;
  /** Extra conditions on the document besides its status. */
  where?: Record<string, unknown>;
}

/** Applies one transition as one conditional update, then the audit entry. */
async function transition(
  actor: Actor,
  membership: MembershipDocument,
  action: Exclude<MembershipAction, 'apply'>,
  change: Change = {},
): Promise<MembershipDocument> {
  const rule = transitions[action];
  const from = membership.status;
  if (!rule.from.includes(from)) throw new AllianceRefusal(rule.refusal);
  const at = new Date();
  const updated = await MembershipModel.findOneAndUpdate(
    { _id: membership._id, status: { $eq: from }, ...change.where },
    {
      $set: { status: rule.to, ...change.set },
      ...(change.unset?.length ? { $unset: Object.fromEntries(change.unset.map((path) => [path, 1])) } : {}),
      $push: {
        history: {
          action,
          from,
          to: rule.to,
          at,
          by: actor === systemActor ? undefined : actor.id,
          reason: change.reason,
        },
      },
    },
    { returnDocument: 'after', runValidators: true },
  );
  // Someone else changed it between the read and the write: their decision stands.
  if (!updated) throw new AllianceRefusal(rule.refusal);
  await decided(actor, updated, action, from, change.reason);
  return updated;
}

/** Every decision passes here once, after it is stored: the audit entry and the notification. */
async function decided(
  actor: Actor,
  membership: MembershipDocument,
  action: MembershipAction,
  from: MembershipStatus | 'none',
  reason?: string,
): Promise<void> {
  try {
    await recordAudit({
      actor,
      action: `membership.${action}`,
      target: { type: 'membership', id: membership.id },
      details: {
        creator: String(membership.creator),
        from,
        to: membership.status,
        ...(reason ? { reason } : {}),
        ...(membership.memberNumber ? { memberNumber: membership.memberNumber } : {}),
      },
    });
    await notifyDecision(membership, action, reason);
  } finally {
    // Approval, suspension, withdrawal, expiry…: the public directory shows members only.
    await refreshPublicListing(membership.creator);
  }
}

/** A creator applies (or applies again after a rejection, a withdrawal or an expiry). */
export async function applyForMembership(
  actor: Actor,
  creatorId: Types.ObjectId,
  input: ApplicationInput,
): Promise<MembershipDocument> {
  const existing = await findMembershipOfCreator(creatorId);
  const at = new Date();
  const application = { motivation: input.motivation, activities: input.activities, appliedAt: at };
  if (existing) {
    if (!reapplyFrom.includes(existing.status)) throw new AllianceRefusal('alliance.refusals.alreadyApplied');
    const updated = await MembershipModel.findOneAndUpdate(
      { _id: existing._id, status: { $eq: existing.status } },
      {
        $set: { status: 'applied', ...application },
        $unset: { infoRequest: 1, reason: 1 },
        $push: { history: { action: 'apply', from: existing.status, to: 'applied', at, by: actor.id } },
      },
      { returnDocument: 'after', runValidators: true },
    );
    if (!updated) throw new AllianceRefusal('alliance.refusals.alreadyApplied');
    await decided(actor, updated, 'apply', existing.status);
    return updated;
  }
  try {
    const created = await MembershipModel.create({
      creator: creatorId,
      status: 'applied',
      ...application,
      history: [{ action: 'apply', from: 'none', to: 'applied', at, by: actor.id }],
    });
    await decided(actor, created, 'apply', 'none');
    return created;
  } catch (error) {
    // Two submits at once: the unique index on creator keeps one application.
    if (error instanceof mongoose.mongo.MongoServerError && error.code === 11000)
      throw new AllianceRefusal('alliance.refusals.alreadyApplied');
    throw error;
  }
}

/**
 * The creator changes a pending application. When it answers an officer's request for more
 * information, the officers covering the creator's street are told: it waits for them again.
 */
export async function updateApplication(
  actor: Actor,
  membership: MembershipDocument,
  input: ApplicationInput,
): Promise<MembershipDocument> {
  const answering = membership.infoRequest?.at !== undefined;
  const updated = await transition(actor, membership, 'update', {
    set: { motivation: input.motivation, activities: input.activities },
    unset: ['infoRequest'],
  });
  if (answering) await notifyAnswer(updated);
  return updated;
}

/**
 * Approves an application: the status and the member number in one conditional update, so a
 * crash can never leave an approved member without a number. The number is taken from the
 * counter before the update; an approval that loses (another officer decided first) leaves that
 * number unused, and numbers are never reused, so the sequence may have gaps but no duplicates.
 * A number already held by someone (a counter behind numbers written elsewhere: the unique index
 * refuses it) is followed by the next one. A membership approved before (withdrawn and back)
 * keeps its number.
 */
export async function approveApplication(
  actor: Actor,
  membership: MembershipDocument,
): Promise<MembershipDocument> {
  const approvedAt = new Date();
  const change = {
    set: { approvedAt, renewalDate: oneYearAfter(approvedAt) },
    unset: ['infoRequest', 'reason'],
  };
  if (membership.memberNumber) {
    return transition(actor, membership, 'approve', {
      ...change,
      where: { memberNumber: { $eq: membership.memberNumber } },
    });
  }
  // Refuse an illegal move before a number is taken for it.
  if (!transitions.approve.from.includes(membership.status)) {
    throw new AllianceRefusal(transitions.approve.refusal);
  }
  for (let attempt = 1; ; attempt += 1) {
    const memberNumber = await allocateMemberNumber(approvedAt.getUTCFullYear());
    try {
      return await transition(actor, membership, 'approve', {
        set: { ...change.set, memberNumber },
        unset: change.unset,
        where: { memberNumber: { $exists: false } },
      });
    } catch (error) {
      const taken = error instanceof mongoose.mongo.MongoServerError && error.code === 11000;
      if (!taken || attempt >= maxNumberAttempts) throw error;
    }
  }
}

/** Numbers tried before an approval gives up (only a counter far behind the numbers would need more). */
const maxNumberAttempts = 20;

export function rejectApplication(
  actor: Actor,
  membership: MembershipDocument,
  reason: string,
): Promise<MembershipDocument> {
  return transition(actor, membership, 'reject', { set: { reason }, unset: ['infoRequest'], reason });
}

export function requestMoreInformation(
  actor: Actor,
  membership: MembershipDocument,
  reason: string,
): Promise<MembershipDocument> {
  return transition(actor, membership, 'request_info', {
    set: { infoRequest: { reason, at: new Date() } },
    reason,
  });
}

export function suspendMember(
  actor: Actor,
  membership: MembershipDocument,
  reason: string,
): Promise<MembershipDocument> {
  return transition(actor, membership, 'suspend', { set: { reason }, reason });
}

export function reinstateMember(actor: Actor, membership: MembershipDocument): Promise<MembershipDocument> {
  return transition(actor, membership, 'reinstate', { unset: ['reason'] });
}

export function withdrawMembership(
  actor: Actor,
  membership: MembershipDocument,
): Promise<MembershipDocument> {
  return transition(actor, membership, 'withdraw', { unset: ['infoRequest'] });
}

/** Renews for one more year from the renewal date (or from today, if that is later). */
export function renewMembership(
  actor: Actor,
  membership: MembershipDocument,
  now = new Date(),
): Promise<MembershipDocument> {
  if (!canRenew(membership, now)) throw new AllianceRefusal('alliance.refusals.notRenewable');
  const from = membership.renewalDate && membership.renewalDate > now ? membership.renewalDate : now;
  return transition(actor, membership, 'renew', {
    set: { renewalDate: oneYearAfter(from) },
    where: { renewalDate: { $eq: membership.renewalDate } },
  });
}

/**
 * Expires every approved membership whose renewal date has passed (run by the scheduler; each one
 * is its own conditional update, so a renewal racing the expiry wins or loses cleanly).
 */
export async function expireLapsedMemberships(now = new Date()): Promise<number> {
  const lapsed = await MembershipModel.find({ status: 'approved', renewalDate: { $lt: now } }).exec();
  let expired = 0;
  for (const membership of lapsed) {
    try {
      await transition(systemActor, membership, 'expire', { where: { renewalDate: { $lt: now } } });
      expired += 1;
    } catch (error) {
      if (!(error instanceof AllianceRefusal)) throw error;
    }
  }
  return expired;
}
