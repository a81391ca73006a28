// Xiaohongshu: the account's user_id is 24 hex digits (www.xiaohongshu.com/user/profile/<id>); the
// 小红书号 shown in the app (red_id) is a different id and cannot be turned into it offline.
import type { PlatformDefinition } from './types.js';

export const xiaohongshu: PlatformDefinition = {
  key: 'xiaohongshu',
  labelKey: 'registry.platforms.xiaohongshu',
  idHintKey: 'registry.platformIdHints.xiaohongshu',
  figures: 'manual',
  hosts: ['www.xiaohongshu.com', 'xiaohongshu.com', 'm.xiaohongshu.com'],
  shortLinkHosts: ['xhslink.com', 'www.xhslink.com'],
  normaliseId: (raw) => raw.trim().toLowerCase(),
  isValidId: (id) => /^[0-9a-f]{24}$/.test(id),
  readUrl(_url, [first, second, third]) {
    if (first === 'user' && second === 'profile' && third) return { id: third };
    return { refusal: 'not_a_profile' };
  },
  profileUrl: (id) => `https://www.xiaohongshu.com/user/profile/${id}`,
};
