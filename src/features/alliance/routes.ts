// The alliance's pages, per audience. app.ts mounts each router behind its area's guard:
//   creator → /me       the application, its status, withdrawal, renewal, signing the pledge
//   office  → /office   the review queue and decisions (officers: their street; admins: all)
//   admin   → /admin    pledge versions
//   public  → /         the pledge, its earlier versions and signatories; member badges
import { Router } from 'express';
import { badgeHandler } from './badge.js';
import {
  applyHandler,
  renewHandler,
  showAlliance,
  showSign,
  signHandler,
  withdrawHandler,
} from './creatorHandlers.js';
import {
  approveHandler,
  loadMembership,
  reinstateHandler,
  rejectHandler,
  requestInfoHandler,
  showQueue,
  showReview,
  suspendHandler,
} from './officeHandlers.js';
import { publishHandler, showPledge, showPledges, showPledgeVersion } from './pledgeHandlers.js';
import { applicationRules, pledgeRules, reasonRules, signatureRules } from './validation.js';

export function allianceRoutes(): { creator: Router; office: Router; admin: Router; public: Router } {
  const creator = Router();
  /** GET /me/alliance — creators. */
  creator.get('/alliance', showAlliance);
  /** POST /me/alliance/apply — creators. */
  creator.post('/alliance/apply', applicationRules, applyHandler);
  /** POST /me/alliance/withdraw — creators. */
  creator.post('/alliance/withdraw', withdrawHandler);
  /** POST /me/alliance/renew — creators. */
  creator.post('/alliance/renew', renewHandler);
  /** GET /me/alliance/pledge — creators. */
  creator.get('/alliance/pledge', showSign);
  /** POST /me/alliance/pledge — creators. */
  creator.post('/alliance/pledge', signatureRules, signHandler);

  const office = Router();
  /** GET /office/applications — officers and admins. */
  office.get('/applications', showQueue);
  /** GET /office/applications/:id — officers (their street) and admins. */
  office.get('/applications/:id', loadMembership, showReview);
  /** POST /office/applications/:id/approve — officers (their street) and admins. */
  office.post('/applications/:id/approve', loadMembership, approveHandler);
  /** POST /office/applications/:id/reject — officers (their street) and admins. */
  office.post('/applications/:id/reject', loadMembership, reasonRules, rejectHandler);
  /** POST /office/applications/:id/info — officers (their street) and admins. */
  office.post('/applications/:id/info', loadMembership, reasonRules, requestInfoHandler);
  /** POST /office/applications/:id/suspend — officers (their street) and admins. */
  office.post('/applications/:id/suspend', loadMembership, reasonRules, suspendHandler);
  /** POST /office/applications/:id/reinstate — officers (their street) and admins. */
  office.post('/applications/:id/reinstate', loadMembership, reinstateHandler);

  const admin = Router();
  /** GET /admin/pledges — admins. */
  admin.get('/pledges', showPledges);
  /** POST /admin/pledges — admins. */
  admin.post('/pledges', pledgeRules, publishHandler);

  const publicRouter = Router();
  /** GET /pledge — anyone. */
  publicRouter.get('/pledge', showPledge);
  /** GET /pledge/v/:version — anyone. */
  publicRouter.get('/pledge/v/:version', showPledgeVersion);
  /** GET /members/:slug/badge.svg — anyone. */
  publicRouter.get('/members/:slug/badge.svg', badgeHandler);

  return { creator, office, admin, public: publicRouter };
}
