// The home page of each area, and the language switcher. app.ts mounts each router behind its
// area's guard:
//   public  → /language/:code  (the home page / is the directory's)
// (the creator's /me and the officers' /office home pages belong to the registry)
//   admin   → /admin       admins
import { Router } from 'express';
import { safeNextPath } from '../../http/access.js';
import { isLanguage, languageCookie } from '../../i18n/index.js';
import { setLanguage } from '../users/service.js';

const oneYearMs = 365 * 24 * 60 * 60 * 1000;

export function homeRoutes(secureCookies: boolean): {
  public: Router;
  admin: Router;
} {
  const publicRouter = Router();

  // GET / — the public home page — is the directory's (features/directory/routes.ts).

  /** GET /language/:code?next=/path — anyone; remembers the choice in a cookie. */
  publicRouter.get('/language/:code', async (req, res) => {
    const code = req.params.code;
    if (isLanguage(code)) {
      // A signed-in person's mails follow the language they last chose.
      if (req.user) await setLanguage(req.user.id, code);
      res.cookie(languageCookie, code, {
        maxAge: oneYearMs,
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies,
      });
    }
    res.redirect(303, safeNextPath(req.query.next));
  });

  const admin = Router();
  /** GET /admin — admins. */
  admin.get('/', (req, res) => {
    res.render('admin/dashboard', { title: req.t('admin.dashboard.title') });
  });

  return { public: publicRouter, admin };
}
