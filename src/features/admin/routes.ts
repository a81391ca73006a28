// /admin — administration (admins only): the dashboard and the officers.
import { Router } from 'express';
import { requireRole } from '../../http/access.js';
import {
  createOfficerHandler,
  loadOfficer,
  officerScopeHandler,
  officerStatusHandler,
  showOfficers,
} from './officers/handlers.js';
import { createOfficerRules, officerScopeRules, officerStatusRules } from './officers/validation.js';

export function adminRoutes(): Router {
  const router = Router();
  const adminOnly = requireRole('admin');

  /** GET /admin — admins. */
  router.get('/admin', adminOnly, (req, res) => {
    res.render('admin/dashboard', { title: req.t('admin.dashboard.title') });
  });

  router.get('/admin/officers', adminOnly, showOfficers);
  router.post('/admin/officers', adminOnly, createOfficerRules, createOfficerHandler);
  // The role check comes before the loader, so only admins learn whether an officer id exists.
  router.post('/admin/officers/:id/scope', adminOnly, loadOfficer, officerScopeRules, officerScopeHandler);
  router.post('/admin/officers/:id/status', adminOnly, loadOfficer, officerStatusRules, officerStatusHandler);

  return router;
}
