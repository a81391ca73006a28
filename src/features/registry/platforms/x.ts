// X (formerly Twitter): accounts are handles of 1–15 letters, digits or _, on x.com and the older
// twitter.com alike. Handles are case-insensitive: kept in lower case, without the @.
import { trimHandle } from './ids.js';
import type { PlatformDefinition } from './types.js';

/** First path segments that are site pages rather than handles. */
const sitePages = new Set([
  'home',
  'explore',
  'search',
  'i',
  'settings',
  'messages',
  'notifications',
  'intent',
  'share',
  'hashtag',
  'compose',
  'login',
  'logout',
  'signup',
  'tos',
  'privacy',
  'jobs',
  'download',
  'about',
]);

export const x: PlatformDefinition = {
  key: 'x',
  labelKey: 'registry.platforms.x',
  idHintKey: 'registry.platformIdHints.x',
  figures: 'automatic',
  hosts: ['x.com', 'www.x.com', 'mobile.x.com', 'twitter.com', 'www.twitter.com', 'mobile.twitter.com'],
  shortLinkHosts: ['t.co'],
  normaliseId: (raw) => trimHandle(raw).toLowerCase(),
  isValidId: (id) => /^[a-z0-9_]{1,15}$/.test(id),
  readUrl(_url, [first]) {
    // x.com/<handle>, x.com/<handle>/status/<id> (the author), x.com/<handle>/media
    if (!first || sitePages.has(first.toLowerCase())) return { refusal: 'not_a_profile' };
    return { id: trimHandle(first).toLowerCase() };
  },
  profileUrl: (id) => `https://x.com/${id}`,
};
