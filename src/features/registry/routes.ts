// The registry's pages, per audience. app.ts mounts each router behind its area's guard:
//   creator → /me       the creator's own profile, accounts, ownership proof and figures
//   office  → /office   review queues and creator details (see officeRoutes.ts)
import { Router } from 'express';
import {
  addAccountHandler,
  evidenceHandler,
  figureHandler,
  removeAccountHandler,
  renameAccountHandler,
  requestCheckHandler,
  showAccount,
  showAccounts,
} from './accountHandlers.js';
import { loadOwnAccount, loadOwnCreator } from './loaders.js';
import { saveProfile, showDashboard, showProfile, uploadAvatar } from './profileHandlers.js';
import { addAccountRules, figureRules, profileRules, renameAccountRules } from './validation.js';

export function registryCreatorRoutes(): Router {
  const creator = Router();
  // every page here is about the signed-in creator's own record
  creator.use(loadOwnCreator);
  /** GET /me — creators. */
  creator.get('/', showDashboard);
  /** GET /me/profile — creators. */
  creator.get('/profile', showProfile);
  /** POST /me/profile — creators. */
  creator.post('/profile', profileRules, saveProfile);
  /** POST /me/profile/avatar — creators (multipart). */
  creator.post('/profile/avatar', uploadAvatar);
  /** GET /me/accounts — creators. */
  creator.get('/accounts', showAccounts);
  /** POST /me/accounts — creators. */
  creator.post('/accounts', addAccountRules, addAccountHandler);
  /** GET /me/accounts/:accountId — the account's creator. */
  creator.get('/accounts/:accountId', loadOwnAccount, showAccount);
  /** POST /me/accounts/:accountId — the account's creator. */
  creator.post('/accounts/:accountId', loadOwnAccount, renameAccountRules, renameAccountHandler);
  /** POST /me/accounts/:accountId/remove — the account's creator. */
  creator.post('/accounts/:accountId/remove', loadOwnAccount, removeAccountHandler);
  /** POST /me/accounts/:accountId/check — the account's creator. */
  creator.post('/accounts/:accountId/check', loadOwnAccount, requestCheckHandler);
  /** POST /me/accounts/:accountId/evidence — the account's creator (multipart). */
  creator.post('/accounts/:accountId/evidence', loadOwnAccount, evidenceHandler);
  /** POST /me/accounts/:accountId/figure — the account's creator (multipart). */
  creator.post('/accounts/:accountId/figure', loadOwnAccount, figureRules, figureHandler);
  return creator;
}
