// Bilibili: the public x/relation/stat (no login, no signing) gives the follower count; the card
// endpoint also carries the bio (`sign`) for the ownership check. A 412 (JSON or HTML body), -412,
// -352 (risk control) and -799 (too frequent) are bans: the breaker opens, nothing is retried.
import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import {
  figureOutcome,
  isOutcome,
  type JsonAnswer,
  optionalCount,
  requestJson,
  statusFallback,
} from '../http.js';
import { type AdapterOutcome, blocked, notFound } from '../outcomes.js';
import { type AutomaticAdapter, needsNoCredentials, oneIdPerRequest, singleIdPull } from './types.js';

const envelope = z.object({ code: z.number(), message: z.string().optional(), data: z.unknown().optional() });
const statData = z.object({ follower: z.unknown() });
const cardData = z.object({
  card: z.object({ name: z.string().optional(), sign: z.string().optional(), fans: z.unknown() }),
  follower: z.unknown().optional(),
  like_num: z.unknown().optional(),
  archive_count: z.unknown().optional(),
});

const banCodes = new Map<number, string>([
  [-412, 'request banned (-412)'],
  [-352, 'risk control (-352)'],
  [-799, 'too frequent (-799)'],
]);
// -400 bad id, -404 no such user, -626 user does not exist.
const notFoundCodes = new Set([-400, -404, -626]);

const banStatus = (status: number): AdapterOutcome | undefined =>
  status === 412 ? blocked('request banned (HTTP 412)') : undefined;

/** The envelope's data when code is 0, else the outcome its code means. */
function readEnvelope(answer: JsonAnswer): { data: unknown } | AdapterOutcome {
  const parsed = envelope.safeParse(answer.body);
  if (!parsed.success) return statusFallback(answer);
  const { code, message = '', data } = parsed.data;
  if (code === 0) return { data };
  const ban = banCodes.get(code);
  if (ban) return blocked(ban);
  if (notFoundCodes.has(code)) return notFound(`${message} (${code})`);
  return statusFallback(answer);
}

async function pullOne(http: AxiosInstance, mid: string): Promise<AdapterOutcome> {
  const answer = await requestJson(http, { url: '/x/relation/stat', params: { vmid: mid } }, banStatus);
  if (isOutcome(answer)) return answer;
  const read = readEnvelope(answer);
  if ('kind' in read) return read;
  const data = statData.safeParse(read.data);
  return data.success ? figureOutcome(data.data.follower, 'public_web') : statusFallback(answer);
}

async function readProfile(http: AxiosInstance, mid: string): Promise<AdapterOutcome> {
  const answer = await requestJson(http, { url: '/x/web-interface/card', params: { mid } }, banStatus);
  if (isOutcome(answer)) return answer;
  const read = readEnvelope(answer);
  if ('kind' in read) return read;
  const data = cardData.safeParse(read.data);
  if (!data.success) return statusFallback(answer);
  const { card, follower, like_num, archive_count } = data.data;
  const outcome = figureOutcome(follower ?? card.fans, 'public_web', {
    likes: optionalCount(like_num),
    posts: optionalCount(archive_count),
  });
  return outcome.kind === 'figure'
    ? { ...outcome, profile: { displayName: card.name, bio: card.sign } }
    : outcome;
}

export const bilibili: AutomaticAdapter = {
  mode: 'automatic',
  platform: 'bilibili',
  source: 'public_web',
  // Without a Referer the endpoint answers 412 to everyone; it is not a disguise.
  headers: { Referer: 'https://space.bilibili.com/' },
  missingCredentials: needsNoCredentials,
  planBatches: oneIdPerRequest,
  pull: singleIdPull(pullOne),
  readProfile,
};
