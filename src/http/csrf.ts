// CSRF: the synchroniser-token pattern (csrf-sync). Every POST must carry the token in the
// `_csrf` field (or the x-csrf-token header); views write it with the {{csrfToken}} helper.
// Where the token is kept: for a signed-in person, in their session; for a visitor, in a signed,
// httpOnly cookie (`__Host-` prefixed in production), so that only viewing a form (sign-in,
// registration) stores no session document at all.
import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { cookieName, cookieOptions } from './cookies.js';

export const csrfErrorCode = 'EBADCSRFTOKEN';
const visitorTokenMs = 2 * 60 * 60 * 1000;

export function csrf(secure: boolean): { protection: RequestHandler; tokenLocal: RequestHandler } {
  const visitorCookie = cookieName('lh.csrf', secure);
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromState: (req: Request) => {
      if (req.user) return req.session.csrfToken;
      const value: unknown = (req.signedCookies as Record<string, unknown> | undefined)?.[visitorCookie];
      return typeof value === 'string' ? value : undefined;
    },
    storeTokenInState: (req: Request, token: string | null | undefined) => {
      if (req.user) req.session.csrfToken = token;
      else if (token)
        req.res?.cookie(visitorCookie, token, { ...cookieOptions(secure, visitorTokenMs), signed: true });
    },
    getTokenFromRequest: (req: Request) => {
      const body = req.body as Record<string, unknown> | undefined;
      const fromBody = body?._csrf;
      if (typeof fromBody === 'string') return fromBody;
      const fromHeader = req.headers['x-csrf-token'];
      return typeof fromHeader === 'string' ? fromHeader : undefined;
    },
    errorConfig: { statusCode: 403, message: 'invalid csrf token', code: csrfErrorCode },
  });

  /** Gives views a token generator (see the csrfToken helper): only pages with a form make one. */
  const tokenLocal: RequestHandler = (req, res, next) => {
    res.locals.csrfTokenFor = () => generateToken(req);
    next();
  };
  return { protection: csrfSynchronisedProtection, tokenLocal };
}
