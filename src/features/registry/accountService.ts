// Self-media accounts: adding (with the conflict path when someone else holds the account),
// editing, removing, asking for an ownership check, evidence, and manual figures. Every write is
// one guarded single-document update; snapshots are idempotent per account and bucket.
import mongoose, { type Types } from 'mongoose';
import type { ParsedCount } from '../stats/parseCount.js';
import { refreshCreatorSearch } from '../pool/creatorSearch.js';
import { AccountModel, type AccountDocument } from './account.model.js';
import { ConflictModel, type ConflictDocument } from './conflict.model.js';
import type { CreatorDocument } from './creator.model.js';
import {
  notify,
  notifyConflictQueued,
  notifyFigureQueued,
  notifyOwnershipEvidence,
  notifyOwnershipQueued,
} from './notify.js';
import { generateOwnershipCode } from './ownership.js';
import { type PlatformKey, profileUrl } from './platforms/index.js';
import { recordFigure } from './snapshots.js';

export type AddResult =
  | { outcome: 'added'; account: AccountDocument }
  | { outcome: 'already_yours'; account: AccountDocument }
  | { outcome: 'conflict'; conflict: ConflictDocument };

export interface NewAccount {
  platform: PlatformKey;
  platformId: string;
  displayName: string;
}

/** Opens (or finds, on a double submit) the conflict between the holder and a claimant. */
async function openConflict(held: AccountDocument, claimant: CreatorDocument): Promise<ConflictDocument> {
  const existing = await ConflictModel.findOne({ account: held._id, claimant: claimant._id, state: 'open' });
  if (existing) return existing;
  try {
    const conflict = await ConflictModel.create({
      platform: held.platform,
      platformId: held.platformId,
      account: held._id,
      holder: held.creator,
      claimant: claimant._id,
    });
    const params = { platform: held.platform, platformId: held.platformId };
    const decision = `conflict:${conflict.id}:opened`;
    await notify(held.creator, 'conflict_opened', { ...params, side: 'holder' }, held._id, decision);
    await notify(claimant._id, 'conflict_opened', { ...params, side: 'claimant' }, held._id, decision);
    await notifyConflictQueued(conflict);
    return conflict;
  } catch (error) {
    // the same claim submitted twice at once: the partial unique index keeps one
    if (error instanceof mongoose.mongo.MongoServerError && error.code === 11000) {
      const raced = await ConflictModel.findOne({ account: held._id, claimant: claimant._id, state: 'open' });
      if (raced) return raced;
    }
    throw error;
  }
}

/** Adds an account; an account someone else holds becomes a conflict for the officers. */
export async function addAccount(creator: CreatorDocument, input: NewAccount): Promise<AddResult> {
  const key = { platform: { $eq: input.platform }, platformId: { $eq: input.platformId } };
  const held = await AccountModel.findOne(key);
  if (held) {
    if (held.creator.equals(creator._id)) return { outcome: 'already_yours', account: held };
    return { outcome: 'conflict', conflict: await openConflict(held, creator) };
  }
  try {
    const account = await AccountModel.create({
      creator: creator._id,
      platform: input.platform,
      platformId: input.platformId,
      displayName: input.displayName,
      url: profileUrl(input.platform, input.platformId),
      ownership: { state: 'unverified', code: generateOwnershipCode(), history: [] },
    });
    await refreshCreatorSearch(creator._id); // the pool finds creators by their accounts' names
    return { outcome: 'added', account };
  } catch (error) {
    // a double submit or a race with another claimant: the unique index decided, decide again
    if (error instanceof mongoose.mongo.MongoServerError && error.code === 11000)
      return addAccount(creator, input);
    throw error;
  }
}

export function listAccountsOf(creatorId: Types.ObjectId): Promise<AccountDocument[]> {
  return AccountModel.find({ creator: creatorId }).sort({ createdAt: 1 }).exec();
}

/** The creator's account with this id, or null (someone else's answers exactly like a missing one). */
export function findOwnAccount(creatorId: Types.ObjectId, id: unknown): Promise<AccountDocument | null> {
  if (typeof id !== 'string' || !/^[0-9a-f]{24}$/i.test(id)) return Promise.resolve(null);
  return AccountModel.findOne({ _id: id, creator: creatorId }).exec();
}

export async function renameAccount(account: AccountDocument, displayName: string): Promise<void> {
  await AccountModel.updateOne({ _id: account._id, creator: account.creator }, { $set: { displayName } });
  await refreshCreatorSearch(account.creator); // the pool's search keys include account names
}

