// What one pull of one account can come to. Adapters answer with the first five kinds; the
// platform client adds "skipped" (breaker open, platform paused) and "manual" (no automatic pull).
// The scheduler decides from the kind alone: store a snapshot, mark the account, retry next run,
// or leave the platform alone until its breaker closes.
import { pulledPlatforms, type PulledPlatform } from '../../config.js';
import type { CountPrecision } from './parseCount.js';

/** Platforms the puller pulls (config.ts names their production hosts); the rest are entered by hand with evidence. */
export type AutomaticPlatform = PulledPlatform;
export const automaticPlatforms = Object.keys(pulledPlatforms) as AutomaticPlatform[];
export const manualPlatforms = ['douyin', 'kuaishou', 'xiaohongshu', 'wechat_oa', 'wechat_channels'] as const;
export type ManualPlatform = (typeof manualPlatforms)[number];
export type StatsPlatform = AutomaticPlatform | ManualPlatform;
export const statsPlatforms: readonly StatsPlatform[] = [...automaticPlatforms, ...manualPlatforms];

export type FigureSource = 'official_api' | 'public_web';

export interface Figure {
  followers: number;
  precision: CountPrecision;
  /** The follower count exactly as the platform sent it. */
  raw: string;
  /** "10万+": the platform only says "at least". */
  atLeast: boolean;
  likes?: number;
  posts?: number;
  source: FigureSource;
}

/** The public profile's text, where the answer carries it (for the ownership-code check). */
export interface PublicProfile {
  displayName?: string;
  bio?: string;
}

export type AdapterOutcome =
  | { kind: 'figure'; figure: Figure; profile?: PublicProfile }
  | { kind: 'not_found'; detail: string }
  | { kind: 'hidden'; detail: string; profile?: PublicProfile }
  /** Worth another try later: 5xx, timeout, malformed answer. */
  | { kind: 'transient'; detail: string }
  /** A ban, captcha, login wall, quota or credentials answer: stop calling this platform for a while. */
  | { kind: 'blocked'; detail: string };

export type PullOutcome =
  | AdapterOutcome
  | { kind: 'skipped'; detail: 'breaker_open' | 'paused' | 'stopped' | 'not_configured' }
  | { kind: 'manual'; detail: string };

export type OutcomeKind = PullOutcome['kind'];

export const outcomeKinds: readonly OutcomeKind[] = [
  'figure',
  'not_found',
  'hidden',
  'transient',
  'blocked',
  'skipped',
  'manual',
];

export const transient = (detail: string): AdapterOutcome => ({ kind: 'transient', detail });
export const blocked = (detail: string): AdapterOutcome => ({ kind: 'blocked', detail });
export const notFound = (detail: string): AdapterOutcome => ({ kind: 'not_found', detail });

export function isAutomaticPlatform(platform: string): platform is AutomaticPlatform {
  return (automaticPlatforms as readonly string[]).includes(platform);
}
