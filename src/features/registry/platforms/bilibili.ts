// Bilibili: accounts are numeric mids (space.bilibili.com/<mid>, m.bilibili.com/space/<mid>).
import { isDecimalId } from './ids.js';
import type { PlatformDefinition } from './types.js';

export const bilibili: PlatformDefinition = {
  key: 'bilibili',
  labelKey: 'registry.platforms.bilibili',
  idHintKey: 'registry.platformIdHints.bilibili',
  figures: 'automatic',
  hosts: ['space.bilibili.com', 'm.bilibili.com', 'www.bilibili.com', 'bilibili.com'],
  shortLinkHosts: ['b23.tv', 'bili2233.cn'],
  normaliseId: (raw) => raw.trim().replace(/^UID[:：]?\s*/i, ''),
  // mids have grown to 16 digits (accounts opened since 2021)
  isValidId: (id) => isDecimalId(id, 1, 19),
  readUrl(url, [first, second]) {
    if (url.hostname === 'space.bilibili.com') return first ? { id: first } : { refusal: 'not_a_profile' };
    if (first === 'space' && second) return { id: second };
    return { refusal: 'not_a_profile' };
  },
  profileUrl: (id) => `https://space.bilibili.com/${id}`,
};
