// Douyin: the public id is the sec_uid (MS4wLjABAAAA…) from www.douyin.com/user/<sec_uid>; the
// share page on iesdouyin.com carries it in the query. The 抖音号 shown in the app is another id.
import { byteDanceSecUid } from './ids.js';
import type { PlatformDefinition } from './types.js';

export const douyin: PlatformDefinition = {
  key: 'douyin',
  labelKey: 'registry.platforms.douyin',
  idHintKey: 'registry.platformIdHints.douyin',
  figures: 'manual',
  hosts: ['douyin.com', 'www.douyin.com', 'm.douyin.com', 'iesdouyin.com', 'www.iesdouyin.com'],
  shortLinkHosts: ['v.douyin.com'],
  normaliseId: (raw) => raw.trim(),
  isValidId: (id) => byteDanceSecUid.test(id),
  readUrl(url, [first, second, third]) {
    // www.iesdouyin.com/share/user/<numeric uid>?sec_uid=MS4w…
    if (first === 'share' && second === 'user') {
      const secUid = url.searchParams.get('sec_uid');
      return secUid ? { id: secUid } : third ? { id: third } : { refusal: 'not_a_profile' };
    }
    // www.douyin.com/user/<sec_uid>; /user/self is the visitor's own page
    if (first === 'user' && second && second !== 'self') return { id: second };
    return { refusal: 'not_a_profile' };
  },
  profileUrl: (id) => `https://www.douyin.com/user/${id}`,
};
