// The officers' side: review queues scoped to the officer's street (through the creator's street),
// and decisions as guarded single-document updates (a state machine: only a pending request can
// be decided, once), each followed by an audit entry and a notice to the creator(s).
import type { Types } from 'mongoose';
import { recordAudit } from '../audit/service.js';
import type { SessionUser } from '../users/model.js';
import { AccountModel, type AccountDocument } from './account.model.js';
import { ConflictModel, type ConflictDocument } from './conflict.model.js';
import { CreatorModel } from './creator.model.js';
import { scopeStreet } from './loaders.js';
import { notify } from './notify.js';
import { generateOwnershipCode } from './ownership.js';
import { refreshPublicListing } from '../directory/listing.js';
import { refreshCreatorSearch } from '../pool/creatorSearch.js';
import { dropSnapshot } from './snapshots.js';

type Actor = Pick<SessionUser, 'id' | 'email' | 'role' | 'streetScope'>;

/** The ids of the creators in the officer's street; undefined for the whole district. */
async function creatorsInScope(actor: Actor): Promise<Types.ObjectId[] | undefined> {
  const street = scopeStreet(actor as SessionUser);
  if (!street) return undefined;
  const filter: Record<string, unknown> = { street: { $eq: street } };
  return CreatorModel.find(filter).distinct('_id');
}

/** The creators an officer covers, as a filter on `field`; empty for the whole district. */
async function scopeFilter(actor: Actor, field: string): Promise<Record<string, unknown>> {
  const ids = await creatorsInScope(actor);
  return ids ? { [field]: { $in: ids } } : {};
}

const pendingOwnership: Record<string, unknown> = { 'ownership.state': 'pending' };
const unconfirmedFigures: Record<string, unknown> = {
  'figure.source': 'manual',
  'figure.confirmedAt': { $exists: false },
};

export async function ownershipQueue(actor: Actor): Promise<AccountDocument[]> {
  const filter: Record<string, unknown> = { ...pendingOwnership, ...(await scopeFilter(actor, 'creator')) };
  return AccountModel.find(filter).sort({ 'ownership.requestedAt': 1 }).exec();
}

export async function figureQueue(actor: Actor): Promise<AccountDocument[]> {
  const filter: Record<string, unknown> = { ...unconfirmedFigures, ...(await scopeFilter(actor, 'creator')) };
  return AccountModel.find(filter).sort({ 'figure.asOf': 1 }).exec();
}

export async function conflictQueue(actor: Actor): Promise<ConflictDocument[]> {
  const ids = await creatorsInScope(actor);
  const scope = ids ? { $or: [{ holder: { $in: ids } }, { claimant: { $in: ids } }] } : {};
  const filter: Record<string, unknown> = { state: 'open', ...scope };
  return ConflictModel.find(filter).sort({ openedAt: 1 }).exec();
}

export async function queueCounts(
  actor: Actor,
): Promise<{ ownership: number; figures: number; conflicts: number }> {
  const [scope, conflicts] = await Promise.all([scopeFilter(actor, 'creator'), conflictQueue(actor)]);
  const [ownership, figures] = await Promise.all([
    AccountModel.countDocuments({ ...pendingOwnership, ...scope }),
    AccountModel.countDocuments({ ...unconfirmedFigures, ...scope }),
  ]);
  return { ownership, figures, conflicts: conflicts.length };
}

const params = (account: Pick<AccountDocument, 'platform' | 'platformId'>, reason: string) => ({
  platform: account.platform,
  platformId: account.platformId,
  reason,
});

/** pending → verified | rejected; false when it was no longer pending (decided meanwhile). */
export async function decideOwnership(
  actor: Actor,
  account: AccountDocument,
  decision: 'approve' | 'reject',
  reason: string,
): Promise<boolean> {
  const state = decision === 'approve' ? 'verified' : 'rejected';
  const at = new Date();
  const { modifiedCount } = await AccountModel.updateOne(
    { _id: account._id, 'ownership.state': 'pending' },
    {
      $set: {
        'ownership.state': state,
        'ownership.decidedBy': actor.id,
        'ownership.decidedAt': at,
        'ownership.reason': reason,
      },
      $push: { 'ownership.history': { state, at, by: actor.id, reason } },
    },
  );
  if (modifiedCount !== 1) return false;
  await refreshCreatorSearch(account.creator); // the pool's ownership facet
  await recordAudit({
    actor,
    action: `account.ownership.${state === 'verified' ? 'verify' : 'reject'}`,
    target: { type: 'account', id: account.id },
    details: { platform: account.platform, platformId: account.platformId, reason },
  });
  await notify(
    account.creator,
    'ownership_decided',
    { ...params(account, reason), state },
    account._id,
    `ownership:${account.id}:${at.toISOString()}`,
  );
  return true;
}

