// Shared form plumbing: turn express-validator results into per-field messages in the request's
// language, and keep what was typed (never a password) to show the form again.
import type { Request } from 'express';
import { validationResult } from 'express-validator';

export type FieldErrors = Record<string, { msg: string }>;

/** Per-field messages, or undefined when the form is valid. */
export function fieldErrors(req: Request): FieldErrors | undefined {
  const result = validationResult(req);
  if (result.isEmpty()) return undefined;
  const errors: FieldErrors = {};
  for (const [field, error] of Object.entries(result.mapped())) {
    errors[field] = { msg: req.t(String(error.msg)) };
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
