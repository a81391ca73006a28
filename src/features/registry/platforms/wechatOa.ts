// WeChat official accounts have no public profile address (mp.weixin.qq.com shows articles only),
// so the id is typed: the original id gh_ + 12 hex digits, or the account's WeChat id.
import type { PlatformDefinition } from './types.js';

/** 原始 ID: gh_ followed by 12 lower-case hex digits. */
const originalId = /^gh_[0-9a-f]{12}$/;
/** 微信号: 6–20 letters, digits, _ or -, starting with a letter (WeChat's own rule). */
export const wechatId = /^[a-z][a-z0-9_-]{5,19}$/;

export const wechatOa: PlatformDefinition = {
  key: 'wechat_oa',
  labelKey: 'registry.platforms.wechat_oa',
  idHintKey: 'registry.platformIdHints.wechat_oa',
  figures: 'manual',
  hosts: ['mp.weixin.qq.com', 'weixin.qq.com', 'open.weixin.qq.com'],
  shortLinkHosts: [],
  // WeChat ids are case-insensitive; one case keeps them unique across the registry
  normaliseId: (raw) => raw.trim().toLowerCase(),
  isValidId: (id) => originalId.test(id) || wechatId.test(id),
  readUrl: () => ({ refusal: 'no_profile_urls' }),
  profileUrl: () => undefined,
};
