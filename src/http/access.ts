// Role checks on the server: anonymous visitors are sent to sign in, signed-in people without the
// role get 403. Every route that is not public goes through requireRole.
import type { RequestHandler } from 'express';
import type { Role, SessionUser } from '../features/users/model.js';
import { AppError } from './errors.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // passport's req.user is this project's session user
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}

export function requireRole(...allowed: Role[]): RequestHandler {
  return (req, res, next) => {
    if (!req.user) {
      const next_ = encodeURIComponent(req.originalUrl);
      res.redirect(303, `/login?next=${next_}`);
      return;
    }
    if (!allowed.includes(req.user.role)) {
      next(new AppError(403, 'errors.forbidden'));
      return;
    }
    next();
  };
}

export const requireSignedIn: RequestHandler = requireRole('creator', 'officer', 'admin');

/** Only a same-site path may be a redirect target (no open redirects). */
export function safeNextPath(value: unknown, fallback = '/'): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}
