// Per-IP rate limits, counted in MongoDB (rate-limit-mongo) so that every app instance on one
// database shares them. Account lock-out (per email, see features/auth/service.ts) is the second
// line. Each limiter gets its own store (express-rate-limit refuses to share one) and its own
// key prefix in the one `rate_limits` collection.
import type { Request, RequestHandler } from 'express';
import { type LegacyStore, type Store, ipKeyGenerator, rateLimit } from 'express-rate-limit';
import MongoStore from 'rate-limit-mongo';
import { AppError } from './errors.js';

/** A store for the limiter called `name`, counting over `windowMs`. */
export type RateLimitStoreFactory = (name: string, windowMs: number) => Store | LegacyStore;

export interface RateLimitStores {
  create: RateLimitStoreFactory;
  /** Closes the stores' database connections. */
  close(): Promise<void>;
}

/** Stores in `rate_limits` of the database that `uri` names (its path must name the database). */
export function mongoRateLimitStores(uri: string, onError: (error: unknown) => void): RateLimitStores {
  const stores: MongoStore[] = [];
  return {
    create: (_name, windowMs) => {
      const store = new MongoStore({
        uri,
        collectionName: 'rate_limits',
        expireTimeMs: windowMs,
        errorHandler: onError,
      });
      stores.push(store);
      return store;
    },
    close: async () => {
      // A store connects on its first count; one never used has no client to close.
      await Promise.all(stores.map((store) => store.client?.close() ?? Promise.resolve()));
    },
  };
}

const fifteenMinutesMs = 15 * 60 * 1000;
const hourMs = 60 * 60 * 1000;

const keyFor =
  (name: string) =>
  (req: Request): string =>
    `${name}:${ipKeyGenerator(req.ip ?? '')}`;

/**
 * Refused form submissions per IP per 15 minutes (sign-in, password change). Only failures
 * count: showing the form is free, and a whole office behind one address signing in
 * successfully does not use up the allowance.
 */
export function authRateLimit(
  stores: RateLimitStoreFactory,
  name: string,
  limit: number,
  exempt: (req: Request) => boolean = () => false,
): RequestHandler {
  return rateLimit({
    windowMs: fifteenMinutesMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: stores(name, fifteenMinutesMs),
    keyGenerator: keyFor(name),
    skip: (req) => req.method !== 'POST' || exempt(req),
    skipSuccessfulRequests: true,
    handler: (_req, _res, next) => next(new AppError(429, 'errors.tooMany')),
  });
}

/** Every submission per IP per hour, successful or not (registrations). */
export function hourlyRateLimit(stores: RateLimitStoreFactory, name: string, limit: number): RequestHandler {
  return rateLimit({
    windowMs: hourMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: stores(name, hourMs),
    keyGenerator: keyFor(name),
    skip: (req) => req.method !== 'POST',
    handler: (_req, _res, next) => next(new AppError(429, 'errors.tooMany')),
  });
}
