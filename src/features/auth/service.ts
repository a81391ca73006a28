// Sign-in: the password check with lock-out after repeated failures. Accounts themselves are
// written by features/users/service.ts.
import mongoose from 'mongoose';
import { type UserDocument, normaliseEmail } from '../users/model.js';
import { findUserByEmail, recordSignIn } from '../users/service.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import { LoginThrottleModel } from './throttleModel.js';

export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
}

export type SignInResult =
  | { kind: 'ok'; user: UserDocument }
  | { kind: 'invalid' }
  | { kind: 'locked'; until: Date }
  | { kind: 'disabled' };

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Reserves one sign-in attempt for an email, atomically, before any password is checked: at most
 * `maxFailures` attempts get through between a success and a lock, however many arrive at once.
 * Returns the attempt's number, or the time the lock lifts.
 */
async function reserveAttempt(
  email: string,
  policy: LockoutPolicy,
  now: Date,
): Promise<{ attempt: number } | { lockedUntil: Date }> {
  const expiresAt = new Date(now.getTime() + dayMs);
  for (let tries = 0; ; tries++) {
    try {
      const throttle = await LoginThrottleModel.findOneAndUpdate(
        {
          _id: { $eq: email },
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
      const throttle = await LoginThrottleModel.findById(email).lean();
      if (throttle?.lockedUntil && throttle.lockedUntil > now) return { lockedUntil: throttle.lockedUntil };
      if ((throttle && throttle.attempts >= policy.maxFailures) || tries >= 3) {
        return { lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000) };
      }
    }
  }
}

/**
 * Checks an email and password. Every attempt is counted per email (known or not) before the
 * password is looked at; reaching the limit locks that email for a while, and a success clears
 * the count.
 */
export async function signIn(
  emailInput: string,
  password: string,
  policy: LockoutPolicy,
  now = new Date(),
): Promise<SignInResult> {
  const email = normaliseEmail(emailInput);
  const reservation = await reserveAttempt(email, policy, now);
  if ('lockedUntil' in reservation) return { kind: 'locked', until: reservation.lockedUntil };
  const user = await findUserByEmail(email);
  const passwordOk = user
    ? await verifyPassword(user.passwordHash, password)
    : (await verifyAgainstDummy(password), false);
  if (!user || !passwordOk) {
    if (reservation.attempt >= policy.maxFailures) {
      const until = new Date(now.getTime() + policy.lockMinutes * 60_000);
      await LoginThrottleModel.updateOne(
        { _id: { $eq: email } },
        { $set: { lockedUntil: until, attempts: 0, expiresAt: new Date(until.getTime() + dayMs) } },
      );
      return { kind: 'locked', until };
    }
    return { kind: 'invalid' };
  }
  await LoginThrottleModel.deleteOne({ _id: { $eq: email }, lockedUntil: null });
  if (user.status !== 'active') return { kind: 'disabled' };
  await recordSignIn(user, now);
  return { kind: 'ok', user };
}
