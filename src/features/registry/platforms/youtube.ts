// YouTube: a channel is named by its id (UC + 22 characters), its @handle, or one of the legacy
// custom (/c/<name>) and username (/user/<name>) addresses. Each form is kept as it came, prefixed
// so that the canonical address can be rebuilt: "UC…", "@handle", "c/<name>", "user/<name>".
import type { PlatformDefinition } from './types.js';

const channelId = /^UC[A-Za-z0-9_-]{22}$/;
/** Handles: 3–30 letters (any script), digits, _, - or . (YouTube's handle rules). */
const handle = /^@[\p{L}\p{N}_.-]{3,30}$/u;
const legacyName = /^(c|user)\/[\p{L}\p{N}_.-]{1,100}$/u;

export const youtube: PlatformDefinition = {
  key: 'youtube',
  labelKey: 'registry.platforms.youtube',
  idHintKey: 'registry.platformIdHints.youtube',
  figures: 'automatic',
  // youtu.be links name videos, not channels: a known site, so "not a profile" rather than unknown
  hosts: ['www.youtube.com', 'youtube.com', 'm.youtube.com', 'youtu.be'],
  shortLinkHosts: [],
  normaliseId(raw) {
    const id = raw.trim().replace(/^＠/, '@');
    // handles are case-insensitive; channel ids and legacy names are not
    return id.startsWith('@') ? id.toLowerCase() : id;
  },
  isValidId: (id) => channelId.test(id) || handle.test(id) || legacyName.test(id),
  readUrl(_url, [first, second]) {
    if (first?.startsWith('@')) return { id: first.toLowerCase() };
    if (first === 'channel' && second) return { id: second };
    if ((first === 'c' || first === 'user') && second) return { id: `${first}/${second}` };
    return { refusal: 'not_a_profile' };
  },
  profileUrl: (id) =>
    channelId.test(id) ? `https://www.youtube.com/channel/${id}` : `https://www.youtube.com/${encodeURI(id)}`,
};
