// What every platform module describes: how its accounts are named, how their figures come in and
// how its profile addresses look. Pure data and functions: no I/O, no database.

export const platformKeys = [
  'weibo',
  'douyin',
  'bilibili',
  'wechat_oa',
  'wechat_channels',
  'xiaohongshu',
  'kuaishou',
  'toutiao',
  'youtube',
  'x',
] as const;
export type PlatformKey = (typeof platformKeys)[number];

/**
 * How an account's figures reach the registry (see DESIGN, stats puller): read by the puller from
 * an official or public source, tried by the puller but often blocked, or typed in with evidence.
 */
export const figureIntakes = ['automatic', 'best_effort', 'manual'] as const;
export type FigureIntake = (typeof figureIntakes)[number];

/** Why an address or id was not accepted; each has a message under `registry.profileRefusals.`. */
export const profileRefusals = [
  'empty',
  'too_long',
  'malformed',
  'scheme_not_allowed',
  'unknown_site',
  'wrong_platform',
  'short_link',
  'custom_name',
  'no_profile_urls',
  'not_a_profile',
  'invalid_id',
  'platform_required',
  'unknown_platform',
] as const;
export type ProfileRefusal = (typeof profileRefusals)[number];

export type ProfileMatch =
  | { ok: true; platform: PlatformKey; platformId: string }
  /** `platform` names the platform the address belongs to, when it is one of ours. */
  | { ok: false; reason: ProfileRefusal; platform?: PlatformKey };

/** What a platform module makes of the path and query of one of its own addresses. */
export type UrlReading =
  { id: string } | { refusal: 'not_a_profile' | 'custom_name' | 'no_profile_urls' | 'short_link' };

export interface PlatformDefinition {
  key: PlatformKey;
  /** i18n key of the platform's name. */
  labelKey: `registry.platforms.${PlatformKey}`;
  /** i18n key of a one-line description of the id format, shown next to the id field. */
  idHintKey: `registry.platformIdHints.${PlatformKey}`;
  figures: FigureIntake;
  /** Host names (lower case, exact) of its web and mobile sites. */
  hosts: readonly string[];
  /** Host names of its link shorteners: they redirect, which cannot be followed offline. */
  shortLinkHosts: readonly string[];
  /** Trims and canonicalises a typed id (case, a leading @) before validation; never validates. */
  normaliseId(raw: string): string;
  /** True when a normalised id has the platform's format. */
  isValidId(id: string): boolean;
  /** Reads the account id from one of the platform's own addresses (host already matched). */
  readUrl(url: URL, segments: readonly string[]): UrlReading;
  /** The canonical public profile address of a valid id, or undefined when the platform has none. */
  profileUrl(id: string): string | undefined;
}
