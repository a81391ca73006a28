// X: API v2 user lookup by username with an app-only bearer token (paid per read, 300 lookups per
// 15 minutes per app). "Not Found Error" comes as HTTP 200 (historically) or 404; 401/403 mean the
// token is refused and 429 the app's window is spent: both stop the platform until the breaker
// cools down.
import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import { figureOutcome, isOutcome, optionalCount, requestJson, statusFallback } from '../http.js';
import { type AdapterOutcome, blocked, notFound } from '../outcomes.js';
import { type AutomaticAdapter, oneIdPerRequest, type PlatformCredentials, singleIdPull } from './types.js';

const answerSchema = z.object({
  data: z
    .object({
      name: z.string().optional(),
      description: z.string().optional(),
      public_metrics: z.object({ followers_count: z.unknown(), tweet_count: z.unknown().optional() }),
    })
    .optional(),
  errors: z.array(z.object({ title: z.string().optional(), detail: z.string().optional() })).optional(),
});

const refusedStatus = (status: number): AdapterOutcome | undefined =>
  status === 401 || status === 403 ? blocked(`bearer token refused (HTTP ${status})`) : undefined;

async function pullOne(http: AxiosInstance, username: string, credentials: PlatformCredentials) {
  const answer = await requestJson(
    http,
    {
      url: `/2/users/by/username/${encodeURIComponent(username.replace(/^@/, ''))}`,
      params: { 'user.fields': 'public_metrics,description' },
      headers: { Authorization: `Bearer ${credentials.xBearerToken ?? ''}` },
    },
    refusedStatus,
  );
  if (isOutcome(answer)) return answer;
  const parsed = answerSchema.safeParse(answer.body);
  if (!parsed.success) return statusFallback(answer);
  const { data, errors } = parsed.data;
  if (data) {
    const outcome = figureOutcome(data.public_metrics.followers_count, 'official_api', {
      posts: optionalCount(data.public_metrics.tweet_count),
    });
    return outcome.kind === 'figure'
      ? { ...outcome, profile: { displayName: data.name, bio: data.description } }
      : outcome;
  }
  const error = errors?.[0];
  if (error?.title === 'Not Found Error' || answer.status === 404) {
    return notFound(error?.detail ?? 'no such user');
  }
  return statusFallback(answer);
}

export const x: AutomaticAdapter = {
  mode: 'automatic',
  platform: 'x',
  source: 'official_api',
  missingCredentials: (credentials) => (credentials.xBearerToken ? undefined : 'X_BEARER_TOKEN is not set'),
  planBatches: oneIdPerRequest,
  pull: singleIdPull(pullOne),
};
