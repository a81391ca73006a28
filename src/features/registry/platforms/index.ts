// The platform catalogue and the one place that turns a pasted profile address or a typed id into
// { platform, platformId }, or says precisely why not.
import { bilibili } from './bilibili.js';
import { douyin } from './douyin.js';
import { kuaishou } from './kuaishou.js';
import { toutiao } from './toutiao.js';
import type { PlatformDefinition, PlatformKey, ProfileMatch } from './types.js';
import { platformKeys } from './types.js';
import { wechatChannels } from './wechatChannels.js';
import { wechatOa } from './wechatOa.js';
import { weibo } from './weibo.js';
import { x } from './x.js';
import { xiaohongshu } from './xiaohongshu.js';
import { youtube } from './youtube.js';

export * from './types.js';

export const platforms: Readonly<Record<PlatformKey, PlatformDefinition>> = {
  weibo,
  douyin,
  bilibili,
  wechat_oa: wechatOa,
  wechat_channels: wechatChannels,
  xiaohongshu,
  kuaishou,
  toutiao,
  youtube,
  x,
};

/** Longer than any real profile address; refusing early keeps a 10 kB field from being parsed. */
export const maxProfileInputLength = 2048;

export function isPlatformKey(value: unknown): value is PlatformKey {
  return typeof value === 'string' && (platformKeys as readonly string[]).includes(value);
}

const byHost = new Map<string, { platform: PlatformDefinition; shortLink: boolean }>();
for (const platform of Object.values(platforms)) {
  for (const host of platform.hosts) byHost.set(host, { platform, shortLink: false });
  for (const host of platform.shortLinkHosts) byHost.set(host, { platform, shortLink: true });
}

const scheme = /^([a-z][a-z0-9+.-]*):/i;
/** "weibo.com/u/1", "space.bilibili.com/2": a host name without a scheme, as people paste them. */
const bareHost = /^(?:[a-z0-9-]+\.)+[a-z]{2,}(?::[0-9]+)?(?:[/?#]|$)/i;

/** WHATWG URL parsing drops tabs, newlines and other controls ("java\nscript:"): do it first. */
function clean(input: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return input.replace(/[\u0000-\u001f\u007f]/g, '').trim();
}

function looksLikeUrl(text: string): boolean {
  return scheme.test(text) || bareHost.test(text) || text.startsWith('//');
}

/** Path segments, percent-decoded; undefined when an escape is broken. */
function segmentsOf(url: URL): string[] | undefined {
  try {
    return url.pathname
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

/**
 * Reads a pasted profile address. With `expected`, an address of another of our platforms is
 * refused as `wrong_platform` (naming the platform it belongs to).
 */
export function parseProfileUrl(input: string, expected?: PlatformKey): ProfileMatch {
  const text = clean(input);
  if (text === '') return { ok: false, reason: 'empty' };
  if (text.length > maxProfileInputLength) return { ok: false, reason: 'too_long' };
  const schemeName = scheme.exec(text)?.[1]?.toLowerCase();
  if (schemeName !== undefined && schemeName !== 'http' && schemeName !== 'https' && !bareHost.test(text)) {
    return { ok: false, reason: 'scheme_not_allowed' };
  }
  let url: URL;
  try {
    url = new URL(
      schemeName === 'http' || schemeName === 'https' ? text : `https://${text.replace(/^\/\//, '')}`,
    );
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  // credentials or a port in a profile link are never genuine and hide the real host from readers
  if (url.username !== '' || url.password !== '' || url.port !== '')
    return { ok: false, reason: 'malformed' };
  const site = byHost.get(url.hostname.toLowerCase().replace(/\.$/, ''));
  if (!site) return { ok: false, reason: 'unknown_site' };
  const platform = site.platform.key;
  if (expected !== undefined && expected !== platform)
    return { ok: false, reason: 'wrong_platform', platform };
  if (site.shortLink) return { ok: false, reason: 'short_link', platform };
  const segments = segmentsOf(url);
  if (!segments) return { ok: false, reason: 'malformed', platform };
  const reading = site.platform.readUrl(url, segments);
  if ('refusal' in reading) return { ok: false, reason: reading.refusal, platform };
  return validatePlatformId(platform, reading.id);
}

/** Checks a typed id against the platform's format, after trimming and canonicalising it. */
export function validatePlatformId(platform: PlatformKey, raw: string): ProfileMatch {
  const definition = platforms[platform];
  const platformId = definition.normaliseId(clean(raw));
  if (platformId === '') return { ok: false, reason: 'empty', platform };
  if (platformId.length > maxProfileInputLength) return { ok: false, reason: 'too_long', platform };
  return definition.isValidId(platformId)
    ? { ok: true, platform, platformId }
    : { ok: false, reason: 'invalid_id', platform };
}

/**
 * What the account form does with its one input: a profile address (the platform follows from
 * it, and must match `chosen` when one was picked) or a bare id for the chosen platform.
 */
export function detectPlatform(input: unknown, chosen?: unknown): ProfileMatch {
  // form fields arrive as arrays or objects when someone crafts the request: refuse, never coerce
  if (typeof input !== 'string') return { ok: false, reason: 'malformed' };
  if (chosen !== undefined && chosen !== '' && !isPlatformKey(chosen)) {
    return { ok: false, reason: 'unknown_platform' };
  }
  const platform = chosen === '' || chosen === undefined ? undefined : chosen;
  const text = clean(input);
  if (platform) {
    // an id that fits wins: "UID:123" or "foo.bar" handles are ids, not addresses
    const asId = validatePlatformId(platform, text);
    if (asId.ok || !looksLikeUrl(text)) return asId;
  }
  if (text !== '' && looksLikeUrl(text)) return parseProfileUrl(text, platform);
  if (text === '') return { ok: false, reason: 'empty' };
  return { ok: false, reason: 'platform_required' };
}

/** The canonical public profile address of an account, or undefined (WeChat has none). */
export function profileUrl(platform: PlatformKey, platformId: string): string | undefined {
  return platforms[platform].profileUrl(platformId);
}
