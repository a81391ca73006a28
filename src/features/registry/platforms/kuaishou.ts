// Kuaishou: the public id (eid) starts with "3x" (www.kuaishou.com/profile/<eid>); the numeric uid
// is not accepted by the profile page, so it is not accepted here either.
import type { PlatformDefinition } from './types.js';

export const kuaishou: PlatformDefinition = {
  key: 'kuaishou',
  labelKey: 'registry.platforms.kuaishou',
  idHintKey: 'registry.platformIdHints.kuaishou',
  figures: 'manual',
  hosts: ['www.kuaishou.com', 'kuaishou.com', 'live.kuaishou.com', 'm.kuaishou.com'],
  shortLinkHosts: ['v.kuaishou.com', 'kphb.kuaishou.com'],
  normaliseId: (raw) => raw.trim().toLowerCase(),
  isValidId: (id) => /^3x[0-9a-z]{6,24}$/.test(id),
  readUrl(_url, [first, second, third]) {
    // www.kuaishou.com/profile/<eid>, live.kuaishou.com/profile/<eid>, /fw/user/<eid> (mobile share)
    if (first === 'profile' && second) return { id: second };
    if (first === 'fw' && second === 'user' && third) return { id: third };
    return { refusal: 'not_a_profile' };
  },
  profileUrl: (id) => `https://www.kuaishou.com/profile/${id}`,
};
