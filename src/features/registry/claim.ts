// Claim links: an imported creator has no person until someone opens its single-use link while
// signed in as a creator. Only the SHA-256 of the token is stored (like mail links, see
// emailLinks/tokens.ts): the link is shown to the officer once (after the import, or when they ask
// for a new one, which ends the old) and mailed once when the import row had an address. A link
// that is malformed, unknown, altered, expired or used reads the same.
import { createHash, randomBytes } from 'node:crypto';
import mongoose, { type Types } from 'mongoose';
import { refreshPublicListing } from '../directory/listing.js';
import { refreshCreatorSearch } from '../pool/creatorSearch.js';
import { AccountModel } from './account.model.js';
import { ConflictModel } from './conflict.model.js';
import { CreatorModel, type CreatorDocument } from './creator.model.js';
import { StatSnapshotModel } from './statSnapshot.model.js';

/** How long a claim link works: the office hands it over, the person may take a while. */
export const claimLinkDays = 30;
const dayMs = 24 * 60 * 60 * 1000;

const tokenPattern = /^[A-Za-z0-9_-]{43}$/;
const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');

export function claimPath(token: string): string {
  return `/claim/${token}`;
}

/** A new token and the claim fields that store its hash (the token itself is never stored). */
export function newClaimToken(now = new Date()): {
  token: string;
  fields: { tokenHash: string; createdAt: Date; expiresAt: Date };
} {
  const token = randomBytes(32).toString('base64url');
  return {
    token,
    fields: {
      tokenHash: hashOf(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + claimLinkDays * dayMs),
    },
  };
}

/** A fresh link for an unclaimed creator (the old one stops working); undefined once claimed. */
export async function reissueClaimLink(creatorId: Types.ObjectId): Promise<string | undefined> {
  const { token, fields } = newClaimToken();
  const { modifiedCount } = await CreatorModel.updateOne(
    { _id: creatorId, user: { $exists: false } },
    {
      $set: {
        'claim.tokenHash': fields.tokenHash,
        'claim.createdAt': fields.createdAt,
        'claim.expiresAt': fields.expiresAt,
      },
    },
  );
  return modifiedCount === 1 ? token : undefined;
}

const usable = (token: unknown, now: Date) =>
  typeof token === 'string' && tokenPattern.test(token)
    ? {
        'claim.tokenHash': { $eq: hashOf(token) },
        'claim.expiresAt': { $gt: now },
        user: { $exists: false },
      }
    : undefined;

/** The unclaimed creator the link names while it can still be used, else null. */
export async function peekClaim(token: unknown): Promise<CreatorDocument | null> {
  const filter = usable(token, new Date());
  return filter ? CreatorModel.findOne(filter) : null;
}

export type ClaimOutcome = { ok: true; creatorId: Types.ObjectId } | { ok: false };

/**
 * Uses the link, once, for a signed-in creator. A person without a creator (or with one that has
 * no account yet) takes the imported creator as it is; a person whose creator already lists
 * accounts gets the imported accounts moved to theirs, and the imported creator goes.
 */
export async function claimCreator(token: unknown, userId: string): Promise<ClaimOutcome> {
  const now = new Date();
  const filter = usable(token, now);
  if (!filter) return { ok: false };
  const own = await CreatorModel.findOne({ user: userId });
  const ownHasAccounts = own ? (await AccountModel.exists({ creator: own._id })) !== null : false;
  const done = { $unset: { 'claim.tokenHash': '', 'claim.expiresAt': '' } };
  if (!ownHasAccounts) {
    // the empty creator made on the first visit to /me gives way to the imported one
    if (own) await CreatorModel.deleteOne({ _id: own._id, user: own.user });
    try {
      const claimed = await CreatorModel.findOneAndUpdate(
        filter,
        { $set: { user: userId, 'claim.claimedAt': now }, ...done },
        { returnDocument: 'after' },
      );
      // the directory follows the creator that went and the one that now has a user
      if (own) await refreshPublicListing(own._id);
      if (claimed) await refreshPublicListing(claimed._id);
      return claimed ? { ok: true, creatorId: claimed._id } : { ok: false };
    } catch (error) {
      // the same person claiming two links at once: the unique index on user keeps one
      if (error instanceof mongoose.mongo.MongoServerError && error.code === 11000) return { ok: false };
      throw error;
    }
  }
  const target = own as CreatorDocument;
  // the link is used first (single use), then the imported records move; each step is idempotent
  const imported = await CreatorModel.findOneAndUpdate(filter, { $set: { 'claim.claimedAt': now }, ...done });
  if (!imported) return { ok: false };
  await AccountModel.updateMany({ creator: imported._id }, { $set: { creator: target._id } });
  await StatSnapshotModel.updateMany({ creator: imported._id }, { $set: { creator: target._id } });
  await ConflictModel.updateMany({ holder: imported._id }, { $set: { holder: target._id } });
  await ConflictModel.updateMany({ claimant: imported._id }, { $set: { claimant: target._id } });
  // later imports of the same spreadsheet find these accounts with their creator
  await CreatorModel.updateOne(
    { _id: target._id, 'claim.importedBy': { $exists: false } },
    { $set: { 'claim.importedBy': imported.claim?.importedBy, 'claim.claimedAt': now } },
  );
  await CreatorModel.deleteOne({ _id: imported._id, user: { $exists: false } });
  await refreshCreatorSearch(target._id);
  return { ok: true, creatorId: target._id };
}
