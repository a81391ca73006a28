// /login, /logout, /register — public pages (app.ts mounts the router without an area guard).
import { Router } from 'express';
import { requireSignedIn } from '../../http/access.js';
import { type RateLimitStoreFactory, authRateLimit, hourlyRateLimit } from '../../http/rateLimits.js';
import type { Authenticator } from './passport.js';
import { registerHandler, showRegister, showSignIn, signInHandler, signOutHandler } from './handlers.js';
import { registerRules, signInRules } from './validation.js';

export interface AuthLimits {
  /** Refused sign-ins per IP per 15 minutes. */
  rateLimit: number;
  /** Registrations per IP per hour. */
  registrationsPerHour: number;
  stores: RateLimitStoreFactory;
}

export function authRoutes(limits: AuthLimits, passport: Authenticator): { public: Router } {
  const router = Router();
  /** GET /login — anyone. */
  router.get('/login', showSignIn);
  /** POST /login — anyone; refused attempts throttled per IP, attempts locked per email. */
  router.post(
    '/login',
    authRateLimit(limits.stores, 'login', limits.rateLimit),
    signInRules,
    signInHandler(passport),
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
