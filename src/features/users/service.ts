// The user lifecycle: the only module that writes to the users collection. Creating accounts
// (registration, officers, the CLI, seeds), changing a password, street scopes, disabling and
// enabling. Admin actions are written first, then audited.
import mongoose from 'mongoose';
import { recordAudit } from '../audit/service.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { refreshPublicListingOfUser } from '../directory/listing.js';
import type { Language } from '../../config.js';
import {
  type Role,
  type SessionUser,
  type StreetScope,
  UserModel,
  type UserDocument,
  type UserStatus,
  districtScope,
  normaliseEmail,
} from './model.js';

export class EmailTakenError extends Error {}

type Actor = Pick<SessionUser, 'id' | 'email'>;

export interface NewUser {
  email: string;
  password: string;
  displayName: string;
  role?: Role;
  streetScope?: StreetScope | undefined;
  privacyAccepted?: boolean;
  /** A seeded demo log-in (published password): refused sign-in in production. */
  demo?: boolean;
  /** The language of their mails (default: the portal's default). */
  language?: Language | undefined;
  /** Created already verified (officers made by an admin, seeds, the CLI). */
  emailVerified?: boolean;
}

/** Creates a user; a taken email (in any letter case) throws EmailTakenError and writes nothing. */
export async function createUser(input: NewUser): Promise<UserDocument> {
  const email = normaliseEmail(input.email);
  if (await UserModel.exists({ email: { $eq: email } })) throw new EmailTakenError(email);
  try {
    return await UserModel.create({
      email,
      passwordHash: await hashPassword(input.password),
      displayName: input.displayName.trim(),
      role: input.role ?? 'creator',
      streetScope: input.role === 'officer' ? input.streetScope : undefined,
      privacyAcceptedAt: input.privacyAccepted ? new Date() : undefined,
      demo: input.demo ? true : undefined,
      language: input.language,
      emailVerifiedAt: input.emailVerified ? new Date() : undefined,
    });
  } catch (error) {
    // Two registrations racing for one email: the unique index decides.
    if (error instanceof mongoose.mongo.MongoServerError && error.code === 11000)
      throw new EmailTakenError(email);
    throw error;
  }
}

export function findUserByEmail(email: string): Promise<UserDocument | null> {
  return UserModel.findOne({ email: { $eq: normaliseEmail(email) } }).exec();
}

/** The user a session names, or null. */
export function findUserById(id: string): Promise<UserDocument | null> {
  if (!mongoose.isValidObjectId(id)) return Promise.resolve(null);
  return UserModel.findById(id).exec();
}

export async function recordSignIn(user: UserDocument, at: Date): Promise<void> {
  await UserModel.updateOne({ _id: user._id }, { $set: { lastLoginAt: at } });
}

/** How many seeded demo log-ins this database holds (start-up says so in production). */
export function countDemoUsers(): Promise<number> {
  return UserModel.countDocuments({ demo: true }).exec();
}

/**
 * Changes a password after checking the current one; the updated user, or undefined when the
 * current one is wrong. Raises the credentials version: every other session ends.
 */
export async function changePassword(
  userId: string,
  current: string,
  next: string,
): Promise<UserDocument | undefined> {
  const user = await findUserById(userId);
  if (!user || !(await verifyPassword(user.passwordHash, current))) return undefined;
  return (
    (await UserModel.findOneAndUpdate(
      { _id: user._id, passwordHash: { $eq: user.passwordHash } },
      {
        $set: { passwordHash: await hashPassword(next), passwordChangedAt: new Date() },
        $inc: { credentialsVersion: 1 },
      },
      { returnDocument: 'after' },
    )) ?? undefined
  );
}

/** Remembers the language a person chose (their mails use it). */
export async function setLanguage(userId: string, language: Language): Promise<void> {
  if (!mongoose.isValidObjectId(userId)) return;
  await UserModel.updateOne({ _id: userId }, { $set: { language } });
}

/** Records that the person proved their current address; false when it had changed meanwhile. */
export async function markEmailVerified(userId: string, email: string): Promise<boolean> {
  const result = await UserModel.updateOne(
    { _id: userId, email: { $eq: normaliseEmail(email) } },
    { $set: { emailVerifiedAt: new Date() } },
  );
  if (result.matchedCount === 1) await refreshPublicListingOfUser(userId); // verified members are public
  return result.matchedCount === 1;
}

/**
 * Replaces a verified new address for the old one (the new one was proved by a link). Throws
 * EmailTakenError when someone registered it meanwhile; returns the user before the change.
 */
