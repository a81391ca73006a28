// Weibo (best effort): the mobile getIndex profile container. Since mid-2025 anonymous callers
// mostly get HTTP 432, a login redirect or an empty "captcha" answer; each of those is a block, so
// the breaker keeps the puller away instead of hammering. No visitor cookies are minted.
import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import { figureOutcome, isOutcome, optionalCount, requestJson, statusFallback } from '../http.js';
import { type AdapterOutcome, blocked, notFound } from '../outcomes.js';
import { type AutomaticAdapter, needsNoCredentials, oneIdPerRequest, singleIdPull } from './types.js';

const answerSchema = z.object({
  ok: z.number(),
  msg: z.string().optional(),
  url: z.string().optional(),
  data: z
    .object({
      userInfo: z
        .object({
          screen_name: z.string().optional(),
          description: z.string().optional(),
          followers_count: z.unknown(),
          statuses_count: z.unknown().optional(),
        })
        .optional(),
    })
    .optional(),
});

// 432 is Weibo's anonymous refusal; 418 and 403 are its older ban answers.
const banStatus = (status: number): AdapterOutcome | undefined =>
  status === 432 || status === 418 || status === 403 ? blocked(`refused (HTTP ${status})`) : undefined;

async function pullOne(http: AxiosInstance, uid: string): Promise<AdapterOutcome> {
  const answer = await requestJson(
    http,
    { url: '/api/container/getIndex', params: { containerid: `100505${uid}` } },
    banStatus,
  );
  if (isOutcome(answer)) return answer;
  const parsed = answerSchema.safeParse(answer.body);
  if (!parsed.success) return statusFallback(answer);
  const { ok, msg, data } = parsed.data;
  if (ok === -100) return blocked('login required (ok: -100)');
  // "这里还没有内容" is what the captcha wall answers, whatever the uid.
  if (ok === 0) return blocked(`no content, captcha wall (${msg ?? 'ok: 0'})`);
  if (ok !== 1) return statusFallback(answer);
  const info = data?.userInfo;
  if (!info) return notFound('no user in the answer');
  const outcome = figureOutcome(info.followers_count, 'public_web', {
    posts: optionalCount(info.statuses_count),
  });
  return outcome.kind === 'figure'
    ? { ...outcome, profile: { displayName: info.screen_name, bio: info.description } }
    : outcome;
}

export const weibo: AutomaticAdapter = {
  mode: 'automatic',
  platform: 'weibo',
  source: 'public_web',
  missingCredentials: needsNoCredentials,
  planBatches: oneIdPerRequest,
  pull: singleIdPull(pullOne),
};
