// /office — the district office's area (officers and admins).
import { Router } from 'express';
import { requireRole } from '../../http/access.js';

export function officeRoutes(): Router {
  const router = Router();

  /** GET /office — officers and admins. */
  router.get('/office', requireRole('officer', 'admin'), (req, res) => {
    res.render('office/dashboard', { title: req.t('office.dashboard.title') });
  });

  return router;
}
