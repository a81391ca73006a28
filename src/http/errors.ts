// Errors: an AppError carries its status; a 404 catch-all, then one handler that renders a page
// (or JSON under /api) with a request id, logs the stack, and shows a stack only in development.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { csrfErrorCode } from './csrf.js';

export class AppError extends Error {
  constructor(
    readonly status: number,
    /** A message catalogue key shown to the user. */
    readonly messageKey: string,
    /** Operational errors are expected (bad input, no access); others are bugs. */
    readonly operational = true,
  ) {
    super(messageKey);
  }
}

export const notFound: RequestHandler = (_req, _res, next) => {
  next(new AppError(404, 'errors.notFound'));
};

function statusOf(error: unknown): number {
  if (error instanceof AppError) return error.status;
  const status =
    (error as { status?: unknown; statusCode?: unknown }).status ??
    (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

const titleKeys: Record<number, string> = {
  400: 'errors.badRequest',
  403: 'errors.forbidden',
  404: 'errors.notFound',
  413: 'errors.tooLarge',
  415: 'errors.unsupportedType',
  429: 'errors.tooMany',
};

const helpKeys: Record<number, string> = {
  403: 'errors.forbiddenHelp',
  404: 'errors.notFoundHelp',
  415: 'errors.unsupportedTypeHelp',
};

export function errorHandler(showStack: boolean): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const status = statusOf(error);
    const requestId = typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : '';
    if (status >= 500) req.log.error({ err: error }, 'request failed');
    else req.log.info({ status, err: (error as Error).message }, 'request refused');
    if (res.headersSent) {
      res.end();
      return;
    }
    const isCsrf = (error as { code?: unknown }).code === csrfErrorCode;
    const messageKey =
      error instanceof AppError
        ? error.messageKey
        : isCsrf
          ? 'errors.csrf'
          : (titleKeys[status] ?? 'errors.server');
    const message = typeof req.t === 'function' ? req.t(messageKey) : messageKey;
    res.status(status);
    if (req.path.startsWith('/api/')) {
      res.json({ error: { status, message, requestId } });
      return;
    }
    res.render('errors/error', {
      title: message,
      status,
      message,
      helpKey: isCsrf
        ? 'errors.csrfHelp'
        : (helpKeys[status] ?? (status >= 500 ? 'errors.serverHelp' : 'errors.requestHelp')),
      requestId,
      stack: showStack && status >= 500 ? (error as Error).stack : undefined,
    });
  };
}
