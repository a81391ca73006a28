// Multipart uploads of one image through multer, held in memory (the bytes go to sharp and then
// GridFS; nothing touches the disk). A refused upload does not end the request: the handler gets
// the reason and renders the form again with a message next to the file field.
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from '../../http/errors.js';
import { type UploadRefusal, maxUploadBytes } from './limits.js';

const refusals = new WeakMap<Request, UploadRefusal>();

/** Why the upload in this request was refused by the transport, if it was. */
export function uploadRefusalOf(req: Request): UploadRefusal | undefined {
  return refusals.get(req);
}

const limitRefusals: Partial<Record<multer.ErrorCode, UploadRefusal>> = {
  LIMIT_FILE_SIZE: 'too_large',
  LIMIT_FILE_COUNT: 'too_many_files',
  // a second file, or a file under another field name
  LIMIT_UNEXPECTED_FILE: 'too_many_files',
};

const limitsFor = (maxBytes: number): multer.Options['limits'] => ({
  fileSize: maxBytes,
  files: 1,
  fields: 20,
  fieldSize: 10 * 1024,
  parts: 25,
});

/** Runs a multer parser; size and count refusals are recorded for the handler, a malformed body is a 400. */
function run(parse: RequestHandler, after: (req: Request) => void = () => undefined): RequestHandler {
  return (req, res, next) => {
    void parse(req, res, (error: unknown) => {
      if (!error) {
        after(req);
        return next();
      }
      const refusal = error instanceof multer.MulterError ? limitRefusals[error.code] : undefined;
      if (!refusal) return next(new AppError(400, 'errors.badRequest'));
      refusals.set(req, refusal);
      // the request's file (if any) is incomplete: never let a handler store it
      req.file = undefined;
      next();
    });
  };
}

/**
 * Accepts at most one file in `field` (up to maxUploadBytes) and a handful of small text fields
 * (the CSRF token, a caption). Size and count refusals are recorded for the handler; a malformed
 * multipart body is a 400.
 */
export function singleImageUpload(field: string, maxBytes = maxUploadBytes): RequestHandler {
  return run(multer({ storage: multer.memoryStorage(), limits: limitsFor(maxBytes) }).single(field));
}

/**
 * Multipart forms of signed-in people, parsed before the CSRF check so that the token can travel
 * in the form's `_csrf` field like every other form's (app.ts mounts this before csrfProtection).
 * One file at most, whatever its field name, kept in memory as req.file. Visitors' multipart
 * bodies are not read at all: their POST then fails the CSRF check.
 */
export function signedInMultipartBodies(maxBytes = maxUploadBytes): RequestHandler {
  const parse = run(multer({ storage: multer.memoryStorage(), limits: limitsFor(maxBytes) }).any(), (req) => {
    const files = Array.isArray(req.files) ? req.files : [];
    req.file = files[0];
    req.files = undefined;
  });
  return (req, res, next) => {
    if (!req.user || !req.is('multipart/form-data')) return next();
    parse(req, res, next);
  };
}
