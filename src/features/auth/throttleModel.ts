// Sign-in throttling, one document per normalised email — for unknown emails too, so that the
// lock-out answer does not reveal which emails have accounts.
import mongoose, { Schema } from 'mongoose';

const loginThrottleSchema = new Schema(
  {
    /** The normalised email. */
    _id: { type: String, required: true },
    /** Sign-in attempts since the last success or lock, counted before the password is checked. */
    attempts: { type: Number, required: true, default: 0 },
    lockedUntil: { type: Date },
    /** Forgotten a day after the last attempt (longer than any lock lasts). */
    expiresAt: { type: Date, required: true, index: { expireAfterSeconds: 0 } },
  },
  { versionKey: false },
);

export const LoginThrottleModel = mongoose.model('LoginThrottle', loginThrottleSchema, 'login_throttles');
