// CSRF: the synchroniser-token pattern (csrf-sync). Every POST must carry the session's token in
// the `_csrf` field (or the x-csrf-token header); views write it with the {{csrfToken}} helper.
import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';

export const csrfErrorCode = 'EBADCSRFTOKEN';
const anonymousSessionMs = 2 * 60 * 60 * 1000;

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req: Request) => {
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = body?._csrf;
    if (typeof fromBody === 'string') return fromBody;
    const fromHeader = req.headers['x-csrf-token'];
    return typeof fromHeader === 'string' ? fromHeader : undefined;
  },
  errorConfig: { statusCode: 403, message: 'invalid csrf token', code: csrfErrorCode },
});

export const csrfProtection: RequestHandler = csrfSynchronisedProtection;

/** Gives views a token generator (see the csrfToken helper): only pages with a form start a session. */
export const csrfTokenLocal: RequestHandler = (req, res, next) => {
  res.locals.csrfTokenFor = () => {
    // A visitor's session exists only for this token: let it (and its stored document) expire
    // in hours, not weeks. Signing in starts a new session with the full lifetime.
    if (!req.user) req.session.cookie.maxAge = anonymousSessionMs;
    return generateToken(req);
  };
  next();
};
