// / (the public home page) and /language/:code (the language switcher).
import { Router } from 'express';
import { safeNextPath } from '../../http/access.js';
import { isLanguage, languageCookie } from '../../i18n/index.js';

const oneYearMs = 365 * 24 * 60 * 60 * 1000;

export function homeRoutes(secureCookies: boolean): Router {
  const router = Router();

  /** GET / — anyone. */
  router.get('/', (req, res) => {
    res.render('home/index', { title: req.t('home.title') });
  });

  /** GET /language/:code?next=/path — anyone; remembers the choice in a cookie. */
  router.get('/language/:code', (req, res) => {
    const code = req.params.code;
    if (isLanguage(code)) {
      res.cookie(languageCookie, code, {
        maxAge: oneYearMs,
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies,
      });
    }
    res.redirect(303, safeNextPath(req.query.next));
  });

  return router;
}
