// OWASP's device cookies: after a successful sign-in the browser gets a signed cookie naming the
// account (by a hash of its email) and a random device id. A sign-in that presents it is counted
// against that device, not against the account: failures elsewhere (an attacker locking the
// account) do not lock out a device that has signed in before, and the per-IP limit lets it by.
import { createHash, randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { cookieName, cookieOptions } from '../../http/cookies.js';
import { normaliseEmail } from '../users/model.js';

const baseName = 'lh.device';
const halfYearMs = 182 * 24 * 60 * 60 * 1000;

function emailTag(email: string): string {
  return createHash('sha256').update(normaliseEmail(email)).digest('base64url').slice(0, 22);
}

/** Gives this browser a device cookie for the account that just signed in. */
export function issueDeviceCookie(res: Response, email: string, secure: boolean): void {
  res.cookie(cookieName(baseName, secure), `${emailTag(email)}.${randomUUID()}`, {
    ...cookieOptions(secure, halfYearMs),
    signed: true,
  });
}

/** The device id of a valid device cookie for this email, if the request carries one. */
export function trustedDevice(req: Request, email: unknown, secure: boolean): string | undefined {
  if (typeof email !== 'string') return undefined;
  const value: unknown = (req.signedCookies as Record<string, unknown> | undefined)?.[
    cookieName(baseName, secure)
  ];
  if (typeof value !== 'string') return undefined;
  const [tag, device] = value.split('.');
  return tag === emailTag(email) && device && /^[0-9a-f-]{36}$/.test(device) ? device : undefined;
}
