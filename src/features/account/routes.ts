// /account — the signed-in person's own account (change password).
import { Router } from 'express';
import { requireSignedIn } from '../../http/access.js';
import { authRateLimit } from '../../http/rateLimits.js';
import { changePasswordHandler, showChangePassword } from './handlers.js';
import { changePasswordRules } from './validation.js';

export function accountRoutes(rateLimit: number): Router {
  const router = Router();
  router.get('/account/password', requireSignedIn, showChangePassword);
  router.post(
    '/account/password',
    requireSignedIn,
    authRateLimit(rateLimit),
    changePasswordRules,
    changePasswordHandler,
  );
  return router;
}
