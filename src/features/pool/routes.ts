// The resource pool under /office (officers and admins; the guard is mounted once in app.ts):
//   GET /office/pool        faceted search
//   GET /office/pool.csv    the same search as a CSV download
import { type Request, type Response, Router } from 'express';
import { exportPoolCsv } from './exportCsv.js';
import { searchPool } from './service.js';
import { poolQueryOf, poolQueryRules } from './validation.js';
import { poolPage } from './view.js';

export function poolRoutes(): { office: Router } {
  const office = Router();

  /** GET /office/pool?q=&platform=&…&sort=&page=&perPage= — officers (their street) and admins. */
  office.get('/pool', poolQueryRules, async (req: Request, res: Response) => {
    const { query, errors } = poolQueryOf(req);
    const result = await searchPool(req.user as Express.User, query);
    res.status(errors.length > 0 ? 400 : 200).render('pool/index', {
      title: req.t('pool.title'),
      errors: errors.map((key) => req.t(key)),
      pool: poolPage(query, result, req.t),
    });
  });

  /** GET /office/pool.csv?<the same query> — officers (their street) and admins; audited. */
  office.get('/pool.csv', poolQueryRules, async (req: Request, res: Response) => {
    const { query } = poolQueryOf(req);
    await exportPoolCsv(req, res, query);
  });

  return { office };
}
