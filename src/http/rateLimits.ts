// Rate limits for sign-in, registration and password routes (per client IP). Account lock-out
// (per account, stored with the user) is the second line; see features/auth/service.ts.
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError } from './errors.js';

export function authRateLimit(limit: number): RequestHandler {
  return rateLimit({
    windowMs: 15 * 60 * 1000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Only refused form submissions count: showing the form is free, and a whole office
    // behind one address signing in successfully does not use up the allowance.
    skip: (req) => req.method !== 'POST',
    skipSuccessfulRequests: true,
    handler: (_req, _res, next) => next(new AppError(429, 'errors.tooMany')),
  });
}
