// Weibo: accounts are numeric uids. weibo.com/<custom> and /n/<nickname> addresses name a vanity
// domain that only a signed-in lookup resolves, so those need the uid typed.
import { isDecimalId } from './ids.js';
import type { PlatformDefinition } from './types.js';

/** The profile container id is "100505" followed by the uid (m.weibo.cn/p/… and containerid=). */
const profileContainer = /^100505([1-9][0-9]{4,11})$/;

/** weibo.com paths that are site pages, not vanity domains. */
const sitePages = new Set(['home', 'hot', 'search', 'login', 'signup', 'set', 'at', 'fav', 'like', 'status']);

export const weibo: PlatformDefinition = {
  key: 'weibo',
  labelKey: 'registry.platforms.weibo',
  idHintKey: 'registry.platformIdHints.weibo',
  figures: 'best_effort',
  hosts: ['weibo.com', 'www.weibo.com', 'm.weibo.com', 'weibo.cn', 'www.weibo.cn', 'm.weibo.cn'],
  shortLinkHosts: ['t.cn'],
  normaliseId: (raw) => raw.trim(),
  isValidId: (id) => isDecimalId(id, 5, 12),
  readUrl(url, [first, second]) {
    const container = profileContainer.exec(url.searchParams.get('containerid') ?? '');
    if (container?.[1]) return { id: container[1] };
    if (!first) return { refusal: 'not_a_profile' };
    // weibo.com/u/<uid>, m.weibo.cn/u/<uid>, m.weibo.cn/profile/<uid>
    if ((first === 'u' || first === 'profile') && second) return { id: second };
    // weibo.com/p/1005051234567890/home
    const page = first === 'p' && second ? profileContainer.exec(second) : null;
    if (page?.[1]) return { id: page[1] };
    // weibo.com/<uid> and weibo.com/<uid>/<post id>: the author's uid comes first
    if (/^[0-9]+$/.test(first)) return { id: first };
    if (first === 'n' && second) return { refusal: 'custom_name' };
    if (sitePages.has(first) || !/^[A-Za-z][A-Za-z0-9_-]{3,29}$/.test(first))
      return { refusal: 'not_a_profile' };
    return { refusal: 'custom_name' };
  },
  profileUrl: (id) => `https://weibo.com/u/${id}`,
};
