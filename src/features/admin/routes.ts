// /admin — administration (admins only).
import { Router } from 'express';
import { requireRole } from '../../http/access.js';

export function adminRoutes(): Router {
  const router = Router();

  /** GET /admin — admins. */
  router.get('/admin', requireRole('admin'), (req, res) => {
    res.render('admin/dashboard', { title: req.t('admin.dashboard.title') });
  });

  return router;
}
