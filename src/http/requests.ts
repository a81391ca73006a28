// Requests the portal does not serve, refused early with a page that says why (before sessions,
// which skip them and would leave later middleware to fail with a 500).
import type { RequestHandler } from 'express';
import { AppError } from './errors.js';

/** `OPTIONS *` and `GET *` (asterisk-form targets) and other targets that are not a path: 400. */
export const pathTargetsOnly: RequestHandler = (req, _res, next) => {
  next(req.url.startsWith('/') ? undefined : new AppError(400, 'errors.badRequest'));
};

/** The body types forms send: plain forms, and multipart for the upload forms (avatars, evidence). */
const acceptedBodies = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** A request body in any other format (JSON, XML, …): 415 with a page that names the problem. */
export const formBodiesOnly: RequestHandler = (req, _res, next) => {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is(acceptedBodies)) {
    next(new AppError(415, 'errors.unsupportedType'));
    return;
  }
  next();
};
