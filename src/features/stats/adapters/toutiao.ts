// Toutiao (best effort): fans_stat takes the profile token as a form field. Counts come as
// strings such as "12.3万". "fail" is how it refuses an unsigned caller, so it is a block (no
// signatures are generated); an empty data object means the token names nobody.
import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import { figureOutcome, isOutcome, optionalCount, requestJson, statusFallback } from '../http.js';
import { type AdapterOutcome, blocked, notFound } from '../outcomes.js';
import { type AutomaticAdapter, needsNoCredentials, oneIdPerRequest, singleIdPull } from './types.js';

const answerSchema = z.object({
  message: z.string(),
  data: z.object({ fans: z.unknown().optional(), digg_count: z.unknown().optional() }).optional(),
});

async function pullOne(http: AxiosInstance, token: string): Promise<AdapterOutcome> {
  const answer = await requestJson(http, {
    method: 'POST',
    url: '/api/pc/user/fans_stat',
    data: new URLSearchParams({ token }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  if (isOutcome(answer)) return answer;
  const parsed = answerSchema.safeParse(answer.body);
  if (!parsed.success) return statusFallback(answer);
  const { message, data } = parsed.data;
  if (message === 'fail') return blocked('refused (message: fail)');
  if (message !== 'success') return statusFallback(answer);
  if (data?.fans === undefined) return notFound('no figures for this token');
  return figureOutcome(data.fans, 'public_web', { likes: optionalCount(data.digg_count) });
}

export const toutiao: AutomaticAdapter = {
  mode: 'automatic',
  platform: 'toutiao',
  source: 'public_web',
  missingCredentials: needsNoCredentials,
  planBatches: oneIdPerRequest,
  pull: singleIdPull(pullOne),
};
