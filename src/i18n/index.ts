// Languages: Simplified Chinese (default), Traditional Chinese, English. The choice comes from
// `?lang=` in the URL (one address per language, for search engines: see features/web/meta.ts),
// then the `lang` cookie (set by the switcher, /language/:lng), then Accept-Language, then the default.
import i18next, { type i18n } from 'i18next';
import { LanguageDetector, handle } from 'i18next-http-middleware';
import type { RequestHandler } from 'express';
import type { Language } from '../config.js';
import { loadCatalogue } from './catalogue.js';

export const languages = ['zh-CN', 'zh-TW', 'en'] as const satisfies readonly Language[];
export const languageCookie = 'lang';
/** `?lang=en`: a page's address in one language (hreflang alternates, the sitemap). */
export const languageQuery = 'lang';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/** Maps a browser's language tag onto one of ours (zh-HK reads Traditional, zh-SG Simplified). */
export function toSupportedLanguage(tag: string): string {
  const lower = tag.toLowerCase();
  if (/^zh[-_](tw|hk|mo|hant)/.test(lower)) return 'zh-TW';
  if (lower === 'zh' || lower.startsWith('zh-') || lower.startsWith('zh_')) return 'zh-CN';
  if (lower === 'en' || lower.startsWith('en-') || lower.startsWith('en_')) return 'en';
  return tag;
}

export async function createI18n(defaultLanguage: Language): Promise<i18n> {
  const instance = i18next.createInstance();
  const detector = new LanguageDetector();
  await instance.use(detector).init({
    resources: Object.fromEntries(
      languages.map((language) => [language, { translation: loadCatalogue(language) }]),
    ),
    supportedLngs: [...languages],
    fallbackLng: defaultLanguage,
    load: 'currentOnly',
    interpolation: { escapeValue: false }, // Handlebars escapes on output
    returnNull: false,
    detection: {
      order: ['querystring', 'cookie', 'header'],
      lookupQuerystring: languageQuery,
      lookupCookie: languageCookie,
      caches: false,
      convertDetectedLanguage: toSupportedLanguage,
    },
  });
  return instance;
}

export function i18nMiddleware(instance: i18n): RequestHandler {
  return handle(instance) as RequestHandler;
}
