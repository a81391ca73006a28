// Synthetic answers for ids that no fixture route names, so the demo's accounts and the benchmark's
// thousands of ids get a realistic success. Each is the platform's own "ok" body with the id and a
// follower count derived from the id (the same id always gets the same count).
import { createHash } from 'node:crypto';
import { readFixtureJson } from './fixtureRoutes.js';

export interface SyntheticRequest {
  path: string;
  query: URLSearchParams;
  bodyFields: Map<string, string>;
}

/** A stable count between 100 and about two million for an id. */
export function syntheticCount(id: string): number {
  return 100 + (createHash('sha256').update(id).digest().readUInt32BE(0) % 2_000_000);
}

const codeAlphabet = '346789ABCDEFGHJKMNPQRTUVWXY'; // the registry's ownership-code alphabet

/** The ownership code a synthetic profile shows in its bio (the demo seeds it on pending accounts). */
export function syntheticOwnershipCode(id: string): string {
  const digest = createHash('sha256').update(`code:${id}`).digest();
  let body = '';
  for (let i = 0; i < 5; i += 1) body += codeAlphabet[digest[i]! % codeAlphabet.length];
  return `LH-${body}`;
}

/** The bio of a synthetic profile, with its ownership code (the automatic ownership check finds it). */
export const syntheticBio = (id: string): string =>
  `Synthetic profile ${id}. 灯塔 ${syntheticOwnershipCode(id)}`;

function clone<T>(value: T): T {
  return structuredClone(value);
}

type Json = Record<string, unknown>;

function asRecord(value: unknown): Json {
  return value !== null && typeof value === 'object' ? (value as Json) : {};
}

const bilibiliStat = (id: string): Json => ({
  code: 0,
  message: '0',
  ttl: 1,
  data: { mid: Number(id) || 0, following: 0, whisper: 0, black: 0, follower: syntheticCount(id) },
});

function bilibiliCard(id: string): Json {
  const body = clone(asRecord(readFixtureJson('bilibili/card_ok.json')));
  const data = asRecord(body.data);
  const card = asRecord(data.card);
  card.mid = id;
  card.fans = data.follower = syntheticCount(id);
  card.sign = syntheticBio(id);
  return body;
}

function weiboIndex(uid: string): Json {
  const body = clone(asRecord(readFixtureJson('weibo/getindex_ok.json')));
  const info = asRecord(asRecord(body.data).userInfo);
  info.id = Number(uid) || 0;
  info.followers_count = syntheticCount(uid);
  info.followers_count_str = String(info.followers_count);
  info.description = syntheticBio(uid);
  return body;
}

const toutiaoStat = (token: string): Json => ({
  message: 'success',
  data: { fans: String(syntheticCount(token)), following: '0', digg_count: '0' },
});

/** One YouTube channel item (the batch handler assembles a channels.list answer from these). */
export const youtubeItem = (id: string): Json => ({
  kind: 'youtube#channel',
  etag: `synthetic-${id}`,
  id,
  snippet: { title: `Channel ${id}`, description: syntheticBio(id) },
  statistics: {
    viewCount: '0',
    subscriberCount: String(syntheticCount(id)),
    hiddenSubscriberCount: false,
    videoCount: '0',
  },
});

const xUser = (username: string): Json => ({
  data: {
    id: String(syntheticCount(username)),
    name: username,
    username,
    description: syntheticBio(username),
    public_metrics: { followers_count: syntheticCount(username), following_count: 0, tweet_count: 0 },
  },
});

/** A synthetic success for a platform request whose id has no route, or undefined if there is none. */
export function synthesize(platform: string, request: SyntheticRequest): Json | undefined {
  const { path, query, bodyFields } = request;
  switch (platform) {
    case 'bilibili': {
      const stat = path === '/x/relation/stat' ? query.get('vmid') : null;
      if (stat) return bilibiliStat(stat);
      const card = path === '/x/web-interface/card' ? query.get('mid') : null;
      return card ? bilibiliCard(card) : undefined;
    }
    case 'weibo': {
      const container = path === '/api/container/getIndex' ? query.get('containerid') : null;
      return container?.startsWith('100505') ? weiboIndex(container.slice(6)) : undefined;
    }
    case 'toutiao': {
      const token = path === '/api/pc/user/fans_stat' ? bodyFields.get('token') : undefined;
      return token ? toutiaoStat(token) : undefined;
    }
    case 'x': {
      const username = /^\/2\/users\/by\/username\/([^/]+)$/.exec(path)?.[1];
      return username ? xUser(decodeURIComponent(username)) : undefined;
    }
    default:
      return undefined;
  }
}