/** Confirms or rejects the manual figure the officer saw (a newer one is not decided blindly). */
export async function decideFigure(
  actor: Actor,
  account: AccountDocument,
  decision: 'approve' | 'reject',
  reason: string,
): Promise<boolean> {
  const figure = account.figure;
  if (!figure) return false;
  const guard = { _id: account._id, ...unconfirmedFigures, 'figure.asOf': figure.asOf };
  const { modifiedCount } =
    decision === 'approve'
      ? await AccountModel.updateOne(guard, {
          $set: { 'figure.confirmedBy': actor.id, 'figure.confirmedAt': new Date() },
        })
      : await AccountModel.updateOne(guard, { $unset: { figure: '' } });
  if (modifiedCount !== 1) return false;
  if (decision === 'reject') {
    await dropSnapshot(account._id, 'manual', figure.asOf);
    await refreshCreatorSearch(account.creator); // the rejected figure leaves the pool's totals
  } else {
    await refreshPublicListing(account.creator); // a confirmed figure is shown to the public
  }
  await recordAudit({
    actor,
    action: `account.figure.${decision === 'approve' ? 'confirm' : 'reject'}`,
    target: { type: 'account', id: account.id },
    details: { followers: figure.followers, raw: figure.raw, reason },
  });
  await notify(
    account.creator,
    'figure_decided',
    { ...params(account, reason), outcome: decision },
    account._id,
    `figure:${account.id}:${figure.asOf.toISOString()}`,
  );
  return true;
}

/**
 * keep: the holder keeps the account. transfer: the account moves to the claimant, its ownership
 * starts again (new code, unverified). The account moves first, guarded on its holder, so that a
 * retry after a failure between the two writes finishes the job instead of moving it twice.
 */
export async function decideConflict(
  actor: Actor,
  conflict: ConflictDocument,
  decision: 'keep' | 'transfer',
  reason: string,
): Promise<boolean> {
  if (conflict.state !== 'open') return false;
  if (decision === 'transfer') {
    const at = new Date();
    await AccountModel.updateOne(
      { _id: conflict.account, creator: conflict.holder },
      {
        $set: {
          creator: conflict.claimant,
          'ownership.state': 'unverified',
          'ownership.code': generateOwnershipCode(),
          'ownership.evidence': [],
        },
        $unset: { figure: '' },
        $push: { 'ownership.history': { state: 'unverified', at, by: actor.id, reason } },
      },
    );
  }
  const state = decision === 'keep' ? 'kept' : 'transferred';
  const { modifiedCount } = await ConflictModel.updateOne(
    { _id: conflict._id, state: 'open' },
    { $set: { state, decidedBy: actor.id, decidedAt: new Date(), reason } },
  );
  if (modifiedCount !== 1) return false;
  if (decision === 'transfer') {
    // the account's name and handle, platform and figure move from one creator to the other
    await refreshCreatorSearch(conflict.holder);
    await refreshCreatorSearch(conflict.claimant);
  }
  await recordAudit({
    actor,
    action: `conflict.${decision}`,
    target: { type: 'conflict', id: conflict.id },
    details: { platform: conflict.platform, platformId: conflict.platformId, reason },
  });
  const notice = { ...params(conflict, reason), outcome: state };
  await notify(
    conflict.holder,
    'conflict_decided',
    notice,
    conflict.account,
    `conflict:${conflict.id}:decided`,
  );
  await notify(
    conflict.claimant,
    'conflict_decided',
    notice,
    conflict.account,
    `conflict:${conflict.id}:decided`,
  );
  return true;
}

export function conflictsOfCreator(creatorId: Types.ObjectId): Promise<ConflictDocument[]> {
  return ConflictModel.find({ $or: [{ holder: creatorId }, { claimant: creatorId }] })
    .sort({ openedAt: -1 })
    .exec();
}
