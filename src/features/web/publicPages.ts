// The public pages that search engines may index, share a cache and list in the sitemap: the
// home page, the directory, member pages and the pledge. Everything else (sign-in, the areas,
// error pages) is neither cached publicly nor indexed.
import { maxSlugLength, slugPattern } from '../registry/slug.js';

const publicPagePatterns: RegExp[] = [/^\/$/, /^\/members$/, /^\/pledge$/, /^\/pledge\/v\/[1-9]\d{0,5}$/];
const memberPage = /^\/members\/([^/]+)$/;

/** Whether a path (no query string) is one of the public, indexable pages. */
export function isPublicPage(path: string): boolean {
  if (publicPagePatterns.some((pattern) => pattern.test(path))) return true;
  const slug = memberPage.exec(path)?.[1];
  return slug !== undefined && slug.length <= maxSlugLength && slugPattern.test(slug);
}

/** The pages the sitemap lists before the member pages. */
export const sitemapPages = ['/', '/members', '/pledge'] as const;
