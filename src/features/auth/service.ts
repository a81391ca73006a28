// Accounts: registration, sign-in with lock-out after repeated failures, password changes.
import mongoose from 'mongoose';
import { type Role, type StreetScope, UserModel, type UserDocument, normaliseEmail } from '../users/model.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.js';

export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
}

export type SignInResult =
  | { kind: 'ok'; user: UserDocument }
  | { kind: 'invalid' }
  | { kind: 'locked'; until: Date }
  | { kind: 'disabled' };

export class EmailTakenError extends Error {}

export interface NewUser {
  email: string;
  password: string;
  displayName: string;
  role?: Role;
  streetScope?: StreetScope | undefined;
  privacyAccepted?: boolean;
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
    });
  } catch (error) {
    // Two registrations racing for one email: the unique index decides.
    if (error instanceof mongoose.mongo.MongoServerError && error.code === 11000) throw new EmailTakenError(email);
    throw error;
  }
}

/**
 * Checks an email and password. Each failure is counted on the account; reaching the limit locks
 * it for a while, and a locked account is refused without looking at the password.
 */
export async function signIn(emailInput: string, password: string, policy: LockoutPolicy, now = new Date()): Promise<SignInResult> {
  const user = await UserModel.findOne({ email: { $eq: normaliseEmail(emailInput) } });
  if (!user) {
    await verifyAgainstDummy(password);
    return { kind: 'invalid' };
  }
  if (user.lockedUntil && user.lockedUntil > now) return { kind: 'locked', until: user.lockedUntil };
  if (!(await verifyPassword(user.passwordHash, password))) {
    // One atomic update per failure, so parallel attempts cannot slip under the limit.
    const updated = await UserModel.findOneAndUpdate(
      { _id: user._id },
      { $inc: { failedLogins: 1 } },
      { returnDocument: 'after' },
    );
    if (updated && updated.failedLogins >= policy.maxFailures) {
      const until = new Date(now.getTime() + policy.lockMinutes * 60_000);
      await UserModel.updateOne({ _id: user._id }, { $set: { lockedUntil: until, failedLogins: 0 } });
      return { kind: 'locked', until };
    }
    return { kind: 'invalid' };
  }
  if (user.status !== 'active') return { kind: 'disabled' };
  user.failedLogins = 0;
  user.lockedUntil = undefined;
  user.lastLoginAt = now;
  await user.save();
  return { kind: 'ok', user };
}

/** Changes a password after checking the current one; false when the current one is wrong. */
export async function changePassword(userId: string, current: string, next: string): Promise<boolean> {
  const user = await UserModel.findById(userId);
  if (!user || !(await verifyPassword(user.passwordHash, current))) return false;
  user.passwordHash = await hashPassword(next);
  user.passwordChangedAt = new Date();
  await user.save();
  return true;
}
