// Cache headers for the public pages (home, directory, member pages, pledge). A visitor's page is
// the same for every visitor in one language, so a browser or a proxy may keep it for a minute;
// anything personal is never stored: a signed-in person's page (userLocals: no-store), a page
// that sets a cookie (a form's CSRF token) or shows a flash message, and every error.
import type { RequestHandler } from 'express';
import onHeaders from 'on-headers';
import { isPublicPage } from './publicPages.js';

/** How long a visitor's copy of a public page stays fresh. */
export const publicPageMaxAgeSeconds = 60;

export const publicPageCache: RequestHandler = (req, res, next) => {
  if ((req.method !== 'GET' && req.method !== 'HEAD') || !isPublicPage(req.path)) {
    next();
    return;
  }
  // The language comes from ?lang=, the cookie or Accept-Language; a signed-in person's cookie
  // changes the page too. Caches must key on both.
  res.vary('Cookie');
  res.vary('Accept-Language');
  onHeaders(res, function decide() {
    if (this.getHeader('Cache-Control') !== undefined) return; // no-store already (signed in)
    const personal =
      req.user !== undefined || this.getHeader('Set-Cookie') !== undefined || res.locals.flash !== undefined;
    const fresh = this.statusCode === 200 || this.statusCode === 304; // 304: the copy is still good
    if (fresh && !personal) {
      this.setHeader('Cache-Control', `public, max-age=${publicPageMaxAgeSeconds}`);
    } else if (this.statusCode === 200 || this.statusCode >= 400) {
      this.setHeader('Cache-Control', 'no-store');
    }
  });
  next();
};
