// Sessions live in MongoDB (connect-mongo); the cookie is httpOnly, sameSite=lax, and in
// production Secure with the `__Host-` prefix. A signed-in session ends after `idleMinutes`
// without a request, and in any case `maxDays` after signing in.
import type { RequestHandler } from 'express';
import session, { type Store } from 'express-session';
import { cookieName, cookieOptions } from './cookies.js';

/** The session cookie's name outside production (in production: `__Host-lh.sid`). */
export const sessionCookieName = 'lh.sid';
const minuteMs = 60 * 1000;
const dayMs = 24 * 60 * minuteMs;
/** A visitor's session only carries a flash message: hours, not weeks. */
const visitorSessionMs = 2 * 60 * minuteMs;

declare module 'express-session' {
  interface SessionData {
    /** When this signed-in session began (ms). */
    startedAt?: number;
    /** The last request, to the minute (ms): written at most once a minute. */
    lastSeenAt?: number;
  }
}

export interface SessionTimeouts {
  idleMinutes: number;
  maxDays: number;
}

export function sessions(
  store: Store,
  secret: string,
  secure: boolean,
  timeouts: SessionTimeouts,
): RequestHandler {
  return session({
    name: cookieName(sessionCookieName, secure),
    secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    cookie: cookieOptions(secure, timeouts.maxDays * dayMs),
  });
}

/** Runs after passport.session(): ends a signed-in session that was idle or is too old. */
export function sessionTimeouts(timeouts: SessionTimeouts): RequestHandler {
  const idleMs = timeouts.idleMinutes * minuteMs;
  const absoluteMs = timeouts.maxDays * dayMs;
  return (req, _res, next) => {
    if (!req.user) {
      req.session.cookie.maxAge = visitorSessionMs;
      next();
      return;
    }
    const now = Date.now();
    const { startedAt = now, lastSeenAt = now } = req.session;
    if (now - lastSeenAt > idleMs || now - startedAt > absoluteMs) {
      // Signed out; the request goes on as a visitor's (an area answers with the sign-in page).
      req.logout((error) => next(error));
      return;
    }
    req.session.startedAt = startedAt;
    if (req.session.lastSeenAt === undefined || now - lastSeenAt >= minuteMs) req.session.lastSeenAt = now;
    next();
  };
}
