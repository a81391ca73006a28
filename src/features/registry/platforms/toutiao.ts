// Toutiao: the profile address carries a token (MS4wLjABAAAA…, /c/user/token/<token>/); older
// addresses carry a numeric user id (/c/user/<id>/) that the site redirects to the token form.
// Both are kept as typed: the redirect cannot be followed offline.
import { byteDanceSecUid, isDecimalId } from './ids.js';
import type { PlatformDefinition } from './types.js';

export const toutiao: PlatformDefinition = {
  key: 'toutiao',
  labelKey: 'registry.platforms.toutiao',
  idHintKey: 'registry.platformIdHints.toutiao',
  figures: 'best_effort',
  hosts: ['www.toutiao.com', 'toutiao.com', 'm.toutiao.com'],
  shortLinkHosts: [],
  normaliseId: (raw) => raw.trim(),
  isValidId: (id) => byteDanceSecUid.test(id) || isDecimalId(id, 5, 20),
  readUrl(_url, [first, second, third, fourth]) {
    if (first === 'c' && second === 'user' && third === 'token') {
      return fourth ? { id: fourth } : { refusal: 'not_a_profile' };
    }
    if (first === 'c' && second === 'user' && third) return { id: third };
    // m.toutiao.com/is/<code>/ is the app's share short link
    if (first === 'is') return { refusal: 'short_link' };
    // m.toutiao.com/profile/<id>/
    if (first === 'profile' && second) return { id: second };
    return { refusal: 'not_a_profile' };
  },
  profileUrl: (id) =>
    byteDanceSecUid.test(id)
      ? `https://www.toutiao.com/c/user/token/${id}/`
      : `https://www.toutiao.com/c/user/${id}/`,
};
