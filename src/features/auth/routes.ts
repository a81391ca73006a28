// /login, /logout, /register
import { Router } from 'express';
import { requireSignedIn } from '../../http/access.js';
import { authRateLimit } from '../../http/rateLimits.js';
import type { Authenticator } from './passport.js';
import { registerHandler, showRegister, showSignIn, signInHandler, signOutHandler } from './handlers.js';
import { registerRules, signInRules } from './validation.js';

export function authRoutes(rateLimit: number, passport: Authenticator): Router {
  const router = Router();
  router.get('/login', showSignIn);
  router.post('/login', authRateLimit(rateLimit), signInRules, signInHandler(passport));
  router.post('/logout', requireSignedIn, signOutHandler);
  router.get('/register', showRegister);
  router.post('/register', authRateLimit(rateLimit), registerRules, registerHandler);
  return router;
}
