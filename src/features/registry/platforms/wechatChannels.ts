// WeChat Channels (视频号) has no public profile address; the id shown in the app's profile
// settings is "sph" followed by letters and digits, and is typed in.
import type { PlatformDefinition } from './types.js';

export const wechatChannels: PlatformDefinition = {
  key: 'wechat_channels',
  labelKey: 'registry.platforms.wechat_channels',
  idHintKey: 'registry.platformIdHints.wechat_channels',
  figures: 'manual',
  hosts: ['channels.weixin.qq.com'],
  shortLinkHosts: [],
  normaliseId: (raw) => raw.trim(),
  isValidId: (id) => /^sph[A-Za-z0-9]{6,24}$/.test(id),
  readUrl: () => ({ refusal: 'no_profile_urls' }),
  profileUrl: () => undefined,
};
