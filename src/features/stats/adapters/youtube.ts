// YouTube Data API channels.list: one quota unit per call whatever the number of ids, so channel
// ids go 50 a call; an @handle needs a call of its own (forHandle takes one). subscriberCount is
// rounded by YouTube to three significant figures; a hidden count is "hidden", not zero. Quota and
// key errors stop the platform until the breaker cools down (retrying only burns more quota).
import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import { figureOutcome, isOutcome, optionalCount, requestJson, statusFallback } from '../http.js';
import { type AdapterOutcome, blocked, notFound } from '../outcomes.js';
import type { AutomaticAdapter, PlatformCredentials } from './types.js';

export const youtubeBatchSize = 50;

const itemSchema = z.object({
  id: z.string(),
  snippet: z.object({ title: z.string().optional(), description: z.string().optional() }).optional(),
  statistics: z
    .object({
      subscriberCount: z.unknown().optional(),
      hiddenSubscriberCount: z.boolean().optional(),
      videoCount: z.unknown().optional(),
    })
    .optional(),
});
const answerSchema = z.object({ items: z.array(z.unknown()).optional() });
const errorSchema = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string().optional(),
    errors: z.array(z.object({ reason: z.string().optional() })).optional(),
  }),
});

const isHandle = (id: string): boolean => id.startsWith('@');

function planBatches(ids: readonly string[]): string[][] {
  const channels = ids.filter((id) => !isHandle(id));
  const batches: string[][] = [];
  for (let start = 0; start < channels.length; start += youtubeBatchSize) {
    batches.push(channels.slice(start, start + youtubeBatchSize));
  }
  return [...batches, ...ids.filter(isHandle).map((handle) => [handle])];
}

function errorOutcome(body: unknown, status: number): AdapterOutcome | undefined {
  const parsed = errorSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const reason = parsed.data.error.errors?.[0]?.reason ?? String(parsed.data.error.code ?? status);
  if (status === 404) return notFound(reason);
  // 403 quotaExceeded / forbidden, 400 keyInvalid / badRequest: nothing a retry can fix.
  if (status === 403 || status === 400 || status === 401)
    return blocked(`API refused: ${reason} (HTTP ${status})`);
  return undefined;
}

function itemOutcome(raw: unknown): AdapterOutcome {
  const item = itemSchema.safeParse(raw);
  if (!item.success) return { kind: 'transient', detail: 'unreadable channel item' };
  const { snippet, statistics } = item.data;
  const profile = { displayName: snippet?.title, bio: snippet?.description };
  if (statistics?.hiddenSubscriberCount || statistics?.subscriberCount === undefined) {
    return { kind: 'hidden', detail: 'subscriber count hidden by the channel', profile };
  }
  const outcome = figureOutcome(statistics.subscriberCount, 'official_api', {
    posts: optionalCount(statistics.videoCount),
  });
  if (outcome.kind !== 'figure') return outcome;
  // YouTube rounds down to three significant figures: below 1000 every digit is still there.
  const precision = outcome.figure.followers >= 1000 ? 'rounded' : outcome.figure.precision;
  return { kind: 'figure', figure: { ...outcome.figure, precision }, profile };
}

async function pull(
  http: AxiosInstance,
  ids: readonly string[],
  credentials: PlatformCredentials,
): Promise<AdapterOutcome[]> {
  const [first = ''] = ids;
  const selector = isHandle(first) ? { forHandle: first } : { id: ids.join(',') };
  const answer = await requestJson(http, {
    url: '/youtube/v3/channels',
    params: {
      part: 'snippet,statistics',
      ...selector,
      maxResults: youtubeBatchSize,
      key: credentials.youtubeApiKey,
    },
  });
  // A failed call fails every id in it.
  if (isOutcome(answer)) return ids.map(() => answer);
  if (answer.status !== 200) {
    const outcome = errorOutcome(answer.body, answer.status) ?? statusFallback(answer);
    return ids.map(() => outcome);
  }
  const parsed = answerSchema.safeParse(answer.body);
  if (!parsed.success) return ids.map(() => statusFallback(answer));
  const items = parsed.data.items ?? [];
  if (isHandle(first)) return [items[0] ? itemOutcome(items[0]) : notFound(`no channel ${first}`)];
  const byId = new Map(items.map((item) => [itemSchema.safeParse(item).data?.id, item]));
  return ids.map((id) => {
    const item = byId.get(id);
    return item ? itemOutcome(item) : notFound(`no channel ${id}`);
  });
}

export const youtube: AutomaticAdapter = {
  mode: 'automatic',
  platform: 'youtube',
  source: 'official_api',
  missingCredentials: (credentials) => (credentials.youtubeApiKey ? undefined : 'YOUTUBE_API_KEY is not set'),
  planBatches,
  pull,
};
