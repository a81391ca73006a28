// The user lifecycle's pages, per audience. app.ts mounts each router behind its area's guard:
//   account → /account (anyone signed in): change one's own password
//   admin   → /admin (admins): the officers
import { Router } from 'express';
import { type RateLimitStoreFactory, authRateLimit } from '../../http/rateLimits.js';
import { changePasswordHandler, showChangePassword } from './accountHandlers.js';
import {
  createOfficerHandler,
  loadOfficer,
  officerScopeHandler,
  officerStatusHandler,
  officerUnlockHandler,
  showOfficers,
} from './officerHandlers.js';
import {
  changePasswordRules,
  createOfficerRules,
  officerScopeRules,
  officerStatusRules,
} from './validation.js';

export function usersRoutes(limits: { rateLimit: number; stores: RateLimitStoreFactory }): {
  account: Router;
  admin: Router;
} {
  const account = Router();
  /** GET /account/password — signed-in users. */
  account.get('/password', showChangePassword);
  /** POST /account/password — signed-in users; failures throttled per IP. */
  account.post(
    '/password',
    authRateLimit(limits.stores, 'password', limits.rateLimit),
    changePasswordRules,
    changePasswordHandler,
  );

  const admin = Router();
  /** GET /admin/officers — admins. */
  admin.get('/officers', showOfficers);
  /** POST /admin/officers — admins; creates an officer with a street scope. */
  admin.post('/officers', createOfficerRules, createOfficerHandler);
  // The loader runs behind the area guard, so only admins learn whether an officer id exists.
  /** POST /admin/officers/:id/scope — admins. */
  admin.post('/officers/:id/scope', loadOfficer, officerScopeRules, officerScopeHandler);
  /** POST /admin/officers/:id/status — admins. */
  admin.post('/officers/:id/status', loadOfficer, officerStatusRules, officerStatusHandler);
  /** POST /admin/officers/:id/unlock — admins; lifts a sign-in lock. */
  admin.post('/officers/:id/unlock', loadOfficer, officerUnlockHandler);

  return { account, admin };
}
