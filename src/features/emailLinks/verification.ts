// Proving an address: a link on registration (and again on request, at most three an hour),
// a link to a new address before it replaces the old one (and a word to the old one), and the
// note to an account's owner when someone registers their address again.
import type mongoose from 'mongoose';
import { languageOf, mailLink, queueMail } from '../mail/service.js';
import { type UserDocument, isEmailVerified, normaliseEmail } from '../users/model.js';
import {
  EmailTakenError,
  changeEmail,
  findUserByEmail,
  findUserById,
  markEmailVerified,
} from '../users/service.js';
import { countIssuedSince, issueToken, useToken } from './tokens.js';

export const verifyLinkHours = 48;
const linksPerHour = 3;
const hourMs = 60 * 60 * 1000;

const recentLinks = (userId: mongoose.Types.ObjectId, purpose: 'verify' | 'changeEmail') =>
  countIssuedSince(userId, purpose, new Date(Date.now() - hourMs));

/** Mails a verification link for the account's current address. */
export async function sendVerification(user: UserDocument): Promise<void> {
  const { token, id } = await issueToken('verify', user._id, user.email, verifyLinkHours * hourMs);
  await queueMail({
    key: `verify:${id}`,
    to: user.email,
    toName: user.displayName,
    language: languageOf(user),
    template: 'verifyEmail',
    params: { link: mailLink(`/verify/${token}`), hours: verifyLinkHours },
  });
}

export type ResendResult = 'sent' | 'verified' | 'limited';

/** "Send again": at most three links an hour per account. */
export async function resendVerification(userId: string): Promise<ResendResult> {
  const user = await findUserById(userId);
  if (!user || isEmailVerified(user)) return 'verified';
  if ((await recentLinks(user._id, 'verify')) >= linksPerHour) return 'limited';
  await sendVerification(user);
  return 'sent';
}

/** Uses a verification link; true when the address it was sent to is now verified. */
export async function confirmVerification(token: string): Promise<boolean> {
  const link = await useToken(token, 'verify');
  return link ? markEmailVerified(String(link.user), link.email) : false;
}

/**
 * Someone registered an address that has an account: the owner gets a note with a sign-in and a
 * reset link (at most one an hour, so the form cannot be used to flood them).
 */
export async function tellOwnerOfRegistration(email: string): Promise<void> {
  const owner = await findUserByEmail(email);
  if (!owner) return;
  const hour = Math.floor(Date.now() / hourMs);
  await queueMail({
    key: `already:${owner.id}:${hour}`,
    to: owner.email,
    toName: owner.displayName,
    language: languageOf(owner),
    template: 'alreadyRegistered',
    params: { signInLink: mailLink('/login'), resetLink: mailLink('/password/forgot') },
  });
}

export type EmailChangeResult = 'sent' | 'same' | 'limited';

/**
 * Mails a link to the new address; the address changes only when it is followed. An address
 * that already has an account gets nothing, and the answer is the same (no enumeration).
 */
export async function requestEmailChange(
  user: UserDocument,
  newEmailInput: string,
): Promise<EmailChangeResult> {
  const newEmail = normaliseEmail(newEmailInput);
  if (newEmail === user.email) return 'same';
  if ((await recentLinks(user._id, 'changeEmail')) >= linksPerHour) return 'limited';
  const { token, id } = await issueToken('changeEmail', user._id, newEmail, verifyLinkHours * hourMs);
  if (await findUserByEmail(newEmail)) return 'sent';
  await queueMail({
    key: `change:${id}`,
    to: newEmail,
    toName: user.displayName,
    language: languageOf(user),
    template: 'emailChange',
    params: { link: mailLink(`/verify/email/${token}`), newEmail, hours: verifyLinkHours },
  });
  return 'sent';
}

export type EmailChangeOutcome = 'changed' | 'invalid' | 'taken';

/** Uses a change link: the new address replaces the old one, and the old one is told. */
export async function confirmEmailChange(token: string): Promise<EmailChangeOutcome> {
  const link = await useToken(token, 'changeEmail');
  if (!link) return 'invalid';
  try {
    const before = await changeEmail(String(link.user), link.email);
    if (!before) return 'invalid';
    await queueMail({
      key: `changed:${before.id}:${link._id}`,
      to: before.email,
      toName: before.displayName,
      language: languageOf(before),
      template: 'emailChangedNotice',
      params: { newEmail: link.email, resetLink: mailLink('/password/forgot') },
    });
    return 'changed';
  } catch (error) {
    if (error instanceof EmailTakenError) return 'taken';
    throw error;
  }
}
