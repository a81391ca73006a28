// Shared form plumbing: turn express-validator results into per-field messages in the request's
// language, and keep what was typed (never a password) to show the form again.
import type { IncomingMessage } from 'node:http';
import express, { type Request, type RequestHandler } from 'express';
import { validationResult } from 'express-validator';
import { limits } from './fields.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Form fields whose bytes were not valid UTF-8 (their value is left percent-encoded). */
    unreadableFields?: Set<string>;
  }
}

/** Form fields whose percent-encoded bytes do not decode as UTF-8. */
function findUnreadableFields(raw: string): Set<string> {
  const unreadable = new Set<string>();
  for (const pair of raw.split('&')) {
    const [name = '', value = ''] = pair.split('=', 2).map((part) => part.replace(/\+/g, ' '));
    try {
      decodeURIComponent(value);
    } catch {
      try {
        unreadable.add(decodeURIComponent(name));
      } catch {
        unreadable.add(name);
      }
    }
  }
  return unreadable;
}

/**
 * Parses `application/x-www-form-urlencoded` bodies as plain key=value pairs: `email[$ne]=x`
 * stays the literal field name "email[$ne]", so no form value can become a query operator.
 * Fields with malformed UTF-8 are noted for the validators (see `readable` in validation).
 */
export function formBodies(): RequestHandler {
  return express.urlencoded({
    extended: false,
    limit: '256kb',
    parameterLimit: 200,
    verify: (req: IncomingMessage, _res, buffer) => {
      const unreadable = findUnreadableFields(buffer.toString('latin1'));
      if (unreadable.size) (req as Request).unreadableFields = unreadable;
    },
  });
}

export type FieldErrors = Record<string, { msg: string }>;

/** Per-field messages, or undefined when the form is valid. */
export function fieldErrors(req: Request): FieldErrors | undefined {
  const result = validationResult(req);
  if (result.isEmpty()) return undefined;
  const errors: FieldErrors = {};
  for (const [field, error] of Object.entries(result.mapped())) {
    // Messages may name a limit: "Use at least {{passwordMin}} characters."
    errors[field] = { msg: req.t(String(error.msg), limits) };
  }
  return errors;
}

/** The submitted text of the named fields (strings only; arrays and objects are dropped). */
export function keptValues(req: Request, fields: readonly string[]): Record<string, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const kept: Record<string, string> = {};
  for (const field of fields) {
    const value = body[field];
    if (typeof value === 'string') kept[field] = value;
  }
  return kept;
}
