// The registry's pages, per audience. app.ts mounts each router behind its area's guard:
//   creator → /me       the creator's own profile, accounts, ownership proof and figures
//   office  → /office   review queues, decisions and creator details
import { Router } from 'express';
import {
  addAccountHandler,
  changeIdHandler,
  evidenceHandler,
  figureHandler,
  removeAccountHandler,
  renameAccountHandler,
  requestCheckHandler,
  showAccount,
  showAccounts,
} from './accountHandlers.js';
import {
  loadOwnAccount,
  loadOwnCreator,
  loadScopedAccount,
  loadScopedConflict,
  loadScopedCreator,
} from './loaders.js';
import {
  conflictDecisionHandler,
  figureDecisionHandler,
  officeQueueCounts,
  ownershipDecisionHandler,
  showConflictQueue,
  showCreatorDetail,
  showFigureQueue,
  showOwnershipQueue,
} from './officeHandlers.js';
import { claimHandler, showClaim } from './claimHandlers.js';
import {
  applyImportHandler,
  loadOwnUpload,
  reissueClaimLinkHandler,
  showImportForm,
  showImportPreview,
  uploadImportHandler,
} from './importHandlers.js';
import { confirmDeletionRules, deleteAccount, downloadData, showPrivacy } from './privacyHandlers.js';
import { saveProfile, showDashboard, showProfile, uploadAvatar } from './profileHandlers.js';
import {
  addAccountRules,
  changeIdRules,
  confirmPasswordRules,
  conflictDecisionRules,
  decisionRules,
  figureRules,
  profileRules,
  renameAccountRules,
} from './validation.js';

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
  /** POST /me/accounts/:accountId/id — the account's creator: a corrected platform id. */
  creator.post('/accounts/:accountId/id', loadOwnAccount, changeIdRules, changeIdHandler);
  /** POST /me/accounts/:accountId/remove — the account's creator. */
  creator.post('/accounts/:accountId/remove', loadOwnAccount, removeAccountHandler);
  /** POST /me/accounts/:accountId/check — the account's creator. */
  creator.post('/accounts/:accountId/check', loadOwnAccount, requestCheckHandler);
  /** POST /me/accounts/:accountId/evidence — the account's creator (multipart). */
  creator.post('/accounts/:accountId/evidence', loadOwnAccount, evidenceHandler);
  /** POST /me/accounts/:accountId/figure — the account's creator (multipart). */
  creator.post('/accounts/:accountId/figure', loadOwnAccount, figureRules, figureHandler);
  /** GET /me/privacy — creators. */
  creator.get('/privacy', showPrivacy);
  /** POST /me/privacy/download — creators (password again). */
  creator.post('/privacy/download', confirmPasswordRules, downloadData);
  /** POST /me/privacy/delete — creators (password again and a confirmation). */
  creator.post('/privacy/delete', confirmDeletionRules, confirmPasswordRules, deleteAccount);
  return creator;
}

export function registryOfficeRoutes(): Router {
  const office = Router();
  // the queue counts shown in every office page's navigation
  office.use(officeQueueCounts);
  // GET /office is the district dashboard (features/pool), which shows these queues' counts too.
  /** GET /office/ownership — officers and admins (their street's creators). */
  office.get('/ownership', showOwnershipQueue);
  /** GET /office/figures — officers and admins (their street's creators). */
  office.get('/figures', showFigureQueue);
  /** GET /office/conflicts — officers and admins (their street's creators). */
  office.get('/conflicts', showConflictQueue);
  /** POST /office/accounts/:accountId/ownership — officers covering the creator. */
  office.post('/accounts/:accountId/ownership', loadScopedAccount, decisionRules, ownershipDecisionHandler);
  /** POST /office/accounts/:accountId/figure — officers covering the creator. */
  office.post('/accounts/:accountId/figure', loadScopedAccount, decisionRules, figureDecisionHandler);
  /** POST /office/conflicts/:conflictId — officers covering either party. */
  office.post('/conflicts/:conflictId', loadScopedConflict, conflictDecisionRules, conflictDecisionHandler);
  /** GET /office/creators/:creatorId — officers covering the creator. */
  office.get('/creators/:creatorId', loadScopedCreator, showCreatorDetail);
  /** POST /office/creators/:creatorId/claim-link — officers covering the (unclaimed) creator. */
  office.post('/creators/:creatorId/claim-link', loadScopedCreator, reissueClaimLinkHandler);
  /** GET /office/import — officers and admins. */
  office.get('/import', showImportForm);
  /** POST /office/import — officers and admins (multipart): the file, then its dry run. */
  office.post('/import', uploadImportHandler);
  /** GET /office/import/:uploadId — the uploading officer: the dry run. */
  office.get('/import/:uploadId', loadOwnUpload, showImportPreview);
  /** POST /office/import/:uploadId — the uploading officer: the import itself. */
  office.post('/import/:uploadId', loadOwnUpload, applyImportHandler);
  return office;
}

/** Public: the claim link of an imported creator (/claim/:token); nothing is cached. */
export function registryPublicRoutes(): Router {
  const open = Router();
  open.use('/claim', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  /** GET /claim/:token — whoever has the link. */
  open.get('/claim/:token', showClaim);
  /** POST /claim/:token — a signed-in creator with the link. */
  open.post('/claim/:token', claimHandler);
  return open;
}
