// Sessions live in MongoDB (connect-mongo); the cookie is httpOnly, sameSite=lax, and secure
// in production (behind TLS).
import type { RequestHandler } from 'express';
import session, { type Store } from 'express-session';

export const sessionCookieName = 'lh.sid';
const twoWeeksMs = 14 * 24 * 60 * 60 * 1000;

export function sessions(store: Store, secret: string, secure: boolean): RequestHandler {
  return session({
    name: sessionCookieName,
    secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure, maxAge: twoWeeksMs },
  });
}
