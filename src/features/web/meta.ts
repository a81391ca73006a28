// What a page tells search engines and link previews: its description, its canonical address,
// the same page in the other languages (hreflang), Open Graph tags, and `noindex` on every page
// that is not public. A language is addressable by URL with `?lang=` (zh-CN, zh-TW, en); the
// address without it is the x-default, which follows the cookie or Accept-Language.
//
// Every res.render gets a `meta` local (views/layouts/main.hbs writes the tags). A handler may
// refine it through its render locals: `description`, `canonicalQuery` (the query parameters that
// make the page distinct, e.g. { page: 2 } or the directory's filters), `ogImage`, `ogType`.
import type { Request, RequestHandler, Response } from 'express';
import { languageQuery, languages } from '../../i18n/index.js';
import { isPublicPage } from './publicPages.js';

type QueryValues = Record<string, string | number | undefined>;

/** Render locals a handler may pass to refine its page's meta data. */
export interface PageMetaLocals {
  title?: unknown;
  description?: unknown;
  canonicalQuery?: QueryValues;
  ogImage?: unknown;
  ogType?: unknown;
}

export interface PageMeta {
  description: string;
  indexable: boolean;
  canonical: string;
  alternates: { hreflang: string; href: string }[];
  ogType: string;
  ogLocale: string;
  ogLocaleAlternates: string[];
  ogImage: string | undefined;
}

const ogLocales: Record<string, string> = { 'zh-CN': 'zh_CN', 'zh-TW': 'zh_TW', en: 'en_US' };

/** The site's origin: PUBLIC_URL, or (development, tests) the address the request came to. */
export function siteOrigin(req: Request, publicUrl: string | undefined): string {
  return publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** An absolute page address, in one language (`?lang=`) or without (the x-default). */
export function pageUrl(origin: string, path: string, query: QueryValues = {}, language?: string): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  if (language) params.set(languageQuery, language);
  const search = params.toString();
  return `${origin}${path}${search ? `?${search}` : ''}`;
}

/** A page's address in each language, then the x-default. */
export function languageAlternates(
  origin: string,
  path: string,
  query: QueryValues = {},
): { hreflang: string; href: string }[] {
  return [
    ...languages.map((language) => ({ hreflang: language, href: pageUrl(origin, path, query, language) })),
    { hreflang: 'x-default', href: pageUrl(origin, path, query) },
  ];
}

/** The path and query without `lang`: where the language switcher sends a person back to. */
export function withoutLanguage(url: string): string {
  const [path = '/', search] = url.split('?', 2);
  if (search === undefined) return url;
  const params = new URLSearchParams(search);
  params.delete(languageQuery);
  const rest = params.toString();
  return rest ? `${path}?${rest}` : path;
}

/** The message key of a page's default description. */
function descriptionKey(path: string): string {
  if (path === '/') return 'web.descriptions.home';
  if (path === '/members') return 'web.descriptions.members';
  if (path.startsWith('/members/')) return 'web.descriptions.member';
  if (path === '/pledge' || path.startsWith('/pledge/')) return 'web.descriptions.pledge';
  return 'web.descriptions.default';
}

/** `?page=3` is a distinct page of a list; other parameters only when the handler says so. */
function defaultCanonicalQuery(req: Request): QueryValues {
  const page = req.query.page;
  return typeof page === 'string' && /^[2-9]$|^[1-9]\d{1,5}$/.test(page) ? { page } : {};
}

function buildMeta(
  req: Request,
  res: Response,
  locals: PageMetaLocals,
  publicUrl: string | undefined,
): PageMeta {
  const origin = siteOrigin(req, publicUrl);
  const query = locals.canonicalQuery ?? defaultCanonicalQuery(req);
  // A page asked for in one language (?lang=) is canonical in that language.
  const explicit = (req as { i18nextLookupName?: string }).i18nextLookupName === 'querystring';
  const title = typeof locals.title === 'string' ? locals.title : req.t('site.name');
  return {
    description:
      typeof locals.description === 'string'
        ? locals.description
        : req.t(descriptionKey(req.path), { name: title }),
    indexable: res.statusCode === 200 && isPublicPage(req.path),
    canonical: pageUrl(origin, req.path, query, explicit ? req.language : undefined),
    alternates: languageAlternates(origin, req.path, query),
    ogType: typeof locals.ogType === 'string' ? locals.ogType : 'website',
    ogLocale: ogLocales[req.language] ?? 'zh_CN',
    ogLocaleAlternates: languages.filter((l) => l !== req.language).map((l) => ogLocales[l] ?? l),
    ogImage: typeof locals.ogImage === 'string' ? new URL(locals.ogImage, origin).href : undefined,
  };
}

type RenderCallback = (error: Error, html: string) => void;

export function pageMeta(publicUrl: string | undefined): RequestHandler {
  return (req, res, next) => {
    // The switcher's way back drops ?lang=, or it would undo the choice it just stored.
    res.locals.currentPath = withoutLanguage(req.originalUrl);
    const render = res.render.bind(res) as (view: string, locals: object, callback?: RenderCallback) => void;
    res.render = (view: string, locals?: object | RenderCallback, callback?: RenderCallback) => {
      const own: object = typeof locals === 'function' ? {} : (locals ?? {});
      const done = typeof locals === 'function' ? (locals as RenderCallback) : callback;
      const merged = { ...res.locals, ...own } as PageMetaLocals;
      render(view, { ...own, meta: buildMeta(req, res, merged, publicUrl) }, done);
    };
    next();
  };
}
