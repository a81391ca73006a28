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

/**
 * Accepts at most one file in `field` (up to maxUploadBytes) and a handful of small text fields
 * (the CSRF token, a caption). Size and count refusals are recorded for the handler; a malformed
 * multipart body is a 400.
 */
export function singleImageUpload(field: string, maxBytes = maxUploadBytes): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 10 * 1024, parts: 25 },
  }).single(field);
  return (req, res, next) => {
    parse(req, res, (error: unknown) => {
      if (!error) return next();
      const refusal = error instanceof multer.MulterError ? limitRefusals[error.code] : undefined;
      if (!refusal) return next(new AppError(400, 'errors.badRequest'));
      refusals.set(req, refusal);
      // the request's file (if any) is incomplete: never let a handler store it
      req.file = undefined;
      next();
    });
  };
}