export async function changeEmail(userId: string, newEmail: string): Promise<UserDocument | null> {
  const email = normaliseEmail(newEmail);
  try {
    const before = await UserModel.findOneAndUpdate(
      { _id: userId },
      { $set: { email, emailVerifiedAt: new Date() } },
      { returnDocument: 'before' },
    );
    if (before) await refreshPublicListingOfUser(userId);
    return before;
  } catch (error) {
    if (error instanceof mongoose.mongo.MongoServerError && error.code === 11000)
      throw new EmailTakenError(email);
    throw error;
  }
}

/**
 * Sets a new password without the current one (a password-reset link proved the address).
 * Raises the credentials version: every session of the account ends.
 */
export async function resetPassword(userId: string, password: string): Promise<UserDocument | null> {
  return UserModel.findOneAndUpdate(
    { _id: userId },
    {
      $set: { passwordHash: await hashPassword(password), passwordChangedAt: new Date() },
      $inc: { credentialsVersion: 1 },
    },
    { returnDocument: 'after' },
  );
}

/**
 * Active people whose review queues show a creator of one of `streets`: those streets' officers,
 * the district's officers, and admins (the rule of ./scope.ts: an officer without a scope covers
 * nobody). `district` (or no street) alone: only the latter two.
 */
export function listOfficersReviewing(streets: readonly StreetScope[]): Promise<UserDocument[]> {
  const scopes = [...new Set<StreetScope>([...streets, districtScope])];
  return UserModel.find({
    status: 'active',
    $or: [{ role: 'admin' }, { role: 'officer', streetScope: { $in: scopes } }],
  })
    .sort({ _id: 1 })
    .exec();
}

export function listOfficers(): Promise<UserDocument[]> {
  return UserModel.find({ role: 'officer' }).sort({ email: 1 }).exec();
}

/** The officer with this id, or null (also for ids that are not officers or not ids at all). */
export function findOfficer(id: string): Promise<UserDocument | null> {
  if (!/^[0-9a-f]{24}$/i.test(id)) return Promise.resolve(null);
  return UserModel.findOne({ _id: id, role: 'officer' }).exec();
}

export interface NewOfficer {
  email: string;
  displayName: string;
  password: string;
  streetScope: StreetScope;
}

/** Creates an officer account; a taken email throws EmailTakenError and writes nothing. */
export async function createOfficer(actor: Actor, input: NewOfficer): Promise<UserDocument> {
  const officer = await createUser({ ...input, role: 'officer' });
  await recordAudit({
    actor,
    action: 'officer.create',
    target: { type: 'user', id: officer.id },
    details: { email: officer.email, displayName: officer.displayName, streetScope: input.streetScope },
  });
  return officer;
}

/** Gives an officer another street scope; false when it was already that scope (nothing recorded). */
export async function setOfficerScope(
  actor: Actor,
  officer: UserDocument,
  streetScope: StreetScope,
): Promise<boolean> {
  const from = officer.streetScope;
  if (from === streetScope) return false;
  // Only from the scope the admin saw: two admins acting at once cannot record a stale "from".
  const result = await UserModel.updateOne(
    { _id: officer._id, role: 'officer', streetScope: { $eq: from } },
    { $set: { streetScope } },
  );
  if (result.modifiedCount === 0) return false;
  await recordAudit({
    actor,
    action: 'officer.scope',
    target: { type: 'user', id: officer.id },
    details: { from, to: streetScope },
  });
  return true;
}

/**
 * Disables or enables an officer; false when nothing changed. Disabling raises the credentials
 * version, so every session of the account ends for good (enabling again does not revive one).
 */
export async function setOfficerStatus(
  actor: Actor,
  officer: UserDocument,
  status: UserStatus,
): Promise<boolean> {
  const from = officer.status;
  if (from === status) return false;
  const result = await UserModel.updateOne(
    { _id: officer._id, role: 'officer', status: { $eq: from } },
    status === 'disabled' ? { $set: { status }, $inc: { credentialsVersion: 1 } } : { $set: { status } },
  );
  if (result.modifiedCount === 0) return false;
  await recordAudit({
    actor,
    action: 'officer.status',
    target: { type: 'user', id: officer.id },
    details: { from, to: status },
  });
  return true;
}

/** True when the password is the user's own (data downloads and deletion ask for it again). */
export async function confirmPassword(userId: string, password: string): Promise<boolean> {
  const user = await findUserById(userId);
  return user !== null && (await verifyPassword(user.passwordHash, password));
}

/** Deletes a user for good (the creator's own account deletion); their sessions end with them. */
export async function deleteUser(userId: string): Promise<boolean> {
  if (!mongoose.isValidObjectId(userId)) return false;
  const { deletedCount } = await UserModel.deleteOne({ _id: userId });
  await refreshPublicListingOfUser(userId); // a creator without its user is not public
  return deletedCount === 1;
}
