// What every page knows. pageLocals runs right after the language is known, so that even an
// early error page (a body too large, say) is translated: the translator, the language and its
// switcher, the current path, and whether data is the offline lane's demo data kept in memory.
// userLocals runs once the session is loaded: who is signed in.
import type { RequestHandler } from 'express';
import { languages } from '../i18n/index.js';
import { limits } from './fields.js';

export function pageLocals(lane: { lane: string; inMemory: boolean }): RequestHandler {
  return (req, res, next) => {
    res.locals.t = req.t;
    res.locals.lang = req.language;
    res.locals.languages = languages.map((code) => ({
      code,
      label: req.t(`languages.${code}`),
      current: code === req.language,
    }));
    res.locals.currentPath = req.originalUrl;
    res.locals.currentPathname = req.path;
    res.locals.demoLane = lane.inMemory;
    // Field limits for maxlength attributes and hints: {{limits.displayName}}
    res.locals.limits = limits;
    next();
  };
}

/** The signed-in user for views; their pages are never stored by the browser or a proxy. */
export const userLocals: RequestHandler = (req, res, next) => {
  res.locals.currentUser = req.user;
  // Back after signing out on a shared office computer must not show someone's pages.
  if (req.user) res.set('Cache-Control', 'no-store');
  next();
};
