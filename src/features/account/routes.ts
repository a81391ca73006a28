// /account — the signed-in person's own account (change password).
import { Router } from 'express';

export function accountRoutes(_rateLimit: number): Router {
  const router = Router();
  return router;
}
