// /login, /logout, /register — public pages (app.ts mounts the router without an area guard).
import { Router } from 'express';
import { requireSignedIn } from '../../http/access.js';
import { noStore } from '../../http/security.js';
import { type RateLimitStoreFactory, authRateLimit, hourlyRateLimit } from '../../http/rateLimits.js';
import { trustedDevice } from './deviceCookie.js';
import type { Authenticator } from './passport.js';
import { registerHandler, showRegister, showSignIn, signInHandler, signOutHandler } from './handlers.js';
import { registerRules, signInRules } from './validation.js';

export interface AuthLimits {
  /** Refused sign-ins per IP per 15 minutes. */
  rateLimit: number;
  /** Registrations per IP per hour. */
  registrationsPerHour: number;
  stores: RateLimitStoreFactory;
  /** Production: cookies are Secure with the __Host- prefix. */
  secureCookies: boolean;
}

export function authRoutes(limits: AuthLimits, passport: Authenticator): { public: Router } {
  const router = Router();
  // The sign-in and registration forms carry a CSRF token and typed values: never cached.
  router.use(['/login', '/register'], noStore);
  /** GET /login — anyone. */
  router.get('/login', showSignIn);
  /** POST /login — anyone; refused attempts throttled per IP, attempts locked per email. */
  router.post(
    '/login',
    // A device that has signed in to this account before is limited per device instead (see
    // deviceCookie.ts): a correct password from it is never refused because of its address.
    authRateLimit(limits.stores, 'login', limits.rateLimit, (req) =>
      Boolean(
        trustedDevice(req, (req.body as Record<string, unknown> | undefined)?.email, limits.secureCookies),
      ),
    ),
    signInRules,
    signInHandler(passport, limits.secureCookies),
  );
  /** POST /logout — signed-in users. */
  router.post('/logout', requireSignedIn, signOutHandler);
  /** GET /register — anyone. */
  router.get('/register', showRegister);
  /** POST /register — anyone; limited per IP per hour. */
  router.post(
    '/register',
    hourlyRateLimit(limits.stores, 'register', limits.registrationsPerHour),
    registerRules,
    registerHandler,
  );
  return { public: router };
}