/** Removes the account; its snapshots stay as anonymous figures (no creator). */
export async function removeAccount(account: AccountDocument): Promise<boolean> {
  const { deletedCount } = await AccountModel.deleteOne({ _id: account._id, creator: account.creator });
  await refreshCreatorSearch(account.creator); // its name and handle no longer find the creator
  return deletedCount === 1;
}

export type IdChangeResult =
  | { outcome: 'changed' | 'unchanged' | 'already_yours' }
  | { outcome: 'conflict'; conflict: ConflictDocument };

/**
 * Corrects an account's platform id (a typo, or the profile moved). The id stays unique across the
 * registry: an id another creator holds opens a conflict (like adding it would) and changes
 * nothing here. A new id is a different account as far as proof goes: ownership starts again at
 * unverified with a new code, and the old id's figure is dropped (its snapshots stay).
 */
export async function changeAccountId(
  account: AccountDocument,
  creator: CreatorDocument,
  platformId: string,
  by: string,
): Promise<IdChangeResult> {
  if (platformId === account.platformId) return { outcome: 'unchanged' };
  const held = await AccountModel.findOne({
    platform: { $eq: account.platform },
    platformId: { $eq: platformId },
  });
  if (held) {
    if (held.creator.equals(creator._id)) return { outcome: 'already_yours' };
    return { outcome: 'conflict', conflict: await openConflict(held, creator) };
  }
  const at = new Date();
  try {
    await AccountModel.updateOne(
      { _id: account._id, creator: creator._id, platformId: { $eq: account.platformId } },
      {
        $set: {
          platformId,
          url: profileUrl(account.platform, platformId),
          'ownership.state': 'unverified',
          'ownership.code': generateOwnershipCode(),
          'ownership.evidence': [],
        },
        $unset: {
          figure: '',
          'ownership.requestedAt': '',
          'ownership.decidedBy': '',
          'ownership.decidedAt': '',
          'ownership.reason': '',
        },
        $push: { 'ownership.history': { state: 'unverified', at, by } },
      },
    );
  } catch (error) {
    // someone took the id meanwhile: decide again against the holder
    if (error instanceof mongoose.mongo.MongoServerError && error.code === 11000)
      return changeAccountId(account, creator, platformId, by);
    throw error;
  }
  await refreshCreatorSearch(creator._id); // handles are search keys
  return { outcome: 'changed' };
}

/** unverified | rejected → pending; false when the account was not in one of those states. */
export async function requestOwnershipCheck(account: AccountDocument, by: string): Promise<boolean> {
  const at = new Date();
  const { modifiedCount } = await AccountModel.updateOne(
    { _id: account._id, 'ownership.state': { $in: ['unverified', 'rejected'] } },
    {
      $set: { 'ownership.state': 'pending', 'ownership.requestedAt': at },
      $push: { 'ownership.history': { state: 'pending', at, by } },
    },
  );
  if (modifiedCount !== 1) return false;
  await refreshCreatorSearch(account.creator); // the pool's ownership facet
  await notifyOwnershipQueued(account, at);
  return true;
}

/** Evidence screenshots for the officer reviewing ownership (at most a handful are kept). */
export const maxEvidencePerAccount = 5;

/**
 * Adds an evidence file; when the check is already waiting for an officer, the officers covering
 * the creator are told that new proof arrived (before the request, the request tells them).
 */
export async function addOwnershipEvidence(account: AccountDocument, file: Types.ObjectId): Promise<boolean> {
  const { modifiedCount } = await AccountModel.updateOne(
    { _id: account._id, [`ownership.evidence.${maxEvidencePerAccount - 1}`]: { $exists: false } },
    { $push: { 'ownership.evidence': file } },
  );
  if (modifiedCount !== 1) return false;
  if (account.ownership?.state === 'pending') await notifyOwnershipEvidence(account, file);
  return true;
}

/** A manual figure typed by the creator with a screenshot: unconfirmed until an officer confirms. */
export async function enterManualFigure(
  account: AccountDocument,
  creator: CreatorDocument,
  count: ParsedCount,
  evidence: Types.ObjectId,
  enteredBy: string,
): Promise<void> {
  const asOf = new Date();
  const figure = {
    followers: count.value,
    precision: count.precision,
    raw: count.raw,
    source: 'manual' as const,
    asOf,
    evidence,
    enteredBy,
  };
  await recordFigure(account, creator.street ?? undefined, figure);
  await notifyFigureQueued(account, asOf);
}
