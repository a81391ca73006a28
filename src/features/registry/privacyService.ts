// A creator's own data: everything about them as one JSON document, and deletion, which removes
// their profile, accounts, conflicts, files and user, keeps their stat history only as anonymous
// district totals (stat_totals: day, street, platform, follower sum) and leaves the audit log
// under a pseudonym instead of their address and names. Each step is idempotent and the user goes
// last, so a deletion interrupted half-way finishes when it is asked again.
import type { Types } from 'mongoose';
import { newPseudonym, pseudonymiseAuditEntries, recordAudit } from '../audit/service.js';
import { refreshPublicListing } from '../directory/listing.js';
import { deleteStoredImage } from '../files/storage.js';
import type { SessionUser } from '../users/model.js';
import { deleteUser, findUserById } from '../users/service.js';
import { AccountModel } from './account.model.js';
import { ConflictModel } from './conflict.model.js';
import { CreatorModel, type CreatorDocument } from './creator.model.js';
import { foldSnapshotsIntoTotals } from './snapshots.js';
import { StatSnapshotModel } from './statSnapshot.model.js';

export async function exportCreatorData(
  actor: SessionUser,
  creator: CreatorDocument,
): Promise<Record<string, unknown>> {
  const [user, accounts, snapshots, conflicts] = await Promise.all([
    findUserById(actor.id),
    AccountModel.find({ creator: creator._id }).lean(),
    StatSnapshotModel.find({ creator: creator._id }).sort({ at: 1 }).lean(),
    ConflictModel.find({ $or: [{ holder: creator._id }, { claimant: creator._id }] }).lean(),
  ]);
  await recordAudit({
    actor,
    action: 'creator.export',
    target: { type: 'creator', id: creator.id },
    details: { accounts: accounts.length, snapshots: snapshots.length },
  });
  const { notices, claim: _claim, ...profile } = creator.toObject();
  return {
    exportedAt: new Date().toISOString(),
    user: user
      ? {
          email: user.email,
          displayName: user.displayName,
          role: user.role,
          privacyAcceptedAt: user.privacyAcceptedAt,
          lastLoginAt: user.lastLoginAt,
          createdAt: (user as unknown as { createdAt?: Date }).createdAt,
        }
      : undefined,
    profile,
    notices,
    accounts,
    snapshots,
    conflicts,
  };
}

export async function deleteCreatorData(actor: SessionUser, creator: CreatorDocument): Promise<void> {
  const accounts = await AccountModel.find({ creator: creator._id });
  const files: Types.ObjectId[] = [
    ...(creator.avatar ? [creator.avatar] : []),
    ...accounts.flatMap((account) => [
      ...account.ownership.evidence,
      ...(account.figure?.evidence ? [account.figure.evidence] : []),
    ]),
    ...(await StatSnapshotModel.find({ creator: creator._id, evidence: { $exists: true } }).distinct(
      'evidence',
    )),
  ];
  // the stat history stays only as anonymous district totals: no account, creator or evidence
  const snapshots = await foldSnapshotsIntoTotals(creator._id);
  await ConflictModel.deleteMany({ $or: [{ holder: creator._id }, { claimant: creator._id }] });
  await AccountModel.deleteMany({ creator: creator._id });
  for (const file of files) await deleteStoredImage(file);
  await CreatorModel.deleteOne({ _id: creator._id });
  await refreshPublicListing(creator._id); // gone from the public directory at once
  // the log keeps what happened, under a pseudonym instead of the person's address and names
  const pseudonym = newPseudonym();
  await pseudonymiseAuditEntries({
    userId: actor.id,
    email: actor.email,
    names: [actor.displayName, creator.displayName],
    targetIds: [actor.id, creator.id, ...accounts.map((account) => account.id)],
    pseudonym,
  });
  await recordAudit({
    actor: { id: actor.id, email: pseudonym },
    action: 'creator.delete',
    target: { type: 'creator', id: creator.id },
    details: { accounts: accounts.length, files: files.length, snapshots },
  });
  await deleteUser(actor.id);
}
