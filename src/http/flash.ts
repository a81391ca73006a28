// Flash messages for post/redirect/get: set before a redirect, shown once on the next page.
import type { RequestHandler } from 'express';

export type FlashKind = 'success' | 'info' | 'error';
export interface FlashMessage {
  kind: FlashKind;
  text: string;
}

declare module 'express-session' {
  interface SessionData {
    flash?: FlashMessage[];
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    flash(kind: FlashKind, text: string): void;
  }
}

export const flash: RequestHandler = (req, res, next) => {
  req.flash = (kind, text) => {
    req.session.flash = [...(req.session.flash ?? []), { kind, text }];
  };
  const pending = req.session?.flash;
  if (pending?.length) {
    res.locals.flash = pending;
    delete req.session.flash;
  }
  next();
};
