// Issuing, checking and using single-use mail links. A token is 32 random bytes (base64url, 43
// characters); a link whose token is malformed, unknown, altered, expired or used reads the same.
import { createHash, randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { type EmailToken, EmailTokenModel, type TokenPurpose } from './token.model.js';

const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Stores a new link for a person; returns the token for the link (never stored as such). */
export async function issueToken(
  purpose: TokenPurpose,
  userId: mongoose.Types.ObjectId | string,
  email: string,
  lifetimeMs: number,
): Promise<{ token: string; id: string }> {
  const token = randomBytes(32).toString('base64url');
  const id = hashOf(token);
  await EmailTokenModel.create({
    _id: id,
    purpose,
    user: userId,
    email,
    expiresAt: new Date(Date.now() + lifetimeMs),
  });
  return { token, id };
}

const usable = (token: unknown, purpose: TokenPurpose, now: Date) =>
  typeof token === 'string' && tokenPattern.test(token)
    ? { _id: { $eq: hashOf(token) }, purpose: { $eq: purpose }, usedAt: null, expiresAt: { $gt: now } }
    : undefined;

/** The link's record while it can still be used (showing its form), else null. */
export async function peekToken(token: unknown, purpose: TokenPurpose): Promise<EmailToken | null> {
  const filter = usable(token, purpose, new Date());
  return filter ? EmailTokenModel.findOne(filter).lean() : null;
}

/** Uses the link, once: the first caller gets its record, every later one null. */
export async function useToken(token: unknown, purpose: TokenPurpose): Promise<EmailToken | null> {
  const now = new Date();
  const filter = usable(token, purpose, now);
  if (!filter) return null;
  return EmailTokenModel.findOneAndUpdate(
    filter,
    { $set: { usedAt: now } },
    { returnDocument: 'after' },
  ).lean();
}

/** How many links of this purpose the person was sent since `since` (resend limits). */
export function countIssuedSince(
  userId: mongoose.Types.ObjectId | string,
  purpose: TokenPurpose,
  since: Date,
) {
  return EmailTokenModel.countDocuments({ user: userId, purpose, createdAt: { $gt: since } }).exec();
}

/** Ends the person's other unused links of this purpose (a new password makes old reset links useless). */
export async function revokeTokens(
  userId: mongoose.Types.ObjectId | string,
  purpose: TokenPurpose,
): Promise<void> {
  await EmailTokenModel.updateMany({ user: userId, purpose, usedAt: null }, { $set: { usedAt: new Date() } });
}
