// Forgotten passwords: a single-use link valid for 30 minutes, mailed only when the address has
// an active account (the page answers the same either way), at most three an hour per account.
// Setting the new password ends every session and lifts the sign-in lock.
import { clearSignInLock } from '../auth/service.js';
import { languageOf, mailLink, queueMail } from '../mail/service.js';
import { findUserByEmail, resetPassword } from '../users/service.js';
import { countIssuedSince, issueToken, revokeTokens, useToken } from './tokens.js';

export const resetLinkMinutes = 30;
const resetsPerHour = 3;
const hourMs = 60 * 60 * 1000;

/** Mails a reset link when the address belongs to an active account; otherwise does nothing. */
export async function requestPasswordReset(email: string): Promise<void> {
  const user = await findUserByEmail(email);
  if (!user || user.status !== 'active') return;
  if ((await countIssuedSince(user._id, 'reset', new Date(Date.now() - hourMs))) >= resetsPerHour) return;
  const { token, id } = await issueToken('reset', user._id, user.email, resetLinkMinutes * 60_000);
  await queueMail({
    key: `reset:${id}`,
    to: user.email,
    toName: user.displayName,
    language: languageOf(user),
    template: 'passwordReset',
    params: { link: mailLink(`/password/reset/${token}`), minutes: resetLinkMinutes },
  });
}

/** Uses the link and sets the password; false when the link cannot be used (any reason). */
export async function completePasswordReset(token: string, password: string): Promise<boolean> {
  const link = await useToken(token, 'reset');
  if (!link) return false;
  const user = await resetPassword(String(link.user), password);
  if (!user) return false;
  await revokeTokens(user._id, 'reset');
  await clearSignInLock(user.email);
  return true;
}
