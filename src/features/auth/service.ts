// Sign-in: the password check with lock-out after repeated failures. Accounts themselves are
// written by features/users/service.ts.
import mongoose from 'mongoose';
import { recordAudit } from '../audit/service.js';
import { type SessionUser, type UserDocument, normaliseEmail } from '../users/model.js';
import { findUserByEmail, recordSignIn } from '../users/service.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import { LoginThrottleModel } from './throttleModel.js';

export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
  /** Production: seeded demo log-ins (published password) are refused like a wrong password. */
  refuseDemo?: boolean;
}

/** A disabled account and a refused demo log-in answer exactly like a wrong password. */
export type SignInResult =
  { kind: 'ok'; user: UserDocument } | { kind: 'invalid' } | { kind: 'locked'; until: Date };

export interface SignInAttempt {
  email: string;
  password: string;
  /** The id of a valid device cookie for this email: attempts are then counted per device. */
  device?: string | undefined;
}

/** The throttle key of an attempt: the device when it has signed in before, else the email. */
function throttleKey(email: string, device: string | undefined): string {
  return device ? `device:${device}` : email;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Reserves one sign-in attempt for a key (an email or a device), atomically, before any password is checked: at most
 * `maxFailures` attempts get through between a success and a lock, however many arrive at once.
 * Returns the attempt's number, or the time the lock lifts.
 */
async function reserveAttempt(
  key: string,
  policy: LockoutPolicy,
  now: Date,
): Promise<{ attempt: number } | { lockedUntil: Date }> {
  const expiresAt = new Date(now.getTime() + dayMs);
  for (let tries = 0; ; tries++) {
    try {
      const throttle = await LoginThrottleModel.findOneAndUpdate(
        {
          _id: { $eq: key },
          attempts: { $lt: policy.maxFailures },
          $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }],
        },
        { $inc: { attempts: 1 }, $unset: { lockedUntil: 1 }, $set: { expiresAt } },
        { upsert: true, returnDocument: 'after' },
      );
      return { attempt: throttle.attempts };
    } catch (error) {
      // The upsert collided with an existing document: it is locked, its attempts are all in
      // flight, or a parallel first attempt just created it (then try again).
      if (!(error instanceof mongoose.mongo.MongoServerError && error.code === 11000)) throw error;
      const throttle = await LoginThrottleModel.findById(key).lean();
      if (throttle?.lockedUntil && throttle.lockedUntil > now) return { lockedUntil: throttle.lockedUntil };
      if ((throttle && throttle.attempts >= policy.maxFailures) || tries >= 3) {
        return { lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000) };
      }
    }
  }
}

/**
 * Checks an email and password. Every attempt is counted before the password is looked at — per
 * device when the browser has signed in to this account before (OWASP device cookies), otherwise
 * per email (known or not); reaching the limit locks that key for a while, and a success clears
 * its count. Failures elsewhere therefore never lock out a device that has signed in before.
 */
export async function signIn(
  attempt: SignInAttempt,
  policy: LockoutPolicy,
  now = new Date(),
): Promise<SignInResult> {
  const email = normaliseEmail(attempt.email);
  const key = throttleKey(email, attempt.device);
  const reservation = await reserveAttempt(key, policy, now);
  if ('lockedUntil' in reservation) return { kind: 'locked', until: reservation.lockedUntil };
  const user = await findUserByEmail(email);
  const passwordOk = user
    ? await verifyPassword(user.passwordHash, attempt.password)
    : (await verifyAgainstDummy(attempt.password), false);
  const allowed = user?.status === 'active' && !(policy.refuseDemo && user.demo);
  if (!user || !passwordOk || !allowed) {
    if (reservation.attempt >= policy.maxFailures) {
      const until = new Date(now.getTime() + policy.lockMinutes * 60_000);
      await LoginThrottleModel.updateOne(
        { _id: { $eq: key } },
        { $set: { lockedUntil: until, attempts: 0, expiresAt: new Date(until.getTime() + dayMs) } },
      );
      return { kind: 'locked', until };
    }
    return { kind: 'invalid' };
  }
  await LoginThrottleModel.deleteOne({ _id: { $eq: key }, lockedUntil: null });
  await recordSignIn(user, now);
  return { kind: 'ok', user };
}

/**
 * An admin lifts the per-email lock (and count) of an account; false when it was not locked.
 * Written first, then audited.
 */
export async function unlockAccount(
  actor: Pick<SessionUser, 'id' | 'email'>,
  user: UserDocument,
): Promise<boolean> {
  const result = await LoginThrottleModel.deleteOne({ _id: { $eq: user.email }, lockedUntil: { $ne: null } });
  if (result.deletedCount === 0) return false;
  await recordAudit({ actor, action: 'user.unlock', target: { type: 'user', id: user.id }, details: {} });
  return true;
}

/** Lifts the per-email lock and count (a password reset proved the address). */
export async function clearSignInLock(email: string): Promise<void> {
  await LoginThrottleModel.deleteOne({ _id: { $eq: normaliseEmail(email) } });
}

/** Whether the account's email is locked now (shown to admins only). */
export async function isSignInLocked(email: string, now = new Date()): Promise<boolean> {
  return Boolean(
    await LoginThrottleModel.exists({ _id: { $eq: normaliseEmail(email) }, lockedUntil: { $gt: now } }),
  );
}
