// What every page knows: the signed-in user, the language and its switcher, the current path,
// and whether data is the offline lane's demo data kept in memory.
import type { RequestHandler } from 'express';
import { languages } from '../i18n/index.js';

export function pageLocals(lane: { lane: string; inMemory: boolean }): RequestHandler {
  return (req, res, next) => {
    res.locals.t = req.t;
    res.locals.lang = req.language;
    res.locals.languages = languages.map((code) => ({ code, label: req.t(`languages.${code}`), current: code === req.language }));
    res.locals.currentUser = req.user;
    res.locals.currentPath = req.originalUrl;
    res.locals.demoLane = lane.inMemory;
    next();
  };
}
