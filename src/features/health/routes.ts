// /healthz (the process answers) and /readyz (the database answers too), for load balancers.
import { Router } from 'express';

export function healthRoutes(isDatabaseReady: () => Promise<boolean>): Router {
  const router = Router();

  /** GET /healthz — anyone. */
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  /** GET /readyz — anyone. */
  router.get('/readyz', async (_req, res) => {
    const ready = await isDatabaseReady().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable' });
  });

  return router;
}
