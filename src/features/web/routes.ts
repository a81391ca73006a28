// What search engines read first: /robots.txt (which parts of the site are not for them, and
// where the sitemap is) and /sitemap.xml (the public pages, each in the three languages).
// Mounted before cookies and sessions: neither answer depends on who asks.
import { Router } from 'express';
import { XMLBuilder } from 'fast-xml-parser';
import { languages } from '../../i18n/index.js';
import { listPublicSlugs } from '../directory/service.js';
import { languageAlternates, pageUrl, siteOrigin } from './meta.js';
import { sitemapPages } from './publicPages.js';

/** How long a browser or crawler may keep robots.txt and the sitemap. */
export const crawlerFilesMaxAgeSeconds = 600;

/**
 * Disallowed paths: the signed-in areas, files, the language switcher's redirects (every page
 * again, three times), the JSON API and the CSV download (data for programs, not pages). `/me/`
 * and `/me$` rather than `/me`, which would also match /members.
 */
export const disallowedPaths = [
  '/me$',
  '/me/',
  '/office',
  '/admin',
  '/account',
  '/files/',
  '/creator',
  '/language/',
  '/logout',
  '/api/',
  '/members.csv',
];

const sitemapBuilder = new XMLBuilder({ ignoreAttributes: false, suppressEmptyNode: true });

export function webRoutes(options: { publicUrl: string | undefined }): Router {
  const router = Router();

  /** GET /robots.txt — anyone. */
  router.get('/robots.txt', (req, res) => {
    const origin = siteOrigin(req, options.publicUrl);
    const lines = [
      'User-agent: *',
      ...disallowedPaths.map((path) => `Disallow: ${path}`),
      '',
      `Sitemap: ${origin}/sitemap.xml`,
      '',
    ];
    res.set('Cache-Control', `public, max-age=${crawlerFilesMaxAgeSeconds}`);
    res.type('text/plain').send(lines.join('\n'));
  });

  /** GET /sitemap.xml — anyone: home, directory, pledge and each public member page, per language. */
  router.get('/sitemap.xml', async (req, res) => {
    const origin = siteOrigin(req, options.publicUrl);
    // The directory's one definition of a public member: approved, consenting, active, verified.
    const members = await listPublicSlugs();
    const pages = [
      ...sitemapPages.map((path) => ({ path, lastmod: undefined as Date | undefined })),
      ...members.map((member) => ({ path: `/members/${member.slug}`, lastmod: member.updatedAt })),
    ];
    // Each language's address is its own entry, listing every alternate (itself included).
    const url = pages.flatMap(({ path, lastmod }) => {
      const links = languageAlternates(origin, path).map(({ hreflang, href }) => ({
        '@_rel': 'alternate',
        '@_hreflang': hreflang,
        '@_href': href,
      }));
      return languages.map((language) => ({
        loc: pageUrl(origin, path, {}, language),
        ...(lastmod ? { lastmod: lastmod.toISOString() } : {}),
        'xhtml:link': links,
      }));
    });
    const xml = sitemapBuilder.build({
      '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
      urlset: {
        '@_xmlns': 'http://www.sitemaps.org/schemas/sitemap/0.9',
        '@_xmlns:xhtml': 'http://www.w3.org/1999/xhtml',
        url,
      },
    });
    res.set('Cache-Control', `public, max-age=${crawlerFilesMaxAgeSeconds}`);
    res.type('application/xml').send(xml);
  });

  return router;
}
