// /creator — the creator's own area.
import { Router } from 'express';
import { requireRole } from '../../http/access.js';

export function creatorRoutes(): Router {
  const router = Router();

  /** GET /creator — creators. */
  router.get('/creator', requireRole('creator'), (req, res) => {
    res.render('creator/dashboard', { title: req.t('creator.dashboard.title') });
  });

  return router;
}
